"""The licence check: valid today or not, with the date the register was last confirmed; never a 500."""

import datetime

import pytest

from core.fields import PublicationStatus
from recruiters.models import RecruitmentAgency
from tests.factories import (
    ContactPointFactory,
    LegalSourceFactory,
    RecruitmentAgencyFactory,
    RecruitmentRegimeFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/licence-check/"


def check(api, **params):
    return api.get(URL, params)


def test_valid_licence(api):
    RecruitmentAgencyFactory(
        country_id="MA",
        licence_number="EXAMPLE-MA-7",
        legal_name="Example Placement SARL",
        publication_status=PublicationStatus.PUBLISHED,
        valid_until=datetime.date(2999, 12, 31),
        last_confirmed=datetime.date(2026, 10, 1),
    )
    response = check(api, country="ma", licence_number=" example-ma-7 ")
    assert response.status_code == 200
    body = response.json()
    assert body["found"] is True
    assert body["valid_today"] is True
    assert body["agency_name"] == "Example Placement SARL"
    assert body["licence_number"] == "EXAMPLE-MA-7"
    assert body["status"] == "active"
    assert body["valid_until"] == "2999-12-31"
    assert body["last_confirmed"] == "2026-10-01"
    assert body["is_example"] is True
    assert "is valid today" in body["message"]


@pytest.mark.parametrize(
    ("status", "valid_until"),
    [
        (RecruitmentAgency.Status.ACTIVE, datetime.date(2001, 1, 1)),
        (RecruitmentAgency.Status.REVOKED, None),
        (RecruitmentAgency.Status.SUSPENDED, datetime.date(2999, 1, 1)),
    ],
)
def test_licence_not_valid_today(api, status, valid_until):
    RecruitmentAgencyFactory(
        country_id="TN",
        licence_number="TN-1",
        status=status,
        valid_until=valid_until,
        publication_status=PublicationStatus.PUBLISHED,
    )
    body = check(api, country="TN", licence_number="TN-1").json()
    assert body["found"] is True
    assert body["valid_today"] is False
    assert body["status"] == status
    assert "not valid today" in body["message"]


LIST_URL = "https://www.emploi.gov.ma/liste-agences.pdf"


def official_list_of_morocco(**regime):
    """Morocco's published regime naming LIST_URL, and one agency that cites that list: the hub holds it."""
    published = PublicationStatus.PUBLISHED
    RecruitmentRegimeFactory(country_id="MA", publication_status=published, public_list_url=LIST_URL, **regime)
    source = LegalSourceFactory(
        title="Liste des agences autorisées", url=LIST_URL, last_verified=datetime.date(2026, 12, 1)
    )
    agency = RecruitmentAgencyFactory(
        country_id="MA", licence_number="12/2020", is_example=False, publication_status=published
    )
    agency.legal_sources.add(source)
    return source


def test_unknown_licence_is_not_found_in_the_official_list_it_names(api):
    official_list_of_morocco()
    RecruitmentAgencyFactory(country_id="TN", licence_number="SAME-1", publication_status=PublicationStatus.PUBLISHED)
    response = check(api, country="MA", licence_number="SAME-1")
    assert response.status_code == 200
    body = response.json()
    assert body["found"] is False
    assert body["outcome"] == "not_found"
    assert body["valid_today"] is False
    assert body["agency_name"] is None
    assert body["register_url"] == LIST_URL
    assert body["register_read_on"] == "2026-12-01"
    assert body["message"] == (
        "Licence SAME-1 was not found in the official list of Morocco (Liste des agences autorisées, read on "
        "1 December 2026)."
    )


def test_without_an_official_list_the_check_says_it_cannot_answer_and_whom_to_ask(api):
    authority = ContactPointFactory(name="Ministère de l'Emploi", url="https://www.emploi.gov.ma")
    RecruitmentRegimeFactory(
        country_id="MA", publication_status=PublicationStatus.PUBLISHED, licensing_authority=authority
    )
    # An agency known from a press report of its suspension is no list: other licences stay unknown.
    press = LegalSourceFactory(url="https://press.example/suspension")
    RecruitmentAgencyFactory(
        country_id="MA", licence_number="7", is_example=False, status="suspended", publication_status="published"
    ).legal_sources.add(press)
    body = check(api, country="MA", licence_number="1234").json()
    assert body["found"] is False
    assert body["outcome"] == "no_register"
    assert body["register_url"] is None
    assert body["licensing_authority_contact"] == "https://www.emploi.gov.ma"
    assert body["message"] == (
        "The hub holds no official list of licensed agencies for Morocco: it cannot say whether licence 1234 is "
        "valid. Ask Ministère de l'Emploi: https://www.emploi.gov.ma."
    )
    assert check(api, country="MA", licence_number="7").json()["outcome"] == "suspended"


def test_a_list_the_authority_publishes_but_the_hub_did_not_load_is_no_register(api):
    RecruitmentRegimeFactory(country_id="TN", publication_status=PublicationStatus.PUBLISHED, public_list_url=LIST_URL)
    body = check(api, country="TN", licence_number="1").json()
    assert body["outcome"] == "no_register"
    assert f"The authority publishes a list: {LIST_URL}." in body["message"]


def test_no_register_answer_in_french(api):
    body = api.get(URL, {"country": "MA", "licence_number": "1234"}, HTTP_ACCEPT_LANGUAGE="fr").json()
    assert body["outcome"] == "no_register"
    assert body["message"].startswith("Le hub ne détient aucune liste officielle des agences autorisées de Maroc : ")


def test_draft_agency_is_not_in_the_public_register(api):
    RecruitmentAgencyFactory(country_id="MA", licence_number="DRAFT-1", publication_status=PublicationStatus.DRAFT)
    assert check(api, country="MA", licence_number="DRAFT-1").json()["found"] is False


@pytest.mark.parametrize(
    "params",
    [
        {"country": "XX", "licence_number": "1"},
        {"country": "Morocco", "licence_number": "1"},
        {"licence_number": "1"},
        {"country": "MA"},
        {"country": "MA", "licence_number": "x" * 101},
    ],
)
def test_bad_questions_answer_400_with_a_message(api, params):
    response = check(api, **params)
    assert response.status_code == 400
    assert response.json()


def test_answer_in_french(api):
    body = api.get(URL, {"country": "MA", "licence_number": "1"}, HTTP_ACCEPT_LANGUAGE="fr").json()
    assert body["country_name"] == "Maroc"
