"""Corridor comparison: the pure computations, and /api/v1/corridors/compare/ with its CSV."""

import datetime
import io

import pytest
from django.core.management import call_command

from countries.models import ConsulateVisaStatistic
from guidance.comparison import CorridorError, compare_corridors, comparison_rows, parse_corridors

pytestmark = pytest.mark.django_db
URL = "/api/v1/corridors/compare/"
ON = datetime.date(2026, 6, 1)


@pytest.fixture
def demo_data(db):
    call_command("load_demo_data", stdout=io.StringIO())


@pytest.fixture
def schengen_2024(demo_data, reference_data):
    call_command(
        "load_schengen_stats",
        str(reference_data / "schengen-visa-stats" / "derived_2024_data_for_consulates.csv.gz"),
        stdout=io.StringIO(),
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("MA-DE", "from 2 to 4"),
        ("MA-DE,TN-FR,EG-SA,EG-KW,MA-BE", "from 2 to 4"),
        ("", "from 2 to 4"),
        ("MA-DE,TNFR", "not a corridor"),
        ("MA-DE,MA-MA", "must differ"),
        ("MA-DE,ma-de", "twice"),
        ("MA-DE,TN-QQ", "QQ is not a known country"),
    ],
)
def test_invalid_corridors_are_refused_with_a_reason(value, message):
    with pytest.raises(CorridorError, match=message):
        parse_corridors(value)


def test_corridors_are_parsed_in_order_and_upper_case():
    assert parse_corridors(" ma-de , TN-FR ") == [("MA", "DE"), ("TN", "FR")]


def test_comparison_of_two_corridors(schengen_2024):
    from permits.models import VisaRequirement

    VisaRequirement.objects.create(
        nationality_id="MA",
        destination_id="DE",
        requirement="visa_required",
        source="Passport Index dataset (MIT licence)",
        as_of=datetime.date(2025, 1, 12),
    )
    morocco_germany, egypt_saudi = compare_corridors([("MA", "DE"), ("EG", "SA")], ON)
    assert morocco_germany["corridor"] == "MA-DE"
    keys = {agreement["key"] for agreement in morocco_germany["agreements"]}
    assert {"de-thamm-plus-2024", "de-ma-social-security-1981"} <= keys
    assert "de-thamm-2019" not in keys  # expired
    # Seasonal work in Germany is open to Georgia and Moldova only; the other nine permits are open.
    codes = {permit["code"] for permit in morocco_germany["permits_open"]["permits"]}
    assert "de-seasonal-work" not in codes
    assert "de-eu-blue-card" in codes
    assert morocco_germany["permits_open"]["count"] == len(codes)
    assert morocco_germany["visa"] == {
        "requirement": "visa_required",
        "days": None,
        "source": "Passport Index dataset (MIT licence)",
        "as_of": "2025-01-12",
    }
    assert egypt_saudi["visa"] is None  # not loaded in this test: unknown, shown as such
    assert morocco_germany["recruiter_fees"]["country"] == "MA"
    # The Commission's 2024 figures for Germany's consulate in Rabat.
    refusal = morocco_germany["schengen_refusal"]
    assert refusal["year"] == 2024
    assert refusal["consulates"] == ["RABAT"]
    assert (refusal["applications"], refusal["not_issued"]) == (14205, 3729)
    assert refusal["refusal_rate"] == "0.2632"
    assert "DG Migration and Home Affairs" in refusal["source"]
    # Saudi Arabia is not a Schengen state: no figure, and no agreement in force with Egypt (signed only).
    assert egypt_saudi["schengen_refusal"] is None
    assert egypt_saudi["agreements"] == []
    assert egypt_saudi["recruiter_fees"]["worker_fee_rule"] == "capped"


def test_recruiter_fee_rule_of_the_origin(demo_data):
    (tunisia_france,) = compare_corridors([("TN", "FR")], ON)
    assert tunisia_france["recruiter_fees"]["worker_fee_rule"] == "zero_fee"
    assert tunisia_france["recruiter_fees"]["sources"]


def test_fee_ranges_processing_times_and_family_rights(demo_data):
    (item,) = compare_corridors([("TN", "FR")], ON)
    worker_eur = next(fee for fee in item["fees"]["ranges"] if fee["payer"] == "worker" and fee["currency"] == "EUR")
    from permits.models import Fee

    amounts = Fee.objects.filter(
        permit__country="FR", permit__publication_status="published", payer="worker", currency="EUR"
    ).values_list("amount", flat=True)
    assert (worker_eur["min"], worker_eur["max"]) == (str(min(amounts)), str(max(amounts)))
    tally = item["family"]["dependents_allowed"]
    assert tally["yes"] + tally["no"] + tally["unknown"] == item["permits_open"]["count"]


def test_csv_rows_have_one_column_per_corridor(demo_data):
    rows = comparison_rows(compare_corridors([("MA", "DE"), ("TN", "FR")], ON))
    assert set(rows[0]) == {"fact", "MA-DE", "TN-FR"}
    permits_open = next(row for row in rows if row["fact"] == "permits_open")
    assert permits_open["MA-DE"] == 9


def test_no_statistics_means_no_rate_not_zero(demo_data):
    assert not ConsulateVisaStatistic.objects.exists()
    assert compare_corridors([("MA", "DE")], ON)[0]["schengen_refusal"] is None
