"""/api/v1/corridors/compare/: the comparison over HTTP, its CSV, its 400s and its schema."""

import csv
import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
URL = "/api/v1/corridors/compare/"


@pytest.fixture
def schengen_2024(db, reference_data):
    call_command("load_demo_data", stdout=io.StringIO())
    call_command(
        "load_schengen_stats",
        str(reference_data / "schengen-visa-stats" / "derived_2024_data_for_consulates.csv.gz"),
        stdout=io.StringIO(),
    )


def test_api_compares_and_pins_its_queries(client, schengen_2024, django_assert_num_queries):
    with django_assert_num_queries(11):
        response = client.get(URL, {"corridors": "MA-DE,TN-FR", "on": "2026-06-01"})
    assert response.status_code == 200
    body = response.json()
    assert [item["corridor"] for item in body["corridors"]] == ["MA-DE", "TN-FR"]
    with django_assert_num_queries(11):  # the same number for four corridors
        client.get(URL, {"corridors": "MA-DE,TN-FR,EG-SA,EG-KW"})


def test_api_csv_export(client, schengen_2024):
    response = client.get(URL, {"corridors": "MA-DE,TN-FR", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="corridor-comparison.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == ["fact", "MA-DE", "TN-FR"]
    refusal = next(row for row in rows if row["fact"] == "schengen_refusal_rate")
    assert refusal["MA-DE"] == "0.2632"


@pytest.mark.parametrize("value", ["MA-DE", "MA-DE,XX-YY", "MA-DE,TN-FR,EG-SA,EG-KW,MA-BE", "garbage"])
def test_api_refuses_bad_corridors_with_a_400(client, db, value):
    response = client.get(URL, {"corridors": value})
    assert response.status_code == 400
    assert "corridors" in response.json()


def test_api_needs_the_corridors_parameter(client, db):
    assert client.get(URL).status_code == 400


def test_the_endpoint_is_in_the_openapi_schema(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    get = schema["paths"]["/api/v1/corridors/compare/"]["get"]
    assert {"corridors", "format"} <= {parameter["name"] for parameter in get["parameters"]}


def test_csv_errors_are_400_too(client, db):
    response = client.get(URL, {"corridors": "MA-DE", "format": "csv"})
    assert response.status_code == 400
