from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.fields import PublicationStatus, TriStateField, raise_if
from core.models import TrackedModel
from core.querysets import CountryScopedQuerySet, PublishableQuerySet


class AgreementQuerySet(PublishableQuerySet):
    def in_force(self, on):
        """Agreements in force on the date `on` (status in force, started, not expired)."""
        return (
            self.filter(status=Agreement.Status.IN_FORCE)
            .filter(models.Q(in_force_on__isnull=True) | models.Q(in_force_on__lte=on))
            .filter(models.Q(expires_on__isnull=True) | models.Q(expires_on__gt=on))
        )

    def between(self, first, second):
        """Agreements to which both countries are parties."""
        return self.filter(parties=first).filter(parties=second)

    def towards(self, destination):
        """Agreements whose routes may lead to `destination`: those that name no destinations (a
        bilateral agreement opens both directions) and those that name it. A multilateral programme
        such as THAMM names Germany: it is no route from Morocco to Tunisia."""
        return self.filter(models.Q(destinations=None) | models.Q(destinations=destination)).distinct()

    def opening_labour_routes(self, on):
        """Published labour agreements in force on `on`: those that open a permit that needs an agreement."""
        return self.published().in_force(on).filter(type__in=Agreement.LABOUR_TYPES)


class Country(TrackedModel):
    """A country of ISO 3166-1, with its name in the hub's four languages (from pycountry)."""

    code = models.CharField(
        _("ISO code"),
        max_length=2,
        primary_key=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters, ISO 3166-1 alpha-2."))],
    )
    iso3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO numeric"), max_length=3, blank=True)
    name = models.CharField(_("name"), max_length=100)
    official_name = models.CharField(_("official name"), max_length=200, blank=True)
    data_version = models.PositiveIntegerField(
        _("data version"), default=0, help_text=_("Raised each time the country's data is published.")
    )

    country_path = "pk"
    public_history = True

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]
        permissions = [("edit_all_countries", _("Can edit the data of every country (hub editor)"))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("countries:country", kwargs={"code": self.pk})


class CountryMembership(TrackedModel):
    """A focal point's right to keep one country's data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="country_memberships",
    )
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.CASCADE, related_name="+")

    country_path = "country"

    class Meta:
        verbose_name = _("focal-point membership")
        verbose_name_plural = _("focal-point memberships")
        constraints = [models.UniqueConstraint(fields=["user", "country"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} – {self.country}"


class Region(models.TextChoices):
    """Regions of federal countries whose permit rules differ by region (ISO 3166-2 codes).

    Only the regions the hub's data tells apart are listed: Belgium's three Regions set their own
    salary minimums and sectors for economic migration. A new one is a code change and a migration.
    """

    BE_BRU = "BE-BRU", _("Brussels-Capital Region")
    BE_VLG = "BE-VLG", _("Flemish Region")
    BE_WAL = "BE-WAL", _("Walloon Region")

    @staticmethod
    def is_of(region, country):
        """Whether the region code `region` is one of `country`'s (a code or a Country): the one rule
        behind the eligibility form, its API and the salary thresholds."""
        code = getattr(country, "pk", country)
        return bool(region and code) and region.startswith(f"{code}-")


class RecognitionArea(models.TextChoices):
    """Where in a country a recognition body and procedure apply, where that differs by region.

    Belgium's Communities recognise diplomas and regulate teaching and health titles; its Regions
    regulate access to the crafts. The Regions keep their ISO 3166-2 codes; the Communities have none,
    so the hub gives them codes of its own in the same form.
    """

    BE_BRU = Region.BE_BRU.value, Region.BE_BRU.label
    BE_VLG = Region.BE_VLG.value, Region.BE_VLG.label
    BE_WAL = Region.BE_WAL.value, Region.BE_WAL.label
    BE_VG = "BE-VG", _("Flemish Community")
    BE_FWB = "BE-FWB", _("French Community (Wallonia-Brussels Federation)")
    BE_DG = "BE-DG", _("German-speaking Community")

    @staticmethod
    def is_of(area, country):
        return Region.is_of(area, country)

    @staticmethod
    def covers(area, region):
        """Whether a row for `area` applies to work in the Region `region` (None: not given, so any
        row may): a whole-country row always does, a Region's in that Region, a Community's in the
        Regions where its institutions are (Brussels has both the Flemish and the French)."""
        return not area or not region or area == region or area in COMMUNITIES_IN_REGION.get(region, ())


COMMUNITIES_IN_REGION = {
    Region.BE_VLG: (RecognitionArea.BE_VG,),
    Region.BE_WAL: (RecognitionArea.BE_FWB, RecognitionArea.BE_DG),
    Region.BE_BRU: (RecognitionArea.BE_VG, RecognitionArea.BE_FWB),
}


class Sector(TrackedModel):
    """An economic sector: a section of ISIC Rev. 4 (A–U)."""

    code = models.CharField(_("ISIC section"), max_length=1, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    public_history = True

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.name}"


class LegalSource(TrackedModel):
    """A citation: one article (or page) of one law, regulation or official page, as read on a date."""

    class Kind(models.TextChoices):
        """What the page is: the state's own text, or someone else's account of it. The labels are
        the words the pages show beside a source."""

        UNCLASSIFIED = "", _("source not yet classified")
        LEGAL_TEXT = "legal_text", _("official source: legal text")
        GAZETTE = "gazette", _("official source: gazette or notice")
        GUIDANCE = "guidance", _("official source: guidance page")
        INTERNATIONAL = "international", _("international organisation")
        LAW_FIRM = "law_firm", _("secondary source: law firm")
        PRESS = "press", _("secondary source: press")
        ASSOCIATION = "association", _("secondary source: association")
        COPY = "copy", _("secondary source: copy of an official text")

    # Published by the state itself (its laws, gazette and authorities' pages).
    OFFICIAL_KINDS = (Kind.LEGAL_TEXT, Kind.GAZETTE, Kind.GUIDANCE)

    key = models.SlugField(
        _("key"), max_length=100, unique=True, help_text=_("Stable identifier, e.g. de-aufenthg-18g.")
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_sources",
        help_text=_("Empty for an international instrument."),
    )
    title = models.CharField(_("title"), max_length=300)
    article = models.CharField(_("article"), max_length=200, blank=True, help_text=_("e.g. § 18g, Art. L421-1."))
    url = models.URLField(_("URL"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind of source"),
        max_length=20,
        choices=Kind.choices,
        blank=True,
        default=Kind.UNCLASSIFIED,
        help_text=_(
            "Official: the law as published by the state, its gazette, or an authority's own page; "
            "secondary: a law firm, the press, an association or a copy made by a third party."
        ),
    )
    identifier = models.CharField(
        _("identifier"),
        max_length=100,
        blank=True,
        help_text=_("A stable identifier of the text: ELI, CELEX, NOR or the gazette reference; blank when none."),
    )
    version_date = models.DateField(
        _("version date"), null=True, blank=True, help_text=_("Date of the version of the text that was read.")
    )
    last_verified = models.DateField(_("last verified"), help_text=_("The day someone last read the source."))
    note = models.TextField(_("note"), blank=True)

    country_path = "country"
    objects = CountryScopedQuerySet.as_manager()
    public_history = True

    class Meta:
        verbose_name = _("legal source")
        verbose_name_plural = _("legal sources")
        ordering = ["key"]

    def __str__(self):
        return f"{self.title}, {self.article}" if self.article else self.title

    @property
    def is_official(self):
        return self.kind in self.OFFICIAL_KINDS


class ContactPoint(TrackedModel):
    """An office people can turn to: ministry, employment service, consulate, regulator…"""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        PUBLIC_EMPLOYMENT_SERVICE = "public_employment_service", _("public employment service")
        IMMIGRATION_AUTHORITY = "immigration_authority", _("immigration authority")
        CONSULATE = "consulate", _("consulate or visa service")
        REGULATOR = "regulator", _("regulator")
        RECOGNITION_BODY = "recognition_body", _("qualification recognition body")
        SOCIAL_SECURITY = "social_security", _("social security institution")
        OTHER = "other", _("other")

    key = models.SlugField(_("key"), max_length=100, unique=True)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="contact_points"
    )
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    url = models.URLField(_("website"), max_length=500, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.TextField(_("address"), blank=True)

    country_path = "country"
    objects = CountryScopedQuerySet.as_manager()
    public_history = True

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["country", "name"]

    def __str__(self):
        return self.name


class Corridor(TrackedModel):
    """A migration route from an origin to a destination country."""

    origin = models.ForeignKey(Country, verbose_name=_("origin"), on_delete=models.PROTECT, related_name="+")
    destination = models.ForeignKey(Country, verbose_name=_("destination"), on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(_("notes"), blank=True)

    country_path = ("origin", "destination")
    objects = CountryScopedQuerySet.as_manager()
    public_history = True

    class Meta:
        verbose_name = _("corridor")
        verbose_name_plural = _("corridors")
        ordering = ["origin", "destination"]
        constraints = [
            models.UniqueConstraint(fields=["origin", "destination"], name="unique_corridor"),
            models.CheckConstraint(
                condition=~models.Q(origin=models.F("destination")), name="corridor_origin_not_destination"
            ),
        ]

    def __str__(self):
        return f"{self.origin_id} → {self.destination_id}"

    def get_absolute_url(self):
        return reverse("countries:corridor", kwargs={"origin": self.origin_id, "destination": self.destination_id})

    def clean(self):
        if self.origin_id and self.origin_id == self.destination_id:
            raise ValidationError({"destination": _("Origin and destination must differ.")})


class Agreement(TrackedModel):
    """A bilateral labour agreement, MoU, social-security convention, partnership or scheme."""

    class Type(models.TextChoices):
        BLA = "bla", _("bilateral labour agreement")
        MOU = "mou", _("memorandum of understanding")
        SOCIAL_SECURITY = "social_security", _("social security agreement")
        SKILLS_PARTNERSHIP = "skills_partnership", _("skills partnership")
        SEASONAL_SCHEME = "seasonal_scheme", _("seasonal scheme")
        MIGRATION_PARTNERSHIP = "migration_partnership", _("migration partnership")
        # A centre or programme that serves workers (advice, placement) without being an agreement
        # between the states: listed apart, and it opens no route.
        SERVICE = "service", _("service for workers (not an agreement)")
        OTHER = "other", _("other")

    # The types that open a labour route (a permit with `agreement_required`); a social-security
    # convention and a service do not. Declared once: the corridor page, the API, eligibility and comparison use it.
    LABOUR_TYPES = (
        Type.BLA,
        Type.MOU,
        Type.SKILLS_PARTNERSHIP,
        Type.SEASONAL_SCHEME,
        Type.MIGRATION_PARTNERSHIP,
        Type.OTHER,
    )

    class Status(models.TextChoices):
        NEGOTIATING = "negotiating", _("under negotiation")
        SIGNED = "signed", _("signed, not yet in force")
        IN_FORCE = "in_force", _("in force")
        SUSPENDED = "suspended", _("suspended")
        EXPIRED = "expired", _("expired")
        TERMINATED = "terminated", _("terminated")

    class QuotaPeriod(models.TextChoices):
        YEAR = "year", _("per year")
        MONTH = "month", _("per month")
        TOTAL = "total", _("in total")

    key = models.SlugField(_("key"), max_length=100, unique=True)
    type = models.CharField(_("type"), max_length=30, choices=Type.choices)
    title = models.CharField(_("title"), max_length=400)
    summary = models.TextField(_("summary"), blank=True)
    parties = models.ManyToManyField(Country, verbose_name=_("parties"), related_name="agreements")
    destinations = models.ManyToManyField(
        Country,
        verbose_name=_("routes lead to"),
        blank=True,
        related_name="+",
        help_text=_(
            "The parties people move to under it (a programme for work in Germany names Germany); "
            "empty: every party, as in a bilateral agreement."
        ),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True)
    occupations = models.ManyToManyField(
        "permits.IscoGroup", verbose_name=_("occupations (ISCO-08)"), blank=True, related_name="agreements"
    )
    quota_size = models.PositiveIntegerField(_("quota"), null=True, blank=True)
    quota_period = models.CharField(_("quota period"), max_length=10, choices=QuotaPeriod.choices, blank=True)
    intermediaries = models.ManyToManyField(
        ContactPoint,
        verbose_name=_("public intermediaries"),
        blank=True,
        related_name="agreements",
        help_text=_("e.g. ANAPEC, OFII, the Federal Employment Agency."),
    )
    recruitment_cost_rule = models.TextField(_("recruitment costs"), blank=True)
    pre_departure_training = TriStateField(_("pre-departure training"))
    pension_portability = TriStateField(_("pensions portable"))
    health_coverage = TriStateField(_("health coverage"))
    full_text_url = models.URLField(_("full text"), max_length=500, blank=True)
    legal_sources = models.ManyToManyField(
        LegalSource, verbose_name=_("legal sources"), blank=True, related_name="agreements"
    )
    unknown_facts = models.TextField(_("not known"), blank=True, help_text=_("What the hub could not confirm."))
    publication_status = models.CharField(
        _("publication status"), max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True)

    country_path = "parties"
    objects = AgreementQuerySet.as_manager()
    public_history = True
    publication_path = "publication_status"

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-in_force_on", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """The agreement's public page (a published agreement's only: the admin links no draft)."""
        return reverse("countries:agreement", kwargs={"key": self.key})

    @property
    def is_service(self):
        """A centre or programme for workers, listed apart from the agreements."""
        return self.type == self.Type.SERVICE

    def clean(self):
        errors = {}
        if self.signed_on and self.in_force_on and self.in_force_on < self.signed_on:
            errors["in_force_on"] = _("An agreement cannot enter into force before it is signed.")
        start = self.in_force_on or self.signed_on
        if start and self.expires_on and self.expires_on <= start:
            errors["expires_on"] = _("The expiry date must come after the start.")
        if self.quota_size is not None and not self.quota_period:
            errors["quota_period"] = _("Say what period the quota covers.")
        raise_if(errors)


class ConsulateVisaStatistic(TrackedModel):
    """Schengen short-stay (uniform) visas at one consulate of one Schengen state, for one year.

    From the European Commission's yearly statistics per consulate: the figures are by the country
    where the consulate is, not by the applicants' nationality.
    """

    SOURCE = "Source: European Commission, DG Migration and Home Affairs – visa statistics for consulates"

    year = models.PositiveSmallIntegerField(_("year"))
    schengen_state = models.ForeignKey(
        Country, verbose_name=_("Schengen state"), on_delete=models.PROTECT, related_name="consulate_statistics"
    )
    consulate_country = models.ForeignKey(
        Country, verbose_name=_("country of the consulate"), on_delete=models.PROTECT, related_name="+"
    )
    consulate_city = models.CharField(_("consulate"), max_length=100)
    applications = models.PositiveIntegerField(_("uniform visas applied for"), default=0)
    issued = models.PositiveIntegerField(_("uniform visas issued"), default=0)
    limited_validity_issued = models.PositiveIntegerField(
        _("visas with limited territorial validity issued"), default=0
    )
    not_issued = models.PositiveIntegerField(_("uniform visas not issued"), default=0)
    refusal_rate = models.DecimalField(
        _("not-issued rate"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Not issued ÷ (issued + limited validity + not issued), as the Commission computes it."),
    )
    source = models.CharField(_("source"), max_length=300, default=SOURCE)

    country_path = ("schengen_state", "consulate_country")
    objects = CountryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Schengen visa statistic")
        verbose_name_plural = _("Schengen visa statistics")
        ordering = ["-year", "schengen_state", "consulate_country", "consulate_city"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "schengen_state", "consulate_country", "consulate_city"],
                name="unique_consulate_statistic",
            )
        ]

    def __str__(self):
        return f"{self.year} {self.schengen_state_id} in {self.consulate_city} ({self.consulate_country_id})"

    @staticmethod
    def rate(issued, limited_validity_issued, not_issued):
        """The Commission's not-issued rate, or None when no decision was taken."""
        decided = issued + limited_validity_issued + not_issued
        return (Decimal(not_issued) / Decimal(decided)).quantize(Decimal("0.0001")) if decided else None
