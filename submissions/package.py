"""The hub's bulk download, a Frictionless Data Package, as far as writing and reading it share one
definition: which tables it holds, how each is named, and the version of that layout.

guidance/datapackage.py writes a package (it reads every app); this module reads one back into an
empty hub (`manage.py mirror_load`): it checks the layout's version and every file's SHA-256, turns
the JSON tables back into documents of the common format and imports them through
`services.document_import`, as the demo data is loaded. Only the format is needed to read a
package, so that a mirror never depends on the code that built it.
"""

import hashlib
import io
import json
import zipfile

from django.db import transaction
from django.utils import translation

from .format import FORMAT_VERSION, sheet_named
from .services import document_import

# Raised when the tables or their columns change in a way a reader must know about. 2 added the
# qualification recognition: a reader of 1 would load a package of 2 without it, and a package of 1
# cannot say whether its hub had any, so neither reads the other (a mirror would not answer as its hub).
# 3 added the recognition rows' region or community and the certification labels.
PACKAGE_SCHEMA_VERSION = "3"
KNOWN_SCHEMA_VERSIONS = (PACKAGE_SCHEMA_VERSION,)
DESCRIPTOR = "datapackage.json"
# The tables of the package, in the order they are written and loaded (what rows cite comes first).
REFERENCE_TABLES = ("sources", "contacts", "corridors")
COUNTRY_TABLES = ("permits", "recruitment_regime", "agencies")
RECOGNITION_TABLE = "qualification_recognition"  # cites contacts and sources
LABELS_TABLE = "certification_labels"  # cites sources
TABLES = (*REFERENCE_TABLES, RECOGNITION_TABLE, LABELS_TABLE, *COUNTRY_TABLES, "agreements")
# Bound on what a package may hold once unpacked: a zip bomb is refused before it is read.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024


class PackageRefused(Exception):
    """A package the hub does not load; the message says why."""


def json_path(table):
    return f"data/{table}.json"


def csv_path(table):
    return f"data/{table}.csv"


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def package_read(content: bytes):
    """(descriptor, {path: bytes}) of a package's zip, every file checked against its checksum.
    Raises PackageRefused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise PackageRefused(f"not a zip file ({error})") from None
    with archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise PackageRefused("the package is larger than a mirror loads")
        names = set(archive.namelist())
        if DESCRIPTOR not in names:
            raise PackageRefused(f"no {DESCRIPTOR} in the package")
        try:
            descriptor = json.loads(archive.read(DESCRIPTOR))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise PackageRefused(f"{DESCRIPTOR} is not valid JSON ({error})") from None
        hub = descriptor.get("mobility_hub") if isinstance(descriptor, dict) else None
        version = hub.get("schema_version") if isinstance(hub, dict) else None
        if version not in KNOWN_SCHEMA_VERSIONS:
            raise PackageRefused(
                f"unknown package schema version {version!r} (this hub reads {', '.join(KNOWN_SCHEMA_VERSIONS)})"
            )
        if hub.get("format_version") != FORMAT_VERSION:
            raise PackageRefused(f"common format {hub.get('format_version')!r}, this hub reads {FORMAT_VERSION}")
        listed = hub.get("files")
        if not isinstance(listed, dict) or not listed:
            raise PackageRefused(f"{DESCRIPTOR} lists no files with their checksums")
        files = {}
        for path, stated in sorted(listed.items()):
            if path not in names:
                raise PackageRefused(f"{path} is listed but missing")
            data = archive.read(path)
            if not isinstance(stated, dict) or sha256(data) != stated.get("sha256"):
                raise PackageRefused(f"checksum of {path} does not match")
            files[path] = data
    return descriptor, files


def package_documents(files):
    """The common-format documents of a package's JSON tables, in the order they are to be imported:
    the references, then the qualification recognition and the certification labels (documents of their
    own: they cite the sources and contact points the references create), then each country's permits,
    regime and agencies, then the agreements."""
    tables = {}
    for table in TABLES:
        data = files.get(json_path(table))
        if data is None:
            raise PackageRefused(f"{json_path(table)} is missing")
        tables[table] = json.loads(data)
    references = {
        "format_version": FORMAT_VERSION,
        "sources": tables["sources"],
        "contacts": tables["contacts"],
        "corridors": tables["corridors"],
    }
    documents = [references]
    for table in (RECOGNITION_TABLE, LABELS_TABLE):
        if tables[table]:
            documents.append({"format_version": FORMAT_VERSION, table: tables[table]})
    countries = sorted({row["country"] for table in COUNTRY_TABLES for row in tables[table]})
    for country in countries:
        document = {"format_version": FORMAT_VERSION, "country": country}
        for table in COUNTRY_TABLES:
            rows = [row for row in tables[table] if row["country"] == country]
            if sheet_named(table).single:
                if rows:
                    document[table] = rows[0]
            elif rows:
                document[table] = rows
        documents.append(document)
    if tables["agreements"]:
        documents.append({"format_version": FORMAT_VERSION, "agreements": tables["agreements"]})
    return documents


def package_load(*, content: bytes, reason: str):
    """Load a package's data into the hub in one transaction, through the common format's checks.
    Returns (descriptor, {model: rows read}). Raises PackageRefused or services.DocumentInvalid."""
    descriptor, files = package_read(content)
    counts = {}
    with transaction.atomic(), translation.override("en"):
        for document in package_documents(files):
            for model, number in document_import(document=document, reason=reason).items():
                counts[model] = counts.get(model, 0) + number
    return descriptor, counts
