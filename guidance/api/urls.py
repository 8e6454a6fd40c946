"""The portal's part of /api/v1/: eligibility check and corridor comparison (issue 10)."""

from django.urls import path

from . import views as portal_views

urlpatterns = [
    path("eligibility/", portal_views.EligibilityView.as_view(), name="api-eligibility"),
    path("corridors/compare/", portal_views.CorridorComparisonView.as_view(), name="api-corridor-comparison"),
]
