"""Public, read-only endpoints of permits, occupations, qualification recognition and visa requirements."""

from drf_spectacular.utils import extend_schema_view

from core.api.base import KEY_LOOKUP, SEARCH_AND_ORDERING, CursorPagination, PublicReadOnlyViewSet
from core.api.schema import list_and_detail
from permits.filters import (
    EscoOccupationFilter,
    IscoGroupFilter,
    PermitFilter,
    QualificationRecognitionFilter,
    VisaRequirementFilter,
)

from .. import selectors
from .serializers import (
    EscoOccupationSerializer,
    IscoGroupSerializer,
    PermitSerializer,
    QualificationRecognitionSerializer,
    VisaRequirementSerializer,
)


@extend_schema_view(**list_and_detail(PermitSerializer, "permits", "permit", lookup="the permit's code"))
class PermitViewSet(PublicReadOnlyViewSet):
    """Published work and residence permits, each with its documents, fees, salary thresholds and legal basis."""

    serializer_class = PermitSerializer
    filterset_class = PermitFilter
    lookup_field = "code"
    lookup_value_regex = KEY_LOOKUP
    filter_backends = SEARCH_AND_ORDERING
    search_fields = ["code", "name_en", "name_fr", "name_ar", "name_de", "description_en"]
    ordering_fields = ["name", "code", "processing_days_max", "last_verified", "last_updated"]

    def get_queryset(self):
        return selectors.permit_public_list()


@extend_schema_view(**list_and_detail(IscoGroupSerializer, "ISCO-08 groups", "ISCO-08 group", lookup="its code"))
class IscoGroupViewSet(PublicReadOnlyViewSet):
    """The ISCO-08 tree: major, sub-major, minor and unit groups, each with its parent and children."""

    serializer_class = IscoGroupSerializer
    filterset_class = IscoGroupFilter
    lookup_field = "code"
    lookup_value_regex = KEY_LOOKUP
    filter_backends = SEARCH_AND_ORDERING
    search_fields = ["code", "title_en", "title_fr", "title_ar", "title_de"]
    ordering_fields = ["code"]

    def get_queryset(self):
        return selectors.isco_group_list()


@extend_schema_view(**list_and_detail(EscoOccupationSerializer, "ESCO occupations", "ESCO occupation"))
class EscoOccupationViewSet(PublicReadOnlyViewSet):
    """ESCO v1 occupations, each filed under its ISCO-08 unit group."""

    serializer_class = EscoOccupationSerializer
    filterset_class = EscoOccupationFilter
    filter_backends = SEARCH_AND_ORDERING
    search_fields = ["title_en", "title_fr", "title_ar", "title_de", "alt_labels"]
    ordering_fields = ["title"]

    def get_queryset(self):
        return selectors.esco_occupation_list()


@extend_schema_view(
    **list_and_detail(QualificationRecognitionSerializer, "recognition procedures", "recognition procedure")
)
class QualificationRecognitionViewSet(PublicReadOnlyViewSet):
    """How a foreign qualification for an occupation is recognised in a country."""

    serializer_class = QualificationRecognitionSerializer
    filterset_class = QualificationRecognitionFilter

    def get_queryset(self):
        return selectors.qualification_recognition_list()


@extend_schema_view(**list_and_detail(VisaRequirementSerializer, "visa requirements", "visa requirement"))
class VisaRequirementViewSet(PublicReadOnlyViewSet):
    """What a national of one country needs to enter another (a large list: cursor pagination)."""

    serializer_class = VisaRequirementSerializer
    filterset_class = VisaRequirementFilter
    pagination_class = CursorPagination

    def get_queryset(self):
        return selectors.visa_requirement_list()
