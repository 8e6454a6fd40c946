"""The licence check form (GET: a result can be bookmarked and shared)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import digits_latin
from countries.forms import CountryChoiceField
from countries.models import Country

from .models import RecruitmentAgency, RecruitmentRegime


class LicenceCheckForm(forms.Form):
    country = CountryChoiceField(
        label=_("Country that issued the licence"),
        # A country whose rules the hub publishes can be asked about even with no agency: the answer then
        # says the hub holds no list of it and whom to ask.
        queryset=Country.objects.filter(
            Q(pk__in=RecruitmentAgency.objects.published().values("country"))
            | Q(pk__in=RecruitmentRegime.objects.published().values("country"))
        ).order_by("name"),
        empty_label=_("Choose a country"),
    )
    licence = forms.CharField(
        label=_("Licence number"),
        max_length=100,
        help_text=_("As written on the agency's papers, e.g. 1470."),
    )

    def clean_licence(self):
        # "١٤٧٠" is 1470; the lookup (RecruitmentAgency.objects.by_licence) normalises the rest.
        return digits_latin(self.cleaned_data["licence"])
