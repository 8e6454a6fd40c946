"""The occupation and visa-requirement loaders, on the real public files."""

import gzip
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from core.models import ObjectChange
from permits.models import EscoOccupation, IscoGroup, VisaRequirement

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_isco_groups_all_four_levels():
    counts = {level: IscoGroup.objects.filter(level=level).count() for level in (1, 2, 3, 4)}
    assert counts == {1: 10, 2: 43, 3: 130, 4: 436}
    nurses = IscoGroup.objects.get(code="2221")
    assert nurses.title == "Nursing professionals"
    assert nurses.parent.parent.parent.code == "2"
    assert nurses.ancestor_codes() == ["2221", "222", "22", "2"]


def test_esco_occupations_filed_under_unit_groups():
    assert EscoOccupation.objects.count() == 2942
    assert not EscoOccupation.objects.exclude(isco_group__level=4).exists()


def test_occupation_loader_is_idempotent(reference_data):
    output = run("load_occupations", str(reference_data / "esco-isco08"))
    assert "619 read (10 major, 43 sub-major, 130 minor, 436 unit); 0 created, 0 updated" in output
    assert "2942 read; 0 created, 0 updated" in output


def test_occupation_loader_reads_the_shipped_copy_by_default():
    output = run("load_occupations")
    assert "619 read (10 major, 43 sub-major, 130 minor, 436 unit); 0 created, 0 updated" in output


def test_occupation_loader_reads_an_uncompressed_newer_copy(reference_data, tmp_path):
    """A newer upstream copy (--data, ../shared/data) may hold the plain CSV files."""
    for name in ("ISCOGroups_en.csv", "occupations_en.csv"):
        with gzip.open(reference_data / "esco-isco08" / f"{name}.gz", "rb") as packed:
            (tmp_path / name).write_bytes(packed.read())
    nurses = EscoOccupation.objects.filter(isco_group="2221").first()
    EscoOccupation.objects.filter(pk=nurses.pk).update(title_en="changed")
    output = run("load_occupations", str(tmp_path))
    assert "2942 read; 0 created, 1 updated" in output
    nurses.refresh_from_db()
    assert nurses.title_en != "changed"


def test_visa_requirements_real_file(reference_data):
    path = reference_data / "passport-index" / "passport-index-tidy-iso2.csv.gz"
    output = run("load_visa_requirements", str(path))
    assert "39,601 rows read, 199 own-country rows skipped, 39,402 pairs: 39,402 created" in output
    assert VisaRequirement.objects.count() == 39_402
    assert not VisaRequirement.objects.filter(nationality=F("destination")).exists()
    # Every created pair is in the change log, filed under its destination.
    assert ObjectChange.objects.filter(content_type__model="visarequirement").count() == 39_402
    again = run("load_visa_requirements")  # by default the shipped copy, the same file
    assert "0 created, 0 updated, 39,402 unchanged" in again
    assert VisaRequirement.objects.count() == 39_402


def test_visa_requirement_values_are_parsed(tmp_path):
    path = tmp_path / "visa.csv"
    path.write_text("Passport,Destination,Requirement\nMA,TN,90\nMA,DE,visa required\nMA,MA,-1\nMA,QA,e-visa\n")
    run("load_visa_requirements", str(path))
    assert VisaRequirement.objects.get(nationality="MA", destination="TN").days == 90
    assert VisaRequirement.objects.get(nationality="MA", destination="DE").requirement == "visa_required"
    assert VisaRequirement.objects.get(nationality="MA", destination="QA").requirement == "e_visa"
    assert VisaRequirement.objects.count() == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Passport,Destination\nMA,TN\n", "missing column(s) Requirement"),
        ("Passport,Destination,Requirement\nMA,TN,maybe\n", "line 2: unknown requirement 'maybe'"),
        ("Passport,Destination,Requirement\nMA,ZZ,90\n", "line 2: unknown country code 'ZZ'"),
    ],
)
def test_visa_loader_rejects_malformed_file(tmp_path, content, message):
    path = tmp_path / "visa.csv"
    path.write_text(content)
    with pytest.raises(CommandError, match=re.escape(message)):
        run("load_visa_requirements", str(path))
    assert VisaRequirement.objects.count() == 0


def test_loaders_say_when_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match="no file at"):
        run("load_visa_requirements", str(tmp_path / "nothing.csv"))
    with pytest.raises(CommandError, match=re.escape("neither ISCOGroups_en.csv.gz nor ISCOGroups_en.csv in")):
        run("load_occupations", str(tmp_path))
    with pytest.raises(CommandError, match="no folder at"):
        run("load_occupations", str(tmp_path / "nowhere"))


def test_occupation_loader_rejects_binary_file(tmp_path):
    (tmp_path / "ISCOGroups_en.csv").write_bytes(b"\xff\xfe\x00\x01garbage")
    (tmp_path / "occupations_en.csv").write_text("x\n")
    with pytest.raises(CommandError, match=r"ISCOGroups_en\.csv is not UTF-8 text"):
        run("load_occupations", str(tmp_path))
