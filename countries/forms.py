"""Forms of the country and corridor pages. GET forms: answers can be bookmarked and shared."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from core.text import collated

from .models import Country


class CollatedChoiceIterator(ModelChoiceIterator):
    """The choices in the collation order of their labels in the visitor's language (one query, as before)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset
        if not queryset._prefetch_related_lookups:
            queryset = queryset.iterator()
        for obj in collated(queryset, key=self.field.label_from_instance):
            yield self.choice(obj)


class CountryChoiceField(forms.ModelChoiceField):
    """A country, listed by its name in the visitor's language and in that language's order."""

    iterator = CollatedChoiceIterator

    def label_from_instance(self, obj):
        return obj.name


class CorridorPickForm(forms.Form):
    origin = CountryChoiceField(label=_("Your nationality"), queryset=Country.objects.none(), empty_label=None)

    def __init__(self, *args, origins, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].queryset = origins
