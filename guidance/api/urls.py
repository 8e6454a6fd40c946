"""The portal's part of /api/v1/: eligibility check and corridor comparison (issue 10)."""

from django.urls import path

from . import opendata
from . import views as portal_views

urlpatterns = [
    path("eligibility/", portal_views.EligibilityView.as_view(), name="api-eligibility"),
    path("corridors/compare/", portal_views.CorridorComparisonView.as_view(), name="api-corridor-comparison"),
    # Open data (issue 23): the bulk downloads, the dataset's DCAT-AP description, a permit as CPSV-AP.
    path("datapackages/", opendata.DataPackageIndexView.as_view(), name="api-datapackages"),
    path("datapackages/<str:name>", opendata.DataPackageFileView.as_view(), name="api-datapackage-file"),
    path("dcat.jsonld", opendata.DcatView.as_view(), name="api-dcat"),
    path("permits/<slug:code>/cpsv.jsonld", opendata.PermitCpsvView.as_view(), name="api-permit-cpsv"),
]
