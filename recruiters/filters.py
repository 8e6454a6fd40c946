"""FilterSets of recruitment regimes and agencies (shared by the API and the pages)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core.filters import StrictBooleanFilter
from countries.filters import CountryCodeFilter
from countries.models import Country, Sector

from .models import RecruitmentAgency, RecruitmentRegime


class SectorCodeField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("Unknown sector “%(value)s”: give an ISIC Rev. 4 section letter, A to U."),
    }

    def to_python(self, value):
        return super().to_python(value.strip().upper() if isinstance(value, str) else value)


class SectorCodeFilter(django_filters.ModelChoiceFilter):
    field_class = SectorCodeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Sector.objects.only("code"))
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)


class RecruitmentRegimeFilter(django_filters.FilterSet):
    country = CountryCodeFilter()
    worker_fee_rule = django_filters.ChoiceFilter(choices=RecruitmentRegime.WorkerFeeRule.choices)

    class Meta:
        model = RecruitmentRegime
        fields = ["country", "worker_fee_rule"]


class RecruitmentAgencyFilter(django_filters.FilterSet):
    country = CountryCodeFilter(help_text=_("The country that licensed the agency (ISO alpha-2)."))
    status = django_filters.ChoiceFilter(choices=RecruitmentAgency.Status.choices)
    destination = CountryCodeFilter(
        method="filter_destination", help_text=_("A destination the agency serves (ISO alpha-2).")
    )
    sector = SectorCodeFilter(method="filter_sector", help_text=_("A sector the agency serves (ISIC section)."))
    licence_number = django_filters.CharFilter(
        method="filter_licence_number", help_text=_("The licence number, exactly (case and outer spaces ignored).")
    )
    is_example = StrictBooleanFilter()

    class Meta:
        model = RecruitmentAgency
        fields = ["country", "status"]

    def filter_destination(self, queryset, name, value: Country):
        through = RecruitmentAgency.destinations.through.objects.filter(
            recruitmentagency_id=OuterRef("pk"), country_id=value.pk
        )
        return queryset.filter(Exists(through))

    def filter_sector(self, queryset, name, value: Sector):
        through = RecruitmentAgency.sectors.through.objects.filter(
            recruitmentagency_id=OuterRef("pk"), sector_id=value.pk
        )
        return queryset.filter(Exists(through))

    def filter_licence_number(self, queryset, name, value):
        return queryset.filter(licence_number__iexact=value.strip())
