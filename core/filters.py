"""Filters shared by the FilterSets of every app: yes/no and yes/no/unknown (country codes: countries/filters.py).

Each filter refuses a value it does not know with a message (a 400 through the API, a form error on
the pages), so that a typo never silently answers with an empty or unfiltered list.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field


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
