"""Serializers of the portal's API endpoints: eligibility, corridor comparison, search.

The input serializers check every value against the hub's data (countries, ISCO-08 groups, ESCO
occupations, ISO 4217 currencies), so a bad request gets a 400 with a message, never a 500.
"""

import pycountry
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.text import digits_latin, number_normalise
from countries.models import Country
from guidance.eligibility import CEFR_ORDER, QUALIFICATION_ORDER, Applicant
from permits.models import EscoOccupation, IscoGroup


class AnyDigitsDecimalField(serializers.DecimalField):
    """A number written with any digits, grouping and decimal mark: "٤٦٬٠٠٠٫٥" is 46000.5, as in the page's form."""

    def to_internal_value(self, data):
        return super().to_internal_value(number_normalise(data) if isinstance(data, str) else data)


class AnyDigitsIntegerField(serializers.IntegerField):
    """A whole number written with any digits: "٤٠" is 40."""

    def to_internal_value(self, data):
        return super().to_internal_value(number_normalise(data) if isinstance(data, str) else data)


class EligibilityQuerySerializer(serializers.Serializer):
    """What the applicant says. Everything but nationality and destination may be left out: unknown, not no."""

    nationality = serializers.CharField(max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. MA."))
    destination = serializers.CharField(max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. DE."))
    occupation = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=_("ISCO-08 code (e.g. 2221) or ESCO occupation URI."),
    )
    qualification = serializers.ChoiceField(choices=list(QUALIFICATION_ORDER), required=False, allow_null=True)
    job_offer = serializers.BooleanField(required=False, allow_null=True, default=None)
    salary = AnyDigitsDecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=_("Annual gross salary."),
    )
    salary_currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    language_level = serializers.ChoiceField(choices=list(CEFR_ORDER), required=False, allow_null=True)
    age = AnyDigitsIntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    qualification_recognised = serializers.BooleanField(required=False, allow_null=True, default=None)
    on = serializers.DateField(required=False, allow_null=True, help_text=_("Date of the rules (default: today)."))

    def validate_nationality(self, value):
        return _country_code(value)

    def validate_destination(self, value):
        return _country_code(value)

    def validate_salary_currency(self, value):
        value = value.strip().upper()
        if value and pycountry.currencies.get(alpha_3=value) is None:
            raise serializers.ValidationError(_("%(value)s is not an ISO 4217 currency code.") % {"value": value})
        return value

    def validate_occupation(self, value):
        value = digits_latin(value.strip())
        if not value:
            return {}
        if value.isdigit():
            if not IscoGroup.objects.filter(code=value).exists():
                raise serializers.ValidationError(_("%(value)s is not an ISCO-08 group.") % {"value": value})
            return {"isco_code": value}
        if not EscoOccupation.objects.filter(uri=value).exists():
            raise serializers.ValidationError(_("Not a known ISCO-08 code or ESCO occupation URI."))
        return {"esco_uri": value}

    def validate(self, attrs):
        if attrs["nationality"] == attrs["destination"]:
            raise serializers.ValidationError({"destination": _("The destination must differ from the nationality.")})
        if attrs.get("salary") is not None and not attrs.get("salary_currency"):
            raise serializers.ValidationError({"salary_currency": _("Give the currency of the salary.")})
        return attrs

    def applicant(self):
        data = self.validated_data
        return Applicant(
            nationality=data["nationality"],
            destination=data["destination"],
            **data.get("occupation", {}),
            qualification=data.get("qualification"),
            job_offer=data.get("job_offer"),
            salary=data.get("salary"),
            salary_currency=data.get("salary_currency") or None,
            language_level=data.get("language_level"),
            age=data.get("age"),
            qualification_recognised=data.get("qualification_recognised"),
        )


def _country_code(value):
    value = value.strip().upper()
    if not Country.objects.filter(code=value).exists():
        raise serializers.ValidationError(_("%(value)s is not a known country code.") % {"value": value})
    return value


class SourceSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    article = serializers.CharField()
    url = serializers.URLField()
    last_verified = serializers.DateField()


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("The condition: nationality, occupation, salary…"))
    status = serializers.ChoiceField(choices=["met", "not_met", "unknown"])
    message = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField(), help_text=_("Keys of the legal sources."))
    params = serializers.DictField(help_text=_("The values the message was built from."))


class VerdictSerializer(serializers.Serializer):
    permit_code = serializers.CharField()
    permit_name = serializers.CharField()
    verdict = serializers.ChoiceField(choices=["likely", "possible", "not_eligible"])
    reasons = ReasonSerializer(many=True)


class EligibilityResultSerializer(serializers.Serializer):
    on = serializers.DateField()
    occupation = serializers.CharField(allow_null=True, help_text=_("The ISCO-08 code the check used."))
    verdicts = VerdictSerializer(many=True)
    sources = serializers.DictField(child=SourceSerializer(), help_text=_("Every cited legal source, by key."))


class ComparisonQuerySerializer(serializers.Serializer):
    corridors = serializers.CharField(help_text=_("2 to 4 corridors origin-destination, e.g. MA-DE,TN-FR."))
    on = serializers.DateField(required=False, allow_null=True, help_text=_("Date (default: today)."))


class CorridorComparisonSerializer(serializers.Serializer):
    """One corridor's facts; see guidance.comparison.compare_corridors for every key."""

    corridor = serializers.CharField()
    origin = serializers.DictField()
    destination = serializers.DictField()
    agreements = serializers.ListField(child=serializers.DictField())
    permits_open = serializers.DictField()
    fees = serializers.DictField()
    processing_days = serializers.DictField()
    stay_months = serializers.DictField()
    family = serializers.DictField()
    recruiter_fees = serializers.DictField(allow_null=True)
    visa = serializers.DictField(allow_null=True)
    schengen_refusal = serializers.DictField(allow_null=True)


class ComparisonResultSerializer(serializers.Serializer):
    on = serializers.DateField()
    corridors = CorridorComparisonSerializer(many=True)
