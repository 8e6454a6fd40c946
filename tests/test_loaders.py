"""The loaders, on the real public files of ../shared/data."""

import io
import json
import re
import shutil

import pytest
from django.core.management import CommandError, call_command

from core.fields import PublicationStatus
from core.models import ObjectChange
from countries.models import Agreement, Country
from permits.models import EscoOccupation, IscoGroup, PermitCategory, VisaRequirement
from recruiters.models import RecruitmentAgency, RecruitmentRegime

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_countries_have_names_in_four_languages():
    assert Country.objects.count() == 250  # 249 of ISO 3166-1, and Kosovo (XK)
    morocco = Country.objects.get(code="MA")
    assert (morocco.name_en, morocco.name_fr, morocco.name_ar, morocco.name_de) == (
        "Morocco",
        "Maroc",
        "المغرب",
        "Marokko",
    )
    assert run("load_countries").endswith("0 created, 0 updated, 250 unchanged.\n")


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


def test_occupation_loader_is_idempotent(shared_data):
    output = run("load_occupations", str(shared_data / "esco-isco08"))
    assert "619 read (10 major, 43 sub-major, 130 minor, 436 unit); 0 created, 0 updated" in output
    assert "2942 read; 0 created, 0 updated" in output


def test_visa_requirements_real_file(shared_data):
    path = shared_data / "passport-index" / "passport-index-tidy-iso2.csv"
    output = run("load_visa_requirements", str(path))
    assert "39,601 rows read, 199 own-country rows skipped, 39,402 pairs: 39,402 created" in output
    assert VisaRequirement.objects.count() == 39_402
    assert not VisaRequirement.objects.filter(nationality=models_F("destination")).exists()
    # Every created pair is in the change log, filed under its destination.
    assert ObjectChange.objects.filter(content_type__model="visarequirement").count() == 39_402
    again = run("load_visa_requirements", str(path))
    assert "0 created, 0 updated, 39,402 unchanged" in again
    assert VisaRequirement.objects.count() == 39_402


def models_F(name):
    from django.db.models import F

    return F(name)


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
    with pytest.raises(CommandError, match="no file at"):
        run("load_occupations", str(tmp_path))


def test_occupation_loader_rejects_binary_file(tmp_path):
    (tmp_path / "ISCOGroups_en.csv").write_bytes(b"\xff\xfe\x00\x01garbage")
    (tmp_path / "occupations_en.csv").write_text("x\n")
    with pytest.raises(CommandError, match=r"ISCOGroups_en\.csv is not UTF-8 text"):
        run("load_occupations", str(tmp_path))


@pytest.fixture
def demo_loaded():
    run("load_demo_data")


def test_demo_data_covers_the_seed_corridors(demo_loaded):
    assert PermitCategory.objects.count() >= 25
    destinations = set(PermitCategory.objects.values_list("country_id", flat=True))
    assert {"DE", "FR", "BE", "SA", "QA", "AE", "KW"} <= destinations
    assert Agreement.objects.count() >= 10
    assert set(RecruitmentRegime.objects.values_list("country_id", flat=True)) >= {"MA", "TN", "EG"}


def test_every_published_fact_has_a_source_and_a_date(demo_loaded):
    published = PermitCategory.objects.filter(publication_status=PublicationStatus.PUBLISHED)
    assert published.exists()
    for permit in published:
        assert permit.legal_sources.exists(), permit.code
        assert permit.last_verified, permit.code
    for agreement in Agreement.objects.filter(publication_status=PublicationStatus.PUBLISHED):
        assert agreement.legal_sources.exists() and agreement.last_verified, agreement.key


def test_demo_agencies_are_real_register_entries_or_marked_examples(demo_loaded):
    for agency in RecruitmentAgency.objects.all():
        if agency.is_example:
            assert agency.licence_number.startswith("EXAMPLE-")
        else:
            assert agency.legal_sources.exists(), agency.legal_name


def test_demo_data_load_is_idempotent(demo_loaded):
    changes = ObjectChange.objects.count()
    run("load_demo_data")
    assert ObjectChange.objects.count() == changes


def test_demo_data_with_errors_changes_nothing(tmp_path, settings):
    folder = tmp_path / "demo"
    shutil.copytree(settings.BASE_DIR / "demo_data", folder)
    broken = {
        "country": "MA",
        "permits": [{"code": "bad", "name": "Bad", "purpose": "work", "min_age": 40, "max_age": 20, "sources": []}],
        "agencies": [{"legal_name": "X", "licence_number": "123", "is_example": True}],
    }
    (folder / "zz_broken.json").write_text(json.dumps(broken))
    with pytest.raises(CommandError) as error:
        run("load_demo_data", str(folder))
    message = str(error.value)
    assert "nothing was changed" in message
    assert "permits[bad] max_age" in message
    assert "EXAMPLE-" in message
    assert PermitCategory.objects.count() == 0


def test_demo_data_rejects_invalid_json(tmp_path):
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(CommandError, match=r"bad\.json is not valid JSON"):
        run("load_demo_data", str(tmp_path))
