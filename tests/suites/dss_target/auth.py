"""Bearer-token authentication: the one token maps to the service account, anything else to nobody.

django-scim2-server leaves authentication to the project; its views answer 401 unless its access
check (by default: request.user is an authenticated superuser) admits the request.
"""

import hmac
import os
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse

from tests.suites.dss_target import SERVICE_ACCOUNT


class BearerTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.expected = os.environ["DSS_TARGET_TOKEN"].encode()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # RFC 9110 §11.1: the authentication scheme is a case-insensitive token
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(token.encode(), self.expected):
            request.user = get_user_model().objects.get(username=SERVICE_ACCOUNT)
        else:
            request.user = AnonymousUser()
        return self.get_response(request)
