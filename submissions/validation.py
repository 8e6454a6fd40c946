"""Checking every row of a parsed document, and the diff against what is published.

Each row is checked against the JSON Schema, then made into the model instance it would become and
checked with the model's own full_clean(), then for the countries the submitter keeps. Nothing is
saved here. Messages are in the active language (the caller activates the submitter's). What is
checked comes from the sheets of format.py: their schema, fields, keys and countries.

Rows are checked CHUNK_ROWS at a time, and the diff leaves through a sink after each chunk: the
DiffCollector keeps it in memory (a document import, tests), the submission pipeline writes it to
the database or publishes it a chunk at a time (services.py), so that a file of a hundred thousand
rows is checked in bounded memory. What stays for the whole file is the set of its keys (to find
repeated rows and the published rows it leaves out) and the first MAX_ERRORS_PER_SHEET errors of
each sheet, with the count of all.
"""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from core.fields import PublicationStatus

from .format import (
    AMOUNT_PATTERN,
    COUNTRY_PATTERN,
    CURRENCY_PATTERN,
    DATE_PATTERN,
    ISCO_ANY_PATTERN,
    ISCO_UNIT_PATTERN,
    KEY_PATTERN,
    SECTIONS,
    SECTOR_PATTERN,
    SET_KINDS,
    URL_PATTERN,
    RowError,
    common_format_schema,
    empty_value,
    object_row_schema,
    positional_row,
    sheet_named,
)
from .parsing import SheetRows
from .records import (
    References,
    build_row,
    existing_objects,
    export_row,
    object_countries,
    object_key,
    published_in,
    row_countries,
    row_key,
)

CHUNK_ROWS = 1000
MAX_ERRORS_PER_SHEET = 1000


def row_error_message(code):
    return {
        "unknown_source": _("Unknown legal source key(s): the hub has no source with this key."),
        "unknown_contact": _("Unknown contact point key: the hub has no contact point with this key."),
        "unknown_country": _("Unknown country code(s) (ISO 3166-1 alpha-2)."),
        "unknown_isco": _("Unknown ISCO-08 code(s)."),
        "unknown_sector": _("Unknown ISIC Rev. 4 section(s)."),
        "invalid_date": _("Not a date: write it as YYYY-MM-DD, e.g. 2026-03-01."),
        "example_prefix": _("An example agency's licence number must start with EXAMPLE-."),
        "agency_register": _("A real agency needs its register as a source (or mark it is_example)."),
    }.get(code, code)


def pattern_message(pattern):
    """What a value of the form `pattern` (a pattern of format.py) is, in words with an example: the
    report never shows a regular expression. A blank alternative ("^$|…") says the field may be left
    empty, which the message need not repeat."""
    messages = {
        DATE_PATTERN: _("Not a date: write it as YYYY-MM-DD, e.g. 2026-03-01."),
        AMOUNT_PATTERN: _(
            "The amount must be a positive number with at most two decimals, written with a point and no "
            'thousands separator, e.g. 75.00 (in a JSON file, as text: "75.00").'
        ),
        KEY_PATTERN: _("A key is letters, digits, hyphens and underscores only, without spaces, e.g. ma-labour-code."),
        COUNTRY_PATTERN: _("Not a country code: write the two capital letters of ISO 3166-1, e.g. MA for Morocco."),
        CURRENCY_PATTERN: _("Not a currency code: write the three capital letters of ISO 4217, e.g. EUR."),
        URL_PATTERN: _(
            "Not a web address: it starts with http:// or https:// and holds no spaces, e.g. https://www.example.org/."
        ),
        ISCO_UNIT_PATTERN: _("Not an ISCO-08 unit group: write its four digits, e.g. 2512."),
        ISCO_ANY_PATTERN: _("Not an ISCO-08 code: write one to four digits, e.g. 25 or 2512."),
        SECTOR_PATTERN: _("Not an ISIC Rev. 4 section: write one capital letter from A to U, e.g. F for construction."),
    }
    known = messages.get(pattern.removeprefix("^$|"))
    return known or _("This value does not have the form the field needs: see its description in the common format.")


def _plain(value):
    """A value of the schema as a person writes it: text without quotes, true/false, (empty)."""
    if value == "" or value is None:
        return _("(empty)")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _type_message(error):
    expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    if "pattern" in error.schema:  # a date or an amount given as a number: say what it must look like
        return pattern_message(error.schema["pattern"])
    if "boolean" in expected:
        if "null" in expected:
            return _("Write true or false (in a spreadsheet also yes or no), or leave it empty when it is not known.")
        return _("Write true or false (in a spreadsheet also yes or no).")
    if "integer" in expected:
        if "null" in expected:
            return _("Write a whole number, e.g. 12, or leave it empty.")
        return _("Write a whole number, e.g. 12.")
    names = {
        "string": _("text"),
        "array": _("a list"),
        "object": _("an object"),
        "null": _("empty"),
    }
    return _("Wrong type: expected %(expected)s.") % {"expected": _(" or ").join(names.get(t, t) for t in expected)}


def _range_message(schema):
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return _("Out of range: write a number from %(low)s to %(high)s.") % {"low": low, "high": high}
    if low is not None:
        return _("Out of range: write a number of %(low)s or more.") % {"low": low}
    return _("Out of range: write a number of %(high)s or less.") % {"high": high}


def _repeated(items):
    seen = []
    for item in items if isinstance(items, list) else []:
        if item in seen:
            return item
        seen.append(item)
    return None


def schema_error_message(error):
    """A jsonschema error in plain words, in the active language: what the field needs, with an
    example where one helps; never the schema's own notation (a regular expression, a Python repr)."""
    validator = error.validator
    if validator == "required":
        return _("This field is required.")
    if validator == "additionalProperties":
        return _("Unknown field(s): %(fields)s.") % {
            "fields": ", ".join(sorted(set(error.instance) - set(error.schema.get("properties", {}))))
        }
    if validator == "type":
        return _type_message(error)
    if validator == "enum":
        return _("Not one of the allowed values: %(values)s.") % {
            "values": ", ".join(_plain(value) for value in error.validator_value)
        }
    if validator == "pattern":
        return pattern_message(error.validator_value)
    if validator == "minLength":
        return _("This field must not be blank.")
    if validator == "maxLength":
        return _("Too long: at most %(count)s characters.") % {"count": error.validator_value}
    if validator == "minItems":
        return _("Give at least %(count)s item(s).") % {"count": error.validator_value}
    if validator == "uniqueItems":
        return _("The list repeats an item: %(item)s.") % {"item": _plain(_repeated(error.instance))}
    if validator in ("minimum", "maximum"):
        return _range_message(error.schema)
    if validator == "const":
        return _("Must be %(value)s.") % {"value": _plain(error.validator_value)}
    return _("This value is not accepted here.")


@dataclass
class Result:
    errors: list = field(default_factory=list)  # the first MAX_ERRORS_PER_SHEET of each sheet
    error_counts: dict = field(default_factory=dict)  # sheet -> how many errors in all
    warnings: list = field(default_factory=list)
    diff: dict = field(default_factory=dict)  # with the DiffCollector: the whole diff
    built: dict = field(default_factory=dict)  # with the DiffCollector: (section, key) -> Built
    withdrawn: list = field(default_factory=list)  # with the DiffCollector: objects to withdraw
    countries: set = field(default_factory=set)  # countries whose published data would change
    published: dict = field(default_factory=dict)  # sheet -> the country's published rows before the file
    rows: int = 0
    sink: object = None  # where the diff went (its counts and digest)

    @property
    def error_count(self):
        return sum(self.error_counts.values())

    def add(self, location, field_name, value, message):
        sheet, number = location
        bucket = error_sheet(sheet)
        self.error_counts[bucket] = self.error_counts.get(bucket, 0) + 1
        if self.error_counts[bucket] <= MAX_ERRORS_PER_SHEET:
            self.errors.append(
                {"sheet": sheet, "row": number, "field": field_name, "value": _short(value), "message": str(message)}
            )


def error_sheet(sheet):
    """The sheet an error counts with: a child row's ("permits[2].documents", "documents") with its
    section's in a JSON file, with its own sheet in a spreadsheet."""
    return sheet.split("[")[0].split(".")[0]


def _short(value):
    if value is None:
        return None
    if isinstance(value, (bool, int, float)):
        return value
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 200 else text[:197] + "…"


# -- where the diff goes ------------------------------------------------------------------------------


class DiffSink:
    """Receives the diff a chunk of rows at a time: `entry()` for each row added or changed (with
    what would be saved), `withdraw()` for each published row the file leaves out, `flush()` after
    each chunk. It keeps the counts and a digest of the whole diff (entries in order, then the
    number of unchanged rows): publishing compares digests instead of diffs."""

    def __init__(self):
        self.counts = {"added": 0, "changed": 0, "withdrawn": 0, "unchanged": 0}
        self.withdrawn_by_sheet = {}
        self._digest = hashlib.sha256()

    def _count(self, kind, entry):
        self.counts[kind] += 1
        self._digest.update(json.dumps([kind, entry], sort_keys=True, separators=(",", ":")).encode() + b"\n")

    def entry(self, kind, entry, built):
        # The label of a row added or changed is for the reader, in the report's language; the digest
        # is of what would be saved (so a translation changed between check and publish refuses nothing).
        self._count(kind, {name: value for name, value in entry.items() if name != "label"})

    def unchanged(self):
        self.counts["unchanged"] += 1

    def withdraw(self, entry, obj):
        self._count("withdrawn", entry)
        self.withdrawn_by_sheet[entry["sheet"]] = self.withdrawn_by_sheet.get(entry["sheet"], 0) + 1

    def flush(self):
        """A chunk of rows is done."""

    def digest(self):
        final = self._digest.copy()
        final.update(str(self.counts["unchanged"]).encode())
        return final.hexdigest()


class DiffCollector(DiffSink):
    """Keeps the whole diff in memory (result.diff), and what would be saved (result.built,
    result.withdrawn): for documents of a bounded size, imported at once."""

    def __init__(self, result):
        super().__init__()
        self.result = result
        self.diff = {"added": [], "changed": [], "withdrawn": [], "unchanged": 0}

    def entry(self, kind, entry, built):
        super().entry(kind, entry, built)
        self.diff[kind].append(entry)
        self.result.built[(entry["sheet"], entry["key"])] = built

    def unchanged(self):
        super().unchanged()
        self.diff["unchanged"] += 1

    def withdraw(self, entry, obj):
        super().withdraw(entry, obj)
        self.diff["withdrawn"].append(entry)
        self.result.withdrawn.append(obj)


# -- one row in canonical form ---------------------------------------------------------------------


def normalise(sheet, row, default_country):
    """Fill what a row leaves out, and put values in one canonical form, so rows compare."""
    row = positional_row(sheet, row)
    out = {name: _canonical(item, row.get(name, empty_value(item))) for name, item in sheet.field_map.items()}
    for item in sheet.fields:
        value = out[item.name]
        if item.kind == "country" and not item.required and (value == "" or (value is None and not item.nullable)):
            out[item.name] = default_country  # a row names its country only when it is not the file's
    for child in sheet.children:
        if child in row:
            child_sheet = sheet_named(child)
            out[child] = [
                {
                    name: _canonical(item, values.get(name, empty_value(item)))
                    for name, item in child_sheet.field_map.items()
                }
                for values in row[child]
            ]
    return canonical_children(sheet, out)


def canonical_children(sheet, row):
    """Children without an order of their own (thresholds, enforcement actions) sorted, so rows compare."""
    for child in sheet.children:
        order = sheet_named(child).ordered_by
        if order and isinstance(row.get(child), list):
            row[child] = sorted(row[child], key=lambda item: tuple(item[name] or "" for name in order))
    return row


def _canonical(item, value):
    if item.kind in SET_KINDS and item.ref is not None and isinstance(value, list):
        return sorted(value)  # a many-to-many relation: a set (a list stored as given keeps its order)
    if item.kind == "amount" and isinstance(value, str) and value:
        return f"{Decimal(value):.2f}"
    if isinstance(value, str):
        return value.strip()
    return value


# -- the JSON Schema ---------------------------------------------------------------------------------


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


class SchemaChecks:
    """The JSON Schema validators of a document and of the rows of its sections, made afresh for
    each document from the format as it is (the fast checks' answers hold for one file)."""

    def __init__(self, sections):
        schema = common_format_schema(sections)
        defs = schema["$defs"]
        # A row given as an array (a corridor's two ends) is checked as the object it stands for.
        self.rows = {
            name: Draft202012Validator({"$schema": schema["$schema"], "$defs": defs, **object_row_schema(defs[name])})
            for name in sections
        }
        self.fast = {
            name: FastRowCheck(object_row_schema(defs[name]), defs)
            for name in sections
            if object_row_schema(defs[name])["type"] == "object"
        }
        shapes = {name: {"type": "object" if sheet_named(name).single else "array"} for name in sections}
        self.document = Draft202012Validator(
            {
                **{key: value for key, value in schema.items() if key != "$defs"},
                "properties": {**schema["properties"], **shapes},
            }
        )

    def row_is_valid(self, section, row):
        fast = self.fast.get(section)
        return fast.is_valid(row) if fast else self.rows[section].is_valid(row)


# -- one document ------------------------------------------------------------------------------------


def _holds(codes, countries):
    return codes is None or any(country in codes for country in countries)


def _not_held_message(code):
    return _("You do not keep the data of %(country)s: only your own countries' rows can be submitted.") % {
        "country": code
    }


@dataclass
class _Run:
    """What the checks of one document share."""

    parsed: object
    country: str | None  # the submission's country: sections given replace its published rows
    default_country: str | None  # the country of rows that name none
    held_codes: object  # the countries the submitter keeps (None: every one)
    check_rows: bool
    schemas: SchemaChecks
    result: Result
    sink: DiffSink
    refs: References = field(default_factory=References)


def validate_document(parsed, *, country, held_codes, check_rows=True, sections=SECTIONS, sink=None, progress=None):
    """Check every row of `parsed` for a submission of `country` by someone keeping `held_codes`
    (None = every country); return the errors and, when there are none, the diff (result.diff with
    the default DiffCollector; otherwise what `sink` did with it). `progress(rows)` is called after
    each chunk of rows.

    `check_rows=False` skips what depends on the row alone (the schema and the models' field rules),
    for a file already checked whose bytes are unchanged; what depends on the database (references,
    countries held, the diff) is always checked. `sections` are those a document may hold: the
    common format's, or the reference sections the hub loads (sources, contacts, corridors)."""
    result = Result(warnings=list(parsed.warnings))
    sink = result.sink = sink if sink is not None else DiffCollector(result)
    schemas = SchemaChecks(sections)
    document = parsed.document
    # A streamed sheet (SheetRows) is a list of rows by construction; its rows are checked below.
    shapes = {name: [] if isinstance(rows, SheetRows) else rows for name, rows in document.items()}
    for error in schemas.document.iter_errors(shapes):
        path = ".".join(str(part) for part in error.absolute_path)
        result.add(("", None), path, None, schema_error_message(error))
    if result.errors:
        return result
    if not any(section in document for section in sections):
        result.add(("", None), "", None, _("The file holds none of the sections: %s.") % ", ".join(sections))
        return result
    default_country = document.get("country") or country
    if not _holds(held_codes, [default_country]):
        result.add(("", None), "country", default_country, _not_held_message(default_country))
        return result
    run = _Run(parsed, country, default_country, held_codes, check_rows, schemas, result, sink)
    for section in sections:
        if section in document:
            sheet = sheet_named(section)
            rows = [document[section]] if sheet.single else document[section]
            _validate_section(run, sheet, _located(parsed, section, rows), progress)
    if isinstance(sink, DiffCollector):
        result.diff = sink.diff if not result.errors else {}
    return result


def _located(parsed, section, rows):
    """(location_of, row) of each row of a section; a streamed sheet's rows know their number."""
    if isinstance(rows, SheetRows):
        for number, row in rows:
            yield _fixed_locator(section, number), row
    else:
        for index, row in enumerate(rows):
            yield _locator(parsed, section, index), row


def _fixed_locator(section, number):
    def location_of(child, child_index):
        return (section, number) if child is None else (f"{section}.{child}", child_index + 1)

    return location_of


def _locator(parsed, section, index):
    """Where the report places row `index` of `section`, or one of its children."""

    def location_of(child, child_index):
        if child is None:
            return parsed.locations.get((section, index), (section, index + 1))
        return parsed.locations.get((section, index, child, child_index), (f"{section}.{child}", child_index + 1))

    return location_of


def _validate_section(run, sheet, located, progress=None):
    keys = {}  # row key -> row number, for the whole section
    chunk = []
    for item in located:
        chunk.append(item)
        if len(chunk) == CHUNK_ROWS:
            _validate_chunk(run, sheet, chunk, keys)
            chunk = []
            if progress:
                progress(run.result.rows)
    _validate_chunk(run, sheet, chunk, keys)
    if progress:
        progress(run.result.rows)
    if run.country and sheet.publishable and not sheet.single:
        _withdrawn(run, sheet, keys)


def _validate_chunk(run, sheet, chunk, keys):
    fresh = []
    for location_of, clean in _rows_normalised(run, sheet, chunk):
        key = row_key(sheet, clean)
        if key in keys:
            run.result.add(location_of(None, None), "", key, _("This row repeats row %(row)s.") % {"row": keys[key]})
        else:
            keys[key] = location_of(None, None)[1]
            fresh.append((location_of, clean, key))
    existing = existing_objects(sheet, [key for _location, _clean, key in fresh]) if fresh else {}
    for location_of, clean, key in fresh:
        _row_compared(run, sheet, clean, existing.get(key), location_of)
    run.sink.flush()


def _withdrawn(run, sheet, keys):
    """Hand the sink the country's published rows of `sheet` that the file leaves out: their keys
    are read first (one column each), the rows themselves only for those withdrawn, in order of id."""
    attnames = [sheet.model_fields[name].attname for name in sheet.key]
    published, gone = 0, []
    for pk, *values in (
        published_in(sheet, run.country).order_by("pk").values_list("pk", *attnames).iterator(chunk_size=5000)
    ):
        published += 1
        if row_key(sheet, dict(zip(sheet.key, values, strict=True))) not in keys:
            gone.append(pk)
    run.result.published[sheet.name] = published
    if gone:
        run.result.countries.add(run.country)
    for start in range(0, len(gone), CHUNK_ROWS):
        objects = published_in(sheet, run.country).filter(pk__in=gone[start : start + CHUNK_ROWS]).order_by("pk")
        for obj in objects:
            run.sink.withdraw({"sheet": sheet.name, "key": object_key(sheet, obj), "label": str(obj)}, obj)
        run.sink.flush()


def _rows_normalised(run, sheet, located):
    """[(location_of, normalised row)] of the rows that pass the schema and that the submitter keeps."""
    normalised = []
    for location_of, row in located:
        run.result.rows += 1
        row = positional_row(sheet, row)
        if not isinstance(row, dict):
            message = (
                _("Each row must be an object, or the list of its %(keys)s only.") % {"keys": ", ".join(sheet.key)}
                if sheet.positional
                else _("Each row must be an object.")
            )
            run.result.add(location_of(None, None), "", None, message)
            continue
        if run.check_rows:
            failed = _schema_errors(run, sheet, row, location_of)
            if failed is not None:
                _model_errors_of_the_rest(run, sheet, row, failed, location_of)
                continue
        clean = normalise(sheet, row, run.default_country)
        countries = row_countries(sheet, clean)
        if not _holds(run.held_codes, countries):
            value = ", ".join(str(code) for code in countries)
            run.result.add(location_of(None, None), sheet.countries[0], value, _not_held_message(countries[0]))
            continue
        normalised.append((location_of, clean))
    return normalised


def _row_compared(run, sheet, clean, current, location_of):
    """Build the row on what is stored and put it in the diff: added, changed or unchanged."""
    key = row_key(sheet, clean)
    if current is not None and not _holds(run.held_codes, object_countries(sheet, current)):
        run.result.add(
            location_of(None, None),
            sheet.key[0],
            key,
            _("This key belongs to data of another country that you do not keep."),
        )
        return
    stored = current is not None and (
        not sheet.publishable or current.publication_status == PublicationStatus.PUBLISHED
    )
    before = canonical_children(sheet, export_row(sheet, current)) if stored else None
    try:
        built = build_row(sheet, clean, run.refs, current)
    except RowError as error:
        run.result.add(location_of(None, None), error.field, error.value, row_error_message(error.message))
        return
    if run.check_rows and not _clean_built(run.result, sheet, built, location_of):
        return
    label = str(built.instance)  # the row's name, as a withdrawn row's label: for the reader of the diff
    if before is None:
        run.sink.entry("added", {"sheet": sheet.name, "key": key, "label": label, "values": clean}, built)
    else:
        changes = {
            name: [before.get(name), value]
            for name, value in clean.items()
            if not _same(sheet.field_map.get(name), before.get(name), value)
        }
        if not changes:
            run.sink.unchanged()
            return
        run.sink.entry("changed", {"sheet": sheet.name, "key": key, "label": label, "fields": changes}, built)
    run.result.countries.update(code for code in row_countries(sheet, clean) if code)


def _same(item, before, after):
    """Whether a field's stored and given values are the same: lists of a set kind in any order."""
    if item is not None and item.kind in SET_KINDS and isinstance(before, list) and isinstance(after, list):
        return sorted(before) == sorted(after)
    return before == after


def _schema_errors(run, sheet, row, location_of):
    """Report the row's schema errors; return the fields (and child lists) they are about, or None
    when the row is valid."""
    if run.schemas.row_is_valid(sheet.name, row):
        return None
    failed = set()
    for error in run.schemas.rows[sheet.name].iter_errors(row):
        path = list(error.absolute_path)
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else ""
            path = [*path, missing]
        failed.add(path[0] if path else "")
        child_location = None
        if len(path) >= 2 and path[0] in sheet.children and isinstance(path[1], int):
            child_location = location_of(path[0], path[1])
            path = path[2:]
        field_name = ".".join(str(part) for part in path if not isinstance(part, int))
        value = error.instance if error.validator not in ("required", "additionalProperties") else None
        if error.validator == "additionalProperties":
            value = ", ".join(sorted(set(error.instance) - set(error.schema.get("properties", {}))))
        run.result.add(child_location or location_of(None, None), field_name, value, schema_error_message(error))
    return failed


def _model_errors_of_the_rest(run, sheet, row, failed, location_of):
    """What the model says of a row's fields that passed the schema, so that one report shows all
    of a row's problems. Rules across fields (sheet.checks) wait until the row passes the schema:
    a field left out could make them fail for nothing."""
    if not isinstance(row, dict) or "" in failed:
        return
    kept = {name: value for name, value in row.items() if name not in failed}
    try:
        built = build_row(sheet, normalise(sheet, kept, run.default_country), run.refs, checks=False)
    except RowError as error:
        if error.field not in failed:
            run.result.add(location_of(None, None), error.field, error.value, row_error_message(error.message))
        return
    _clean_built(run.result, sheet, built, location_of, skip=failed)


# -- the models' own rules ---------------------------------------------------------------------------


def _columns(sheet):
    """{model field name: column of the format}, for the model's errors."""
    columns = {"__all__": ""}
    for item in sheet.fields:
        for column, attribute in item.translations or [(item.name, item.model_attribute)]:
            columns[attribute] = column
        columns.setdefault(item.model_attribute.removesuffix("_en"), item.name)
    return columns


def _model_errors(error, columns):
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            yield columns.get(name, name), " ".join(messages)
    else:
        yield "", " ".join(error.messages)


def _clean_built(result, sheet, built, location_of, skip=()):
    """full_clean() the instance and its children, reporting their errors (but those of the fields
    in `skip`); return whether they are valid."""
    ok = True
    try:
        # Foreign keys were resolved from the References read once per file; full_clean would ask
        # the database once per row and field.
        built.instance.full_clean(
            exclude=_foreign_keys(type(built.instance)), validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        ok = False
        for name, message in _model_errors(error, _columns(sheet)):
            if name not in skip:
                result.add(location_of(None, None), name, _value_of(built.instance, name), message)
    for relation, children in built.children.items():
        for child_index, (model, values, _many) in enumerate(children):
            child = model(**values)
            try:
                child.full_clean(exclude=_foreign_keys(model), validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                ok = False
                for name, message in _model_errors(error, _columns(sheet_named(relation))):
                    result.add(location_of(relation, child_index), name, values.get(name), message)
    return ok


def _foreign_keys(model):
    return [field.name for field in model._meta.concrete_fields if field.is_relation]


def _value_of(instance, name):
    value = getattr(instance, name, None) if name else None
    return value if isinstance(value, (str, int, bool, type(None))) else str(value)
