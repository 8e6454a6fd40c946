from rest_framework import serializers

from countries.models import Agreement, ContactPoint, Corridor, Country, LegalSource


class RelatedCodesField(serializers.ListField):
    """The codes (or another attribute) of related rows that a selector prefetched into a list.

    Reading a prefetched list (Prefetch(..., to_attr=...)) instead of a related manager skips
    building a manager and a queryset per row and relation, which dominated the cost of a page.
    """

    def __init__(self, *, attribute="pk", **kwargs):
        self.attribute = attribute
        kwargs.setdefault("child", serializers.CharField())
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, data):
        return [getattr(item, self.attribute) for item in data]


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "iso3", "numeric", "name", "official_name", "data_version"]


class LegalSourceSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", allow_null=True, read_only=True)

    class Meta:
        model = LegalSource
        fields = [
            "key",
            "country",
            "title",
            "article",
            "url",
            "publisher",
            "kind",
            "identifier",
            "version_date",
            "last_verified",
            "note",
            "last_updated",
        ]


class LegalSourceCitationSerializer(serializers.ModelSerializer):
    """A legal source as cited inside another object."""

    class Meta:
        model = LegalSource
        fields = ["key", "title", "article", "url", "kind", "last_verified"]


class ContactPointSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", read_only=True)

    class Meta:
        model = ContactPoint
        fields = ["key", "country", "name", "kind", "url", "email", "phone", "address"]


class CorridorSerializer(serializers.ModelSerializer):
    origin = serializers.CharField(source="origin_id", read_only=True)
    destination = serializers.CharField(source="destination_id", read_only=True)

    class Meta:
        model = Corridor
        fields = ["id", "origin", "destination", "notes", "last_updated"]


class AgreementSerializer(serializers.ModelSerializer):
    parties = RelatedCodesField(source="parties_prefetched")
    sectors = RelatedCodesField(source="sectors_prefetched")
    occupations = RelatedCodesField(source="occupations_prefetched")
    intermediaries = ContactPointSerializer(many=True, read_only=True, source="intermediaries_prefetched")
    legal_sources = LegalSourceCitationSerializer(many=True, read_only=True, source="legal_sources_prefetched")

    class Meta:
        model = Agreement
        fields = [
            "key",
            "type",
            "title",
            "summary",
            "parties",
            "signed_on",
            "in_force_on",
            "expires_on",
            "status",
            "sectors",
            "occupations",
            "quota_size",
            "quota_period",
            "intermediaries",
            "recruitment_cost_rule",
            "pre_departure_training",
            "pension_portability",
            "health_coverage",
            "full_text_url",
            "legal_sources",
            "unknown_facts",
            "last_verified",
            "last_updated",
        ]
