"""The public "Report a wrong or missing fact" form: which facts can be reported, and the form.

No account, no JavaScript: a plain POST form with a honeypot field (left empty by people, filled by
bots) and a throttle of its own on sending (rate "report", core/throttling.py style).
"""

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from core.throttling import RateFromSettings

# The facts of the public pages that can be reported: permits and the recognition of qualifications
# they show, agreements, corridors, countries, and the licence check's agencies and regimes.
REPORTABLE = (
    "permits.permitcategory",
    "permits.qualificationrecognition",
    "countries.agreement",
    "countries.corridor",
    "countries.country",
    "recruiters.recruitmentagency",
    "recruiters.recruitmentregime",
)
HONEYPOT = "website"


def fact_label(fact):
    return fact._meta.label_lower


def fact_get(label, key):
    """The public fact named by its model label and key, or None (unknown kind, key or unpublished row)."""
    if label not in REPORTABLE or not key or len(key) > 64 or "\x00" in key:
        return None
    model = apps.get_model(label)
    rows = model._default_manager.all()
    if hasattr(rows, "published"):
        rows = rows.published()
    try:
        return rows.filter(pk=key).first()
    except (ValueError, TypeError):
        return None


class ReportThrottle(RateFromSettings):
    """Reports sent per client address, signed in or not (the form needs no account): rate "report"
    of DEFAULT_THROTTLE_RATES, DEFAULT_RATE when the setting names none (None switches it off)."""

    scope = "report"
    DEFAULT_RATE = "5/hour"

    def allow_request(self, request, view):
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope, self.DEFAULT_RATE)
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return SimpleRateThrottle.allow_request(self, request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ReportForm(forms.Form):
    message = forms.CharField(
        label=_("What is wrong or missing?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Say what is wrong or missing.")},
        help_text=_("Say which fact, what it should say, and since when if you know."),
    )
    source_url = forms.URLField(
        label=_("Link to a source (optional)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("An official page that shows the right fact, if you have one."),
    )
    email = forms.EmailField(
        label=_("Your email for a reply (optional)"),
        required=False,
        help_text=_("Kept only until the report is closed, then erased. Used only to reply to you."),
    )
    # The honeypot: hidden from people by the stylesheet and the label, filled in by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_message(self):
        message = self.cleaned_data["message"].replace("\x00", "").strip()
        if not message:
            raise forms.ValidationError(_("Say what is wrong or missing."))
        return message
