"""/api/v1/: each part of the API keeps its own urls module."""

from django.urls import include, path

urlpatterns = [
    # First: its fixed paths (corridors/compare/) would otherwise be read as a corridor's detail URL.
    path("", include("mobility_hub.api.portal_urls")),
    path("", include("mobility_hub.api.public_urls")),
    path("", include("submissions.api.urls")),
]
