"""The search page: the engine's search, grouped by kind, each hit linking to its page; odd input."""

import pytest

from tests.factories import RecruitmentAgencyFactory

pytestmark = pytest.mark.django_db

PAGE = "/en/search/"


def test_finds_permits_agreements_agencies_and_occupations(client, corridor_data):
    RecruitmentAgencyFactory(legal_name="Skilled Placement Ltd", licence_number="MA-77", publication_status="published")
    html = client.get(PAGE, {"q": "skilled"}).content.decode()
    assert 'href="/en/permits/de-skilled/"' in html
    assert 'href="/en/licence-check/?country=MA&amp;licence=MA-77"' in html
    html = client.get(PAGE, {"q": "social security"}).content.decode()
    assert 'href="/en/agreements/de-ma-social/"' in html
    html = client.get(PAGE, {"q": "nursing professionals"}).content.decode()
    assert 'href="/en/permits/?occupation=2221"' in html


def test_drafts_are_not_found(client, corridor_data):
    html = client.get(PAGE, {"q": "secret draft"}).content.decode()
    assert "Secret draft permit" not in html
    assert "Nothing found." in html


def test_searches_in_the_page_language(client, corridor_data):
    html = client.get("/de/search/", {"q": "Fachkraft"}).content.decode()
    assert 'href="/de/permits/de-skilled/"' in html


@pytest.mark.parametrize("query", ["", "   ", "\x00", "x" * 5000, "' OR 1=1 --", "%_%"])
def test_odd_input_is_not_an_error(client, corridor_data, query):
    assert client.get(PAGE, {"q": query}).status_code == 200


def test_query_count(client, corridor_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert client.get(PAGE, {"q": "skilled"}).status_code == 200
