"""Serializers of the portal's API endpoints: eligibility, corridor comparison, search.

The input serializers check every value against the hub's data (countries, ISCO-08 groups, ESCO
occupations, ISO 4217 currencies), so a bad request gets a 400 with a message, never a 500.
"""

import pycountry
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.text import digits_latin, number_normalise
from countries.models import Country, Region
from guidance.eligibility import (
    CEFR_ORDER,
    LANGUAGES,
    QUALIFICATION_ORDER,
    TRAVEL_DOCUMENTS,
    WITHOUT_NATIONALITY,
    Applicant,
)
from permits.models import EscoOccupation, IscoGroup


class AnyDigitsDecimalField(serializers.DecimalField):
    """A number written with any digits, grouping and decimal mark: "٤٦٬٠٠٠٫٥" is 46000.5, as in the page's form."""

    def to_internal_value(self, data):
        return super().to_internal_value(number_normalise(data) if isinstance(data, str) else data)


class AnyDigitsIntegerField(serializers.IntegerField):
    """A whole number written with any digits: "٤٠" is 40."""

    def to_internal_value(self, data):
        return super().to_internal_value(number_normalise(data) if isinstance(data, str) else data)


@extend_schema_field(OpenApiTypes.STR)
class LanguagesField(serializers.Field):
    """Languages and levels: "de:B1,en:B2" (a query string), or {"de": "B1", "en": "B2"} in JSON.

    The level "none" says the applicant does not speak that language; a language left out is not answered.
    """

    default_error_messages = {
        "invalid": _('Give languages as "de:B1,en:B2": an ISO 639-1 code and a CEFR level (or none) each.'),
        "language": _("%(value)s is not one of the languages the hub knows: %(known)s."),
        "level": _("%(value)s is not a CEFR level (A1 to C2) or none."),
    }

    def to_internal_value(self, data):
        if isinstance(data, dict):
            pairs = list(data.items())
        elif isinstance(data, str):
            pairs = []
            for part in digits_latin(data).split(","):
                if not part.strip():
                    continue
                if ":" not in part:
                    self.fail("invalid")
                code, level = part.split(":", 1)
                pairs.append((code, level))
        else:
            self.fail("invalid")
        languages = {}
        for code, level in pairs:
            if not isinstance(code, str) or not isinstance(level, str):
                self.fail("invalid")
            code, level = code.strip().lower(), level.strip()
            level = level.lower() if level.lower() == "none" else level.upper()
            if code not in LANGUAGES:
                self.fail("language", value=code, known=", ".join(sorted(LANGUAGES)))
            if level not in CEFR_ORDER:
                self.fail("level", value=level)
            languages[code] = level
        return languages

    def to_representation(self, value):
        return ",".join(f"{code}:{level}" for code, level in sorted(value.items()))


class EligibilityQuerySerializer(serializers.Serializer):
    """What the applicant says. Everything but nationality and destination may be left out: unknown, not no."""

    nationality = serializers.CharField(
        max_length=2,
        required=False,
        allow_blank=True,
        help_text=_(
            "ISO 3166-1 alpha-2 code, e.g. MA. May be left out only with a stateless or Palestinian travel document."
        ),
    )
    travel_document = serializers.ChoiceField(
        choices=list(TRAVEL_DOCUMENTS),
        required=False,
        allow_null=True,
        help_text=_(
            "Left out: a passport of the nationality. refugee: a 1951 Convention travel document; stateless: a "
            "1954 Convention travel document; palestinian: a travel document for Palestinian refugees."
        ),
    )
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
    languages = LanguagesField(
        required=False,
        help_text=_('Languages and CEFR levels, e.g. "de:B1,en:B2" ("none": not spoken; left out: not answered).'),
    )
    age = AnyDigitsIntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    graduation_year = AnyDigitsIntegerField(
        min_value=1950,
        max_value=2100,
        required=False,
        allow_null=True,
        help_text=_("Year the highest qualification was obtained (reduced salary thresholds for new entrants)."),
    )
    qualification_recognised = serializers.BooleanField(required=False, allow_null=True, default=None)
    qualification_comparable = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Not formally recognised, but rated comparable to a domestic qualification (e.g. in anabin)."),
    )
    region = serializers.ChoiceField(
        choices=Region.choices,
        required=False,
        allow_null=True,
        help_text=_(
            "ISO 3166-2 region of the work, for countries whose rules differ by region (BE-BRU, BE-VLG, BE-WAL)."
        ),
    )
    employer_abroad = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Employed by a company abroad that would send the applicant to its entity (a transfer)."),
    )
    sector = serializers.RegexField(
        r"^[A-U]$", required=False, allow_null=True, help_text=_("ISIC Rev. 4 section of the work, A to U.")
    )
    on = serializers.DateField(required=False, allow_null=True, help_text=_("Date of the rules (default: today)."))

    def validate_nationality(self, value):
        return _country_code(value) if value.strip() else ""

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
        if not attrs.get("nationality") and attrs.get("travel_document") not in WITHOUT_NATIONALITY:
            raise serializers.ValidationError(
                {"nationality": _("Give the nationality, unless the document is a stateless or Palestinian one.")}
            )
        region = attrs.get("region")
        if region and not Region.is_of(region, attrs["destination"]):
            raise serializers.ValidationError({"region": _("The region must be one of the destination's.")})
        if attrs.get("nationality") == attrs["destination"]:
            raise serializers.ValidationError({"destination": _("The destination must differ from the nationality.")})
        if attrs.get("salary") is not None and not attrs.get("salary_currency"):
            raise serializers.ValidationError({"salary_currency": _("Give the currency of the salary.")})
        return attrs

    def applicant(self):
        data = self.validated_data
        return Applicant(
            nationality=data.get("nationality") or "",
            destination=data["destination"],
            travel_document=data.get("travel_document") or None,
            **data.get("occupation", {}),
            qualification=data.get("qualification"),
            job_offer=data.get("job_offer"),
            salary=data.get("salary"),
            salary_currency=data.get("salary_currency") or None,
            languages=data.get("languages") or {},
            age=data.get("age"),
            qualification_recognised=data.get("qualification_recognised"),
            qualification_comparable=data.get("qualification_comparable"),
            graduation_year=data.get("graduation_year"),
            region=data.get("region"),
            employer_abroad=data.get("employer_abroad"),
            sector=data.get("sector"),
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
    provision = serializers.CharField(help_text=_("The article that sets the condition, when the hub knows it."))
    params = serializers.DictField(help_text=_("The values the message was built from."))


class ChangeSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("The condition the change is about."))
    message = serializers.CharField()
    params = serializers.DictField(help_text=_("The new value: a salary, a language level…"))


class ChangesSerializer(serializers.Serializer):
    possible = serializers.BooleanField(help_text=_("Whether some change of the answers makes the permit likely."))
    makes = serializers.ChoiceField(
        choices=["likely", "possible"],
        allow_null=True,
        help_text=_("The verdict the changes lead to: possible when the hub lacks a fact to say likely."),
    )
    changes = ChangeSerializer(many=True, help_text=_("The smallest set of changes that makes it likely."))
    none = ChangeSerializer(many=True, help_text=_("Why no change would: conditions nobody can change here."))


class VerdictSerializer(serializers.Serializer):
    permit_code = serializers.CharField()
    permit_name = serializers.CharField()
    verdict = serializers.ChoiceField(choices=["likely", "possible", "not_eligible"])
    reasons = ReasonSerializer(many=True)
    changes = ChangesSerializer(help_text=_("What would change the answer (nothing for a likely permit)."))
    programmes = serializers.ListField(
        child=serializers.CharField(), help_text=_("Keys of the programmes and agreements that concern this permit.")
    )


class ProgrammeSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("The agreement's key: /api/v1/agreements/{key}/."))
    title = serializers.CharField()
    type = serializers.CharField()
    occupations = serializers.ListField(
        child=serializers.CharField(), help_text=_("ISCO-08 groups it is for (empty: every occupation).")
    )
    permit_codes = serializers.ListField(child=serializers.CharField(), help_text=_("The verdicts it concerns."))


class SummarySerializer(serializers.Serializer):
    likely = serializers.IntegerField()
    possible = serializers.IntegerField()
    not_eligible = serializers.IntegerField()


class EligibilityResultSerializer(serializers.Serializer):
    on = serializers.DateField()
    occupation = serializers.CharField(allow_null=True, help_text=_("The ISCO-08 code the check used."))
    summary = SummarySerializer(help_text=_("How many permits are likely, possible and not eligible."))
    verdicts = VerdictSerializer(many=True)
    programmes = ProgrammeSerializer(
        many=True, help_text=_("Programmes and agreements in force for the corridor that concern the verdicts.")
    )
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
