import datetime
from urllib.parse import urlencode

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.fields import AmountField, CurrencyField, PublicationStatus, TriStateField, raise_if, require_currency
from core.models import TrackedModel
from core.querysets import CountryScopedQuerySet, PublishableQuerySet
from core.text import digits_latin
from countries.models import ContactPoint, Country, LegalSource, Sector


class RecruitmentRegime(TrackedModel):
    """How a country licenses private recruitment agencies and protects the workers they place."""

    class WorkerFeeRule(models.TextChoices):
        ZERO_FEE = "zero_fee", _("no fee may be charged to workers")
        CAPPED = "capped", _("fees to workers are capped")
        NOT_REGULATED = "not_regulated", _("not regulated")

    country = models.OneToOneField(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="recruitment_regime"
    )
    summary = models.TextField(_("summary"), blank=True)
    licensing_authority = models.ForeignKey(
        ContactPoint, verbose_name=_("licensing authority"), null=True, blank=True, on_delete=models.SET_NULL
    )
    licence_validity_months = models.PositiveIntegerField(_("licence valid for (months)"), null=True, blank=True)
    registration_fee = AmountField(_("registration fee"), null=True, blank=True)
    registration_fee_currency = CurrencyField(blank=True)
    financial_guarantee = AmountField(_("financial guarantee or deposit"), null=True, blank=True)
    financial_guarantee_currency = CurrencyField(blank=True)
    worker_fee_rule = models.CharField(
        _("fees charged to workers"), max_length=20, choices=WorkerFeeRule.choices, blank=True
    )
    worker_fee_cap = AmountField(_("most a worker may be charged"), null=True, blank=True)
    worker_fee_cap_currency = CurrencyField(blank=True)
    worker_fee_note = models.TextField(_("fee rule in detail"), blank=True)
    standard_contract_required = TriStateField(_("standard contract required"))
    penalties = models.TextField(_("penalties"), blank=True)
    incentives = models.TextField(_("incentives"), blank=True, help_text=_("Public lists, labels, rewards."))
    public_list_url = models.URLField(_("public list of licensed agencies"), max_length=500, blank=True)
    legal_sources = models.ManyToManyField(LegalSource, verbose_name=_("legal sources"), blank=True, related_name="+")
    unknown_facts = models.TextField(_("not known"), blank=True)
    publication_status = models.CharField(
        _("publication status"), max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True)

    country_path = "country"
    objects = PublishableQuerySet.as_manager()
    public_history = True
    publication_path = "publication_status"

    class Meta:
        verbose_name = _("recruitment regime")
        verbose_name_plural = _("recruitment regimes")
        ordering = ["country"]

    def __str__(self):
        return str(_("Recruitment regime of %(country)s") % {"country": self.country})

    def get_absolute_url(self):
        """A regime is shown on its country's page, in the part on recruiters."""
        return reverse("countries:country", kwargs={"code": self.country_id}) + "#recruiters"

    def clean(self):
        errors = {}
        require_currency(
            errors, self.registration_fee, self.registration_fee_currency, currency_field="registration_fee_currency"
        )
        require_currency(
            errors,
            self.financial_guarantee,
            self.financial_guarantee_currency,
            currency_field="financial_guarantee_currency",
        )
        require_currency(
            errors, self.worker_fee_cap, self.worker_fee_cap_currency, currency_field="worker_fee_cap_currency"
        )
        if self.worker_fee_rule == self.WorkerFeeRule.ZERO_FEE and self.worker_fee_cap:
            errors["worker_fee_cap"] = _("A zero-fee rule has no cap above zero.")
        raise_if(errors)


class CertificationLabel(TrackedModel):
    """A label or certification an agency can hold (e.g. IRIS): what it certifies, who awards it, and
    where its own list of holders is. A country's label is shown with that country's recruiter rules."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certification_labels",
        help_text=_("The country whose label it is; blank for an international one."),
    )
    name = models.CharField(_("name"), max_length=200)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    url = models.URLField(_("website"), max_length=500, blank=True)
    description = models.TextField(_("what it certifies"), blank=True)
    holders_url = models.URLField(_("its list of holders"), max_length=500, blank=True)
    legal_sources = models.ManyToManyField(LegalSource, verbose_name=_("legal sources"), blank=True, related_name="+")
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    public_history = True

    class Meta:
        verbose_name = _("certification label")
        verbose_name_plural = _("certification labels")
        ordering = ["name"]

    def __str__(self):
        return self.name


def licence_number_normalise(text):
    """A licence number as a person typed it, in the form registers write it.

    Latin digits (١٤٧٠ is 1470), single spaces, no space around; NUL bytes (which no one types and
    PostgreSQL refuses) dropped. Case is left as typed: the lookup ignores it.
    """
    return " ".join(digits_latin(str(text).replace("\x00", "")).split())


class AgencyQuerySet(PublishableQuerySet):
    def by_licence(self, country, number):
        """Agencies of `country` with the licence `number`, however it was typed; an exact match first.

        The one lookup behind the licence check page and API (see licence_number_normalise).
        """
        number = licence_number_normalise(number)
        exact_first = models.Case(models.When(licence_number=number, then=0), default=1)
        return self.filter(country=country, licence_number__iexact=number).order_by(exact_first, "pk")

    def licence_valid_on(self, day):
        return self.filter(status=RecruitmentAgency.Status.ACTIVE).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day),
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
        )


class RecruitmentAgency(TrackedModel):
    """A private recruitment agency and its licence."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        REVOKED = "revoked", _("revoked")
        EXPIRED = "expired", _("expired")

    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="agencies")
    legal_name = models.CharField(_("legal name"), max_length=300)
    licence_number = models.CharField(_("licence number"), max_length=100)
    status = models.CharField(_("licence status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    valid_from = models.DateField(_("licence valid from"), null=True, blank=True)
    valid_until = models.DateField(_("licence valid until"), null=True, blank=True)
    destinations = models.ManyToManyField(
        Country, verbose_name=_("destinations served"), blank=True, related_name="agencies_serving"
    )
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors served"), blank=True)
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    labels = models.ManyToManyField(CertificationLabel, verbose_name=_("certification labels"), blank=True)
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("A made-up agency for trying the hub, not a register entry.")
    )
    legal_sources = models.ManyToManyField(
        LegalSource, verbose_name=_("register or source"), blank=True, related_name="+"
    )
    last_confirmed = models.DateField(_("register last confirmed"), null=True, blank=True)
    publication_status = models.CharField(
        _("publication status"), max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )

    country_path = "country"
    objects = AgencyQuerySet.as_manager()
    public_history = True
    publication_path = "publication_status"

    class Meta:
        verbose_name = _("recruitment agency")
        verbose_name_plural = _("recruitment agencies")
        ordering = ["country", "legal_name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "licence_number"], name="unique_licence_per_country"),
        ]
        indexes = [models.Index(fields=["licence_number"])]

    def __str__(self):
        return f"{self.legal_name} ({self.licence_number})"

    def get_absolute_url(self):
        """An agency's public page is the licence check's answer about its licence."""
        query = urlencode({"country": self.country_id, "licence": self.licence_number})
        return f"{reverse('recruiters:licence_check')}?{query}"

    def clean(self):
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            errors["valid_until"] = _("A licence must end after it starts.")
        if self.licence_number:
            self.licence_number = self.licence_number.strip()
        raise_if(errors)

    def licence_valid_on(self, day: datetime.date) -> bool:
        if self.status != self.Status.ACTIVE:
            return False
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)


class EnforcementAction(TrackedModel):
    """A sanction taken against an agency: warning, fine, suspension, revocation…"""

    class Action(models.TextChoices):
        WARNING = "warning", _("warning")
        FINE = "fine", _("fine")
        SUSPENSION = "suspension", _("suspension")
        REVOCATION = "revocation", _("revocation")
        CLOSURE = "closure", _("closure")
        OTHER = "other", _("other")

    agency = models.ForeignKey(
        RecruitmentAgency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="enforcement_actions"
    )
    date = models.DateField(_("date"))
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    description = models.TextField(_("description"), blank=True)
    fine_amount = AmountField(_("fine"), null=True, blank=True)
    fine_currency = CurrencyField(blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True, help_text=_("For a suspension."))
    legal_sources = models.ManyToManyField(LegalSource, verbose_name=_("sources"), blank=True, related_name="+")

    country_path = "agency__country"
    objects = CountryScopedQuerySet.as_manager()
    public_history = True
    publication_path = "agency__publication_status"

    class Meta:
        verbose_name = _("enforcement action")
        verbose_name_plural = _("enforcement actions")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.get_action_display()} {self.date}"

    def clean(self):
        errors = {}
        require_currency(errors, self.fine_amount, self.fine_currency, currency_field="fine_currency")
        if self.ends_on and self.date and self.ends_on < self.date:
            errors["ends_on"] = _("The end must come after the date of the action.")
        raise_if(errors)
