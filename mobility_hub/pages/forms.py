"""Forms of the public pages. All are GET forms: answers can be bookmarked and shared."""

from django import forms
from django.utils.translation import gettext_lazy as _

from countries.models import Country
from recruiters.models import RecruitmentAgency


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class LicenceCheckForm(forms.Form):
    country = CountryChoiceField(
        label=_("Country that issued the licence"),
        queryset=Country.objects.filter(pk__in=RecruitmentAgency.objects.published().values("country")).order_by(
            "name"
        ),
        empty_label=_("Choose a country"),
    )
    licence = forms.CharField(
        label=_("Licence number"),
        max_length=100,
        help_text=_("As written on the agency's papers, e.g. 1470."),
    )


class PermitFilterForm(forms.Form):
    destination = CountryChoiceField(
        label=_("Destination"), queryset=Country.objects.none(), required=False, empty_label=_("Any country")
    )
    occupation = forms.CharField(
        label=_("Occupation"),
        max_length=100,
        required=False,
        help_text=_("A job title or an ISCO-08 code, e.g. nurse or 2221."),
    )

    def __init__(self, *args, destinations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].queryset = destinations


class CorridorPickForm(forms.Form):
    origin = CountryChoiceField(label=_("Your nationality"), queryset=Country.objects.none(), empty_label=None)

    def __init__(self, *args, origins, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].queryset = origins
