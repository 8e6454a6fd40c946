"""Forms of the country and corridor pages. GET forms: answers can be bookmarked and shared."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Country


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CorridorPickForm(forms.Form):
    origin = CountryChoiceField(label=_("Your nationality"), queryset=Country.objects.none(), empty_label=None)

    def __init__(self, *args, origins, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].queryset = origins
