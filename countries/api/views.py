"""Public, read-only endpoints of countries, corridors, agreements and legal sources."""

from drf_spectacular.utils import extend_schema_view

from core.api.base import KEY_LOOKUP, SEARCH_AND_ORDERING, PublicReadOnlyViewSet
from core.api.schema import list_and_detail
from countries.filters import AgreementFilter, CorridorFilter, LegalSourceFilter

from .. import selectors
from .serializers import AgreementSerializer, CorridorSerializer, CountrySerializer, LegalSourceSerializer


@extend_schema_view(
    **list_and_detail(CountrySerializer, "countries", "country", lookup="ISO 3166-1 alpha-2 code, e.g. MA")
)
class CountryViewSet(PublicReadOnlyViewSet):
    """The countries of ISO 3166-1, with names in the language asked for (Accept-Language)."""

    serializer_class = CountrySerializer
    lookup_field = "code"
    lookup_value_regex = KEY_LOOKUP
    filter_backends = SEARCH_AND_ORDERING
    search_fields = ["code", "iso3", "name_en", "name_fr", "name_ar", "name_de"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return selectors.country_list()


@extend_schema_view(**list_and_detail(CorridorSerializer, "corridors", "corridor"))
class CorridorViewSet(PublicReadOnlyViewSet):
    """Migration corridors: an origin and a destination country."""

    serializer_class = CorridorSerializer
    filterset_class = CorridorFilter

    def get_queryset(self):
        return selectors.corridor_list()


@extend_schema_view(**list_and_detail(AgreementSerializer, "agreements", "agreement", lookup="the agreement's key"))
class AgreementViewSet(PublicReadOnlyViewSet):
    """Published bilateral labour agreements, MoUs, social-security agreements, partnerships and schemes."""

    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    lookup_field = "key"
    lookup_value_regex = KEY_LOOKUP
    filter_backends = SEARCH_AND_ORDERING
    search_fields = ["title_en", "title_fr", "title_ar", "title_de", "summary_en", "key"]
    ordering_fields = ["title", "signed_on", "in_force_on", "expires_on", "last_updated"]

    def get_queryset(self):
        return selectors.agreement_public_list()


@extend_schema_view(
    **list_and_detail(LegalSourceSerializer, "legal sources", "legal source", lookup="the source's key")
)
class LegalSourceViewSet(PublicReadOnlyViewSet):
    """The laws, regulations and official pages the hub's facts cite, each as read on a date."""

    serializer_class = LegalSourceSerializer
    filterset_class = LegalSourceFilter
    lookup_field = "key"
    lookup_value_regex = KEY_LOOKUP
    filter_backends = SEARCH_AND_ORDERING
    search_fields = ["key", "title_en", "title_fr", "title_ar", "title_de", "article"]
    ordering_fields = ["key", "last_verified"]

    def get_queryset(self):
        return selectors.legal_source_list()
