"""Checking every row of a parsed document, and the diff against what is published.

Each row is checked against the JSON Schema, then made into the model instance it would become and
checked with the model's own full_clean(), then for the countries the submitter keeps. Nothing is
saved here. Messages are in the active language (the caller activates the submitter's).
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from core.fields import PublicationStatus

from .format import SECTIONS, SHEETS, common_format_schema, empty_value
from .records import SECTION_MODELS, References, RowError

SET_FIELDS = {
    "skill_levels",
    "isco_unit_groups",
    "open_to",
    "closed_to",
    "where_to_apply",
    "sources",
    "destinations",
    "sectors",
    "parties",
    "intermediaries",
}
AMOUNT_FIELDS = {"amount", "registration_fee", "financial_guarantee", "worker_fee_cap"}
# Model field names that differ from the format's.
MODEL_TO_FORMAT = {
    "name_en": "name",
    "title_en": "title",
    "contact_point": "contact",
    "legal_sources": "sources",
    "unknown_facts": "unknown",
    "unknown_facts_en": "unknown",
    "licensing_authority": "licensing_authority",
    "occupations": "isco_unit_groups",
    "__all__": "",
}


def row_error_message(code):
    return {
        "unknown_source": _("Unknown legal source key(s): the hub has no source with this key."),
        "unknown_contact": _("Unknown contact point key: the hub has no contact point with this key."),
        "unknown_country": _("Unknown country code(s) (ISO 3166-1 alpha-2)."),
        "unknown_isco": _("Unknown ISCO-08 code(s)."),
        "unknown_sector": _("Unknown ISIC Rev. 4 section(s)."),
        "invalid_date": _("Not a date: write YYYY-MM-DD."),
        "example_prefix": _("An example agency's licence number must start with EXAMPLE-."),
        "agency_register": _("A real agency needs its register as a source (or mark it is_example)."),
    }.get(code, code)


def schema_error_message(error):
    """A jsonschema error in plain words, in the active language."""
    validator = error.validator
    if validator == "required":
        return _("This field is required.")
    if validator == "additionalProperties":
        return _("Unknown field(s): %(fields)s.") % {
            "fields": ", ".join(sorted(set(error.instance) - set(error.schema.get("properties", {}))))
        }
    if validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        names = {
            "string": _("text"),
            "integer": _("a whole number"),
            "boolean": _("true or false"),
            "array": _("a list"),
            "object": _("an object"),
            "null": _("empty"),
        }
        return _("Wrong type: expected %(expected)s.") % {"expected": _(" or ").join(names.get(t, t) for t in expected)}
    if validator == "enum":
        return _("Not one of the allowed values: %(values)s.") % {
            "values": ", ".join(repr(value) for value in error.validator_value)
        }
    if validator == "pattern":
        return _("Wrong form (expected %(pattern)s).") % {"pattern": error.validator_value}
    if validator == "minLength":
        return _("This field must not be blank.")
    if validator == "maxLength":
        return _("Too long: at most %(count)s characters.") % {"count": error.validator_value}
    if validator == "minItems":
        return _("Give at least %(count)s item(s).") % {"count": error.validator_value}
    if validator == "uniqueItems":
        return _("The list repeats an item.")
    if validator in ("minimum", "maximum"):
        return _("Out of range.")
    if validator == "const":
        return _("Must be %(value)s.") % {"value": error.validator_value}
    return _("Invalid value.")


@dataclass
class Result:
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    diff: dict = field(default_factory=dict)
    built: dict = field(default_factory=dict)  # (section, key) -> Built, for rows to add or change
    withdrawn: list = field(default_factory=list)  # objects to withdraw
    countries: set = field(default_factory=set)  # countries whose published data would change
    rows: int = 0

    def add(self, location, field_name, value, message):
        sheet, number = location
        self.errors.append(
            {"sheet": sheet, "row": number, "field": field_name, "value": _short(value), "message": str(message)}
        )


def _short(value):
    if value is None:
        return None
    if isinstance(value, (bool, int, float)):
        return value
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 200 else text[:197] + "…"


def _validators():
    schema = common_format_schema()
    defs = schema["$defs"]
    validators = {
        name: Draft202012Validator({"$schema": schema["$schema"], "$defs": defs, "$ref": f"#/$defs/{name}"})
        for name in SECTIONS
    }
    validators["_document"] = Draft202012Validator(
        {
            **{key: value for key, value in schema.items() if key != "$defs"},
            "properties": {
                **schema["properties"],
                **{name: {"type": "object" if name == "recruitment_regime" else "array"} for name in SECTIONS},
            },
        }
    )
    return validators


def normalise(section, row, default_country):
    """Fill what a row leaves out, and put values in one canonical form, so rows compare."""
    sheet = SHEETS[section]
    out = {}
    for name, item in sheet.field_map().items():
        value = row.get(name, empty_value(item))
        out[name] = _canonical(name, value)
    if "country" in out and not out["country"]:
        out["country"] = default_country
    for child_key, child_sheet in sheet.children.items():
        if child_key in row:
            out[child_key] = [
                {
                    name: _canonical(name, child.get(name, empty_value(item)))
                    for name, item in SHEETS[child_sheet].field_map().items()
                }
                for child in row[child_key]
            ]
    return canonical_children(out)


# Children without an order of their own are compared as sets.
UNORDERED_CHILDREN = {
    "salary_thresholds": lambda item: (item["valid_from"] or "", item["kind"], item["label"], item["amount"] or ""),
    "enforcement_actions": lambda item: (item["date"] or "", item["action"]),
}


def canonical_children(row):
    for name, sort_key in UNORDERED_CHILDREN.items():
        if isinstance(row.get(name), list):
            row[name] = sorted(row[name], key=sort_key)
    return row


def _canonical(name, value):
    if name in SET_FIELDS and isinstance(value, list):
        return sorted(value)
    if name in AMOUNT_FIELDS and isinstance(value, str) and value:
        return f"{Decimal(value):.2f}"
    if isinstance(value, str):
        return value.strip()
    return value


class FastRowCheck:
    """Says quickly whether a row is valid against its JSON Schema, with the same jsonschema
    validators applied field by field and their answers cached per value: a register of 10,000
    agencies repeats most values (status, dates, lists), and jsonschema costs about a millisecond
    per row otherwise. A row found invalid is then checked in full for the report's messages.

    This is exact for the row schemas of the common format, which are objects with `properties`,
    `required` and `additionalProperties: false` only (asserted below)."""

    def __init__(self, row_schema, defs):
        assert set(row_schema) == {"type", "properties", "required", "additionalProperties"}, row_schema
        assert row_schema["type"] == "object" and row_schema["additionalProperties"] is False
        self.required = frozenset(row_schema["required"])
        self.fields = {
            name: Draft202012Validator({"$defs": defs, **subschema})
            for name, subschema in row_schema["properties"].items()
        }
        self.cache = {}

    def is_valid(self, row):
        if not isinstance(row, dict) or not self.required <= row.keys() or not row.keys() <= self.fields.keys():
            return False
        for name, value in row.items():
            try:
                key = (name, value if not isinstance(value, (list, dict)) else json.dumps(value, sort_keys=True))
                hash(key)
            except TypeError:
                return False
            answer = self.cache.get(key)
            if answer is None:
                answer = self.cache[key] = self.fields[name].is_valid(value)
            if not answer:
                return False
        return True


def _schema_errors(result, validator, row, location_of, children=()):
    if _fast_checks(validator).is_valid(row):
        return False
    found = False
    for error in validator.iter_errors(row):
        found = True
        path = list(error.absolute_path)
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else ""
            path = [*path, missing]
        child_location = None
        if len(path) >= 2 and path[0] in children and isinstance(path[1], int):
            child_location = location_of(path[0], path[1])
            path = path[2:]
        field_name = ".".join(str(part) for part in path if not isinstance(part, int))
        value = error.instance if error.validator not in ("required", "additionalProperties") else None
        if error.validator == "additionalProperties":
            value = ", ".join(sorted(set(error.instance) - set(error.schema.get("properties", {}))))
        result.add(child_location or location_of(None, None), field_name, value, schema_error_message(error))
    return found


def _model_errors(error, prefix=""):
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            yield prefix + MODEL_TO_FORMAT.get(name, name), " ".join(messages)
    else:
        yield prefix.rstrip("."), " ".join(error.messages)


def _holds(codes, countries):
    return codes is None or any(country in codes for country in countries)


def validate_document(parsed, *, country, held_codes, check_rows=True):
    """Check every row of `parsed` for a submission of `country` by someone keeping `held_codes`
    (None = every country); return the errors and, when there are none, the diff.

    `check_rows=False` skips what depends on the row alone (the schema and the models' field rules),
    for a file already checked whose bytes are unchanged; what depends on the database (references,
    countries held, the diff) is always checked."""
    result = Result(warnings=list(parsed.warnings))
    reset_value_cache()
    document = parsed.document
    for error in _validators_cache("_document").iter_errors(document):
        path = ".".join(str(part) for part in error.absolute_path)
        result.add(("", None), path, None, schema_error_message(error))
    if result.errors:
        return result
    if not any(section in document for section in SECTIONS):
        result.add(("", None), "", None, _("The file holds none of the sections: %s.") % ", ".join(SECTIONS))
        return result
    default_country = document.get("country") or country
    if not _holds(held_codes, [default_country]):
        result.add(("", None), "country", default_country, _not_held_message(default_country))
        return result
    refs = References()
    diff = {"added": [], "changed": [], "withdrawn": [], "unchanged": 0}
    for section in SECTIONS:
        if section not in document:
            continue
        rows = document[section]
        rows = [rows] if section == "recruitment_regime" else rows
        _validate_section(result, parsed, section, rows, refs, diff, default_country, held_codes, country, check_rows)
    reset_value_cache()
    result.diff = diff if not result.errors else {}
    return result


def _not_held_message(code):
    return _("You do not keep the data of %(country)s: only your own countries' rows can be submitted.") % {
        "country": code
    }


def _validate_section(result, parsed, section, rows, refs, diff, default_country, held_codes, country, check_rows):
    spec = SECTION_MODELS[section]
    validator = _validators_cache(section)
    normalised = []
    for index, row in enumerate(rows):
        result.rows += 1

        def location_of(child, child_index, index=index):
            if child is None:
                return parsed.locations.get((section, index), (section, index + 1))
            return parsed.locations.get((section, index, child, child_index), (f"{section}.{child}", child_index + 1))

        if not isinstance(row, dict):
            result.add(location_of(None, None), "", None, _("Each row must be an object."))
            continue
        if check_rows and _schema_errors(result, validator, row, location_of, SHEETS[section].children):
            continue
        clean = normalise(section, row, default_country)
        countries = spec.countries_of(clean)
        if section == "agreements":
            if not _holds(held_codes, countries):
                result.add(location_of(None, None), "parties", ", ".join(countries), _not_held_message(countries[0]))
                continue
        elif not _holds(held_codes, countries):
            result.add(location_of(None, None), "country", clean["country"], _not_held_message(clean["country"]))
            continue
        normalised.append((index, location_of, clean))
    keys = {}
    for _position, location_of, clean in normalised:
        key = spec.key(clean)
        if key in keys:
            result.add(location_of(None, None), "", key, _("This row repeats row %(row)s.") % {"row": keys[key][1]})
        else:
            keys[key] = location_of(None, None)
    existing = spec.existing(list(keys))
    seen = set()
    for _index, location_of, clean in normalised:
        key = spec.key(clean)
        if key in seen:
            continue
        seen.add(key)
        current = existing.get(key)
        if current is not None and not _holds(held_codes, _object_countries(section, current)):
            result.add(
                location_of(None, None),
                "code" if section == "permits" else "key",
                key,
                _("This key belongs to data of another country that you do not keep."),
            )
            continue
        published = current is not None and current.publication_status == PublicationStatus.PUBLISHED
        before = canonical_children(spec.export(current)) if published else None
        try:
            built = spec.build(clean, refs, current)
        except RowError as error:
            result.add(location_of(None, None), error.field, error.value, row_error_message(error.message))
            continue
        if check_rows and not _clean_built(result, built, location_of):
            continue
        if before is None:
            diff["added"].append({"sheet": section, "key": key, "values": clean})
        else:
            changes = {name: [before.get(name), value] for name, value in clean.items() if before.get(name) != value}
            if not changes:
                diff["unchanged"] += 1
                continue
            diff["changed"].append({"sheet": section, "key": key, "fields": changes})
        result.built[(section, key)] = built
        result.countries.update(spec.countries_of(clean))
    if section != "recruitment_regime":
        for obj in spec.published_in(country):
            if spec.object_key(obj) not in keys:
                diff["withdrawn"].append({"sheet": section, "key": spec.object_key(obj), "label": str(obj)})
                result.withdrawn.append(obj)
                result.countries.add(country)


def _object_countries(section, obj):
    if section == "agreements":
        return [party.pk for party in obj.parties.all()]
    return [obj.country_id]


def _clean_built(result, built, location_of):
    ok = True
    try:
        # Foreign keys were resolved from the References read once per file; full_clean would ask
        # the database once per row and field.
        built.instance.full_clean(
            exclude=_foreign_keys(type(built.instance)), validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        ok = False
        for name, message in _model_errors(error):
            result.add(location_of(None, None), name, _value_of(built.instance, name), message)
    for relation, children in built.children.items():
        for child_index, (model, values, _many) in enumerate(children):
            child = model(**values)
            try:
                child.full_clean(exclude=_foreign_keys(model), validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                ok = False
                for name, message in _model_errors(error):
                    result.add(location_of(relation, child_index), name, values.get(name), message)
    return ok


def _foreign_keys(model):
    return [field.name for field in model._meta.concrete_fields if field.is_relation]


def _value_of(instance, name):
    value = getattr(instance, name, None) if name else None
    return value if isinstance(value, (str, int, bool, type(None))) else str(value)


_CACHE = {}
_FAST = {}


def _fast_checks(validator):
    """A FastRowCheck for the section `validator` checks (one per section, with a fresh value cache per file)."""
    section = validator.schema["$ref"].rsplit("/", 1)[1]
    check = _FAST.get(section)
    if check is None:
        defs = validator.schema["$defs"]
        check = _FAST[section] = FastRowCheck(defs[section], defs)
    return check


def reset_value_cache():
    for check in _FAST.values():
        check.cache.clear()


def _validators_cache(section):
    if not _CACHE:
        _CACHE.update(_validators())
    return _CACHE[section]
