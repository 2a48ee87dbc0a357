"""The package's own URLs (/scim/v2/...), unchanged."""

from mitol.scim.urls import urlpatterns

__all__ = ["urlpatterns"]
