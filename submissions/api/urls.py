from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("submissions", views.SubmissionViewSet, basename="submission")

urlpatterns = [
    path("schema/common-format/", views.common_format_schema_view, name="common-format-schema"),
    path("schema/common-format/docs/", views.common_format_docs_view, name="common-format-docs"),
    path("", include(router.urls)),
]
