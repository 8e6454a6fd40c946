"""Help that exists for the corridor (programmes and agreements) and travel documents other than a passport.

Issue 17, items 4 and 5: the programmes come from the agreement data (Triple Win for Tunisian nurses to
Germany), listed with the verdicts they concern; a stateless person or a refugee can be chosen and is told
what the hub does not know, never a silent yes.
"""

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from guidance.eligibility import (
    NOT_ELIGIBLE,
    NOT_MET,
    POSSIBLE,
    UNKNOWN,
    Applicant,
    corridor_programmes,
    evaluate_all,
    programmes_concerning,
)

ON = datetime.date(2026, 6, 1)
TRIPLE_WIN = "de-tn-triple-win-nurses"
TUNISIAN_NURSE = {
    "nationality": "TN",
    "destination": "DE",
    "isco_code": "2221",
    "qualification": "vocational",
    "job_offer": True,
    "salary": Decimal(40000),
    "salary_currency": "EUR",
    "languages": {"de": "B1"},
}


@pytest.fixture
def demo_data(db):
    call_command("load_demo_data", stdout=io.StringIO())


def _programmes(verdicts):
    return {verdict.permit_code: [agreement.key for agreement in verdict.programmes] for verdict in verdicts}


def test_triple_win_concerns_the_tunisian_nurse_s_routes(demo_data):
    verdicts = evaluate_all(Applicant(**TUNISIAN_NURSE), ON)
    by_permit = _programmes(verdicts)
    assert TRIPLE_WIN in by_permit["de-skilled-worker-vocational"]
    # The nursing assistant permit is for ISCO 5321, which Triple Win (2221, 3221) does not recruit for.
    assert TRIPLE_WIN not in by_permit["de-nursing-assistant"]
    programmes = {programme.agreement.key: programme for programme in corridor_programmes(verdicts)}
    assert "de-skilled-worker-vocational" in programmes[TRIPLE_WIN].permit_codes


def test_a_programme_never_concerns_a_permit_the_person_cannot_get(demo_data):
    verdicts = evaluate_all(Applicant(**TUNISIAN_NURSE), ON)
    refused = [verdict for verdict in verdicts if verdict.verdict == NOT_ELIGIBLE]
    assert refused, "the demo data has a permit a Tunisian nurse cannot get (seasonal work: GE, MD only)"
    assert all(not verdict.programmes for verdict in refused)


def test_triple_win_is_for_tunisia_and_for_nurses_only(demo_data):
    moroccan = _programmes(evaluate_all(Applicant(**{**TUNISIAN_NURSE, "nationality": "MA"}), ON))
    developer = _programmes(evaluate_all(Applicant(**{**TUNISIAN_NURSE, "isco_code": "2512"}), ON))
    assert all(TRIPLE_WIN not in keys for keys in moroccan.values())
    assert all(TRIPLE_WIN not in keys for keys in developer.values())
    # A programme for every occupation (the THAMM Plus skills partnership) concerns the developer too.
    assert any("de-thamm-plus-2024" in keys for keys in developer.values())


def _agreement(key, kind, groups=(), sectors=()):
    occupations = [SimpleNamespace(code=code) for code in groups]
    sections = [SimpleNamespace(code=code) for code in sectors]
    return SimpleNamespace(
        key=key,
        type=kind,
        occupations=SimpleNamespace(all=lambda: occupations),
        sectors=SimpleNamespace(all=lambda: sections),
    )


def _verdict(purpose, groups=(), agreement_required=False, verdict=POSSIBLE):
    occupations = [SimpleNamespace(code=code) for code in groups]
    permit = SimpleNamespace(
        purpose=purpose, agreement_required=agreement_required, occupations=SimpleNamespace(all=lambda: occupations)
    )
    return SimpleNamespace(verdict=verdict, permit=permit)


@pytest.mark.parametrize(
    ("verdict", "agreement", "isco_code", "concerned"),
    [
        (_verdict("work"), _agreement("any", "bla"), "2512", True),
        (_verdict("work", ["25"]), _agreement("nurses", "mou", ["2221"]), None, False),
        (_verdict("work", ["22"]), _agreement("nurses", "mou", ["2221"]), None, True),
        (_verdict("work"), _agreement("nurses", "mou", ["2221"]), "2512", False),
        (_verdict("work"), _agreement("seasonal", "seasonal_scheme"), "9211", False),
        (_verdict("seasonal", ["9211"]), _agreement("seasonal", "seasonal_scheme"), "9211", True),
        (_verdict("work", ["9211"], agreement_required=True), _agreement("nurses", "mou", ["2221"]), None, True),
        (_verdict("work", verdict=NOT_ELIGIBLE), _agreement("any", "bla"), None, False),
    ],
)
def test_which_verdicts_a_programme_concerns(verdict, agreement, isco_code, concerned):
    applicant = Applicant(nationality="TN", destination="DE")
    assert bool(programmes_concerning(applicant, verdict, [agreement], isco_code)) is concerned


@pytest.mark.parametrize(("sector", "concerned"), [(None, True), ("I", True), ("A", False)])
def test_a_programme_for_some_sectors_concerns_work_in_them(sector, concerned):
    applicant = Applicant(nationality="TN", destination="DE", sector=sector)
    hotels = _agreement("hotels", "skills_partnership", sectors=["I"])
    assert bool(programmes_concerning(applicant, _verdict("work"), [hotels], None)) is concerned


def test_a_stateless_person_is_told_what_the_hub_does_not_know(demo_data):
    verdicts = evaluate_all(Applicant(nationality="", destination="DE", travel_document="stateless"), ON)
    reasons = {verdict.permit_code: next(r for r in verdict.reasons if r.code == "nationality") for verdict in verdicts}
    # Open to every nationality: not known for a stateless person, never a silent "open".
    assert reasons["de-eu-blue-card"].status == UNKNOWN
    assert "stateless" in str(reasons["de-eu-blue-card"].message)
    # Open only to nationals of listed countries: a person without a nationality is not one of them.
    assert reasons["de-seasonal-work"].status == NOT_MET
    assert all(not verdict.programmes for verdict in verdicts)


def test_a_refugee_keeps_their_nationality_but_not_its_agreements(demo_data):
    applicant = Applicant(**{**TUNISIAN_NURSE, "travel_document": "refugee"})
    assert applicant.nationality == "TN"
    verdicts = evaluate_all(applicant, ON)
    statuses = {next(r for r in v.reasons if r.code == "nationality").status for v in verdicts}
    assert statuses <= {UNKNOWN, NOT_MET}
    assert all(not verdict.programmes for verdict in verdicts)


def test_a_nationality_is_needed_with_a_passport():
    with pytest.raises(ValueError):
        Applicant(nationality="", destination="DE")
    with pytest.raises(ValueError):
        Applicant(nationality="TN", destination="DE", travel_document="visa")
    # A stateless or Palestinian document has no nationality to match, even if one is given.
    assert Applicant(nationality="PS", destination="DE", travel_document="palestinian").nationality == ""


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Programmes and agreements for this route"), ("fr", "Programmes et accords pour ce trajet")],
)
def test_the_page_lists_the_programmes_with_the_verdicts(client, demo_data, language, heading):
    params = {"nationality": "TN", "destination": "DE", "occupation": "2221", "qualification": "vocational"}
    page = client.get(f"/{language}/eligibility/", params)
    html = page.content.decode()
    assert page.status_code == 200
    assert heading in html
    assert f'href="/{language}/agreements/{TRIPLE_WIN}/"' in html
    assert 'href="#v-de-skilled-worker-vocational"' in html


@pytest.mark.parametrize("language", ["en", "fr", "ar", "de"])
def test_the_page_accepts_a_stateless_person(client, demo_data, language):
    page = client.get(f"/{language}/eligibility/", {"destination": "DE", "travel_document": "stateless"})
    assert page.status_code == 200
    assert page.context["verdicts"], "answers, not a form error"
    assert page.context["travel_document"]
    assert all(item["verdict"].verdict != "likely" for item in page.context["verdicts"])


def test_the_page_asks_for_a_nationality_with_a_passport(client, demo_data):
    page = client.get("/fr/eligibility/", {"destination": "DE"})
    assert page.status_code == 200
    assert page.context["verdicts"] is None
    assert "nationality" in page.context["form"].errors


def test_the_api_gives_the_programmes_and_takes_a_travel_document(client, demo_data):
    answer = client.get(
        "/api/v1/eligibility/", {"nationality": "TN", "destination": "DE", "occupation": "2221", "on": ON}
    ).json()
    programmes = {programme["key"]: programme for programme in answer["programmes"]}
    assert programmes[TRIPLE_WIN]["occupations"] == ["2221", "3221"]
    concerned = {verdict["permit_code"] for verdict in answer["verdicts"] if TRIPLE_WIN in verdict["programmes"]}
    assert concerned == set(programmes[TRIPLE_WIN]["permit_codes"])
    stateless = client.get("/api/v1/eligibility/", {"destination": "DE", "travel_document": "stateless"})
    assert stateless.status_code == 200
    assert stateless.json()["programmes"] == []
    assert client.get("/api/v1/eligibility/", {"destination": "DE"}).status_code == 400
