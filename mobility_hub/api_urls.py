"""/api/v1/: one router over the viewsets of every app, the apps' own API paths, the documentation."""

from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from core import views as core_views
from core.api import views
from countries.api.views import AgreementViewSet, CorridorViewSet, CountryViewSet, LegalSourceViewSet
from guidance.changes import ObjectChangeViewSet
from permits.api.views import (
    EscoOccupationViewSet,
    IscoGroupViewSet,
    PermitViewSet,
    QualificationRecognitionViewSet,
    VisaRequirementViewSet,
)
from recruiters.api.views import LicenceCheckView, RecruitmentAgencyViewSet, RecruitmentRegimeViewSet

router = DefaultRouter()
router.include_format_suffixes = False
router.register("countries", CountryViewSet, basename="country")
router.register("corridors", CorridorViewSet, basename="corridor")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("legal-sources", LegalSourceViewSet, basename="legal-source")
router.register("permits", PermitViewSet, basename="permit")
router.register("occupations", IscoGroupViewSet, basename="occupation")
router.register("esco-occupations", EscoOccupationViewSet, basename="esco-occupation")
router.register("qualification-recognition", QualificationRecognitionViewSet, basename="qualification-recognition")
router.register("visa-requirements", VisaRequirementViewSet, basename="visa-requirement")
router.register("recruitment-regimes", RecruitmentRegimeViewSet, basename="recruitment-regime")
router.register("agencies", RecruitmentAgencyViewSet, basename="agency")
router.register("changes", ObjectChangeViewSet, basename="change")

urlpatterns = [
    # First: its fixed paths (corridors/compare/) would otherwise be read as a corridor's detail URL.
    path("", include("guidance.api.urls")),
    path("ping/", views.ping, name="api-ping"),
    path("licence-check/", LicenceCheckView.as_view(), name="licence-check"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("schema/swagger-ui/", views.swagger_ui, name="api-swagger-ui"),
    path("schema/redoc/", views.redoc, name="api-redoc"),
    *router.urls,
    path("", include("submissions.api.urls")),
    # Last: any other address under /api/v1/ answers the API's JSON 404, in DEBUG too (Django's
    # debug page is HTML), and to a POST as well (no CSRF page). Only addresses ending in "/", so that
    # APPEND_SLASH still redirects the others.
    re_path(r"^[\s\S]*/$", csrf_exempt(core_views.not_found)),  # [\s\S]: a newline too
]
