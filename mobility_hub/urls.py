from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from core import views

handler404 = views.not_found

urlpatterns = [
    path("health/", views.health, name="health"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("mobility_hub.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("guidance.feed_urls")),
    *i18n_patterns(
        path("", include("guidance.urls")),
        path("", include("countries.urls")),
        path("", include("permits.urls")),
        path("", include("recruiters.urls")),
    ),
]
