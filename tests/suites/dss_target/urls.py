"""The package's own URLs under /scim/v2/, as its README mounts them."""

from django.urls import include, path

urlpatterns = [path("scim/v2/", include("django_scim2_server.urls"))]
