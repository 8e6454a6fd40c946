"""FilterSets of countries, corridors, agreements and legal sources (shared by the API and the pages)."""

import django_filters
import pycountry
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from core.filters import StrictBooleanFilter

from .management.commands.load_countries import EXTRA_COUNTRIES
from .models import Agreement, Corridor, Country, LegalSource

# The codes load_countries loads (ISO 3166-1 from pycountry, and Kosovo): known without the database,
# so that the OpenAPI schema is the same wherever it is generated.
COUNTRY_CODES = sorted({entry.alpha_2 for entry in pycountry.countries} | {row["code"] for row in EXTRA_COUNTRIES})
COUNTRY_CODE_SCHEMA = {
    "type": "string",
    "enum": COUNTRY_CODES,
    "description": "An ISO 3166-1 alpha-2 country code (lower case is accepted too); another value answers 400.",
}


class CountryCodeField(forms.ModelChoiceField):
    """An ISO 3166-1 alpha-2 code of a country the hub knows; lower case is accepted."""

    default_error_messages = {
        "invalid_choice": _("Unknown country code “%(value)s”: give an ISO 3166-1 alpha-2 code such as MA or DE."),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().upper()
        return super().to_python(value)


@extend_schema_field(COUNTRY_CODE_SCHEMA)
class CountryCodeFilter(django_filters.ModelChoiceFilter):
    field_class = CountryCodeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Country.objects.only("code"))
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)


class CountryFilter(django_filters.FilterSet):
    class Meta:
        model = Country
        fields = []


class CorridorFilter(django_filters.FilterSet):
    origin = CountryCodeFilter()
    destination = CountryCodeFilter()

    class Meta:
        model = Corridor
        fields = ["origin", "destination"]


class AgreementFilter(django_filters.FilterSet):
    # Agreements have parties, not a direction: origin and destination each name one party,
    # so ?origin=MA&destination=DE finds the agreements to which both are parties.
    origin = CountryCodeFilter(method="filter_party", help_text=_("A party to the agreement (ISO alpha-2)."))
    destination = CountryCodeFilter(method="filter_party", help_text=_("Another party to the agreement (ISO alpha-2)."))
    party = CountryCodeFilter(method="filter_party", help_text=_("A party to the agreement (ISO alpha-2)."))
    type = django_filters.ChoiceFilter(choices=Agreement.Type.choices)
    status = django_filters.ChoiceFilter(choices=Agreement.Status.choices)
    in_force_on = django_filters.DateFilter(
        method="filter_in_force_on", help_text=_("Agreements in force on this date (YYYY-MM-DD).")
    )

    class Meta:
        model = Agreement
        fields = ["type", "status"]

    def filter_party(self, queryset, name, value: Country):
        # One filter() per party, so that two parties mean "both", not "either".
        return queryset.filter(parties=value.pk)

    def filter_in_force_on(self, queryset, name, value):
        return queryset.in_force(value)


class LegalSourceFilter(django_filters.FilterSet):
    country = CountryCodeFilter()
    international = StrictBooleanFilter(
        field_name="country__isnull", help_text=_("true: international instruments only.")
    )

    class Meta:
        model = LegalSource
        fields = ["country"]
