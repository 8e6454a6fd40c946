"""/api/v1/eligibility/: the engine's verdicts over HTTP, validated input, pinned queries."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
URL = "/api/v1/eligibility/"
NURSE = {
    "nationality": "MA",
    "destination": "DE",
    "occupation": "2221",
    "qualification": "tertiary",
    "job_offer": "true",
    "salary": "50000",
    "salary_currency": "EUR",
    "languages": "de:B1",
    "on": "2026-06-01",
}


@pytest.fixture
def demo_data(db):
    call_command("load_demo_data", stdout=io.StringIO())


def by_code(body):
    return {verdict["permit_code"]: verdict for verdict in body["verdicts"]}


def test_get_answers_every_permit_with_reasons_and_their_sources(client, demo_data):
    response = client.get(URL, NURSE)
    assert response.status_code == 200
    body = response.json()
    assert body["on"] == "2026-06-01"
    assert body["occupation"] == "2221"
    verdicts = by_code(body)
    blue_card = verdicts["de-eu-blue-card"]
    # Recognition was not said: possible, and what would change it is recognition.
    assert blue_card["verdict"] == "possible"
    assert blue_card["permit_name"] == "EU Blue Card"
    salary = next(reason for reason in blue_card["reasons"] if reason["code"] == "salary")
    assert salary["status"] == "met"
    assert salary["sources"] == ["de-aufenthg-18g-text", "de-bmi-mindestgehaelter-2026"]
    assert salary["provision"] == "§ 18g Abs. 1 Satz 2 AufenthG"
    assert salary["params"]["amount"] == {"amount": "45934.20", "currency": "EUR"}
    assert "50,000 EUR" in salary["message"] and "45,934.20 EUR" in salary["message"]
    assert blue_card["changes"] == {
        "possible": True,
        "makes": "likely",
        "changes": [
            {
                "code": "recognition",
                "message": "recognition of your qualification",
                "params": {"qualification_recognised": True},
            }
        ],
        "none": [],
    }
    assert body["sources"]["de-bmi-mindestgehaelter-2026"]["url"].startswith("https://")
    assert verdicts["de-nursing-assistant"]["verdict"] == "not_eligible"
    assert verdicts["de-nursing-assistant"]["changes"]["possible"] is False
    assert body["verdicts"][0]["verdict"] == "likely"
    assert body["summary"] == {
        name: sum(1 for verdict in body["verdicts"] if verdict["verdict"] == name)
        for name in ("likely", "possible", "not_eligible")
    }


def test_languages_as_alternatives_and_graduation_year(client, demo_data):
    body = client.get(
        URL,
        {
            "nationality": "MA",
            "destination": "DE",
            "occupation": "2411",
            "qualification": "tertiary",
            "qualification_recognised": "true",
            "job_offer": "true",
            "salary": "46000",
            "salary_currency": "EUR",
            "languages": "en:B2,de:none",
            "graduation_year": "2025",
            "on": "2026-06-01",
        },
    ).json()
    verdicts = by_code(body)
    assert verdicts["de-opportunity-card"]["verdict"] == "likely"  # English B2 is one of the alternatives
    blue_card = next(reason for reason in verdicts["de-eu-blue-card"]["reasons"] if reason["code"] == "salary")
    assert blue_card["status"] == "met"  # a new entrant: the reduced figure applies
    assert "recent graduates" in blue_card["message"]


def test_post_json_gives_the_same_answer_as_get(client, demo_data):
    json_body = {**NURSE, "job_offer": True, "languages": {"de": "B1"}}
    posted = client.post(URL, json_body, content_type="application/json")
    assert posted.status_code == 200
    assert posted.json() == client.get(URL, NURSE).json()


def test_esco_uri_is_resolved_to_its_isco_group(client, demo_data):
    from permits.models import EscoOccupation

    uri = EscoOccupation.objects.filter(isco_group_id="2221").values_list("uri", flat=True).first()
    body = client.get(URL, {**NURSE, "occupation": uri}).json()
    assert body["occupation"] == "2221"


def test_missing_answers_make_possible_not_no(client, demo_data):
    body = client.get(URL, {"nationality": "MA", "destination": "DE", "on": "2026-06-01"}).json()
    blue_card = by_code(body)["de-eu-blue-card"]
    assert blue_card["verdict"] == "possible"
    statuses = {reason["code"]: reason["status"] for reason in blue_card["reasons"]}
    assert statuses["job_offer"] == statuses["qualification"] == statuses["salary"] == "unknown"
    assert statuses["language"] == "met"  # the Blue Card asks for no language: known, not unknown


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"nationality": "XX", "destination": "DE"}, "nationality"),
        ({"nationality": "MA", "destination": "ZZ"}, "destination"),
        ({"nationality": "MA", "destination": "MA"}, "destination"),
        ({"nationality": "MA", "destination": "DE", "occupation": "99999"}, "occupation"),
        ({"nationality": "MA", "destination": "DE", "occupation": "http://example.org/x"}, "occupation"),
        ({"nationality": "MA", "destination": "DE", "salary": "50000"}, "salary_currency"),
        ({"nationality": "MA", "destination": "DE", "salary": "-1", "salary_currency": "EUR"}, "salary"),
        ({"nationality": "MA", "destination": "DE", "salary": "lots", "salary_currency": "EUR"}, "salary"),
        ({"nationality": "MA", "destination": "DE", "salary": "1", "salary_currency": "XYZ"}, "salary_currency"),
        ({"nationality": "MA", "destination": "DE", "qualification": "phd"}, "qualification"),
        ({"nationality": "MA", "destination": "DE", "languages": "de:B3"}, "languages"),
        ({"nationality": "MA", "destination": "DE", "languages": "xx:B1"}, "languages"),
        ({"nationality": "MA", "destination": "DE", "languages": "B1"}, "languages"),
        ({"nationality": "MA", "destination": "DE", "graduation_year": "1800"}, "graduation_year"),
        ({"nationality": "MA", "destination": "DE", "age": "-3"}, "age"),
        ({"nationality": "MA", "destination": "DE", "job_offer": "perhaps"}, "job_offer"),
        ({"nationality": "MA", "destination": "DE", "on": "2026-13-01"}, "on"),
        ({"destination": "DE"}, "nationality"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, db, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("body", ["[1, 2]", "not json", '"text"'])
def test_a_body_that_is_not_a_json_object_is_a_400(client, db, body):
    assert client.post(URL, body, content_type="application/json").status_code == 400


def test_query_count_is_pinned(client, demo_data, django_assert_num_queries):
    # validation: 2 countries + 1 occupation; engine: 14 (2 of them the occupation's recognition rows and
    # their sources); sources: 1.
    with django_assert_num_queries(20):
        assert client.get(URL, NURSE).status_code == 200
    with django_assert_num_queries(20):
        assert client.get(URL, {**NURSE, "destination": "BE"}).status_code == 200


def test_the_endpoint_is_in_the_openapi_schema(client, db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = schema["paths"]["/api/v1/eligibility/"]
    assert {"get", "post"} <= set(operations)
    names = {parameter["name"] for parameter in operations["get"]["parameters"]}
    assert {"nationality", "destination", "occupation", "salary", "languages", "graduation_year"} <= names
    assert "400" in operations["get"]["responses"]
