"""The common format, defined once.

Each table of the format (a section of the JSON document, a CSV file, a sheet of the workbook) is a
Sheet: its model, its fields, the fields that identify a row and those that name its countries. Each
Field knows its kind (its JSON type and how a spreadsheet cell reads), its model attribute, and, for
a key or code that cites another row, the Reference that resolves it. The JSON Schema, the CSV and
XLSX columns and the reading of cells come from here; records.py derives the export of published
rows and the build of model instances, and validation.py the checks, from the same definitions.

Field names follow demo_data/FORMAT.md, so a demo data file is a valid submission. Choices come from
the models' own TextChoices, so the schema cannot drift from what the database accepts.
"""

import functools
from dataclasses import dataclass, replace

from django.utils.translation import gettext_noop

from core.fields import LanguageLevel, Period
from countries.models import Agreement, ContactPoint, Corridor, Country, LegalSource, RecognitionArea, Region, Sector
from permits.models import (
    Fee,
    IscoGroup,
    LanguageRequirement,
    PermitCategory,
    ProcessingBasis,
    QualificationRecognition,
    RequiredDocument,
    SalaryThreshold,
)
from recruiters.models import CertificationLabel, EnforcementAction, RecruitmentAgency, RecruitmentRegime

FORMAT_VERSION = "1.0"
SCHEMA_ID = f"urn:mobility-hub:common-format:{FORMAT_VERSION}"
OTHER_LANGUAGES = ("fr", "ar", "de")
# The languages a row's original texts may be written in: the hub's four, and Dutch (Belgian sources).
ORIGINAL_LANGUAGES = ("en", "fr", "ar", "de", "nl", "it")
LIST_SEPARATOR = ";"

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
AMOUNT_PATTERN = r"^\d{1,10}(\.\d{1,2})?$"
KEY_PATTERN = r"^[-a-zA-Z0-9_]+$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
URL_PATTERN = r"^https?://\S+$"
ISCO_UNIT_PATTERN = r"^\d{4}$"
ISCO_ANY_PATTERN = r"^\d{1,4}$"  # a group of any level (25 covers 2512)
SECTOR_PATTERN = r"^[A-U]$"


class RowError(Exception):
    """A problem with one field of one row, found while building its instance."""

    def __init__(self, field_name, value, message):
        super().__init__(message)
        self.field, self.value, self.message = field_name, value, message


@dataclass(frozen=True)
class Reference:
    """What a field's keys or codes cite: rows of `model`, found by their `key` field; `error` is
    the row error when one is unknown."""

    model: type
    key: str
    error: str


SOURCE = Reference(LegalSource, "key", "unknown_source")
CONTACT = Reference(ContactPoint, "key", "unknown_contact")
COUNTRY = Reference(Country, "code", "unknown_country")
ISCO = Reference(IscoGroup, "code", "unknown_isco")
SECTOR = Reference(Sector, "code", "unknown_sector")

# Kinds whose values are sets (compared sorted) and kinds that are lists in JSON.
SET_KINDS = ("list", "int_list")
LIST_KINDS = (*SET_KINDS, "lines")
TEXT_KINDS = ("text", "key", "url", "choice", "currency", "country")


@dataclass(frozen=True)
class Field:
    """One field of a row.

    `kind` says how it is typed in JSON and read from a spreadsheet cell: text, key, url, choice,
    country, currency, int, bool, tristate, date, amount, list, int_list, or lines (a list stored
    one item a line in a text attribute). `attribute` is the model attribute (the field's name when
    blank): a plain field, a foreign key or a many-to-many relation, whose values `ref` resolves."""

    name: str
    kind: str
    description: str = ""
    required: bool = False
    choices: tuple = ()
    translated: bool = False  # accepts <name>_fr, <name>_ar, <name>_de too
    item_pattern: str = ""  # for lists of strings
    min_items: int = 0
    default: object = None
    max_length: int = 0
    attribute: str = ""
    ref: Reference | None = None
    nullable: bool = False  # null is a value of its own (an international source has no country)
    row_record: bool = False  # kept in the row's text record (core.translations), not a model attribute

    @property
    def model_attribute(self):
        return self.attribute or self.name

    @functools.cached_property
    def translations(self):
        """[(column, model attribute)] of the field's languages, English first."""
        if not self.translated:
            return []
        attribute = self.model_attribute
        return [(self.name, f"{attribute}_en")] + [
            (f"{self.name}_{language}", f"{attribute}_{language}") for language in OTHER_LANGUAGES
        ]


def _values(choices, blank=False):
    return (("",) if blank else ()) + tuple(choices.values)


SOURCES = Field(
    "sources",
    "list",
    gettext_noop("Keys of the legal sources the row rests on (sources known to the hub)."),
    True,
    item_pattern=KEY_PATTERN,
    min_items=1,
    attribute="legal_sources",
    ref=SOURCE,
)
UNKNOWN = Field(
    "unknown",
    "lines",
    gettext_noop("What could not be confirmed, one fact per item (never guessed)."),
    translated=True,
    attribute="unknown_facts",
)
ISCO_GROUPS = Field(
    "isco_unit_groups",
    "list",
    gettext_noop("4-digit ISCO-08 unit groups (empty = any)."),
    item_pattern=ISCO_UNIT_PATTERN,
    attribute="occupations",
    ref=ISCO,
)
ROW_COUNTRY = Field("country", "country", gettext_noop("Defaults to the file's country."), ref=COUNTRY)


def _countries(name, description, **options):
    return Field(name, "list", description, item_pattern=COUNTRY_PATTERN, ref=COUNTRY, **options)


def _source_keys(description=""):
    return Field("sources", "list", description, item_pattern=KEY_PATTERN, attribute="legal_sources", ref=SOURCE)


def _provision(condition, source_description, article_description):
    """The source key and article of the provision that sets one condition of a permit. Each
    description is written out whole (not built from a phrase) so that it can be translated."""
    return (
        Field(f"{condition}_source", "key", source_description, max_length=100, ref=SOURCE),
        Field(f"{condition}_article", "text", article_description, max_length=200),
    )


PERMIT_FIELDS = (
    Field("code", "key", gettext_noop("Stable identifier of the permit, e.g. de-eu-blue-card."), True, max_length=80),
    replace(
        ROW_COUNTRY,
        description=gettext_noop("Destination country (ISO 3166-1 alpha-2); defaults to the file's country."),
    ),
    Field("name", "text", gettext_noop("Name of the permit."), True, translated=True, max_length=200),
    Field("description", "text", gettext_noop("One or two plain sentences."), translated=True),
    Field("purpose", "choice", gettext_noop("Purpose of the permit."), True, choices=_values(PermitCategory.Purpose)),
    Field("skill_levels", "int_list", gettext_noop("ISCO-08 skill levels 1–4 (empty = any).")),
    ISCO_GROUPS,
    _countries("open_to", gettext_noop("Nationalities it is open to (empty = all).")),
    _countries("closed_to", gettext_noop("Nationalities it is closed to.")),
    Field(
        "agreement_required",
        "bool",
        gettext_noop("Only for nationals of countries with an agreement in force."),
        default=False,
    ),
    Field("job_offer_required", "tristate", gettext_noop("true, false, or null (not known).")),
    Field("qualification", "choice", "", choices=_values(PermitCategory.Qualification, blank=True)),
    Field("recognition_required", "tristate", gettext_noop("Recognition of the qualification required.")),
    Field(
        "recognition_accepts_comparable",
        "bool",
        gettext_noop("Recognised or comparable: a qualification rated comparable to a domestic one is enough."),
        default=False,
    ),
    Field(
        "language_level",
        "choice",
        gettext_noop("CEFR level, none, or blank."),
        choices=_values(LanguageLevel, blank=True),
    ),
    Field("min_age", "int", gettext_noop("Minimum age.")),
    Field("max_age", "int", gettext_noop("Maximum age.")),
    Field(
        "employer_abroad_required",
        "bool",
        gettext_noop("An intra-corporate transfer: only for employees whom a company abroad sends to its entity here."),
        default=False,
    ),
    Field(
        "sectors",
        "list",
        gettext_noop("ISIC Rev. 4 sections the work must be in (seasonal work, for instance); empty = any sector."),
        item_pattern=SECTOR_PATTERN,
        ref=SECTOR,
    ),
    Field("labour_market_test", "tristate", ""),
    Field("quota_size", "int", gettext_noop("Quota size.")),
    Field("quota_period", "choice", "", choices=_values(PermitCategory.QuotaPeriod, blank=True)),
    Field("application_method", "text", gettext_noop("Who applies, and how."), translated=True),
    Field("official_url", "url", gettext_noop("Official page."), max_length=500),
    Field(
        "where_to_apply",
        "list",
        gettext_noop("Any of consulate, online, in_country, employer."),
        choices=PermitCategory.WHERE_TO_APPLY,
    ),
    Field("processing_days_min", "int", ""),
    Field("processing_days_max", "int", ""),
    Field(
        "processing_basis",
        "choice",
        gettext_noop(
            "What the processing time is: legal (a legal deadline), published (a published usual time), step "
            "(one step of the procedure only), or blank (not known)."
        ),
        choices=_values(ProcessingBasis, blank=True),
    ),
    Field(
        "processing_note",
        "text",
        gettext_noop("What the processing time covers (which step, which procedure), or why no figure is published."),
        translated=True,
    ),
    *_provision(
        "processing",
        gettext_noop("Key of the legal source that sets the processing time or deadline, or blank."),
        gettext_noop('The article that sets the processing time or deadline, e.g. "§ 31a AufenthV".'),
    ),
    Field("initial_stay_months", "int", ""),
    Field("max_stay_months", "int", ""),
    Field("renewable", "tristate", ""),
    Field("multiple_entry", "tristate", ""),
    Field("change_of_employer_allowed", "tristate", ""),
    Field("permanent_residence_after_months", "int", ""),
    Field("dependents_allowed", "tristate", ""),
    Field("spouse_may_work", "tristate", ""),
    Field("appeal_procedure", "text", "", translated=True),
    Field("appeal_deadline_days", "int", ""),
    SOURCES,
    Field(
        "contact",
        "key",
        gettext_noop("Key of the contact point (known to the hub), or blank."),
        max_length=100,
        attribute="contact_point",
        ref=CONTACT,
    ),
    Field("valid_from", "date", gettext_noop("YYYY-MM-DD")),
    Field("valid_to", "date", gettext_noop("YYYY-MM-DD")),
    Field("last_verified", "date", gettext_noop("The day the facts were last checked, YYYY-MM-DD."), True),
    UNKNOWN,
    *_provision(
        "occupation",
        gettext_noop(
            "Key of the legal source that sets the occupations it is open to (cited in that condition's reason), or "
            "blank."
        ),
        gettext_noop('The article that sets the occupations it is open to, e.g. "§ 18 Abs. 2 Nr. 1 AufenthG".'),
    ),
    *_provision(
        "qualification",
        gettext_noop(
            "Key of the legal source that sets the qualification needed (cited in that condition's reason), or blank."
        ),
        gettext_noop('The article that sets the qualification needed, e.g. "§ 18 Abs. 2 Nr. 1 AufenthG".'),
    ),
    *_provision(
        "recognition",
        gettext_noop(
            "Key of the legal source that sets the recognition needed (cited in that condition's reason), or blank."
        ),
        gettext_noop('The article that sets the recognition needed, e.g. "§ 18 Abs. 2 Nr. 1 AufenthG".'),
    ),
    *_provision(
        "job_offer",
        gettext_noop(
            "Key of the legal source that sets the job offer condition (cited in that condition's reason), or blank."
        ),
        gettext_noop('The article that sets the job offer condition, e.g. "§ 18 Abs. 2 Nr. 1 AufenthG".'),
    ),
    *_provision(
        "language",
        gettext_noop(
            "Key of the legal source that sets the language condition (or that there is none) (cited in that "
            "condition's reason), or blank."
        ),
        gettext_noop(
            'The article that sets the language condition (or that there is none), e.g. "§ 18 Abs. 2 Nr. 1 AufenthG".'
        ),
    ),
    *_provision(
        "age",
        gettext_noop("Key of the legal source that sets the age limits (cited in that condition's reason), or blank."),
        gettext_noop('The article that sets the age limits, e.g. "§ 18 Abs. 2 Nr. 1 AufenthG".'),
    ),
    *_provision(
        "purpose",
        gettext_noop(
            "Key of the legal source that sets the employer-abroad and sector conditions (cited in that condition's "
            "reason), or blank."
        ),
        gettext_noop(
            'The article that sets the employer-abroad and sector conditions, e.g. "§ 18 Abs. 2 Nr. 1 AufenthG".'
        ),
    ),
)

SALARY_THRESHOLD_FIELDS = (
    Field(
        "kind",
        "choice",
        gettext_noop("Whose money: the worker's salary (default), family, subsistence, wage floor."),
        choices=_values(SalaryThreshold.Kind),
        default=SalaryThreshold.Kind.SALARY.value,
    ),
    Field("amount", "amount", gettext_noop('Minimum salary, as a string ("48300.00").'), True),
    Field("currency", "currency", gettext_noop("ISO 4217 code."), True),
    Field("period", "choice", "", True, choices=_values(Period)),
    Field("valid_from", "date", gettext_noop("YYYY-MM-DD")),
    Field("valid_to", "date", gettext_noop("YYYY-MM-DD")),
    Field(
        "label",
        "text",
        gettext_noop("Who the threshold applies to, e.g. general threshold."),
        max_length=200,
        translated=True,
    ),
    Field("reduced", "bool", gettext_noop("A lower figure for some applicants only (said in label)."), default=False),
    Field("applies_from_age", "int", gettext_noop("Only for applicants of this age or older.")),
    Field(
        "below_age",
        "int",
        gettext_noop(
            "Applies to applicants younger than this (with isco_groups or new_entrants_within_years: either)."
        ),
    ),
    Field(
        "region",
        "choice",
        gettext_noop("ISO 3166-2 region the figure is for (BE-BRU, BE-VLG, BE-WAL); blank = the whole country."),
        choices=_values(Region, blank=True),
    ),
    Field(
        "isco_groups",
        "list",
        gettext_noop("ISCO-08 groups of any level it applies to (25 covers 2512); empty = every occupation."),
        item_pattern=ISCO_ANY_PATTERN,
        attribute="occupations",
        ref=ISCO,
    ),
    Field(
        "new_entrants_within_years",
        "int",
        gettext_noop(
            "Applies to applicants who graduated no more than this many years before applying (with isco_groups: "
            "either)."
        ),
    ),
    Field(
        "article",
        "text",
        gettext_noop('The provision that sets the figure, e.g. "§ 18g Abs. 1 Satz 2 AufenthG".'),
        max_length=200,
    ),
    Field(
        "exception_possible",
        "bool",
        gettext_noop(
            "The provision waives the figure in some cases (e.g. adequate pension provision): below it is not final."
        ),
        default=False,
    ),
    _source_keys(gettext_noop("Keys of legal sources.")),
)
LANGUAGE_REQUIREMENT_FIELDS = (
    Field(
        "language",
        "choice",
        gettext_noop("ISO 639-1 code of the language."),
        True,
        choices=_values(LanguageRequirement.Language),
    ),
    Field("level", "choice", gettext_noop("CEFR level that is enough."), True, choices=_values(LanguageLevel)[1:]),
    Field(
        "source",
        "key",
        gettext_noop("Key of the legal source that sets it."),
        max_length=100,
        attribute="legal_source",
        ref=SOURCE,
    ),
    Field("article", "text", gettext_noop('e.g. "§ 20a Abs. 4 Satz 3 AufenthG".'), max_length=200),
)
DOCUMENT_FIELDS = (
    Field("name", "text", gettext_noop("The document."), True, translated=True, max_length=300),
    Field("mandatory", "bool", "", default=True),
    Field("translation_needed", "tristate", gettext_noop("Certified translation needed.")),
    Field("legalisation", "choice", "", choices=_values(RequiredDocument.Legalisation, blank=True)),
    Field("notes", "text", "", translated=True),
)
FEE_FIELDS = (
    Field("name", "text", gettext_noop("The fee."), True, translated=True, max_length=200),
    Field("amount", "amount", gettext_noop("Blank or null when not known.")),
    Field("currency", "currency", gettext_noop("ISO 4217 code.")),
    Field("payer", "choice", "", choices=_values(Fee.Payer), default=Fee.Payer.UNSPECIFIED.value),
    Field("notes", "text", "", translated=True),
)

REGIME_FIELDS = (
    ROW_COUNTRY,
    Field(
        "licensing_authority",
        "key",
        gettext_noop("Key of the contact point that licenses agencies."),
        max_length=100,
        ref=CONTACT,
    ),
    Field("licence_validity_months", "int", ""),
    Field("registration_fee", "amount", ""),
    Field("registration_fee_currency", "currency", ""),
    Field("financial_guarantee", "amount", ""),
    Field("financial_guarantee_currency", "currency", ""),
    Field("worker_fee_rule", "choice", "", choices=_values(RecruitmentRegime.WorkerFeeRule, blank=True)),
    Field("worker_fee_cap", "amount", ""),
    Field("worker_fee_cap_currency", "currency", ""),
    Field("worker_fee_note", "text", "", translated=True),
    Field("standard_contract_required", "tristate", ""),
    Field("penalties", "text", "", translated=True),
    Field("incentives", "text", "", translated=True),
    Field("public_list_url", "url", "", max_length=500),
    Field("summary", "text", gettext_noop("Two or three plain sentences."), translated=True),
    SOURCES,
    Field("last_verified", "date", gettext_noop("YYYY-MM-DD"), True),
    UNKNOWN,
)

AGENCY_FIELDS = (
    ROW_COUNTRY,
    Field("legal_name", "text", "", True, max_length=300),
    Field(
        "licence_number",
        "text",
        gettext_noop("Unique per country; examples start with EXAMPLE-."),
        True,
        max_length=100,
    ),
    Field("status", "choice", "", choices=_values(RecruitmentAgency.Status), default="active"),
    Field("valid_from", "date", gettext_noop("Licence valid from, YYYY-MM-DD.")),
    Field("valid_until", "date", gettext_noop("Licence valid until, YYYY-MM-DD.")),
    _countries("destinations", gettext_noop("Destination countries served.")),
    Field("sectors", "list", gettext_noop("ISIC Rev. 4 sections A–U."), item_pattern=SECTOR_PATTERN, ref=SECTOR),
    Field("address", "text", ""),
    Field("website", "url", "", max_length=500),
    Field("is_example", "bool", gettext_noop("A made-up agency for trying the hub."), default=False),
    _source_keys(gettext_noop("The register (a legal source key); required unless is_example.")),
    Field("last_confirmed", "date", gettext_noop("The day the register was last checked.")),
)
ENFORCEMENT_FIELDS = (
    Field("date", "date", "", True),
    Field("action", "choice", "", True, choices=_values(EnforcementAction.Action)),
    Field("description", "text", "", translated=True),
    _source_keys(),
)

AGREEMENT_FIELDS = (
    Field("key", "key", gettext_noop("Stable identifier of the agreement."), True, max_length=100),
    Field("type", "choice", "", True, choices=_values(Agreement.Type)),
    Field("title", "text", "", True, translated=True, max_length=400),
    Field("summary", "text", "", translated=True),
    _countries("parties", gettext_noop("ISO alpha-2 codes of the parties."), required=True, min_items=1),
    _countries(
        "destinations",
        gettext_noop("The parties people move to under it (a programme for work in Germany: DE); empty = every party."),
    ),
    Field("signed_on", "date", ""),
    Field("in_force_on", "date", ""),
    Field("expires_on", "date", ""),
    Field("status", "choice", "", True, choices=_values(Agreement.Status)),
    Field("sectors", "list", gettext_noop("ISIC Rev. 4 sections."), item_pattern=SECTOR_PATTERN, ref=SECTOR),
    replace(ISCO_GROUPS, description=""),
    Field("quota_size", "int", ""),
    Field("quota_period", "choice", "", choices=_values(Agreement.QuotaPeriod, blank=True)),
    Field(
        "intermediaries",
        "list",
        gettext_noop("Keys of contact points (e.g. ANAPEC)."),
        item_pattern=KEY_PATTERN,
        ref=CONTACT,
    ),
    Field("recruitment_cost_rule", "text", "", translated=True),
    Field("pre_departure_training", "tristate", ""),
    Field("pension_portability", "tristate", ""),
    Field("health_coverage", "tristate", ""),
    Field("full_text_url", "url", "", max_length=500),
    SOURCES,
    Field("last_verified", "date", "", True),
    UNKNOWN,
)

# What rows cite: legal sources, contact points and corridors are kept by the hub, not submitted by
# focal points, so they are not part of the published schema; the demo data carries its own.
SOURCE_FIELDS = (
    Field("key", "key", gettext_noop("Stable identifier of the source."), True, max_length=100),
    replace(
        ROW_COUNTRY,
        description=gettext_noop("Defaults to the file's country; null for an international one."),
        nullable=True,
    ),
    Field("title", "text", "", True, translated=True, max_length=300),
    Field("article", "text", "", max_length=200),
    Field("url", "url", "", True, max_length=500),
    Field("publisher", "text", "", max_length=200),
    Field(
        "kind",
        "choice",
        gettext_noop(
            "What the page is: legal_text, gazette or guidance (official); international; law_firm, press, "
            "association or copy (secondary); blank when not yet classified."
        ),
        choices=_values(LegalSource.Kind),
        default=LegalSource.Kind.UNCLASSIFIED.value,
    ),
    Field(
        "identifier",
        "text",
        gettext_noop("ELI, CELEX, NOR or gazette reference of the text; blank when none."),
        max_length=100,
    ),
    Field("version_date", "date", gettext_noop("Date of the version that was read.")),
    Field("last_verified", "date", gettext_noop("The day someone last read the source."), True),
    Field("note", "text", "", translated=True),
)
CONTACT_FIELDS = (
    Field("key", "key", gettext_noop("Stable identifier of the contact point."), True, max_length=100),
    ROW_COUNTRY,
    Field("name", "text", "", True, translated=True, max_length=300),
    Field("kind", "choice", "", True, choices=_values(ContactPoint.Kind)),
    Field("url", "url", "", max_length=500),
    Field("email", "text", "", max_length=254),
    Field("phone", "text", "", max_length=50),
    Field("address", "text", "", translated=True),
)
CORRIDOR_FIELDS = (
    Field("origin", "country", "", True, ref=COUNTRY),
    Field("destination", "country", "", True, ref=COUNTRY),
    Field(
        "notes",
        "text",
        gettext_noop("What the hub says of the route as a whole (on the corridor's page)."),
        translated=True,
    ),
)
# Qualification recognition is entered in the admin, not submitted either: a section the hub loads (a
# data package's, for a mirror), after the sources and contacts it cites.
RECOGNITION_FIELDS = (
    replace(ROW_COUNTRY, description=gettext_noop("The country that recognises; defaults to the file's country.")),
    Field(
        "occupation",
        "key",
        gettext_noop("ISCO-08 code of the occupation group, of any level."),
        True,
        max_length=4,
        ref=ISCO,
    ),
    Field(
        "area",
        "choice",
        gettext_noop(
            "Where in the country the body and procedure apply: a Region (BE-BRU, BE-VLG, BE-WAL) or a "
            "Community (BE-VG Flemish, BE-FWB French, BE-DG German-speaking); blank = the whole country."
        ),
        choices=_values(RecognitionArea, blank=True),
    ),
    Field(
        "body",
        "key",
        gettext_noop("Key of the recognition body (a contact point), or blank."),
        max_length=100,
        ref=CONTACT,
    ),
    Field("regulated", "tristate", gettext_noop("A regulated profession in that country.")),
    Field("procedure", "text", gettext_noop("How the qualification is recognised."), translated=True),
    Field("url", "url", gettext_noop("Official page."), max_length=500),
    Field("fee_min", "amount", ""),
    Field("fee_max", "amount", ""),
    Field("fee_currency", "currency", gettext_noop("ISO 4217 code.")),
    Field("duration_days_max", "int", gettext_noop("Decision within this many days.")),
    Field(
        "duration_basis",
        "choice",
        gettext_noop("What that time is: legal (a legal deadline) or published (a published usual or target time)."),
        choices=_values(ProcessingBasis, blank=True),
    ),
    _source_keys(gettext_noop("Keys of legal sources.")),
    Field("last_verified", "date", gettext_noop("YYYY-MM-DD")),
)

# Certification labels an agency can hold, with where their own list of holders is: a section only
# the hub loads, like the sources they cite.
LABEL_FIELDS = (
    Field("code", "key", gettext_noop("Stable identifier of the label."), True, max_length=50),
    replace(
        ROW_COUNTRY,
        description=gettext_noop("The country whose label it is; null for an international one."),
        nullable=True,
    ),
    Field("name", "text", "", True, translated=True, max_length=200),
    Field("issuer", "text", gettext_noop("Who awards the label."), max_length=200),
    Field("url", "url", gettext_noop("The label's official page."), max_length=500),
    Field("description", "text", gettext_noop("What the label certifies."), translated=True),
    Field("holders_url", "url", gettext_noop("The label's own published list of holders."), max_length=500),
    _source_keys(gettext_noop("Keys of legal sources.")),
    Field("last_verified", "date", gettext_noop("YYYY-MM-DD")),
)


def with_text_origin(fields):
    """A sheet's fields and the two that say what its texts are: the language its default-language
    texts are written in, and which of its translated columns hold an official wording (not a
    translation). Both are kept in the row's text record (core.translations)."""
    columns = [column for item in fields for column, _attribute in item.translations[1:]]
    return (
        *fields,
        Field(
            "original_language",
            "choice",
            gettext_noop(
                "The language the row's default-language texts are written in (en when left out), "
                "e.g. fr for the French title of a French decree."
            ),
            choices=ORIGINAL_LANGUAGES,
            default="en",
            attribute="text_origin",
            row_record=True,
        ),
        Field(
            "official_texts",
            "list",
            gettext_noop(
                "The translated columns (<field>_<language>) whose value is the official wording in that "
                "language, not a translation, e.g. name_fr on a permit whose law is published in French."
            ),
            choices=tuple(columns),
            attribute="text_origin",
            row_record=True,
        ),
    )


PERMIT_FIELDS = with_text_origin(PERMIT_FIELDS)
SALARY_THRESHOLD_FIELDS = with_text_origin(SALARY_THRESHOLD_FIELDS)
DOCUMENT_FIELDS = with_text_origin(DOCUMENT_FIELDS)
FEE_FIELDS = with_text_origin(FEE_FIELDS)
REGIME_FIELDS = with_text_origin(REGIME_FIELDS)
ENFORCEMENT_FIELDS = with_text_origin(ENFORCEMENT_FIELDS)
AGREEMENT_FIELDS = with_text_origin(AGREEMENT_FIELDS)
SOURCE_FIELDS = with_text_origin(SOURCE_FIELDS)
CONTACT_FIELDS = with_text_origin(CONTACT_FIELDS)
RECOGNITION_FIELDS = with_text_origin(RECOGNITION_FIELDS)
LABEL_FIELDS = with_text_origin(LABEL_FIELDS)


def _licence_number_of_example(row):
    if row["is_example"] and not row["licence_number"].startswith("EXAMPLE-"):
        raise RowError("licence_number", row["licence_number"], "example_prefix")


def _register_of_real_agency(row):
    if not row["is_example"] and not row["sources"]:
        raise RowError("sources", "", "agency_register")


@dataclass(frozen=True)
class Sheet:
    """A table of the format: a section of the JSON document, a CSV file, a sheet of the workbook."""

    name: str
    model: type
    fields: tuple
    key: tuple = ()  # the fields whose values identify a row
    countries: tuple = ("country",)  # the fields that name a row's countries
    parent: str = ""  # child sheets name their parent section…
    parent_key: str = ""  # …the column that names the parent row…
    parent_field: str = ""  # …and the parent's field that column holds
    children: tuple = ()  # child sheets, each also the row's JSON key and the parent's relation
    single: bool = False  # one object per document (the recruitment regime), not a list
    positional: bool = False  # a row may also be the array of its key fields' values (corridors)
    ordered_by: tuple = ()  # children without an order of their own are compared sorted by these
    position: str = ""  # the model attribute that keeps a child's place in its list
    checks: tuple = ()  # rules beyond the schema and the model: functions of a row raising RowError
    bulk: bool = False  # new rows without children are created in bulk (a register holds thousands)

    def columns(self):
        names = [self.parent_key] if self.parent_key else []
        for item in self.fields:
            names += [column for column, _attribute in item.translations] or [item.name]
        return names

    @functools.cached_property
    def field_map(self):
        """{column: Field}, translations included (of the same kind: a text, or a list of lines)."""
        fields = {item.name: item for item in self.fields}
        for item in self.fields:
            for column, _attribute in item.translations[1:]:
                fields[column] = Field(column, item.kind, item.description)
        return fields

    @functools.cached_property
    def model_fields(self):
        """{field name: the model field it is stored in}, for the fields that are not translated
        (those are stored in one column per language)."""
        return {
            item.name: self.model._meta.get_field(item.model_attribute)
            for item in self.fields
            if not item.translated and not item.row_record
        }

    @functools.cached_property
    def publishable(self):
        """A main sheet whose rows are published and withdrawn (sources and contacts simply exist)."""
        return not self.parent and any(f.name == "publication_status" for f in self.model._meta.fields)

    def with_fields(self, *extra):
        """This sheet with more fields (a new field of the format is one more Field here)."""
        return replace(self, fields=self.fields + extra)

    def label(self, row):
        """How a person names a row: its last key field (code, key, licence number)."""
        return row.get(self.key[-1]) if isinstance(row, dict) and self.key else None


SHEETS = {
    "permits": Sheet(
        "permits",
        PermitCategory,
        PERMIT_FIELDS,
        key=("code",),
        children=("salary_thresholds", "documents", "fees", "language_requirements"),
    ),
    "salary_thresholds": Sheet(
        "salary_thresholds",
        SalaryThreshold,
        SALARY_THRESHOLD_FIELDS,
        parent="permits",
        parent_key="permit_code",
        parent_field="code",
        ordered_by=("valid_from", "kind", "label", "amount"),
    ),
    "documents": Sheet(
        "documents",
        RequiredDocument,
        DOCUMENT_FIELDS,
        parent="permits",
        parent_key="permit_code",
        parent_field="code",
        position="position",
    ),
    "fees": Sheet("fees", Fee, FEE_FIELDS, parent="permits", parent_key="permit_code", parent_field="code"),
    "language_requirements": Sheet(
        "language_requirements",
        LanguageRequirement,
        LANGUAGE_REQUIREMENT_FIELDS,
        parent="permits",
        parent_key="permit_code",
        parent_field="code",
        ordered_by=("language", "level"),
    ),
    "agreements": Sheet("agreements", Agreement, AGREEMENT_FIELDS, key=("key",), countries=("parties",)),
    "recruitment_regime": Sheet("recruitment_regime", RecruitmentRegime, REGIME_FIELDS, key=("country",), single=True),
    "agencies": Sheet(
        "agencies",
        RecruitmentAgency,
        AGENCY_FIELDS,
        key=("country", "licence_number"),
        children=("enforcement_actions",),
        checks=(_licence_number_of_example, _register_of_real_agency),
        bulk=True,
    ),
    "enforcement_actions": Sheet(
        "enforcement_actions",
        EnforcementAction,
        ENFORCEMENT_FIELDS,
        parent="agencies",
        parent_key="licence_number",
        parent_field="licence_number",
        ordered_by=("date", "action"),
    ),
}
SECTIONS = ("permits", "agreements", "recruitment_regime", "agencies")

REFERENCE_SHEETS = {
    "sources": Sheet("sources", LegalSource, SOURCE_FIELDS, key=("key",)),
    "contacts": Sheet("contacts", ContactPoint, CONTACT_FIELDS, key=("key",)),
    "corridors": Sheet(
        "corridors",
        Corridor,
        CORRIDOR_FIELDS,
        key=("origin", "destination"),
        countries=("origin", "destination"),
        positional=True,
    ),
    "qualification_recognition": Sheet(
        "qualification_recognition",
        QualificationRecognition,
        RECOGNITION_FIELDS,
        key=("country", "occupation", "area"),
    ),
    "certification_labels": Sheet("certification_labels", CertificationLabel, LABEL_FIELDS, key=("code",)),
}
REFERENCE_SECTIONS = tuple(REFERENCE_SHEETS)
CONTACT_KINDS = ContactPoint.Kind.values


def sheet_named(name):
    return SHEETS[name] if name in SHEETS else REFERENCE_SHEETS[name]


def sheets_of(sections):
    """The sheets of `sections` and of their children, by name."""
    names = [name for section in sections for name in (section, *sheet_named(section).children)]
    return {name: sheet_named(name) for name in names}


# -- JSON Schema ----------------------------------------------------------------------------------

KIND_SCHEMAS = {
    "text": {"type": "string"},
    "key": {"type": "string", "pattern": f"^$|{KEY_PATTERN}"},
    "url": {"type": "string", "pattern": f"^$|{URL_PATTERN}"},
    "country": {"type": "string", "pattern": COUNTRY_PATTERN},
    "currency": {"type": "string", "pattern": f"^$|{CURRENCY_PATTERN}"},
    "int": {"type": ["integer", "null"], "minimum": 0},
    "bool": {"type": "boolean"},
    "tristate": {"type": ["boolean", "null"]},
    "date": {"type": ["string", "null"], "pattern": DATE_PATTERN, "format": "date"},
    "amount": {"type": ["string", "null"], "pattern": AMOUNT_PATTERN},
    "int_list": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 4}, "uniqueItems": True},
}


def _field_schema(item: Field):
    if item.kind == "choice":
        schema = {"enum": list(item.choices)}
    elif item.kind in ("list", "lines"):
        items = {"enum": list(item.choices)} if item.choices else {"type": "string"}
        if item.item_pattern:
            items["pattern"] = item.item_pattern
        schema = {"type": "array", "items": items, "uniqueItems": True}
        if item.min_items:
            schema["minItems"] = item.min_items
    else:
        schema = dict(KIND_SCHEMAS[item.kind])
    if item.kind in ("date", "amount") and item.required:
        schema["type"] = "string"
    if item.nullable:
        schema["type"] = [schema["type"], "null"]
    if item.kind in ("text", "key") and item.required:
        schema["minLength"] = 1
    if item.max_length:
        schema["maxLength"] = item.max_length
    if item.description:
        schema["description"] = item.description
    return schema


def _row_schema(sheet: Sheet):
    row = _object_schema(sheet)
    if not sheet.positional:
        return row
    keys = [sheet.field_map[name] for name in sheet.key]
    short = {"type": "array", "prefixItems": [_field_schema(item) for item in keys], "items": False}
    short["minItems"] = len(keys)
    return {
        "anyOf": [short, row],
        "description": f"An object, or the array of its key fields ({', '.join(sheet.key)}) when it has no more.",
    }


def positional_row(sheet: Sheet, row):
    """A row given as the array of its key fields, as the object it stands for (an array longer than
    the key is left to the schema, which refuses it)."""
    if sheet.positional and isinstance(row, list) and len(row) <= len(sheet.key):
        return dict(zip(sheet.key, row, strict=False))
    return row


def object_row_schema(schema):
    """The object form of a row schema (a positional sheet's rows may also be arrays)."""
    return schema["anyOf"][-1] if "anyOf" in schema else schema


def _object_schema(sheet: Sheet):
    properties = {}
    for item in sheet.fields:
        properties[item.name] = _field_schema(item)
        for column, _attribute in item.translations[1:]:
            schema = _field_schema(sheet.field_map[column])  # a string, or a list of lines
            properties[column] = {**schema, "description": f"{item.name} in {column.rsplit('_', 1)[1]}"}
    for child in sheet.children:
        properties[child] = {
            "type": "array",
            "items": {"$ref": f"#/$defs/{child}"},
            "description": "Replaces the existing list when given; left out, the list is kept.",
        }
    return {
        "type": "object",
        "properties": properties,
        "required": [item.name for item in sheet.fields if item.required],
        "additionalProperties": False,
    }


def _section_schema(name):
    ref = {"$ref": f"#/$defs/{name}"}
    return ref if sheet_named(name).single else {"type": "array", "items": ref}


def common_format_schema(sections=SECTIONS):
    """The JSON Schema (draft 2020-12) of a submission in the common format; with `sections` naming
    the reference sections too, that of a document the hub loads (the demo data)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"Mobility Hub common format {FORMAT_VERSION}",
        "description": (
            "A focal point's file: any of the sections permits, agreements, recruitment_regime and agencies. "
            "A section that is given is the whole truth for the file's country: published rows of that "
            "section that the file leaves out are withdrawn. Sources and contact points are cited by their keys."
        ),
        "type": "object",
        "properties": {
            "format_version": {"const": FORMAT_VERSION},
            "country": {"type": "string", "pattern": COUNTRY_PATTERN, "description": "Default country of the rows."},
            **{name: _section_schema(name) for name in sections},
        },
        "additionalProperties": False,
        "$defs": {name: _row_schema(sheet) for name, sheet in sheets_of(sections).items()},
    }


def empty_value(item: Field):
    """The value a field takes when a row leaves it out."""
    if item.default is not None:
        return item.default
    if item.kind in LIST_KINDS:
        return []
    if item.kind in TEXT_KINDS:
        return ""
    return None


# -- spreadsheet cells ------------------------------------------------------------------------------

# A workbook template's row 2 explains each column; its first cell starts with this mark, so that
# the parser skips it (and any row starting with it, in XLSX and CSV alike, wherever sorting put it).
# No value of a first column (a key, a country code, a permit code, a licence number) starts with it.
NOTES_MARKER = "\u24d8"  # ⓘ
# The hidden sheet of a workbook template holding the allowed values of its long drop-down lists
# (countries, currencies, sources, contacts); the parser skips it.
LISTS_SHEET = "lists"

TRUE_WORDS = {"true", "yes", "1", "oui", "vrai", "ja", "y"}
FALSE_WORDS = {"false", "no", "0", "non", "faux", "nein", "n"}


def cell_value(item: Field, raw: str):
    """A spreadsheet cell read as the field's JSON type; a cell that does not fit is kept as text so
    that the schema reports it with its value."""
    text = (raw or "").strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]  # the escape the templates put before formula characters
    if item.kind in LIST_KINDS:
        parts = [part.strip() for part in _list_items(item, text, "\n" in (raw or "")) if part.strip()]
        if item.kind == "int_list":
            return [int(part) if part.isdigit() else part for part in parts]
        return parts
    if text == "":
        return empty_value(item)
    if item.kind == "int":
        return int(text) if text.isdigit() else text
    if item.kind in ("bool", "tristate"):
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        return text
    return text


def _list_items(item, text, broken):
    """The items of a list cell: separated by ; or written one a line. A list of lines (facts, which
    may hold a ;) in a cell with a line break is split at line breaks only (cell_text ends a single
    fact holding a ; with a line break)."""
    lines = text.splitlines()
    if item.kind == "lines" and broken:
        return lines
    return [part for line in lines for part in line.split(LIST_SEPARATOR)]


def cell_text(value):
    """A JSON value written into a spreadsheet cell (the inverse of cell_value): a list's items
    separated by ; or, when an item holds a ; itself, one a line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        parts = [str(part) for part in value]
        if any(LIST_SEPARATOR in part for part in parts):
            return "\n".join(parts) + ("\n" if len(parts) == 1 else "")
        return f"{LIST_SEPARATOR} ".join(parts)
    return str(value)
