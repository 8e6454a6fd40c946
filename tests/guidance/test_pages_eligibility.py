"""The eligibility page: the form, the engine's verdicts with reasons and sources, odd input."""

import pytest

from core.fields import PublicationStatus
from tests.factories import PermitCategoryFactory

pytestmark = pytest.mark.django_db

PAGE = "/en/eligibility/"


@pytest.fixture
def permits(corridor_data):
    corridor_data["permit"].qualification = "vocational"
    corridor_data["permit"].recognition_required = True
    corridor_data["permit"].language_level = "none"
    corridor_data["permit"].save()
    nurses = PermitCategoryFactory(
        code="de-nurses",
        name="Nurses only",
        qualification="none",
        language_level="none",
        job_offer_required=False,
        recognition_required=False,
        publication_status=PublicationStatus.PUBLISHED,
    )
    nurses.occupations.set(["2221"])
    return corridor_data


def test_empty_form_shows_no_verdicts(client, permits):
    html = client.get(PAGE).content.decode()
    assert 'name="nationality"' in html and 'name="occupation"' in html
    assert 'id="results"' not in html


def test_verdicts_with_reasons_sources_and_links(client, permits):
    html = client.get(
        PAGE,
        {
            "nationality": "MA",
            "destination": "DE",
            "occupation": "2221",
            "job_offer": "yes",
            "qualification": "vocational",
            "recognised": "no",
        },
    ).content.decode()
    assert 'href="/en/permits/de-nurses/"' in html
    nurses = html[html.index('id="v-de-nurses"') :]
    assert "Likely eligible" in nurses[:300]
    skilled = html[html.index('id="v-de-skilled"') :]
    assert "Not eligible" in skilled[:300]
    assert "Your qualification must be recognised first." in skilled
    assert "Aufenthaltsgesetz" in skilled  # the rule's source
    # A permit closed to Moroccans is not eligible, with the reason.
    closed = html[html.index('id="v-de-closed"') :]
    assert "This permit is closed to your nationality." in closed[:1500]


def test_unanswered_question_makes_possible_not_no(client, permits):
    html = client.get(PAGE, {"nationality": "MA", "destination": "DE"}).content.decode()
    skilled = html[html.index('id="v-de-skilled"') :]
    assert "Possibly eligible" in skilled[:300]
    assert "To check:" in skilled


def test_occupation_words_offer_choices_without_javascript(client, permits):
    html = client.get(PAGE, {"nationality": "MA", "destination": "DE", "occupation": "nursing"}).content.decode()
    assert "Which occupation do you mean?" in html
    assert "occupation=2221" in html


@pytest.mark.parametrize(
    "query",
    [
        {"nationality": "MA", "destination": "MA"},
        {"nationality": "MA", "destination": "ZZ"},
        {"nationality": "MA", "destination": "DE", "salary": "-5"},
        {"nationality": "MA", "destination": "DE", "salary": "1e400", "currency": "EUR"},
        {"nationality": "MA", "destination": "DE", "salary": "50000"},
        {"nationality": "MA", "destination": "DE", "age": "abc"},
        {"nationality": "MA", "destination": "DE", "language_level": "Z9"},
        {"nationality": "MA", "destination": "DE", "occupation": "\x00"},
        {"nationality": "<b>", "destination": "DE"},
    ],
)
def test_odd_input_is_a_form_error(client, permits, query):
    response = client.get(PAGE, query)
    assert response.status_code == 200
    assert 'id="results"' not in response.content.decode()


def test_salary_in_euros_is_compared(client, permits):
    html = client.get(
        PAGE, {"nationality": "MA", "destination": "DE", "salary": "30000", "currency": "EUR"}
    ).content.decode()
    skilled = html[html.index('id="v-de-skilled"') :]
    assert "Your salary is below the minimum" in skilled


def test_query_count(client, permits, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        response = client.get(PAGE, {"nationality": "MA", "destination": "DE", "occupation": "nurse"})
    assert response.status_code == 200
