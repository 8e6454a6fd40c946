"""The Schengen visa statistics loader, on the European Commission's real files."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from countries.models import ConsulateVisaStatistic

pytestmark = pytest.mark.django_db
HEADER = (
    "Schengen State,Country where consulate is located,Consulate,Uniform visas applied for,"
    "Total uniform visas issued (including MEV),Total LTVs issued,Uniform visas not issued\n"
)


def load(*args):
    out = io.StringIO()
    call_command("load_schengen_stats", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.fixture
def stats_dir(reference_data):
    return reference_data / "schengen-visa-stats"


def test_real_2024_csv_is_loaded_with_the_commissions_rate(stats_dir):
    output = load(stats_dir / "derived_2024_data_for_consulates.csv.gz")
    assert "2,035 consulates: 2,035 created" in output
    assert ConsulateVisaStatistic.objects.filter(year=2024).count() == 2035
    rabat = ConsulateVisaStatistic.objects.get(
        year=2024, schengen_state="BE", consulate_country="MA", consulate_city="RABAT"
    )
    assert (rabat.applications, rabat.issued, rabat.limited_validity_issued, rabat.not_issued) == (
        16925,
        10404,
        80,
        6249,
    )
    assert rabat.refusal_rate == Decimal("0.3735")  # 6249 / (10404 + 80 + 6249)
    assert "DG Migration and Home Affairs" in rabat.source


def test_real_2024_xlsx_agrees_with_the_csv_and_a_second_load_changes_nothing(stats_dir):
    load(stats_dir / "derived_2024_data_for_consulates.csv.gz")
    output = load(stats_dir / "2024-schengen-visa-statistics-consulates_en.xlsx")
    assert "0 created, 0 updated, 2,035 unchanged" in output
    assert ConsulateVisaStatistic.objects.count() == 2035


def test_folder_loads_every_year_and_is_idempotent(stats_dir):
    first = load(stats_dir)
    assert {2022, 2023, 2024} == set(ConsulateVisaStatistic.objects.values_list("year", flat=True))
    count = ConsulateVisaStatistic.objects.count()
    assert "0 rows of unknown countries skipped" in first
    second = load()  # by default the shipped folder, the same workbooks
    assert ConsulateVisaStatistic.objects.count() == count
    assert second.count(" 0 created, 0 updated") == 3


def test_folder_without_workbooks_loads_its_compressed_csv(stats_dir, tmp_path):
    (tmp_path / "derived_2024_data_for_consulates.csv.gz").write_bytes(
        (stats_dir / "derived_2024_data_for_consulates.csv.gz").read_bytes()
    )
    assert "Schengen visa statistics 2024 from derived_2024_data_for_consulates.csv.gz: 2,035 consulates" in load(
        tmp_path
    )


def test_changed_figure_updates_the_row(tmp_path):
    file = tmp_path / "stats-2024.csv"
    file.write_text(HEADER + "Germany,MOROCCO,RABAT,100,70,0,30\n")
    load(file)
    file.write_text(HEADER + "Germany,MOROCCO,RABAT,100,60,0,40\n")
    assert "0 created, 1 updated" in load(file)
    row = ConsulateVisaStatistic.objects.get()
    assert (row.year, row.not_issued, row.refusal_rate) == (2024, 40, Decimal("0.4000"))


def test_year_can_be_given_and_aliases_and_unknown_countries_are_reported(tmp_path):
    file = tmp_path / "stats.csv"
    file.write_text(
        HEADER
        + "France,COTE D'IVOIRE,ABIDJAN,10,5,0,5\n"
        + "France,KOSOVO,PRISTINA,3,3,0,0\n"
        + "France,ATLANTIS,POSEIDONIA,3,3,0,0\n"
        + ",,Total,13,8,0,5\n"
    )
    with pytest.raises(CommandError, match="year"):
        load(file)
    output = load(file, "--year", 2023)
    assert "2 created" in output
    assert "1 rows of unknown countries skipped (ATLANTIS)" in output
    assert set(ConsulateVisaStatistic.objects.values_list("consulate_country_id", flat=True)) == {"CI", "XK"}


def test_no_decision_has_no_rate(tmp_path):
    file = tmp_path / "stats-2024.csv"
    file.write_text(HEADER + "Germany,MOROCCO,RABAT,0,0,0,0\n")
    load(file)
    assert ConsulateVisaStatistic.objects.get().refusal_rate is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Schengen State,Consulate\nFrance,RABAT\n", "missing column"),
        (HEADER + "France,MOROCCO,RABAT,ten,5,0,5\n", "row 2.*not a whole number"),
        (HEADER + "France,MOROCCO,RABAT,10,-5,0,5\n", "row 2.*negative"),
        (HEADER + "France,MOROCCO,,10,5,0,5\n", "consulate is empty"),
    ],
)
def test_malformed_csv_is_refused_with_the_row(tmp_path, content, message):
    file = tmp_path / "stats-2024.csv"
    file.write_text(content)
    with pytest.raises(CommandError, match=message):
        load(file)
    assert not ConsulateVisaStatistic.objects.exists()


def test_missing_file_and_fake_or_wrong_workbooks_are_clear_errors(tmp_path):
    from openpyxl import Workbook

    with pytest.raises(CommandError, match="no file at"):
        load(tmp_path / "missing-2024.csv")
    fake = tmp_path / "fake-2024.xlsx"
    fake.write_text("not a workbook")
    with pytest.raises(CommandError, match="not an xlsx workbook"):
        load(fake)
    workbook = Workbook()
    workbook.active.title = "Other"
    other = tmp_path / "other-2024.xlsx"
    workbook.save(other)
    with pytest.raises(CommandError, match="no sheet 'Data for consulates'"):
        load(other)
    with pytest.raises(CommandError, match="no xlsx or csv file"):
        load(tmp_path / "empty") if (tmp_path / "empty").mkdir() is None else None
