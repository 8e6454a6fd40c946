"""FilterSets of permits, occupations, qualification recognition and visa requirements.

Shared by the API and the pages. Every filter validates its value: an unknown country, ISCO code
or choice is an error with a message, never an empty list.
"""

import django_filters
from django import forms
from django.db.models import OuterRef, Q, Sum, TextField
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import StrictBooleanFilter, TriStateFilter
from core.text import digits_latin
from countries.filters import CountryCodeFilter
from countries.models import Country, RecognitionArea

from .models import (
    EscoOccupation,
    Fee,
    IscoGroup,
    PermitCategory,
    ProcessingBasis,
    QualificationRecognition,
    VisaRequirement,
)


class IscoCodeField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("Unknown ISCO-08 code “%(value)s”: give a code of 1 to 4 digits, e.g. 2221."),
    }

    def to_python(self, value):
        # An ISCO-08 code may be typed in Arabic-Indic digits: "٢٢٢١" is 2221.
        return super().to_python(digits_latin(value.strip()) if isinstance(value, str) else value)


class IscoCodeFilter(django_filters.ModelChoiceFilter):
    field_class = IscoCodeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", IscoGroup.objects.only("code"))
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)


def permits_with_skill_level(queryset, level):
    """Permits open to ISCO skill level `level` (1–4); an empty list means every level.

    The levels are single digits (checked by the model), so a text search of the JSON list is exact
    on SQLite and PostgreSQL alike (SQLite has no JSON `contains`).
    """
    return queryset.annotate(_skill_levels_text=Cast("skill_levels", TextField())).filter(
        Q(_skill_levels_text__contains=str(level)) | Q(skill_levels=[])
    )


class PermitFilter(django_filters.FilterSet):
    destination = CountryCodeFilter(field_name="country", help_text=_("Destination country (ISO alpha-2)."))
    purpose = django_filters.ChoiceFilter(choices=PermitCategory.Purpose.choices)
    skill_level = django_filters.TypedChoiceFilter(
        choices=[(level, str(level)) for level in (1, 2, 3, 4)],
        coerce=int,
        method="filter_skill_level",
        help_text=_("ISCO-08 skill level 1–4; permits open to any level are included."),
    )
    occupation = IscoCodeFilter(
        method="filter_occupation",
        help_text=_(
            "ISCO-08 code: permits listing this group or a group above it (222 or 22 for 2221), "
            "or no occupation at all (open to any)."
        ),
    )
    nationality = CountryCodeFilter(
        method="filter_nationality",
        help_text=_("Nationality (ISO alpha-2): permits open to it (open to all, or listing it) and not closed to it."),
    )
    job_offer_required = TriStateFilter()
    dependents_allowed = TriStateFilter()
    agreement_required = StrictBooleanFilter()
    path_to_residence = StrictBooleanFilter(
        method="filter_path_to_residence",
        help_text=_("true: permits that lead to permanent residence; false: those that do not say they do."),
    )
    max_fee = django_filters.NumberFilter(
        method="filter_max_fee",
        min_value=0,
        help_text=_("Permits whose known fees add up to at most this amount (in the fees' own currency)."),
    )
    max_processing_days = django_filters.NumberFilter(
        method="filter_max_processing_days",
        min_value=0,
        help_text=_(
            "Permits whose longest processing time (or, if only that is known, shortest) is at most this; a figure "
            "for one step of the procedure only does not count."
        ),
    )

    class Meta:
        model = PermitCategory
        fields = ["destination", "purpose"]

    def filter_skill_level(self, queryset, name, value: int):
        return permits_with_skill_level(queryset, value)

    def filter_occupation(self, queryset, name, value: IscoGroup):
        return queryset.for_occupation(value)

    def filter_nationality(self, queryset, name, value: Country):
        return queryset.open_to(value, on=timezone.localdate())

    def filter_path_to_residence(self, queryset, name, value):
        return queryset.filter(permanent_residence_after_months__isnull=value != "true")

    def filter_max_fee(self, queryset, name, value):
        total = (
            Fee.objects.filter(permit_id=OuterRef("pk"), amount__isnull=False)
            .order_by()
            .values("permit_id")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return queryset.annotate(_fee_total=Coalesce(total, 0, output_field=Fee._meta.get_field("amount"))).filter(
            _fee_total__lte=value
        )

    def filter_max_processing_days(self, queryset, name, value):
        return (
            queryset.exclude(processing_basis=ProcessingBasis.STEP)  # ProcessingBasis.is_time_to_decision
            .annotate(_processing_days=Coalesce("processing_days_max", "processing_days_min"))
            .filter(_processing_days__lte=value)
        )


class IscoGroupFilter(django_filters.FilterSet):
    level = django_filters.TypedChoiceFilter(choices=IscoGroup.Level.choices, coerce=int)
    parent = IscoCodeFilter(help_text=_("The groups directly under this ISCO-08 code."))

    class Meta:
        model = IscoGroup
        fields = ["level", "parent"]


class EscoOccupationFilter(django_filters.FilterSet):
    isco_group = IscoCodeFilter(
        method="filter_isco_group", help_text=_("ESCO occupations under this ISCO-08 group (at any level).")
    )
    regulated = StrictBooleanFilter()

    class Meta:
        model = EscoOccupation
        fields = ["isco_group", "regulated"]

    def filter_isco_group(self, queryset, name, value: IscoGroup):
        # A foreign key takes no text lookups: the prefix is matched on the group's code (the key
        # itself, so no join is added).
        return queryset.filter(isco_group__code__startswith=value.code)


class QualificationRecognitionFilter(django_filters.FilterSet):
    country = CountryCodeFilter()
    occupation = IscoCodeFilter(
        method="filter_occupation", help_text=_("ISCO-08 code: recognition for this group or a group above it.")
    )
    regulated = TriStateFilter()
    area = django_filters.ChoiceFilter(
        choices=RecognitionArea.choices,
        method="filter_area",
        help_text=_(
            "Where the work would be: a Region (BE-VLG) gives its own rows, its Communities' and the "
            "whole country's; a Community gives its own and the whole country's."
        ),
    )

    class Meta:
        model = QualificationRecognition
        fields = ["country", "occupation", "regulated", "area"]

    def filter_area(self, queryset, name, value):
        areas = [area for area in RecognitionArea.values if area and RecognitionArea.covers(area, value)]
        return queryset.filter(area__in=["", value, *areas])

    def filter_occupation(self, queryset, name, value: IscoGroup):
        return queryset.filter(occupation_id__in=value.ancestor_codes())


class VisaRequirementFilter(django_filters.FilterSet):
    nationality = CountryCodeFilter(help_text=_("The traveller's nationality (ISO alpha-2)."))
    destination = CountryCodeFilter(help_text=_("The country entered (ISO alpha-2)."))
    requirement = django_filters.ChoiceFilter(choices=VisaRequirement.Requirement.choices)

    class Meta:
        model = VisaRequirement
        fields = ["nationality", "destination", "requirement"]
