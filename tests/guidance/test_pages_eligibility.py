"""The eligibility page: the form, the engine's verdicts with reasons and sources, odd input."""

import pytest
from django.utils import timezone

from core.api.versioning import data_version_current
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
    assert '<details class="eligibility-form" open>' in html  # nothing asked yet: the form is open
    for name in ("level_de", "level_en", "level_fr", "graduation_year"):
        assert f'name="{name}"' in html


def test_answer_starts_with_a_summary_and_folds_the_form_away(client, permits):
    html = client.get(
        PAGE, {"nationality": "MA", "destination": "DE", "occupation": "2221", "job_offer": "yes"}
    ).content.decode()
    assert html.index('id="summary"') < html.index('class="eligibility-form"') < html.index('id="results"')
    assert '<details class="eligibility-form">' in html  # folded: not open
    assert "1 permit likely" in html and "1 permit possible" in html and "2 permits not eligible" in html
    summary = html[html.index('id="summary"') : html.index('class="eligibility-form"')]
    assert 'href="#v-de-nurses"' in summary  # the best option first
    # The answer's URL carries the profile: the form keeps the answers given.
    assert 'name="occupation" value="2221"' in html
    # A kept or printed answer says when it was given and on which data, with a way to what changed since.
    version = data_version_current().token
    assert f'<time datetime="{timezone.localdate().isoformat()}">' in summary
    assert f"(data version <bdi>{version}</bdi>)" in summary
    assert f'href="/en/changes/?after_version={version}"' in summary


def test_each_not_likely_permit_says_what_would_change_the_answer(client, permits):
    html = client.get(
        PAGE,
        {
            "nationality": "MA",
            "destination": "DE",
            "occupation": "2221",
            "qualification": "vocational",
            "recognised": "no",
        },
    ).content.decode()
    skilled = html[html.index('id="v-de-skilled"') : html.index("</article>", html.index('id="v-de-skilled"'))]
    assert "What would make it likely:" in skilled
    assert "recognition of your qualification" in skilled
    closed = html[html.index('id="v-de-closed"') : html.index("</article>", html.index('id="v-de-closed"'))]
    assert "None: this permit is closed to your nationality." in closed


def test_page_and_api_give_the_same_verdicts(client, permits):
    page = client.get(
        PAGE, {"nationality": "MA", "destination": "DE", "occupation": "2221", "level_de": "B1", "job_offer": "yes"}
    )
    api = client.get(
        "/api/v1/eligibility/",
        {"nationality": "MA", "destination": "DE", "occupation": "2221", "languages": "de:B1", "job_offer": "true"},
    ).json()
    shown = [(item["verdict"].permit_code, item["verdict"].verdict) for item in page.context["verdicts"]]
    assert shown == [(item["permit_code"], item["verdict"]) for item in api["verdicts"]]
    assert page.context["summary"] == api["summary"]


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
        {"nationality": "MA", "destination": "DE", "level_de": "Z9"},
        {"nationality": "MA", "destination": "DE", "graduation_year": "1800"},
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
    assert "Your salary, \u206830,000 EUR\u2069 a year, is below the general minimum" in skilled


def test_query_count(client, permits, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = client.get(PAGE, {"nationality": "MA", "destination": "DE", "occupation": "nurse"})
    assert response.status_code == 200
