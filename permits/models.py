from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.fields import (
    AmountField,
    CurrencyField,
    LanguageLevel,
    Period,
    PublicationStatus,
    TriStateField,
    raise_if,
    require_currency,
    validate_min_max,
)
from core.models import TrackedModel
from core.querysets import CountryScopedQuerySet, PublishableQuerySet
from countries.models import Agreement, ContactPoint, Country, LegalSource, RecognitionArea, Region, Sector


class IscoGroup(TrackedModel):
    """A group of ISCO-08 at any of its four levels (major, sub-major, minor, unit)."""

    class Level(models.IntegerChoices):
        MAJOR = 1, _("major group")
        SUB_MAJOR = 2, _("sub-major group")
        MINOR = 3, _("minor group")
        UNIT = 4, _("unit group")

    code = models.CharField(_("ISCO-08 code"), max_length=4, primary_key=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent group"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    uri = models.URLField(_("ESCO URI"), max_length=200, blank=True)
    hub_translations = models.JSONField(
        _("titles translated by the hub"),
        default=list,
        blank=True,
        help_text=_("The languages in which the title is the hub's own translation (ESCO has none in Arabic)."),
    )
    public_history = True

    class Meta:
        verbose_name = _("ISCO-08 group")
        verbose_name_plural = _("ISCO-08 groups")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def skill_level(self):
        """The ISCO-08 skill level(s) of the group's major group (ILO, ISCO-08 vol. 1, table 1)."""
        return SKILL_LEVELS_BY_MAJOR_GROUP.get(self.code[:1], ())

    def ancestor_codes(self):
        """This group's code and those of every group above it: 2221 → 2221, 222, 22, 2."""
        return self.codes_above(self.code)

    @staticmethod
    def codes_above(code):
        """A code and those of every group above it, for a code without its row."""
        return [code[:n] for n in range(len(code), 0, -1)]

    @property
    def title_is_hub_translation(self):
        """Whether the title shown in the active language is the hub's own translation (to say so beside it)."""
        language = (get_language() or "").split("-")[0]
        return language in self.hub_translations and bool(getattr(self, f"title_{language}", ""))


# ISCO-08 maps major groups to skill levels; managers (1) span levels 3 and 4.
SKILL_LEVELS_BY_MAJOR_GROUP = {
    "1": (3, 4),
    "2": (4,),
    "3": (3,),
    "4": (2,),
    "5": (2,),
    "6": (2,),
    "7": (2,),
    "8": (2,),
    "9": (1,),
    "0": (1, 2, 4),
}


class EscoOccupation(TrackedModel):
    """An ESCO v1 occupation, filed under its ISCO-08 unit group."""

    uri = models.URLField(_("ESCO URI"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=300)
    alt_labels = models.TextField(_("other names"), blank=True)
    description = models.TextField(_("description"), blank=True)
    isco_group = models.ForeignKey(
        IscoGroup, verbose_name=_("ISCO-08 unit group"), on_delete=models.PROTECT, related_name="esco_occupations"
    )
    regulated = models.BooleanField(_("regulated profession in some EU country"), default=False)
    public_history = True

    class Meta:
        verbose_name = _("ESCO occupation")
        verbose_name_plural = _("ESCO occupations")
        ordering = ["title"]

    def __str__(self):
        return self.title


class OccupationLabel(models.Model):
    """One name under which an ISCO-08 unit group is found, in one language, with its normalised form.

    Derived from the ESCO and ISCO-08 files (and the hub's own translations and synonyms) by
    load_occupations, which rewrites them with the groups and occupations they come from; not edited,
    so not a TrackedModel and not in the change log. A "masculine/feminine" title of ESCO is two labels.
    """

    class Kind(models.TextChoices):
        ISCO_TITLE = "isco_title", _("ISCO-08 title")
        PREFERRED = "preferred", _("ESCO preferred label")
        ALTERNATIVE = "alternative", _("ESCO alternative label")
        HIDDEN = "hidden", _("ESCO search term")
        HUB_SYNONYM = "hub_synonym", _("the hub's synonym")

    isco_group = models.ForeignKey(
        IscoGroup, verbose_name=_("ISCO-08 unit group"), on_delete=models.CASCADE, related_name="labels"
    )
    esco_occupation = models.ForeignKey(
        EscoOccupation,
        verbose_name=_("ESCO occupation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="labels",
        help_text=_("Empty for an ISCO-08 title, a synonym of the hub, or an ESCO occupation not in English."),
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.CharField(_("label"), max_length=300)
    search_text = models.CharField(
        _("normalised label"),
        max_length=300,
        db_index=True,
        help_text=_("The label as search compares it (core.search_text): lower case, no accents, no plural."),
    )
    hub_translation = models.BooleanField(
        _("the hub's own"), default=False, help_text=_("A translation or synonym of the hub, not ESCO's.")
    )

    class Meta:
        verbose_name = _("occupation label")
        verbose_name_plural = _("occupation labels")
        ordering = ["isco_group", "language", "kind", "text"]

    def __str__(self):
        return f"{self.isco_group_id} {self.language}: {self.text}"


class PermitQuerySet(PublishableQuerySet):
    def open_to(self, nationality, *, on):
        """Permits that nationals of `nationality` (a Country or its code) may apply for on the date `on`.

        The one rule, used by the pages, the API, eligibility and comparison: the nationality is not
        excluded; the permit lists no nationalities or lists this one; and a permit that needs an
        agreement has a labour agreement in force (Agreement.LABOUR_TYPES) between the two countries.
        """
        return self.filter(open_to_condition(nationality, on=on))

    def with_open_to(self, nationality, *, on, name="is_open_to_nationality"):
        """Each permit annotated with `name`: whether `open_to(nationality, on=on)` would keep it."""
        return self.annotate(
            **{name: models.ExpressionWrapper(open_to_condition(nationality, on=on), models.BooleanField())}
        )

    def for_occupation(self, group):
        """Permits open to the ISCO group `group`: those listing it or a group above it, or no occupation at all.

        A permit that lists 222 or 22 is open to 2221; a permit that lists none is open to every occupation.
        """
        through = PermitCategory.occupations.through.objects.filter(permitcategory_id=models.OuterRef("pk"))
        return self.filter(
            models.Exists(through.filter(iscogroup_id__in=group.ancestor_codes())) | ~models.Exists(through)
        )


def open_to_condition(nationality, *, on):
    """The condition behind PermitQuerySet.open_to, as a Q over PermitCategory."""
    code = getattr(nationality, "pk", nationality)
    open_to = PermitCategory.open_to.through.objects.filter(permitcategory_id=models.OuterRef("pk"))
    closed_to = PermitCategory.closed_to.through.objects.filter(permitcategory_id=models.OuterRef("pk"))
    labour_agreements = (
        Agreement.objects.opening_labour_routes(on).filter(parties=code).filter(parties=models.OuterRef("country"))
    )
    return (
        (models.Q(models.Exists(open_to.filter(country_id=code))) | ~models.Exists(open_to))
        & ~models.Exists(closed_to.filter(country_id=code))
        & (models.Q(agreement_required=False) | models.Exists(labour_agreements))
    )


def provision_source(verbose_name):
    """The legal source of the provision that sets one condition of a permit."""
    return models.ForeignKey(
        LegalSource, verbose_name=verbose_name, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


def provision_article(verbose_name):
    """The article or paragraph of that source, as it is cited: "§ 18 Abs. 2 Nr. 1 AufenthG"."""
    return models.CharField(verbose_name, max_length=200, blank=True)


class ProcessingBasis(models.TextChoices):
    """What a published processing time is: the words beside the figure on every page."""

    LEGAL = "legal", _("legal deadline")
    PUBLISHED = "published", _("published usual time")
    STEP = "step", _("one step only")

    @classmethod
    def is_time_to_decision(cls, basis):
        """Whether a figure of this basis is the time to a decision. One for one step only (an approval,
        a visa issued on a portal) is not: no range, total, export or filter counts it (the API's
        filter says the same in SQL, `exclude(processing_basis=STEP)`)."""
        return basis != cls.STEP


class PermitCategory(TrackedModel):
    """A work or residence permit of one destination country, with everything it requires."""

    class Purpose(models.TextChoices):
        WORK = "work", _("work")
        SEASONAL = "seasonal", _("seasonal work")
        HIGHLY_SKILLED = "highly_skilled", _("highly skilled work")
        INTRA_CORPORATE = "intra_corporate", _("intra-corporate transfer")
        JOB_SEARCH = "job_search", _("job search")
        TRAINING = "training", _("training or recognition")
        FAMILY = "family", _("family")
        STUDY_TO_WORK = "study_to_work", _("from study to work")

    class Qualification(models.TextChoices):
        NONE = "none", _("no formal qualification")
        VOCATIONAL = "vocational", _("vocational qualification")
        TERTIARY = "tertiary", _("university degree")

    class QuotaPeriod(models.TextChoices):
        YEAR = "year", _("per year")
        MONTH = "month", _("per month")

    country = models.ForeignKey(
        Country, verbose_name=_("destination"), on_delete=models.PROTECT, related_name="permits"
    )
    code = models.SlugField(
        _("code"), max_length=80, unique=True, help_text=_("Stable identifier, e.g. de-eu-blue-card.")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    skill_levels = models.JSONField(
        _("ISCO skill levels"), default=list, blank=True, help_text=_("ISCO-08 skill levels 1–4; empty means any.")
    )
    occupations = models.ManyToManyField(
        IscoGroup,
        verbose_name=_("occupations (ISCO-08)"),
        blank=True,
        related_name="permits",
        help_text=_("Empty means any occupation."),
    )
    open_to = models.ManyToManyField(
        Country,
        verbose_name=_("open to nationals of"),
        blank=True,
        related_name="permits_open_to",
        help_text=_("Empty means open to every nationality not excluded below."),
    )
    closed_to = models.ManyToManyField(
        Country, verbose_name=_("closed to nationals of"), blank=True, related_name="permits_closed_to"
    )
    agreement_required = models.BooleanField(
        _("agreement required"),
        default=False,
        help_text=_("Only for nationals of countries with an agreement in force."),
    )
    job_offer_required = TriStateField(_("job offer required"))
    qualification = models.CharField(
        _("qualification needed"), max_length=20, choices=Qualification.choices, blank=True
    )
    recognition_required = TriStateField(_("recognition of qualification required"))
    recognition_accepts_comparable = models.BooleanField(
        _("a comparable qualification is enough"),
        default=False,
        help_text=_(
            "Recognised or comparable: a foreign qualification rated comparable to a domestic one (e.g. a degree "
            "listed as comparable in anabin) meets the condition without a formal recognition."
        ),
    )
    language_level = models.CharField(
        _("language level (CEFR)"), max_length=4, choices=LanguageLevel.choices, blank=True
    )
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    employer_abroad_required = models.BooleanField(
        _("for employees sent by an employer abroad"),
        default=False,
        help_text=_(
            "An intra-corporate transfer: the applicant must already work for a company abroad that sends them "
            "to its entity here."
        ),
    )
    sectors = models.ManyToManyField(
        Sector,
        verbose_name=_("open to work in sectors"),
        blank=True,
        related_name="permits",
        help_text=_("ISIC Rev. 4 sections the work must be in (seasonal work, for instance); empty means any sector."),
    )
    labour_market_test = TriStateField(_("labour-market test"))
    quota_size = models.PositiveIntegerField(_("quota"), null=True, blank=True)
    quota_period = models.CharField(_("quota period"), max_length=10, choices=QuotaPeriod.choices, blank=True)
    application_method = models.TextField(_("how to apply"), blank=True)
    official_url = models.URLField(_("official page"), max_length=500, blank=True)
    where_to_apply = models.JSONField(
        _("where to apply"),
        default=list,
        blank=True,
        help_text=_("Any of: consulate, online, in_country, employer."),
    )
    processing_days_min = models.PositiveIntegerField(_("processing time, minimum (days)"), null=True, blank=True)
    processing_days_max = models.PositiveIntegerField(_("processing time, maximum (days)"), null=True, blank=True)
    processing_basis = models.CharField(
        _("what the processing time is"),
        max_length=10,
        choices=ProcessingBasis.choices,
        blank=True,
        help_text=_("Whether the figure is a legal deadline, a published usual time, or covers one step only."),
    )
    processing_note = models.TextField(
        _("processing time: note"),
        blank=True,
        help_text=_("What the figure covers (which step, which procedure), or why no figure is published."),
    )
    processing_source = provision_source(_("processing time: source"))
    processing_article = provision_article(_("processing time: article"))
    initial_stay_months = models.PositiveIntegerField(_("initial stay (months)"), null=True, blank=True)
    max_stay_months = models.PositiveIntegerField(_("maximum stay (months)"), null=True, blank=True)
    renewable = TriStateField(_("renewable"))
    multiple_entry = TriStateField(_("multiple entry"))
    change_of_employer_allowed = TriStateField(_("change of employer allowed"))
    permanent_residence_after_months = models.PositiveIntegerField(
        _("permanent residence after (months)"), null=True, blank=True
    )
    dependents_allowed = TriStateField(_("family may join"))
    spouse_may_work = TriStateField(_("spouse may work"))
    appeal_procedure = models.TextField(_("appeal procedure"), blank=True)
    appeal_deadline_days = models.PositiveIntegerField(_("appeal deadline (days)"), null=True, blank=True)
    legal_sources = models.ManyToManyField(
        LegalSource, verbose_name=_("legal basis"), blank=True, related_name="permits"
    )
    contact_point = models.ForeignKey(
        ContactPoint,
        verbose_name=_("contact point"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="permits",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    publication_status = models.CharField(
        _("publication status"), max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    unknown_facts = models.TextField(_("not known"), blank=True, help_text=_("What the hub could not confirm."))
    # The provision that sets each condition (a source and its article), cited in that condition's reason.
    occupation_source = provision_source(_("occupations: source"))
    occupation_article = provision_article(_("occupations: article"))
    qualification_source = provision_source(_("qualification: source"))
    qualification_article = provision_article(_("qualification: article"))
    recognition_source = provision_source(_("recognition: source"))
    recognition_article = provision_article(_("recognition: article"))
    job_offer_source = provision_source(_("job offer: source"))
    job_offer_article = provision_article(_("job offer: article"))
    language_source = provision_source(_("language: source"))
    language_article = provision_article(_("language: article"))
    age_source = provision_source(_("age limits: source"))
    age_article = provision_article(_("age limits: article"))
    purpose_source = provision_source(_("employer abroad and sectors: source"))
    purpose_article = provision_article(_("employer abroad and sectors: article"))

    PROVISIONS = ("occupation", "qualification", "recognition", "job_offer", "language", "age", "purpose")
    country_path = "country"
    objects = PermitQuerySet.as_manager()

    WHERE_TO_APPLY = ("consulate", "online", "in_country", "employer")
    public_history = True
    publication_path = "publication_status"

    class Meta:
        verbose_name = _("permit category")
        verbose_name_plural = _("permit categories")
        ordering = ["country", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The permit's public page (a published permit's only: the admin links no draft)."""
        return reverse("permits:permit", kwargs={"code": self.code})

    def clean(self):
        errors = {}
        validate_min_max(errors, self.min_age, self.max_age, low_field="min_age", high_field="max_age", label=_("age"))
        validate_min_max(
            errors,
            self.processing_days_min,
            self.processing_days_max,
            low_field="processing_days_min",
            high_field="processing_days_max",
            label=_("processing time"),
        )
        validate_min_max(
            errors,
            self.initial_stay_months,
            self.max_stay_months,
            low_field="initial_stay_months",
            high_field="max_stay_months",
            label=_("stay"),
        )
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The end of validity must come after its start.")
        if self.quota_size is not None and not self.quota_period:
            errors["quota_period"] = _("Say what period the quota covers.")
        if not isinstance(self.skill_levels, list) or any(
            not isinstance(level, int) or not 1 <= level <= 4 for level in self.skill_levels
        ):
            errors["skill_levels"] = _("A list of ISCO skill levels, each from 1 to 4.")
        if not isinstance(self.where_to_apply, list) or any(
            place not in self.WHERE_TO_APPLY for place in self.where_to_apply
        ):
            errors["where_to_apply"] = _("A list of: consulate, online, in_country, employer.")
        raise_if(errors)


class SalaryThresholdQuerySet(CountryScopedQuerySet):
    def valid_on(self, day):
        """Thresholds that apply on `day`: valid_from ≤ day ≤ valid_to, either end open (as is_valid_on)."""
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )


class SalaryThreshold(TrackedModel):
    """A money threshold of a permit, valid for a period: yearly thresholds are entered ahead of time.

    `kind` says whose money it is about: only SALARY is a condition on the worker's own pay; the
    others (a sponsor's income for family, means of subsistence, the statutory wage floor) are facts
    people need, not conditions of eligibility. A `reduced` threshold is a lower figure for some
    applicants only; whom it applies to is data, read by the eligibility engine: its `occupations`
    (ISCO-08 groups of any level), new entrants (`new_entrants_within_years`), applicants under an age
    (`below_age`), `applies_from_age` and the `region` of the work, never its `label`, which only says
    it in words. `article` cites the provision that sets the figure.
    """

    class Kind(models.TextChoices):
        SALARY = "salary", _("minimum salary of the worker")
        FAMILY = "family", _("income needed to bring the family")
        SUBSISTENCE = "subsistence", _("means of subsistence")
        WAGE_FLOOR = "wage_floor", _("statutory minimum wage")

    permit = models.ForeignKey(
        PermitCategory, verbose_name=_("permit"), on_delete=models.CASCADE, related_name="salary_thresholds"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SALARY)
    label = models.CharField(
        _("applies to"), max_length=200, blank=True, help_text=_("e.g. general; shortage occupations; new entrants.")
    )
    reduced = models.BooleanField(
        _("reduced threshold"), default=False, help_text=_("A lower figure that applies to some applicants only.")
    )
    applies_from_age = models.PositiveSmallIntegerField(
        _("applies from age"), null=True, blank=True, help_text=_("Only for applicants of this age or older.")
    )
    below_age = models.PositiveSmallIntegerField(
        _("for applicants under age"),
        null=True,
        blank=True,
        help_text=_("A group it applies to: applicants younger than this (with occupations or new entrants: either)."),
    )
    region = models.CharField(
        _("region"),
        max_length=6,
        choices=Region.choices,
        blank=True,
        help_text=_("Only for work in this region (federal countries); blank means the whole country."),
    )
    occupations = models.ManyToManyField(
        IscoGroup,
        verbose_name=_("for occupations (ISCO-08)"),
        blank=True,
        related_name="+",
        help_text=_("ISCO-08 groups of any level it applies to (25 covers 2512); empty means every occupation."),
    )
    new_entrants_within_years = models.PositiveSmallIntegerField(
        _("for new entrants (years since graduation)"),
        null=True,
        blank=True,
        help_text=_("Applies to applicants who graduated no more than this many years before applying."),
    )
    article = models.CharField(
        _("article"),
        max_length=200,
        blank=True,
        help_text=_('The provision that sets it, e.g. "§ 18g Abs. 1 AufenthG".'),
    )
    exception_possible = models.BooleanField(
        _("the law allows exceptions"),
        default=False,
        help_text=_(
            "The provision waives the figure in some cases (adequate pension provision, a collective agreement): "
            "a salary below it is not final."
        ),
    )
    amount = AmountField(_("amount"))
    currency = CurrencyField()
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_sources = models.ManyToManyField(LegalSource, verbose_name=_("legal sources"), blank=True, related_name="+")

    country_path = "permit__country"
    objects = SalaryThresholdQuerySet.as_manager()
    public_history = True
    publication_path = "permit__publication_status"

    class Meta:
        verbose_name = _("salary threshold")
        verbose_name_plural = _("salary thresholds")
        ordering = ["permit", "-valid_from", "label"]

    def __str__(self):
        return f"{self.amount} {self.currency} {self.get_period_display()} ({self.valid_from}–{self.valid_to or ''})"

    def clean(self):
        errors = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The end of validity must come after its start.")
        try:
            country = self.permit.country_id
        except PermitCategory.DoesNotExist:
            country = None
        if self.region and country and not Region.is_of(self.region, country):
            errors["region"] = _("Choose a region of the permit's country.")
        raise_if(errors)

    def is_valid_on(self, day):
        """Whether this figure applies on `day`, for rows already fetched (SalaryThresholdQuerySet.valid_on's rule)."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class LanguageRequirement(TrackedModel):
    """One language level that meets a permit's language condition; a permit's rows are alternatives.

    German A1 or English B2 is two rows. A permit without rows asks what its `language_level` says:
    "none" (no requirement), blank (the hub does not know).
    """

    class Language(models.TextChoices):
        GERMAN = "de", _("German")
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")
        DUTCH = "nl", _("Dutch")
        ARABIC = "ar", _("Arabic")

    permit = models.ForeignKey(
        PermitCategory, verbose_name=_("permit"), on_delete=models.CASCADE, related_name="language_requirements"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    level = models.CharField(
        _("level (CEFR)"),
        max_length=2,
        choices=[(code, label) for code, label in LanguageLevel.choices if code != LanguageLevel.NONE],
    )
    legal_source = models.ForeignKey(
        LegalSource, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    article = models.CharField(_("article"), max_length=200, blank=True)

    country_path = "permit__country"
    objects = CountryScopedQuerySet.as_manager()
    public_history = True
    publication_path = "permit__publication_status"

    class Meta:
        verbose_name = _("language requirement")
        verbose_name_plural = _("language requirements")
        ordering = ["permit", "language", "level"]

    def __str__(self):
        return f"{self.get_language_display()} {self.level}"


class RequiredDocument(TrackedModel):
    class Legalisation(models.TextChoices):
        NONE = "none", _("none")
        LEGALISATION = "legalisation", _("legalisation")
        APOSTILLE = "apostille", _("apostille")

    permit = models.ForeignKey(
        PermitCategory, verbose_name=_("permit"), on_delete=models.CASCADE, related_name="documents"
    )
    name = models.CharField(_("document"), max_length=300)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    translation_needed = TriStateField(_("certified translation needed"))
    legalisation = models.CharField(
        _("legalisation or apostille"), max_length=20, choices=Legalisation.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    country_path = "permit__country"
    objects = CountryScopedQuerySet.as_manager()
    public_history = True
    publication_path = "permit__publication_status"

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["permit", "position", "id"]

    def __str__(self):
        return self.name


class Fee(TrackedModel):
    class Payer(models.TextChoices):
        WORKER = "worker", _("worker")
        EMPLOYER = "employer", _("employer")
        UNSPECIFIED = "unspecified", _("not specified")

    permit = models.ForeignKey(PermitCategory, verbose_name=_("permit"), on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("fee"), max_length=200)
    amount = AmountField(_("amount"), null=True, blank=True, help_text=_("Empty when the amount is not known."))
    currency = CurrencyField(blank=True)
    payer = models.CharField(_("paid by"), max_length=12, choices=Payer.choices, default=Payer.UNSPECIFIED)
    notes = models.TextField(_("notes"), blank=True)

    country_path = "permit__country"
    objects = CountryScopedQuerySet.as_manager()
    public_history = True
    publication_path = "permit__publication_status"

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["permit", "id"]

    def __str__(self):
        return f"{self.name}: {self.amount} {self.currency}" if self.amount is not None else self.name

    def clean(self):
        raise_if(require_currency({}, self.amount, self.currency, currency_field="currency"))


class QualificationRecognition(TrackedModel):
    """How a foreign qualification for an occupation is recognised in a country."""

    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="recognition_procedures"
    )
    occupation = models.ForeignKey(
        IscoGroup, verbose_name=_("occupation (ISCO-08)"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.CharField(
        _("region or community"),
        max_length=10,
        choices=RecognitionArea.choices,
        blank=True,
        help_text=_("Where in the country this body and procedure apply; blank for the whole country."),
    )
    body = models.ForeignKey(
        ContactPoint, verbose_name=_("recognition body"), null=True, blank=True, on_delete=models.SET_NULL
    )
    regulated = TriStateField(_("regulated profession"))
    procedure = models.TextField(_("procedure"), blank=True)
    url = models.URLField(_("official page"), max_length=500, blank=True)
    fee_min = AmountField(_("fee, minimum"), null=True, blank=True)
    fee_max = AmountField(_("fee, maximum"), null=True, blank=True)
    fee_currency = CurrencyField(blank=True)
    duration_days_max = models.PositiveIntegerField(_("decision within (days)"), null=True, blank=True)
    duration_basis = models.CharField(
        _("what the time to a decision is"),
        max_length=10,
        choices=ProcessingBasis.choices,
        blank=True,
        help_text=_("Whether the figure is a legal deadline or a published usual or target time."),
    )
    legal_sources = models.ManyToManyField(LegalSource, verbose_name=_("legal sources"), blank=True, related_name="+")
    last_verified = models.DateField(_("last verified"), null=True, blank=True)

    country_path = "country"
    objects = CountryScopedQuerySet.as_manager()
    public_history = True

    class Meta:
        verbose_name = _("qualification recognition")
        verbose_name_plural = _("qualification recognition")
        constraints = [
            models.UniqueConstraint(fields=["country", "occupation", "area"], name="unique_recognition_area")
        ]

    def __str__(self):
        where = f" ({self.get_area_display()})" if self.area else ""
        return f"{self.country_id}: {self.occupation}{where}"

    def clean(self):
        errors = {}
        if self.area and not RecognitionArea.is_of(self.area, self.country_id):
            errors["area"] = _("This region or community is not one of the country's.")
        validate_min_max(errors, self.fee_min, self.fee_max, low_field="fee_min", high_field="fee_max", label=_("fee"))
        if (self.fee_min is not None or self.fee_max is not None) and not self.fee_currency:
            errors["fee_currency"] = _("Give the currency of the fee.")
        raise_if(errors)


class VisaRequirement(TrackedModel):
    """What a national of one country needs to enter another."""

    class Requirement(models.TextChoices):
        VISA_FREE = "visa_free", _("visa free")
        VISA_ON_ARRIVAL = "visa_on_arrival", _("visa on arrival")
        ETA = "eta", _("electronic travel authorisation")
        E_VISA = "e_visa", _("e-visa")
        VISA_REQUIRED = "visa_required", _("visa required")
        NO_ADMISSION = "no_admission", _("no admission")

    nationality = models.ForeignKey(Country, verbose_name=_("nationality"), on_delete=models.CASCADE, related_name="+")
    destination = models.ForeignKey(
        Country, verbose_name=_("destination"), on_delete=models.CASCADE, related_name="visa_requirements"
    )
    requirement = models.CharField(_("requirement"), max_length=20, choices=Requirement.choices)
    days = models.PositiveSmallIntegerField(_("days allowed"), null=True, blank=True, validators=[MinValueValidator(1)])
    source = models.CharField(_("source"), max_length=200)
    as_of = models.DateField(_("as of"))

    country_path = "destination"
    objects = CountryScopedQuerySet.as_manager()
    public_history = True

    class Meta:
        verbose_name = _("visa requirement")
        verbose_name_plural = _("visa requirements")
        ordering = ["nationality", "destination"]
        constraints = [
            models.UniqueConstraint(fields=["nationality", "destination"], name="unique_visa_requirement"),
            models.CheckConstraint(
                condition=~models.Q(nationality=models.F("destination")), name="visa_nationality_not_destination"
            ),
        ]

    def __str__(self):
        return f"{self.nationality_id} → {self.destination_id}: {self.get_requirement_display()}"
