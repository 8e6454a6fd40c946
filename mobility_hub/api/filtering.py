"""Filters shared by the FilterSets of every app: country codes, ISCO codes, yes/no/unknown.

Each filter refuses a value it does not know with a message (a 400 through the API, a form error on
the pages), so that a typo never silently answers with an empty or unfiltered list.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from countries.models import Country


class CountryCodeField(forms.ModelChoiceField):
    """An ISO 3166-1 alpha-2 code of a country the hub knows; lower case is accepted."""

    default_error_messages = {
        "invalid_choice": _("Unknown country code “%(value)s”: give an ISO 3166-1 alpha-2 code such as MA or DE."),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().upper()
        return super().to_python(value)


class CountryCodeFilter(django_filters.ModelChoiceFilter):
    field_class = CountryCodeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Country.objects.only("code"))
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "enum": ["true", "false"], "description": "Yes or no."})
class StrictBooleanFilter(django_filters.ChoiceFilter):
    """A yes/no filter that refuses anything but `true` or `false` (django-filter's own ignores typos)."""

    CHOICES = (("true", _("yes")), ("false", _("no")))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", self.CHOICES)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(**{self.field_name: value == "true"})


@extend_schema_field({"type": "string", "enum": ["true", "false", "unknown"], "description": "Yes, no or not known."})
class TriStateFilter(StrictBooleanFilter):
    """Yes, no or not known, for the hub's three-state facts: `true`, `false` or `unknown`."""

    CHOICES = (*StrictBooleanFilter.CHOICES, ("unknown", _("not known")))

    def filter(self, qs, value):
        if value == "unknown":
            return qs.filter(**{f"{self.field_name}__isnull": True})
        return super().filter(qs, value)
