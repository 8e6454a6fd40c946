from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from countries.api.serializers import ContactPointSerializer, LegalSourceCitationSerializer, RelatedCodesField
from countries.filters import COUNTRY_CODE_SCHEMA
from recruiters.models import EnforcementAction, RecruitmentAgency, RecruitmentRegime


class RecruitmentRegimeSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", read_only=True)
    licensing_authority = ContactPointSerializer(read_only=True, allow_null=True)
    legal_sources = LegalSourceCitationSerializer(many=True, read_only=True, source="legal_sources_prefetched")

    class Meta:
        model = RecruitmentRegime
        fields = [
            "country",
            "summary",
            "licensing_authority",
            "licence_validity_months",
            "registration_fee",
            "registration_fee_currency",
            "financial_guarantee",
            "financial_guarantee_currency",
            "worker_fee_rule",
            "worker_fee_cap",
            "worker_fee_cap_currency",
            "worker_fee_note",
            "standard_contract_required",
            "penalties",
            "incentives",
            "public_list_url",
            "legal_sources",
            "unknown_facts",
            "last_verified",
            "last_updated",
        ]


class EnforcementActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnforcementAction
        fields = ["date", "action", "description", "fine_amount", "fine_currency", "ends_on"]


class RecruitmentAgencySerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", read_only=True)
    licence_valid_today = serializers.SerializerMethodField()
    destinations = RelatedCodesField(source="destinations_prefetched")
    sectors = RelatedCodesField(source="sectors_prefetched")
    labels = RelatedCodesField(source="labels_prefetched", attribute="code")
    enforcement_actions = EnforcementActionSerializer(
        many=True, read_only=True, source="enforcement_actions_prefetched"
    )

    class Meta:
        model = RecruitmentAgency
        fields = [
            "id",
            "country",
            "legal_name",
            "licence_number",
            "status",
            "valid_from",
            "valid_until",
            "licence_valid_today",
            "destinations",
            "sectors",
            "address",
            "website",
            "labels",
            "is_example",
            "enforcement_actions",
            "last_confirmed",
            "last_updated",
        ]

    def get_licence_valid_today(self, agency) -> bool:
        return agency.licence_valid_on(timezone.localdate())


@extend_schema_field(COUNTRY_CODE_SCHEMA)
class CountryCodeQueryField(serializers.CharField):
    """A country code in a query; the view answers 400 for one it does not know."""


class LicenceCheckQuerySerializer(serializers.Serializer):
    country = CountryCodeQueryField(help_text="The licensing country, ISO 3166-1 alpha-2 (e.g. MA).")
    licence_number = serializers.CharField(max_length=100, help_text="The licence number as printed.")


class LicenceCheckSerializer(serializers.Serializer):
    """The answer of a licence check."""

    country = serializers.CharField()
    country_name = serializers.CharField()
    licence_number = serializers.CharField()
    found = serializers.BooleanField()
    outcome = serializers.ChoiceField(
        choices=["valid", "suspended", "revoked", "expired", "not_yet_valid", "not_found", "no_register"],
        help_text="What a worker is told: valid, suspended, revoked, expired, not_yet_valid, not_found (absent "
        "from the country's official list, which the hub holds) or no_register (the hub holds no official list "
        "of that country, so it cannot say; the message says whom to ask).",
    )
    valid_today = serializers.BooleanField()
    checked_on = serializers.DateField()
    message = serializers.CharField()
    agency_name = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=RecruitmentAgency.Status.choices, allow_null=True)
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    last_confirmed = serializers.DateField(allow_null=True)
    is_example = serializers.BooleanField(allow_null=True)
    register_url = serializers.URLField(
        allow_null=True, help_text="The official list of licensed agencies the answer comes from; null when none."
    )
    register_read_on = serializers.DateField(allow_null=True, help_text="The day the hub last read that list.")
    licensing_authority_contact = serializers.CharField(
        allow_null=True, help_text="Whom to ask: the licensing authority's website, else its email or phone."
    )
