"""The bulk download (issue 23): a Frictionless Data Package of the published data, reproducible,
built after a publish, kept N versions deep."""

import csv
import io
import json
import zipfile
from decimal import Decimal

import pytest
from frictionless import Package

from core.fields import PublicationStatus
from countries.models import ContactPoint, LegalSource
from countries.services import country_data_version_bump
from guidance import datapackage
from permits.models import PermitCategory, QualificationRecognition
from submissions.package import PACKAGE_SCHEMA_VERSION, PackageRefused, package_read, sha256
from submissions.signals import data_published


@pytest.fixture
def package_root(settings, tmp_path):
    settings.DATA_PACKAGE_ROOT = tmp_path / "packages"
    settings.DATA_PACKAGE_DEBOUNCE_SECONDS = 0
    settings.DATA_PACKAGE_ON_PUBLISH = True
    return settings.DATA_PACKAGE_ROOT


@pytest.fixture
def demo_data(demo_loaded, db, package_root):
    return None


def _built(package_root):
    entry = datapackage.datapackage_build()
    return entry, (package_root / entry["file"]).read_bytes()


def test_package_of_the_demo_data_validates_with_frictionless(demo_data, package_root, tmp_path):
    entry, content = _built(package_root)
    folder = tmp_path / "unpacked"
    zipfile.ZipFile(io.BytesIO(content)).extractall(folder)
    report = Package(str(folder / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[:10]
    assert entry["sha256"] == sha256(content) and entry["bytes"] == len(content)


def test_descriptor_states_licence_data_version_and_checksums(demo_data, package_root):
    entry, content = _built(package_root)
    archive = zipfile.ZipFile(io.BytesIO(content))
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["version"] == entry["data_version"] == descriptor["mobility_hub"]["data_version"]
    assert descriptor["created"] == entry["data_version_time"]
    names = {resource["name"] for resource in descriptor["resources"]}
    tables = ("permits", "agreements", "corridors", "recruitment_regime", "agencies", "sources", "contacts")
    for table in (*tables, "qualification_recognition", "certification_labels"):
        assert {f"{table}-json", f"{table}-csv"} <= names
    assert {"documents-csv", "fees-csv", "salary_thresholds-csv"} <= names
    files = descriptor["mobility_hub"]["files"]
    paths = {resource["path"] for resource in descriptor["resources"]}
    assert set(files) == paths  # every table of the demo data has rows (an empty one's JSON is no resource)
    for resource in descriptor["resources"]:
        assert files[resource["path"]]["sha256"] == sha256(archive.read(resource["path"]))
        if resource["format"] == "csv":
            assert resource["hash"] == "sha256:" + files[resource["path"]]["sha256"]


def test_texts_come_in_every_language_as_columns(demo_data, package_root):
    _entry, content = _built(package_root)
    archive = zipfile.ZipFile(io.BytesIO(content))
    header = next(csv.reader(io.StringIO(archive.read("data/permits.csv").decode())))
    assert {"name", "name_fr", "name_ar", "name_de"} <= set(header)
    permits = json.loads(archive.read("data/permits.json"))
    published = PermitCategory.objects.filter(publication_status=PublicationStatus.PUBLISHED)
    assert sorted(row["code"] for row in permits) == sorted(published.values_list("code", flat=True))
    with_arabic = published.exclude(name_ar="").first()
    row = next(row for row in permits if row["code"] == with_arabic.code)
    assert row["name_ar"] == with_arabic.name_ar
    assert any(row["documents"] for row in permits) and any(row["fees"] for row in permits)


def test_qualification_recognition_is_a_table_of_codes_and_keys(demo_data, package_root, tmp_path):
    body = ContactPoint.objects.filter(kind=ContactPoint.Kind.RECOGNITION_BODY).order_by("pk").first()
    source = LegalSource.objects.filter(country="DE").order_by("pk").first()
    recognition = QualificationRecognition.objects.create(
        country_id="DE",
        occupation_id="2222",  # one the demo data has no row for
        body=body,
        regulated=True,
        procedure="Test procedure.",
        procedure_ar="إجراء تجريبي.",
        fee_min=Decimal("100.00"),
        fee_currency="EUR",
    )
    recognition.legal_sources.set([source])
    _entry, content = _built(package_root)
    archive = zipfile.ZipFile(io.BytesIO(content))
    lines = csv.DictReader(io.StringIO(archive.read("data/qualification_recognition.csv").decode()))
    [line] = [line for line in lines if line["occupation"] == "2222"]
    fields = ("country", "occupation", "area", "body", "sources", "regulated", "fee_min")
    assert {name: line[name] for name in fields} == {
        "country": "DE",
        "occupation": "2222",
        "area": "",
        "body": body.key,
        "sources": source.key,
        "regulated": "true",
        "fee_min": "100.00",
    }
    procedures = [line[f"procedure{suffix}"] for suffix in ("", "_fr", "_ar", "_de")]
    assert procedures == ["Test procedure.", "", "إجراء تجريبي.", ""]
    [row] = [
        row for row in json.loads(archive.read("data/qualification_recognition.json")) if row["occupation"] == "2222"
    ]
    descriptor = json.loads(archive.read("datapackage.json"))
    assert "qualification_recognition-json" in {resource["name"] for resource in descriptor["resources"]}
    assert row["sources"] == [source.key] and row["duration_days_max"] is None
    folder = tmp_path / "unpacked"
    archive.extractall(folder)
    report = Package(str(folder / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[:10]


def test_drafts_are_not_in_the_package(demo_data, package_root):
    permit = PermitCategory.objects.filter(publication_status=PublicationStatus.PUBLISHED).first()
    PermitCategory.objects.filter(pk=permit.pk).update(publication_status=PublicationStatus.DRAFT)
    _entry, content = _built(package_root)
    permits = json.loads(zipfile.ZipFile(io.BytesIO(content)).read("data/permits.json"))
    assert permit.code not in {row["code"] for row in permits}


def test_same_data_version_gives_the_same_bytes(demo_data, package_root):
    entry, first = _built(package_root)
    (package_root / entry["file"]).unlink()
    (package_root / entry["file"]).with_suffix(".json").unlink()
    _again, second = _built(package_root)
    assert first == second
    dates = {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()}
    assert len(dates) == 1


def test_a_package_of_an_older_schema_version_is_built_again(demo_data, package_root):
    entry, _content = _built(package_root)
    sidecar = (package_root / entry["file"]).with_suffix(".json")
    sidecar.write_text(json.dumps({**entry, "schema_version": "1"}), encoding="utf-8")
    again, content = _built(package_root)
    assert again["schema_version"] == PACKAGE_SCHEMA_VERSION
    assert json.loads(sidecar.read_text(encoding="utf-8")) == again
    assert again["sha256"] == sha256(content)


def test_last_n_versions_are_kept(demo_data, package_root, settings):
    settings.DATA_PACKAGE_KEEP = 2
    files = []
    for _publish in range(3):
        country_data_version_bump(country_codes=["MA"])  # what a publish does to the data version
        files.append(datapackage.datapackage_build()["file"])
    kept = [entry["file"] for entry in datapackage.package_list()]
    assert len(set(files)) == 3
    assert sorted(kept) == sorted(files[1:])


@pytest.fixture
def embedded():
    """The embedded mode's scheduling (tasks run in this process), also when the suite runs in the stack
    mode, whose Celery app sends tasks to a broker; no lock left by an earlier test in a shared cache."""
    from guidance import tasks

    conf = tasks.datapackage_build.app.conf
    before = conf.task_always_eager
    conf.task_always_eager = True
    datapackage.schedule_release()
    yield
    conf.task_always_eager = before
    datapackage.schedule_release()


def test_a_publish_builds_the_package_after_commit(
    demo_data, package_root, embedded, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        data_published.send(sender=None, countries=["MA"])
    assert len(datapackage.package_list()) == 1


def test_publishes_within_the_debounce_delay_schedule_one_build(
    demo_data, package_root, embedded, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.DATA_PACKAGE_DEBOUNCE_SECONDS = 300
    settings.SUBMISSION_EMBEDDED_BACKGROUND = True
    started = []
    monkeypatch.setattr(datapackage.threading.Timer, "start", lambda timer: started.append(timer))
    with django_capture_on_commit_callbacks(execute=True):
        data_published.send(sender=None, countries=["MA"])
        data_published.send(sender=None, countries=["TN"])
    assert len(started) == 1 and started[0].interval == 300
    datapackage.schedule_release()


@pytest.mark.parametrize("version", ["1", "99"])  # 1 has no qualification recognition (submissions/package.py)
def test_a_package_of_an_unknown_schema_version_is_refused(demo_data, package_root, version):
    _entry, content = _built(package_root)
    source = zipfile.ZipFile(io.BytesIO(content))
    descriptor = json.loads(source.read("datapackage.json"))
    descriptor["mobility_hub"]["schema_version"] = version
    changed = io.BytesIO()
    with zipfile.ZipFile(changed, "w") as target:
        for info in source.infolist():
            data = json.dumps(descriptor).encode() if info.filename == "datapackage.json" else source.read(info)
            target.writestr(info.filename, data)
    with pytest.raises(PackageRefused, match="unknown package schema version"):
        package_read(changed.getvalue())


def test_a_file_that_does_not_match_its_checksum_is_refused(demo_data, package_root):
    _entry, content = _built(package_root)
    source = zipfile.ZipFile(io.BytesIO(content))
    changed = io.BytesIO()
    with zipfile.ZipFile(changed, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, data + b"\n" if info.filename == "data/permits.json" else data)
    with pytest.raises(PackageRefused, match=r"checksum of data/permits\.json"):
        package_read(changed.getvalue())
