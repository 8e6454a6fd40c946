from rest_framework import serializers

from countries.api.serializers import ContactPointSerializer, LegalSourceCitationSerializer, RelatedCodesField
from permits.models import (
    EscoOccupation,
    Fee,
    IscoGroup,
    PermitCategory,
    QualificationRecognition,
    RequiredDocument,
    SalaryThreshold,
    VisaRequirement,
)


class RequiredDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequiredDocument
        fields = ["name", "mandatory", "translation_needed", "legalisation", "notes"]


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fee
        fields = ["name", "amount", "currency", "payer", "notes"]


class SalaryThresholdSerializer(serializers.ModelSerializer):
    legal_sources = RelatedCodesField(source="legal_sources_prefetched", attribute="key")

    class Meta:
        model = SalaryThreshold
        fields = ["label", "amount", "currency", "period", "region", "valid_from", "valid_to", "legal_sources"]


class PermitSerializer(serializers.ModelSerializer):
    destination = serializers.CharField(source="country_id", read_only=True)
    occupations = RelatedCodesField(source="occupations_prefetched")
    open_to = RelatedCodesField(source="open_to_prefetched")
    closed_to = RelatedCodesField(source="closed_to_prefetched")
    sectors = RelatedCodesField(source="sectors_prefetched")
    skill_levels = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=4), read_only=True)
    where_to_apply = serializers.ListField(child=serializers.CharField(), read_only=True)
    documents = RequiredDocumentSerializer(many=True, read_only=True, source="documents_prefetched")
    fees = FeeSerializer(many=True, read_only=True, source="fees_prefetched")
    salary_thresholds = SalaryThresholdSerializer(many=True, read_only=True, source="salary_thresholds_prefetched")
    legal_sources = LegalSourceCitationSerializer(many=True, read_only=True, source="legal_sources_prefetched")
    contact_point = ContactPointSerializer(read_only=True, allow_null=True)
    processing_source = LegalSourceCitationSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PermitCategory
        fields = [
            "code",
            "destination",
            "name",
            "description",
            "purpose",
            "skill_levels",
            "occupations",
            "open_to",
            "closed_to",
            "agreement_required",
            "job_offer_required",
            "qualification",
            "recognition_required",
            "language_level",
            "min_age",
            "max_age",
            "employer_abroad_required",
            "sectors",
            "labour_market_test",
            "quota_size",
            "quota_period",
            "application_method",
            "official_url",
            "where_to_apply",
            "processing_days_min",
            "processing_days_max",
            "processing_basis",
            "processing_note",
            "processing_source",
            "processing_article",
            "initial_stay_months",
            "max_stay_months",
            "renewable",
            "multiple_entry",
            "change_of_employer_allowed",
            "permanent_residence_after_months",
            "dependents_allowed",
            "spouse_may_work",
            "appeal_procedure",
            "appeal_deadline_days",
            "documents",
            "fees",
            "salary_thresholds",
            "legal_sources",
            "contact_point",
            "valid_from",
            "valid_to",
            "last_verified",
            "unknown_facts",
            "last_updated",
        ]


class IscoGroupSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", read_only=True, allow_null=True)
    children = RelatedCodesField(source="children_prefetched")
    skill_levels = serializers.SerializerMethodField()

    class Meta:
        model = IscoGroup
        fields = ["code", "level", "title", "description", "parent", "children", "skill_levels", "uri"]

    def get_skill_levels(self, group) -> list[int]:
        return list(group.skill_level)


class EscoOccupationSerializer(serializers.ModelSerializer):
    isco_group = serializers.CharField(source="isco_group_id", read_only=True)

    class Meta:
        model = EscoOccupation
        fields = ["id", "uri", "title", "alt_labels", "description", "isco_group", "regulated"]


class QualificationRecognitionSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", read_only=True)
    occupation = serializers.CharField(source="occupation_id", read_only=True)
    body = ContactPointSerializer(read_only=True, allow_null=True)
    legal_sources = LegalSourceCitationSerializer(many=True, read_only=True, source="legal_sources_prefetched")

    class Meta:
        model = QualificationRecognition
        fields = [
            "id",
            "country",
            "occupation",
            "area",
            "body",
            "regulated",
            "procedure",
            "url",
            "fee_min",
            "fee_max",
            "fee_currency",
            "duration_days_max",
            "legal_sources",
            "last_verified",
            "last_updated",
        ]


class VisaRequirementSerializer(serializers.ModelSerializer):
    nationality = serializers.CharField(source="nationality_id", read_only=True)
    destination = serializers.CharField(source="destination_id", read_only=True)

    class Meta:
        model = VisaRequirement
        fields = ["id", "nationality", "destination", "requirement", "days", "source", "as_of"]
