"""The bulk download of the published data: a Frictionless Data Package, built after each publish.

A package is a zip holding `datapackage.json` (a Table Schema per table, the data version, the
licence, each file's SHA-256 and size), every table as CSV (children such as a permit's documents
in tables of their own, keyed by their parent) and every main table as JSON (children nested, as in
the common format; an empty one is listed in `mobility_hub.files` but is no resource, as frictionless
reads no empty JSON table). The rows are those of the common format (submissions.records.export_row),
in every language: a translated field is one column per language. The layout is shared with the
reader (submissions/package.py), which loads a package into a mirror.

The same data version gives the same bytes: rows are in the order they were stored, and
each zip entry dated with the data version's time; the build time is kept beside the zip, in its
index entry, not in it. The last DATA_PACKAGE_KEEP packages are kept in DATA_PACKAGE_ROOT.
"""

import csv
import datetime
import io
import json
import logging
import os
import threading
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from core.api.versioning import data_version_current
from core.fields import PublicationStatus
from submissions import background
from submissions.format import FORMAT_VERSION, SCHEMA_ID, cell_text, sheet_named
from submissions.package import (
    DESCRIPTOR,
    PACKAGE_SCHEMA_VERSION,
    TABLES,
    csv_path,
    json_path,
    sha256,
)
from submissions.records import export_row, queryset

from .datasets import HUB_DATA_LICENCE

logger = logging.getLogger(__name__)

PACKAGE_NAME = "mobility-hub"
FILE_PREFIX = "mobility-hub-data-"
# Table Schema types of the common format's kinds (lists are arrays in JSON, "; "-joined text in CSV).
FIELD_TYPES = {
    "int": "integer",
    "bool": "boolean",
    "tristate": "boolean",
    "date": "date",
    "amount": "number",
}
LIST_KINDS = ("list", "lines", "int_list")


def package_root() -> Path:
    return Path(settings.DATA_PACKAGE_ROOT)


# -- rows --------------------------------------------------------------------------------------------


def table_rows(table):
    """The published rows of a main table in the common format, in the order they were stored, and
    their children in their models' order: a mirror that loads them in this order breaks the ties of
    every ordering (by id, after the name) as the original does."""
    sheet = sheet_named(table)
    objects = queryset(sheet).order_by("pk")
    if sheet.publishable:
        objects = objects.filter(publication_status=PublicationStatus.PUBLISHED)
    return [export_row(sheet, obj) for obj in objects]


# -- schemas ----------------------------------------------------------------------------------------


def _schema_field(name, item, *, json_format, description=""):
    if item is None or item.kind in ("text", "key", "url", "choice", "currency", "country"):
        field = {"name": name, "type": "string"}
        if item is not None and item.kind == "choice" and item.choices and not json_format:
            field["constraints"] = {"enum": list(item.choices)}
    elif item.kind in LIST_KINDS:
        field = {"name": name, "type": "array" if json_format else "string"}
    else:
        field = {"name": name, "type": FIELD_TYPES[item.kind]}
    text = description or (item.description if item is not None else "")
    if text:
        field["description"] = text
    return field


def table_schema(table, *, json_format):
    """The Table Schema of a table: its columns, its key and, for a child table, its parent."""
    sheet = sheet_named(table)
    fields = []
    if sheet.parent_key:
        fields.append(_schema_field(sheet.parent_key, None, json_format=json_format, description="The parent's key."))
    for item in sheet.fields:
        for column, _attribute in item.translations or [(item.name, None)]:
            language = column.rsplit("_", 1)[1] if column != item.name else "en"
            description = f"{item.description} ({language})" if item.translated else ""
            fields.append(_schema_field(column, item, json_format=json_format, description=description))
    if json_format:
        for child in sheet.children:
            fields.append({"name": child, "type": "array", "description": f"The rows of {child}, nested."})
    schema = {"fields": fields, "missingValues": [""]}
    if sheet.key and not sheet.parent:
        schema["primaryKey"] = list(sheet.key)
    if sheet.parent and not json_format:
        parent = sheet_named(sheet.parent)
        schema["foreignKeys"] = [
            {
                "fields": [sheet.parent_key],
                "reference": {"resource": f"{sheet.parent}-csv", "fields": [sheet.parent_field]},
            }
        ]
        if parent.key != (sheet.parent_field,):
            del schema["foreignKeys"]  # an agency's licence number is unique per country only
    return schema


# -- files ------------------------------------------------------------------------------------------


def _csv_bytes(header, lines):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(lines)
    return buffer.getvalue().encode("utf-8")


def _csv_tables(table, rows):
    """{table name: CSV bytes} of a main table and of its children."""
    sheet = sheet_named(table)
    header = sheet.columns()
    out = {table: _csv_bytes(header, [[cell_text(row.get(column)) for column in header] for row in rows])}
    for child in sheet.children:
        child_sheet = sheet_named(child)
        child_header = child_sheet.columns()
        lines = [
            [cell_text(row[child_sheet.parent_field])] + [cell_text(item.get(column)) for column in child_header[1:]]
            for row in rows
            for item in row.get(child, [])
        ]
        out[child] = _csv_bytes(child_header, lines)
    return out


def _json_bytes(value, *, sort_keys=True):
    # Rows keep their columns in the schema's order (a reader matches them by position too).
    return (json.dumps(value, ensure_ascii=False, sort_keys=sort_keys, indent=1) + "\n").encode("utf-8")


def _resource(name, path, table, content, *, json_format):
    resource = {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "format": "json" if json_format else "csv",
        "mediatype": "application/json" if json_format else "text/csv",
        "encoding": "utf-8",
        "schema": table_schema(table, json_format=json_format),
    }
    if not json_format:
        # frictionless checks these on CSV; it reads JSON as a stream of items and cannot count its
        # bytes, so every file's checksum is (also) in mobility_hub.files.
        resource.update({"bytes": len(content), "hash": f"sha256:{sha256(content)}"})
    return resource


def package_contents(version):
    """[(path, bytes)] of the package of the data as it is now, `datapackage.json` first."""
    files, resources = [], []
    for table in TABLES:
        rows = table_rows(table)
        content = _json_bytes(rows, sort_keys=False)
        files.append((json_path(table), content))
        if rows:  # frictionless cannot read an empty JSON table ([]): its CSV resource describes it
            resources.append(_resource(f"{table}-json", json_path(table), table, content, json_format=True))
        for name, csv_content in _csv_tables(table, rows).items():
            files.append((csv_path(name), csv_content))
            resources.append(_resource(f"{name}-csv", csv_path(name), name, csv_content, json_format=False))
    descriptor = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "Mobility Hub: permits, labour agreements, recruitment rules and licensed agencies",
        "version": version.token,
        "created": version_time(version),
        "licenses": [{"name": "CC-BY-4.0", "path": HUB_DATA_LICENCE["url"], "title": str(HUB_DATA_LICENCE["name"])}],
        "mobility_hub": {
            "schema_version": PACKAGE_SCHEMA_VERSION,
            "format_version": FORMAT_VERSION,
            "format_schema": SCHEMA_ID,
            "data_version": version.token,
            "languages": [code for code, _name in settings.LANGUAGES],
            "files": {path: {"bytes": len(data), "sha256": sha256(data)} for path, data in files},
        },
        "resources": resources,
    }
    return [(DESCRIPTOR, _json_bytes(descriptor)), *files]


def version_time(version):
    """The data version's time as ISO 8601 UTC, to the second: the package's `created`."""
    created = version.last_change_time.astimezone(datetime.UTC).replace(microsecond=0)
    return created.isoformat().replace("+00:00", "Z")


def zip_bytes(contents, when):
    """The zip of [(path, bytes)], every entry dated `when` (UTC) with fixed attributes."""
    stamp = when.astimezone(datetime.UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, content in contents:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, content, compresslevel=9)
    return buffer.getvalue()


# -- the folder of packages --------------------------------------------------------------------------


def file_name(token):
    return f"{FILE_PREFIX}{token}.zip"


def datapackage_build():
    """Write the package of the current data version unless it exists in this layout's schema version
    (one built before an upgrade is built again); keep the last DATA_PACKAGE_KEEP packages. Returns
    the index entry of the package (see package_list)."""
    version = data_version_current()
    root = package_root()
    root.mkdir(parents=True, exist_ok=True)
    target = root / file_name(version.token)
    sidecar = target.with_suffix(".json")
    if target.exists() and sidecar.exists():
        entry = json.loads(sidecar.read_text(encoding="utf-8"))
        if entry.get("schema_version") == PACKAGE_SCHEMA_VERSION:
            return entry
    contents = package_contents(version)
    content = zip_bytes(contents, version.last_change_time)
    entry = {
        "file": target.name,
        "data_version": version.token,
        "data_version_time": version_time(version),
        "built_at": timezone.now().replace(microsecond=0).isoformat(),
        "bytes": len(content),
        "sha256": sha256(content),
        "schema_version": PACKAGE_SCHEMA_VERSION,
    }
    # Written under a temporary name and renamed: a reader never sees half a file.
    for path, data in ((target, content), (sidecar, _json_bytes(entry))):
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(data)
        os.replace(partial, path)
    _prune(root)
    return entry


def package_list():
    """Index entries of the packages kept, newest first: file, data version and its time, build
    time, size and SHA-256 of the zip."""
    root = package_root()
    if not root.is_dir():
        return []
    entries = []
    for sidecar in root.glob(f"{FILE_PREFIX}*.json"):
        if not sidecar.with_suffix(".zip").exists():
            continue
        try:
            entries.append(json.loads(sidecar.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError):
            continue
    return sorted(entries, key=lambda entry: (entry["built_at"], entry["file"]), reverse=True)


def package_path(name):
    """The path of a kept package named `name`, or None (never a path outside the folder)."""
    if not name.startswith(FILE_PREFIX) or not name.endswith(".zip") or "/" in name or "\\" in name:
        return None
    path = package_root() / name
    return path if path.is_file() else None


def _prune(root):
    keep = max(1, settings.DATA_PACKAGE_KEEP)
    for entry in package_list()[keep:]:
        for path in (root / entry["file"], (root / entry["file"]).with_suffix(".json")):
            path.unlink(missing_ok=True)


# -- after a publish -----------------------------------------------------------------------------------

SCHEDULE_LOCK = "guidance:datapackage:scheduled"


def datapackage_schedule():
    """Build the package once the publishing transaction commits, at most one build per
    DATA_PACKAGE_DEBOUNCE_SECONDS: the first publish of a quiet spell schedules a build that many
    seconds later, and the publishes until it runs are in it (it reads the data as it is then)."""
    if settings.DATA_PACKAGE_ON_PUBLISH:
        transaction.on_commit(_schedule)


def schedule_release():
    """Called by the build as it starts: a publish from now on schedules the next build."""
    cache.delete(SCHEDULE_LOCK)


def _schedule():
    from . import tasks  # tasks imports this module

    delay = max(0, settings.DATA_PACKAGE_DEBOUNCE_SECONDS)
    # The lock outlives a lost message by the task's time limit at most: the next publish builds.
    if not cache.add(SCHEDULE_LOCK, 1, timeout=delay + settings.CELERY_TASK_TIME_LIMIT):
        return
    task = tasks.datapackage_build
    if task.app.conf.task_always_eager:
        # The embedded mode: in this process, in the pipeline's background thread when it runs one.
        if delay == 0 or not background.in_background(task):
            task.apply(throw=True)
            return
        timer = threading.Timer(delay, background.send, args=(task,))
        timer.daemon = True
        timer.start()
        return
    try:
        task.apply_async(countdown=delay)
    except BrokerUnavailable as error:
        schedule_release()
        logger.warning("broker unavailable (%s): data package not built", error.__class__.__name__)
