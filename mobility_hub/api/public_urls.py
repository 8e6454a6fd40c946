"""The public, read-only part of /api/v1/ (issue 9)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from countries.api.views import AgreementViewSet, CorridorViewSet, CountryViewSet, LegalSourceViewSet
from permits.api.views import (
    EscoOccupationViewSet,
    IscoGroupViewSet,
    PermitViewSet,
    QualificationRecognitionViewSet,
    VisaRequirementViewSet,
)
from recruiters.api.views import LicenceCheckView, RecruitmentAgencyViewSet, RecruitmentRegimeViewSet

from . import views
from .changes import ObjectChangeViewSet

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
    path("ping/", views.ping, name="api-ping"),
    path("licence-check/", LicenceCheckView.as_view(), name="licence-check"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("schema/swagger-ui/", views.swagger_ui, name="api-swagger-ui"),
    path("schema/redoc/", views.redoc, name="api-redoc"),
    *router.urls,
]
