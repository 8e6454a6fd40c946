"""Rows of the common format ↔ model instances, derived from the sheets of format.py.

`export_row` turns a stored object into a row (for the diff and the template examples); `build_row`
turns a row into the unsaved instance, its many-to-many ids and its children, exactly as they will
be saved (validation runs full_clean() on them; publishing saves them). How each field is read and
written comes from its Field: its kind, its model attribute (a plain field, a foreign key or a
many-to-many relation, as the model says) and the Reference that resolves its keys.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation

from core.fields import PublicationStatus
from core.translations import RELATION as TEXT_RECORDS
from core.translations import text_origins

from .format import TEXT_KINDS, RowError, sheet_named


class References:
    """What rows may cite (sources, contacts, countries, ISCO groups, sectors), each read once per
    file when a row first cites it."""

    def __init__(self):
        self._known = {}

    def _of(self, ref):
        if ref not in self._known:
            self._known[ref] = dict(ref.model._base_manager.values_list(ref.key, "pk"))
        return self._known[ref]

    def ids(self, ref, keys, field_name):
        known = self._of(ref)
        try:
            return [known[key] for key in keys]
        except (KeyError, TypeError):
            missing = [str(key) for key in keys if key not in known]
            raise RowError(field_name, ", ".join(missing), ref.error) from None


@dataclass
class Built:
    """A row made into what will be saved."""

    instance: object
    many: dict = field(default_factory=dict)  # m2m field -> ids
    children: dict = field(default_factory=dict)  # relation -> list of (model, values, many)


def assign(obj, values):
    """Set field values in English, the default language: under another active language,
    django-modeltranslation would route a plain `name` to that language's column."""
    with translation.override("en"):
        for name, value in values.items():
            setattr(obj, name, value)


# -- one field ---------------------------------------------------------------------------------------


def _date(value, field_name):
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RowError(field_name, value, "invalid_date") from None


# How a value of each kind is written to its model attribute and read back; kinds not named here
# are stored as they are.
TO_MODEL = {
    "date": _date,
    "amount": lambda value, _name: None if value in (None, "") else Decimal(value),
    "lines": lambda value, _name: "\n".join(value or []),
}
FROM_MODEL = {
    "date": lambda value: value.isoformat() if value else None,
    "amount": lambda value: None if value is None else f"{value:.2f}",
    "lines": lambda value: [line for line in (value or "").split("\n") if line],
    "list": lambda value: list(value or []),
    "int_list": lambda value: list(value or []),
    **dict.fromkeys(TEXT_KINDS, lambda value: value or ""),
}


def _export_reference(model_field, item, obj):
    ref = item.ref
    if model_field.many_to_many:
        return sorted(getattr(related, ref.key) for related in getattr(obj, model_field.name).all())
    if ref.key == ref.model._meta.pk.name:
        return getattr(obj, model_field.attname)  # the code is the key: no query
    related = getattr(obj, model_field.name)
    return getattr(related, ref.key) if related is not None else ""


def _export_field(sheet, item, obj):
    if item.row_record:
        return {item.name: obj.text_origin[item.name]}
    if item.translated:
        convert = FROM_MODEL[item.kind]
        return {column: convert(getattr(obj, attribute)) for column, attribute in item.translations}
    if item.ref is not None:
        return {item.name: _export_reference(sheet.model_fields[item.name], item, obj)}
    value = getattr(obj, item.model_attribute)
    convert = FROM_MODEL.get(item.kind)
    return {item.name: value if convert is None else convert(value)}


# -- rows --------------------------------------------------------------------------------------------


def export_row(sheet, obj):
    """A stored object as a row of `sheet`, its children included."""
    row = {}
    for item in sheet.fields:
        row.update(_export_field(sheet, item, obj))
    for child in sheet.children:
        row[child] = [export_row(sheet_named(child), related) for related in getattr(obj, child).all()]
    return row


def _values_of(sheet, row, refs, prefix=""):
    """(values, many) that a row gives its instance: model attribute -> value, and many-to-many
    relation -> ids; `prefix` names a child's fields in errors."""
    values, many = {}, {}
    for item in sheet.fields:
        if item.translated:
            convert = TO_MODEL.get(item.kind)
            for column, attribute in item.translations:
                value = row.get(column) or ""
                values[attribute] = value if convert is None else convert(value, prefix + column)
            continue
        value = row[item.name]
        if item.row_record:  # what the row's texts are, kept by core.translations when it is saved
            values.setdefault(item.model_attribute, {})[item.name] = value
            continue
        if item.ref is None:
            convert = TO_MODEL.get(item.kind)
            values[item.model_attribute] = value if convert is None else convert(value, prefix + item.name)
            continue
        model_field = sheet.model_fields[item.name]
        if model_field.many_to_many:
            many[model_field.name] = refs.ids(item.ref, value, prefix + item.name)
        elif value in (None, "") and model_field.null:
            values[model_field.attname] = None
        else:
            values[model_field.attname] = refs.ids(item.ref, [value], prefix + item.name)[0]
    return values, many


def build_row(sheet, row, refs, existing=None, *, checks=True):
    """A normalised row of `sheet` made into the instance it will be (`existing`, changed, or a new
    one), published, with its many-to-many ids and its children. Raises RowError; `checks=False`
    leaves out the sheet's rules across fields."""
    for check in sheet.checks if checks else ():
        check(row)
    values, many = _values_of(sheet, row, refs)
    if sheet.publishable:
        values["publication_status"] = PublicationStatus.PUBLISHED
    if existing is None:
        instance = sheet.model(**values)  # one pass: a register may hold thousands of new rows
    else:
        instance = existing
        assign(instance, values)
    built = Built(instance, many)
    for relation in sheet.children:
        if relation not in row:
            continue
        child_sheet = sheet_named(relation)
        children = []
        for index, item in enumerate(row[relation]):
            child_values, child_many = _values_of(child_sheet, item, refs, f"{relation}[{index}].")
            if child_sheet.position:
                child_values[child_sheet.position] = index
            children.append((child_sheet.model, child_values, child_many))
        built.children[relation] = children
    return built


# -- what a sheet's rows are in the database -----------------------------------------------------------


def row_key(sheet, row):
    """The identity of a normalised row: its key fields' values (an agency: MA:EXAMPLE-MA-1)."""
    return ":".join(str(row[name]) for name in sheet.key)


def object_key(sheet, obj):
    return row_key(sheet, {name: _key_value(sheet, name, obj) for name in sheet.key})


def _key_value(sheet, name, obj):
    return getattr(obj, sheet.model_fields[name].attname)


def row_countries(sheet, row):
    """The countries a row is about: its country, an agreement's parties, a corridor's two ends."""
    codes = []
    for name in sheet.countries:
        value = row.get(name)
        codes += value if isinstance(value, list) else [value]
    return codes


def object_countries(sheet, obj):
    return row_countries(
        sheet, {name: _export_field(sheet, sheet.field_map[name], obj)[name] for name in sheet.countries}
    )


def queryset(sheet):
    """Every stored row of the sheet (any publication status), with what export_row reads."""
    select, prefetch = [], []
    for item in sheet.fields:
        if item.ref is None or item.translated:
            continue
        model_field = sheet.model_fields[item.name]
        (prefetch if model_field.many_to_many else select).append(model_field.name)
    for relation in sheet.children:
        child = sheet_named(relation)
        # A child's many-to-many references and foreign keys (a language requirement's source) come
        # with it, so exporting a permit's children costs no query per row.
        cited = [
            child.model_fields[item.name].name for item in child.fields if item.ref is not None and not item.translated
        ]
        prefetch += [f"{relation}__{name}" for name in cited] or [relation]
        if any(item.row_record for item in child.fields):
            prefetch.append(text_origins(f"{relation}__{TEXT_RECORDS}"))
    if any(item.row_record for item in sheet.fields):
        prefetch.append(text_origins(TEXT_RECORDS))  # the rows' original_language and official_texts
    return sheet.model._base_manager.select_related(*select).prefetch_related(*prefetch)


def existing_objects(sheet, keys):
    """The stored objects (any publication status) for these row keys, by key."""
    parts = [key.split(":", len(sheet.key) - 1) for key in keys]
    lookups = {}
    for position, name in enumerate(sheet.key):
        attname = sheet.model_fields[name].attname
        lookups[f"{attname}__in"] = {part[position] for part in parts if len(part) == len(sheet.key)}
    return {object_key(sheet, obj): obj for obj in queryset(sheet).filter(**lookups)}


def published_in(sheet, country):
    """Published objects of `country` in this sheet (what a full section replaces)."""
    attribute = sheet.field_map[sheet.countries[0]].model_attribute
    return queryset(sheet).filter(publication_status=PublicationStatus.PUBLISHED, **{attribute: country})
