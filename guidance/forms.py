"""The eligibility check form. A GET form: answers can be bookmarked and shared."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import digits_latin, number_normalise
from countries.forms import CountryChoiceField
from countries.models import Country, Region, Sector

from .eligibility import LANGUAGES, TRAVEL_DOCUMENTS, WITHOUT_NATIONALITY, Applicant

YES_NO_UNKNOWN = [("", _("I don't know / not said")), ("yes", _("Yes")), ("no", _("No"))]
RECOGNISED_CHOICES = [
    ("", _("I don't know / not said")),
    ("yes", _("Yes, recognised")),
    ("comparable", _("Not formally, but rated comparable (e.g. in anabin)")),
    ("no", _("No")),
]
LEVEL_CHOICES = [("", _("not said")), ("none", _("I don't speak it"))] + [
    (level, level) for level in ("A1", "A2", "B1", "B2", "C1", "C2")
]
# The languages the form asks about, in the order shown: those of the seed destinations' permits.
FORM_LANGUAGES = ("de", "fr", "en", "nl", "ar")


class AnyDigitsDecimalField(forms.DecimalField):
    """A number typed with any digits, grouping and decimal mark: "٤٦٬٠٠٠٫٥" is 46000.5 (core.text.number_normalise).

    A text box with a numeric keyboard, not <input type="number">: browsers empty a number box holding
    Arabic-Indic digits or a thousands separator before the form is sent.
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        return super().to_python(number_normalise(value) if isinstance(value, str) else value)


class AnyDigitsIntegerField(forms.IntegerField):
    """A whole number typed with any digits: "٤٠" and "۴۰" are 40."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value):
        return super().to_python(number_normalise(value) if isinstance(value, str) else value)


class SectorChoiceField(forms.ModelChoiceField):
    """An ISIC section by its name in the visitor's language (the code means nothing to a worker)."""

    def label_from_instance(self, obj):
        return obj.name


def _tri_state(value):
    return {"yes": True, "no": False}.get(value)


class EligibilityForm(forms.Form):
    """The short eligibility check. Every question but the first two may stay unanswered."""

    nationality = CountryChoiceField(
        label=_("Your nationality"),
        queryset=Country.objects.order_by("name"),
        empty_label=_("Choose a country"),
        required=False,
        help_text=_("Leave it empty if you are stateless or hold a Palestinian refugee travel document."),
    )
    travel_document = forms.ChoiceField(
        label=_("Your travel document"),
        required=False,
        choices=[("", _("a passport of my country")), *TRAVEL_DOCUMENTS.items()],
    )
    destination = CountryChoiceField(
        label=_("Where you want to work"), queryset=Country.objects.none(), empty_label=_("Choose a country")
    )
    region = forms.ChoiceField(
        label=_("Region where you will work"),
        required=False,
        choices=[("", _("I don't know / not said")), *Region.choices],
        help_text=_("Only for countries whose rules differ by region, such as Belgium."),
    )
    occupation = forms.CharField(
        label=_("Your occupation"),
        max_length=100,
        required=False,
        help_text=_("Type a job title or an ISCO-08 code, e.g. nurse or 2221."),
    )
    qualification = forms.ChoiceField(
        label=_("Your highest qualification"),
        required=False,
        choices=[
            ("", _("I don't know / not said")),
            ("none", _("no formal qualification")),
            ("vocational", _("vocational qualification")),
            ("tertiary", _("university degree")),
        ],
    )
    graduation_year = AnyDigitsIntegerField(
        label=_("Year you obtained it"),
        required=False,
        min_value=1950,
        max_value=2100,
        help_text=_("Some salary minimums are lower for recent graduates."),
    )
    recognised = forms.ChoiceField(
        label=_("Is your qualification recognised in that country?"), required=False, choices=RECOGNISED_CHOICES
    )
    job_offer = forms.ChoiceField(label=_("Do you have a job offer?"), required=False, choices=YES_NO_UNKNOWN)
    sector = SectorChoiceField(
        label=_("Sector of the work"),
        queryset=Sector.objects.order_by("code"),
        required=False,
        empty_label=_("I don't know / not said"),
        help_text=_("Seasonal work permits are open to some sectors only, such as agriculture."),
    )
    employer_abroad = forms.ChoiceField(
        label=_("Does a company abroad that employs you want to send you to its branch there?"),
        required=False,
        choices=YES_NO_UNKNOWN,
        help_text=_("An intra-corporate transfer: permits for it are only for such employees."),
    )
    salary = AnyDigitsDecimalField(
        label=_("Yearly gross salary offered"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Before tax, for a whole year."),
    )
    currency = forms.ChoiceField(
        label=_("Currency of the salary"),
        required=False,
        choices=[("", "—")] + [(code, code) for code in ("EUR", "SAR", "AED", "QAR", "KWD", "MAD", "TND", "EGP")],
    )
    age = AnyDigitsIntegerField(
        label=_("Your age"), required=False, min_value=14, max_value=100, help_text=_("Optional.")
    )

    def __init__(self, *args, destinations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].queryset = destinations
        # One level per language (CEFR: A1 beginner to C2 mastery), inserted before the age.
        fields = list(self.fields.items())
        at = [name for name, _field in fields].index("age")
        levels = [
            (
                f"level_{code}",
                forms.ChoiceField(
                    label=_("Your level of %(language)s") % {"language": LANGUAGES[code]},
                    required=False,
                    choices=LEVEL_CHOICES,
                    help_text=_("CEFR: A1 beginner to C2 mastery.") if code == FORM_LANGUAGES[0] else "",
                ),
            )
            for code in FORM_LANGUAGES
        ]
        self.fields = dict(fields[:at] + levels + fields[at:])

    def clean_occupation(self):
        # An ISCO-08 code may be typed in Arabic-Indic digits: "٢٢٢١" is 2221.
        return digits_latin(self.cleaned_data["occupation"])

    def clean(self):
        data = super().clean()
        if data.get("salary") is not None and not data.get("currency"):
            self.add_error("currency", _("Give the currency of the salary."))
        document = data.get("travel_document")
        if not data.get("nationality") and document not in WITHOUT_NATIONALITY and "nationality" not in self.errors:
            self.add_error("nationality", _("Choose your nationality, or the travel document you hold."))
        region, destination = data.get("region"), data.get("destination")
        if region and destination and not Region.is_of(region, destination):
            self.add_error("region", _("Choose a region of the country where you want to work, or leave it empty."))
        if data.get("nationality") and data.get("nationality") == data.get("destination"):
            self.add_error("destination", _("Choose a country other than your own."))
        return data

    def applicant(self, isco_code):
        data = self.cleaned_data
        return Applicant(
            nationality=data["nationality"].pk if data.get("nationality") else "",
            travel_document=data.get("travel_document") or None,
            destination=data["destination"].pk,
            isco_code=isco_code,
            qualification=data["qualification"] or None,
            job_offer=_tri_state(data["job_offer"]),
            salary=data["salary"],
            salary_currency=(data["currency"] or None) if data["salary"] is not None else None,
            languages={code: data[f"level_{code}"] for code in FORM_LANGUAGES if data.get(f"level_{code}")},
            age=data["age"],
            qualification_recognised={"yes": True, "comparable": False, "no": False}.get(data["recognised"]),
            qualification_comparable={"comparable": True, "no": False}.get(data["recognised"]),
            graduation_year=data["graduation_year"],
            region=data.get("region") or None,
            employer_abroad=_tri_state(data.get("employer_abroad")),
            sector=data["sector"].pk if data.get("sector") else None,
        )
