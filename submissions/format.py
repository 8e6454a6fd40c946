"""The common format: one description of every field, from which come the JSON Schema, the CSV and
XLSX columns, and the conversion of spreadsheet cells.

Field names follow demo_data/FORMAT.md, so a demo data file is a valid submission. Choices come from
the models' own TextChoices, so the schema cannot drift from what the database accepts.
"""

from dataclasses import dataclass, field

from core.fields import LanguageLevel, Period
from countries.models import Agreement, ContactPoint
from permits.models import Fee, PermitCategory, RequiredDocument, SalaryThreshold
from recruiters.models import EnforcementAction, RecruitmentAgency, RecruitmentRegime

FORMAT_VERSION = "1.0"
SCHEMA_ID = f"urn:mobility-hub:common-format:{FORMAT_VERSION}"
OTHER_LANGUAGES = ("fr", "ar", "de")
LIST_SEPARATOR = ";"

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
AMOUNT_PATTERN = r"^\d{1,10}(\.\d{1,2})?$"
KEY_PATTERN = r"^[-a-zA-Z0-9_]+$"


@dataclass(frozen=True)
class Field:
    """One field of a row. `kind` says how it is typed in JSON and read from a spreadsheet cell."""

    name: str
    kind: str  # text, key, url, choice, country, currency, int, bool, tristate, date, amount, list, int_list
    description: str = ""
    required: bool = False
    choices: tuple = ()
    translated: bool = False  # accepts <name>_fr, <name>_ar, <name>_de too
    item_pattern: str = ""  # for lists of strings
    min_items: int = 0
    default: object = None
    max_length: int = 0


def _values(choices, blank=False):
    return (("",) if blank else ()) + tuple(choices.values)


SOURCES = Field(
    "sources",
    "list",
    "Keys of the legal sources the row rests on (sources known to the hub).",
    True,
    item_pattern=KEY_PATTERN,
    min_items=1,
)
UNKNOWN = Field("unknown", "list", "What could not be confirmed, one fact per item (never guessed).")

PERMIT_FIELDS = (
    Field("code", "key", "Stable identifier of the permit, e.g. de-eu-blue-card.", True, max_length=80),
    Field("country", "country", "Destination country (ISO 3166-1 alpha-2); defaults to the file's country."),
    Field("name", "text", "Name of the permit.", True, translated=True, max_length=200),
    Field("description", "text", "One or two plain sentences.", translated=True),
    Field("purpose", "choice", "Purpose of the permit.", True, choices=_values(PermitCategory.Purpose)),
    Field("skill_levels", "int_list", "ISCO-08 skill levels 1–4 (empty = any)."),
    Field("isco_unit_groups", "list", "4-digit ISCO-08 unit groups (empty = any).", item_pattern=r"^\d{4}$"),
    Field("open_to", "list", "Nationalities it is open to (empty = all).", item_pattern=r"^[A-Z]{2}$"),
    Field("closed_to", "list", "Nationalities it is closed to.", item_pattern=r"^[A-Z]{2}$"),
    Field("agreement_required", "bool", "Only for nationals of countries with an agreement in force.", default=False),
    Field("job_offer_required", "tristate", "true, false, or null (not known)."),
    Field("qualification", "choice", "", choices=_values(PermitCategory.Qualification, blank=True)),
    Field("recognition_required", "tristate", "Recognition of the qualification required."),
    Field("language_level", "choice", "CEFR level, none, or blank.", choices=_values(LanguageLevel, blank=True)),
    Field("min_age", "int", "Minimum age."),
    Field("max_age", "int", "Maximum age."),
    Field("labour_market_test", "tristate", ""),
    Field("quota_size", "int", "Quota size."),
    Field("quota_period", "choice", "", choices=_values(PermitCategory.QuotaPeriod, blank=True)),
    Field("application_method", "text", "Who applies, and how.", translated=True),
    Field("official_url", "url", "Official page.", max_length=500),
    Field(
        "where_to_apply",
        "list",
        "Any of consulate, online, in_country, employer.",
        choices=PermitCategory.WHERE_TO_APPLY,
    ),
    Field("processing_days_min", "int", ""),
    Field("processing_days_max", "int", ""),
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
    Field("contact", "key", "Key of the contact point (known to the hub), or blank.", max_length=100),
    Field("valid_from", "date", "YYYY-MM-DD"),
    Field("valid_to", "date", "YYYY-MM-DD"),
    Field("last_verified", "date", "The day the facts were last checked, YYYY-MM-DD.", True),
    UNKNOWN,
)

SALARY_THRESHOLD_FIELDS = (
    Field(
        "kind",
        "choice",
        "Whose money: the worker's salary (default), family, subsistence, wage floor.",
        choices=_values(SalaryThreshold.Kind),
        default=SalaryThreshold.Kind.SALARY.value,
    ),
    Field("amount", "amount", 'Minimum salary, as a string ("48300.00").', True),
    Field("currency", "currency", "ISO 4217 code.", True),
    Field("period", "choice", "", True, choices=_values(Period)),
    Field("valid_from", "date", "YYYY-MM-DD"),
    Field("valid_to", "date", "YYYY-MM-DD"),
    Field("label", "text", "Who the threshold applies to, e.g. general threshold.", max_length=200),
    Field("reduced", "bool", "A lower figure for some applicants only (said in label).", default=False),
    Field("applies_from_age", "int", "Only for applicants of this age or older."),
    Field("sources", "list", "Keys of legal sources.", item_pattern=KEY_PATTERN),
)
DOCUMENT_FIELDS = (
    Field("name", "text", "The document.", True, translated=True, max_length=300),
    Field("mandatory", "bool", "", default=True),
    Field("translation_needed", "tristate", "Certified translation needed."),
    Field("legalisation", "choice", "", choices=_values(RequiredDocument.Legalisation, blank=True)),
    Field("notes", "text", "", translated=True),
)
FEE_FIELDS = (
    Field("name", "text", "The fee.", True, translated=True, max_length=200),
    Field("amount", "amount", "Blank or null when not known."),
    Field("currency", "currency", "ISO 4217 code."),
    Field("payer", "choice", "", choices=_values(Fee.Payer), default=Fee.Payer.UNSPECIFIED.value),
    Field("notes", "text", "", translated=True),
)

REGIME_FIELDS = (
    Field("country", "country", "Defaults to the file's country."),
    Field("licensing_authority", "key", "Key of the contact point that licenses agencies.", max_length=100),
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
    Field("summary", "text", "Two or three plain sentences.", translated=True),
    SOURCES,
    Field("last_verified", "date", "YYYY-MM-DD", True),
    UNKNOWN,
)

AGENCY_FIELDS = (
    Field("country", "country", "Defaults to the file's country."),
    Field("legal_name", "text", "", True, max_length=300),
    Field("licence_number", "text", "Unique per country; examples start with EXAMPLE-.", True, max_length=100),
    Field("status", "choice", "", choices=_values(RecruitmentAgency.Status), default="active"),
    Field("valid_from", "date", "Licence valid from, YYYY-MM-DD."),
    Field("valid_until", "date", "Licence valid until, YYYY-MM-DD."),
    Field("destinations", "list", "Destination countries served.", item_pattern=r"^[A-Z]{2}$"),
    Field("sectors", "list", "ISIC Rev. 4 sections A–U.", item_pattern=r"^[A-U]$"),
    Field("address", "text", ""),
    Field("website", "url", "", max_length=500),
    Field("is_example", "bool", "A made-up agency for trying the hub.", default=False),
    Field(
        "sources", "list", "The register (a legal source key); required unless is_example.", item_pattern=KEY_PATTERN
    ),
    Field("last_confirmed", "date", "The day the register was last checked."),
)
ENFORCEMENT_FIELDS = (
    Field("date", "date", "", True),
    Field("action", "choice", "", True, choices=_values(EnforcementAction.Action)),
    Field("description", "text", "", translated=True),
    Field("sources", "list", "", item_pattern=KEY_PATTERN),
)

AGREEMENT_FIELDS = (
    Field("key", "key", "Stable identifier of the agreement.", True, max_length=100),
    Field("type", "choice", "", True, choices=_values(Agreement.Type)),
    Field("title", "text", "", True, translated=True, max_length=400),
    Field("summary", "text", "", translated=True),
    Field("parties", "list", "ISO alpha-2 codes of the parties.", True, item_pattern=r"^[A-Z]{2}$", min_items=1),
    Field("signed_on", "date", ""),
    Field("in_force_on", "date", ""),
    Field("expires_on", "date", ""),
    Field("status", "choice", "", True, choices=_values(Agreement.Status)),
    Field("sectors", "list", "ISIC Rev. 4 sections.", item_pattern=r"^[A-U]$"),
    Field("isco_unit_groups", "list", "", item_pattern=r"^\d{4}$"),
    Field("quota_size", "int", ""),
    Field("quota_period", "choice", "", choices=_values(Agreement.QuotaPeriod, blank=True)),
    Field("intermediaries", "list", "Keys of contact points (e.g. ANAPEC).", item_pattern=KEY_PATTERN),
    Field("recruitment_cost_rule", "text", "", translated=True),
    Field("pre_departure_training", "tristate", ""),
    Field("pension_portability", "tristate", ""),
    Field("health_coverage", "tristate", ""),
    Field("full_text_url", "url", "", max_length=500),
    SOURCES,
    Field("last_verified", "date", "", True),
    UNKNOWN,
)


_FIELD_MAPS = {}


@dataclass(frozen=True)
class Sheet:
    """A table of the format: a section of the JSON document, a CSV file, a sheet of the workbook."""

    name: str
    fields: tuple
    parent: str = ""  # child sheets name their parent section
    parent_key: str = ""  # the column that names the parent row
    children: dict = field(default_factory=dict)  # JSON key -> child sheet name

    def columns(self):
        names = [self.parent_key] if self.parent_key else []
        for item in self.fields:
            names.append(item.name)
            if item.translated:
                names += [f"{item.name}_{language}" for language in OTHER_LANGUAGES]
        return names

    def field_map(self):
        """{column: Field}, translations included (computed once per sheet)."""
        cached = _FIELD_MAPS.get(self.name)
        if cached is None:
            cached = _FIELD_MAPS[self.name] = self._field_map()
        return cached

    def _field_map(self):
        fields = {item.name: item for item in self.fields}
        for item in self.fields:
            if item.translated:
                for language in OTHER_LANGUAGES:
                    fields[f"{item.name}_{language}"] = Field(f"{item.name}_{language}", "text", item.description)
        return fields


SHEETS = {
    "permits": Sheet(
        "permits",
        PERMIT_FIELDS,
        children={"salary_thresholds": "salary_thresholds", "documents": "documents", "fees": "fees"},
    ),
    "salary_thresholds": Sheet("salary_thresholds", SALARY_THRESHOLD_FIELDS, "permits", "permit_code"),
    "documents": Sheet("documents", DOCUMENT_FIELDS, "permits", "permit_code"),
    "fees": Sheet("fees", FEE_FIELDS, "permits", "permit_code"),
    "agreements": Sheet("agreements", AGREEMENT_FIELDS),
    "recruitment_regime": Sheet("recruitment_regime", REGIME_FIELDS),
    "agencies": Sheet("agencies", AGENCY_FIELDS, children={"enforcement_actions": "enforcement_actions"}),
    "enforcement_actions": Sheet("enforcement_actions", ENFORCEMENT_FIELDS, "agencies", "licence_number"),
}
SECTIONS = ("permits", "agreements", "recruitment_regime", "agencies")
CONTACT_KINDS = ContactPoint.Kind.values


# -- JSON Schema ----------------------------------------------------------------------------------


def _field_schema(item: Field):
    kinds = {
        "text": {"type": "string"},
        "key": {"type": "string", "pattern": f"^$|{KEY_PATTERN}"},
        "url": {"type": "string", "pattern": r"^$|^https?://\S+$"},
        "country": {"type": "string", "pattern": r"^[A-Z]{2}$"},
        "currency": {"type": "string", "pattern": r"^$|^[A-Z]{3}$"},
        "int": {"type": ["integer", "null"], "minimum": 0},
        "bool": {"type": "boolean"},
        "tristate": {"type": ["boolean", "null"]},
        "date": {"type": ["string", "null"], "pattern": DATE_PATTERN, "format": "date"},
        "amount": {"type": ["string", "null"], "pattern": AMOUNT_PATTERN},
        "int_list": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 4}, "uniqueItems": True},
    }
    if item.kind == "choice":
        schema = {"enum": list(item.choices)}
    elif item.kind == "list":
        items = {"enum": list(item.choices)} if item.choices else {"type": "string"}
        if item.item_pattern:
            items["pattern"] = item.item_pattern
        schema = {"type": "array", "items": items, "uniqueItems": True}
        if item.min_items:
            schema["minItems"] = item.min_items
    else:
        schema = dict(kinds[item.kind])
    if item.kind in ("date", "amount") and item.required:
        schema["type"] = "string"
    if item.kind in ("text", "key") and item.required:
        schema["minLength"] = 1
    if item.max_length:
        schema["maxLength"] = item.max_length
    if item.description:
        schema["description"] = item.description
    return schema


def _row_schema(sheet: Sheet):
    properties = {}
    for item in sheet.fields:
        properties[item.name] = _field_schema(item)
        if item.translated:
            for language in OTHER_LANGUAGES:
                properties[f"{item.name}_{language}"] = {"type": "string", "description": f"{item.name} in {language}"}
    for key, child in sheet.children.items():
        properties[key] = {
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


def common_format_schema():
    """The JSON Schema (draft 2020-12) of a submission in the common format."""
    defs = {name: _row_schema(sheet) for name, sheet in SHEETS.items()}
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
            "country": {"type": "string", "pattern": r"^[A-Z]{2}$", "description": "Default country of the rows."},
            "permits": {"type": "array", "items": {"$ref": "#/$defs/permits"}},
            "agreements": {"type": "array", "items": {"$ref": "#/$defs/agreements"}},
            "recruitment_regime": {"$ref": "#/$defs/recruitment_regime"},
            "agencies": {"type": "array", "items": {"$ref": "#/$defs/agencies"}},
        },
        "additionalProperties": False,
        "$defs": defs,
    }


def empty_value(item: Field):
    """The value a field takes when a row leaves it out."""
    if item.default is not None:
        return item.default
    if item.kind in ("list", "int_list"):
        return []
    if item.kind in ("text", "key", "url", "choice", "currency", "country"):
        return ""
    return None


# -- spreadsheet cells ------------------------------------------------------------------------------

TRUE_WORDS = {"true", "yes", "1", "oui", "vrai", "ja", "y"}
FALSE_WORDS = {"false", "no", "0", "non", "faux", "nein", "n"}


def cell_value(item: Field, raw: str):
    """A spreadsheet cell read as the field's JSON type; a cell that does not fit is kept as text so
    that the schema reports it with its value."""
    text = (raw or "").strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]  # the escape the templates put before formula characters
    if item.kind in ("list", "int_list"):
        parts = [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
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


def cell_text(value):
    """A JSON value written into a spreadsheet cell (the inverse of cell_value)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return f"{LIST_SEPARATOR} ".join(str(part) for part in value)
    return str(value)
