"""Bearer-token authentication: the one token maps to the service account, anything else to nobody.

django-scim2 leaves authentication to the project; its own check (SCIMAuthCheckMiddleware,
applied to every SCIM view) answers 401 when request.user is not authenticated.
"""

import hmac
import os
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse

from tests.suites.django_target import SERVICE_ACCOUNT


class BearerTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.expected = os.environ["DJANGO_TARGET_TOKEN"].encode()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # RFC 9110 §11.1: the authentication scheme is a case-insensitive token
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(token.encode(), self.expected):
            request.user = get_user_model().objects.get(username=SERVICE_ACCOUNT)
        else:
            request.user = AnonymousUser()
        return self.get_response(request)
