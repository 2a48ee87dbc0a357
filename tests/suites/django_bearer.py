"""Bearer-token authentication for the Django targets: the one token maps to the target's service
account, anything else to nobody.

Both packages leave authentication to the project. django-scim2's own check (SCIMAuthCheckMiddleware,
applied to every SCIM view) answers 401 when request.user is not authenticated; django-scim2-server's
views answer 401 unless its access check (by default: an authenticated superuser) admits the request.
A project's settings name the token (TARGET_TOKEN) and the account (TARGET_ACCOUNT).
"""

import hmac
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse


class BearerTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.expected = settings.TARGET_TOKEN.encode()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # RFC 9110 §11.1: the authentication scheme is a case-insensitive token
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(token.encode(), self.expected):
            request.user = get_user_model().objects.get(username=settings.TARGET_ACCOUNT)
        else:
            request.user = AnonymousUser()
        return self.get_response(request)
