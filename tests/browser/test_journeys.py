"""Four journeys in real Chromium: a migrant in Arabic, an employer, a worker checking a licence, a phone user."""

import datetime

import pytest
from django.utils import translation

from core.fields import PublicationStatus
from countries.models import Corridor
from tests.factories import (
    AgreementFactory,
    FeeFactory,
    LegalSourceFactory,
    PermitCategoryFactory,
    RecruitmentAgencyFactory,
    RecruitmentRegimeFactory,
    RequiredDocumentFactory,
)

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_rows")]
PUBLISHED = PublicationStatus.PUBLISHED
TODAY = datetime.date.today()


def make_corridors():
    """Morocco → Germany and Tunisia → France, each with a published permit and its sources."""
    # `name=` fills the field of the active language (django-modeltranslation): make it English.
    with translation.override("en"):
        _make_corridors()


def _make_corridors():
    source = LegalSourceFactory(country_id="DE", title="Aufenthaltsgesetz", article="§ 18a", last_verified=TODAY)
    permit = PermitCategoryFactory(
        code="de-skilled",
        name="Skilled worker",
        name_ar="تصريح الإقامة للعمال المهرة",
        publication_status=PUBLISHED,
        last_verified=TODAY,
        job_offer_required=True,
        qualification="vocational",
        language_level="none",
        recognition_required=False,
        processing_days_min=30,
        processing_days_max=60,
        legal_sources=[source],
    )
    permit.occupations.set(["2221"])
    RequiredDocumentFactory(permit=permit, name="Valid passport", name_ar="جواز سفر ساري المفعول", position=1)
    RequiredDocumentFactory(permit=permit, name="Employment contract", position=2, translation_needed=True)
    FeeFactory(permit=permit, name="National visa fee", amount="75.00", currency="EUR", payer="worker")
    PermitCategoryFactory(code="de-closed", name="Closed to Moroccans", publication_status=PUBLISHED).closed_to.set(
        ["MA"]
    )
    french = PermitCategoryFactory(
        country_id="FR", code="fr-salarie", name="Salaried worker", publication_status=PUBLISHED, processing_days_max=90
    )
    FeeFactory(permit=french, name="Stamp duty", amount="225.00", currency="EUR")
    AgreementFactory(
        key="de-ma-social",
        title="Germany–Morocco social security",
        type="social_security",
        publication_status=PUBLISHED,
    )
    RecruitmentRegimeFactory(country_id="MA", worker_fee_rule="zero_fee", publication_status=PUBLISHED)
    Corridor.objects.create(origin_id="MA", destination_id="DE")
    Corridor.objects.create(origin_id="TN", destination_id="FR")


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_migrant_in_arabic_finds_a_permit_for_their_nationality_and_prints_its_checklist(live_server, page):
    make_corridors()
    page.goto(f"{live_server.url}/ar/")
    assert page.get_attribute("html", "dir") == "rtl"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"

    page.get_by_role("link", name="المغرب").click()  # by nationality: Morocco
    # Origin first in the reading direction: Morocco on the right, the arrow pointing left to Germany.
    route = page.get_by_role("link", name="المغرب ← ألمانيا")
    origin, destination = (route.locator("bdi").nth(index).bounding_box() for index in (0, 1))
    assert origin["x"] > destination["x"] + destination["width"]
    route.click()
    assert "/ar/corridors/MA-DE/" in page.url
    permits = page.locator("#permits + ul")
    assert permits.get_by_role("link", name="تصريح الإقامة للعمال المهرة").is_visible()
    assert permits.get_by_text("Closed to Moroccans").count() == 0

    permits.get_by_role("link", name="تصريح الإقامة للعمال المهرة").click()
    checklist = page.locator("#checklist + p + ol.docs")
    assert checklist.get_by_text("جواز سفر ساري المفعول").is_visible()
    assert checklist.get_by_text("Employment contract").is_visible()  # shown in English, marked as such
    assert checklist.locator(".fallback").first.is_visible()  # its "(in English)"

    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('header.site')).display") == "none"
    assert checklist.get_by_text("جواز سفر ساري المفعول").is_visible()
    pdf = page.pdf(path=str(ARTIFACTS / "permit-checklist-ar.pdf"), format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    page.screenshot(path=str(ARTIFACTS / "permit-checklist-ar-print.png"), full_page=True)


def test_employer_compares_two_corridors(live_server, page):
    make_corridors()
    page.goto(f"{live_server.url}/en/compare/")
    page.select_option("#corridor-1", "MA-DE")
    page.select_option("#corridor-2", "TN-FR")
    page.get_by_role("button", name="Compare").click()

    table = page.locator("table.compare-table")
    assert table.get_by_role("link", name="Morocco → Germany").is_visible()
    assert table.get_by_role("link", name="Tunisia → France").is_visible()
    assert table.get_by_text("225.00 EUR").is_visible()
    assert page.locator("svg.chart").count() >= 2
    href = page.get_by_role("link", name="Download as CSV (spreadsheet)").get_attribute("href")
    csv = page.request.get(f"{live_server.url}{href}")
    assert csv.ok and csv.headers["content-type"].startswith("text/csv")
    assert "MA-DE" in csv.text() and "TN-FR" in csv.text()
    page.screenshot(path=str(ARTIFACTS / "compare-corridors.png"), full_page=True)


def test_worker_checks_a_licence(live_server, page):
    with translation.override("en"):
        RecruitmentRegimeFactory(country_id="EG", publication_status=PUBLISHED, last_verified=TODAY)
        RecruitmentAgencyFactory(
            country_id="EG",
            licence_number="1470",
            status="suspended",
            publication_status=PUBLISHED,
            last_confirmed=TODAY,
        )
    page.goto(f"{live_server.url}/fr/licence-check/")
    page.get_by_label("Pays qui a délivré la licence").select_option("EG")
    page.get_by_label("Numéro de licence").fill(" 1470 ")
    page.get_by_role("button", name="Vérifier").click()
    assert page.locator("#answer").inner_text() == "Licence suspendue"
    assert page.get_by_text("Ne la payez pas").is_visible()
    page.screenshot(path=str(ARTIFACTS / "licence-check-fr.png"), full_page=True)

    # Egypt's entries come from reports of suspensions, not from an official list: an absent licence is
    # not "not found", the hub says it cannot tell and whom to ask.
    page.get_by_label("Numéro de licence").fill("9999")
    page.get_by_role("button", name="Vérifier").click()
    assert page.locator("#answer").inner_text() == "Le hub ne peut pas vérifier cette licence"
    assert page.get_by_text("Ne payez pas tant que vous n'êtes pas sûr").is_visible()


def test_eligibility_check_on_a_360_px_screen(live_server, phone):
    make_corridors()
    phone.goto(f"{live_server.url}/en/eligibility/")
    assert no_horizontal_scroll(phone)
    phone.get_by_label("Your nationality").select_option("MA")
    phone.get_by_label("Where you want to work").select_option("DE")
    phone.get_by_label("Your occupation").fill("nursing")
    phone.get_by_label("Do you have a job offer?").select_option("yes")
    phone.get_by_label("Your highest qualification").select_option("vocational")
    phone.get_by_role("button", name="Check").click()

    # Words, not a code: the page offers the matching occupations as links (no JavaScript needed).
    phone.get_by_role("link", name="2221 Nursing professionals").click()
    result = phone.locator("article", has=phone.locator("#v-de-skilled"))
    assert result.get_by_text("Likely eligible").is_visible()
    closed = phone.locator("article", has=phone.locator("#v-de-closed"))
    assert closed.get_by_text("Not eligible").is_visible()
    assert closed.locator("li.not_met").get_by_text("This permit is closed to your nationality.").is_visible()
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=str(ARTIFACTS / "eligibility-360px.png"), full_page=True)
