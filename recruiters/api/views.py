"""Public, read-only endpoints of recruitment regimes and agencies, and the licence check."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import exceptions
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.base import (
    KEY_LOOKUP,
    SEARCH_AND_ORDERING,
    CursorPagination,
    DataVersionConditionalMixin,
    PublicReadOnlyViewSet,
)
from core.api.schema import BAD_FILTER, NOT_MODIFIED, THROTTLED, list_and_detail
from core.throttling import THROTTLES
from countries.models import Country
from recruiters.filters import RecruitmentAgencyFilter, RecruitmentRegimeFilter

from .. import selectors
from .serializers import (
    LicenceCheckQuerySerializer,
    LicenceCheckSerializer,
    RecruitmentAgencySerializer,
    RecruitmentRegimeSerializer,
)


@extend_schema_view(
    **list_and_detail(
        RecruitmentRegimeSerializer, "recruitment regimes", "recruitment regime", lookup="the country's code"
    )
)
class RecruitmentRegimeViewSet(PublicReadOnlyViewSet):
    """How each country licenses private recruitment agencies and caps what workers may be charged."""

    serializer_class = RecruitmentRegimeSerializer
    filterset_class = RecruitmentRegimeFilter
    lookup_field = "country"
    lookup_value_regex = KEY_LOOKUP
    lookup_url_kwarg = "country"

    def get_queryset(self):
        return selectors.recruitment_regime_public_list()


@extend_schema_view(**list_and_detail(RecruitmentAgencySerializer, "recruitment agencies", "recruitment agency"))
class RecruitmentAgencyViewSet(PublicReadOnlyViewSet):
    """Published recruitment agencies and their licences (a large list: cursor pagination)."""

    serializer_class = RecruitmentAgencySerializer
    filterset_class = RecruitmentAgencyFilter
    pagination_class = CursorPagination
    filter_backends = SEARCH_AND_ORDERING[:2]
    search_fields = ["legal_name", "licence_number"]

    def get_queryset(self):
        return selectors.agency_public_list()


class LicenceCheckView(DataVersionConditionalMixin, APIView):
    """Is licence X of country Y valid today? Answers from the published register, with the date it was last confirmed.

    An unknown licence is not an error: the answer says it was not found in that country's official list
    (not_found) or, when the hub holds no official list of the country, that it cannot say (no_register).
    """

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]
    throttle_classes = THROTTLES

    @extend_schema(
        summary="Check a recruitment agency's licence",
        parameters=[LicenceCheckQuerySerializer],
        responses={200: LicenceCheckSerializer, 304: NOT_MODIFIED, 400: BAD_FILTER, 429: THROTTLED},
        examples=[
            OpenApiExample(
                "No official list in the hub",
                value={
                    "country": "MA",
                    "country_name": "Morocco",
                    "licence_number": "123",
                    "found": False,
                    "outcome": "no_register",
                    "valid_today": False,
                    "checked_on": "2026-11-25",
                    "message": "The hub holds no official list of licensed agencies for Morocco: it cannot say "
                    "whether licence 123 is valid. Ask Ministère de l'Inclusion économique, de la Petite entreprise, "
                    "de l'Emploi et des Compétences: https://www.emploi.gov.ma.",
                    "agency_name": None,
                    "status": None,
                    "valid_from": None,
                    "valid_until": None,
                    "last_confirmed": None,
                    "is_example": None,
                    "register_url": None,
                    "register_read_on": None,
                    "licensing_authority_contact": "https://www.emploi.gov.ma",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request):
        return self.respond_versioned(request, self.check)

    def check(self, request):
        query = LicenceCheckQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        code = query.validated_data["country"].strip().upper()
        country = Country.objects.filter(pk=code).only("code", *_name_fields()).first()
        if country is None:
            raise exceptions.ValidationError(
                {"country": [_("Unknown country code “%(code)s”: give an ISO 3166-1 alpha-2 code.") % {"code": code}]}
            )
        result = selectors.licence_check_get(
            country=country, licence_number=query.validated_data["licence_number"], today=timezone.localdate()
        )
        agency = result.agency
        data = {
            "country": country.code,
            "country_name": country.name,
            "licence_number": agency.licence_number if agency else result.licence_number,
            "found": result.found,
            "outcome": result.outcome,
            "valid_today": result.valid_today,
            "checked_on": result.checked_on,
            "message": result.message,
            "agency_name": agency.legal_name if agency else None,
            "status": agency.status if agency else None,
            "valid_from": agency.valid_from if agency else None,
            "valid_until": agency.valid_until if agency else None,
            "last_confirmed": agency.last_confirmed if agency else None,
            "is_example": agency.is_example if agency else None,
            "register_url": result.register.url if result.register else None,
            "register_read_on": result.register.last_verified if result.register else None,
            "licensing_authority_contact": result.authority_contact or None,
        }
        return Response(LicenceCheckSerializer(data).data)


def _name_fields():
    return ("name", "name_en", "name_fr", "name_ar", "name_de")
