from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import digits_latin
from countries.forms import CountryChoiceField
from countries.models import Country

from .models import PermitCategory
from .services import permit_publication_errors

SKILL_LEVEL_CHOICES = [
    (1, _("1 – elementary tasks")),
    (2, _("2 – operating machinery, clerical, sales, trades")),
    (3, _("3 – technical and complex practical tasks")),
    (4, _("4 – complex problem-solving, degree level")),
]
WHERE_TO_APPLY_CHOICES = [
    ("consulate", _("at a consulate or visa centre")),
    ("online", _("online")),
    ("in_country", _("in the country")),
    ("employer", _("the employer applies")),
]


class PermitCategoryAdminForm(forms.ModelForm):
    # Check boxes instead of raw JSON: the model stores plain lists.
    skill_levels = forms.TypedMultipleChoiceField(
        label=_("ISCO skill levels"),
        choices=SKILL_LEVEL_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means any level."),
    )
    where_to_apply = forms.MultipleChoiceField(
        label=_("where to apply"), choices=WHERE_TO_APPLY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = PermitCategory
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose what is shown)

    def clean(self):
        cleaned_data = super().clean()
        if "legal_sources" in cleaned_data:
            for field, message in permit_publication_errors(
                publication_status=cleaned_data.get("publication_status"),
                legal_sources=cleaned_data["legal_sources"],
            ).items():
                self.add_error(field, message)
        return cleaned_data


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

    def clean_occupation(self):
        # An ISCO-08 code may be typed in Arabic-Indic digits: "٢٢٢١" is 2221.
        return digits_latin(self.cleaned_data["occupation"])
