"""Readable on a 360 px phone, in Arabic (right to left) and French (long words): the pages a migrant uses
scroll only up and down, never sideways, and every field of their forms is labelled."""

import datetime

import pytest
from django.utils import translation

from core.fields import PublicationStatus
from tests.factories import RecruitmentAgencyFactory, RecruitmentRegimeFactory

from .conftest import ARTIFACTS
from .test_journeys import make_corridors

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_rows")]
TODAY = datetime.date.today()
WIDTH = 360

# (page, path after /<language>/), with the words a visitor of that language types.
PAGES = {
    "ar": [
        ("home", ""),
        ("search", "search/?q=ممرض"),
        ("permit list", "permits/"),
        ("permit", "permits/de-skilled/"),
        ("eligibility check", "eligibility/"),
        ("eligibility answer", "eligibility/?nationality=MA&destination=DE&occupation=ممرضة&job_offer=yes"),
        ("licence check", "licence-check/"),
        ("licence answer", "licence-check/?country=EG&licence=١٤٧٠"),
    ],
    "fr": [
        ("home", ""),
        ("search", "search/?q=infirmière"),
        ("permit list", "permits/"),
        ("permit", "permits/de-skilled/"),
        ("eligibility check", "eligibility/"),
        ("eligibility answer", "eligibility/?nationality=MA&destination=DE&occupation=infirmière&job_offer=yes"),
        ("licence check", "licence-check/"),
        ("licence answer", "licence-check/?country=EG&licence=1470"),
    ],
}

# The width of the page's content, and what stands out past the screen's edge (for the message).
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.body.querySelectorAll("*")].filter((element) => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && (box.right > width + 1 || box.left < -1);
    });
    return {
        scrollWidth: document.documentElement.scrollWidth,
        wide: wide.slice(0, 5).map((element) => [element.tagName.toLowerCase(), element.className].join(".")),
    };
}"""

# Fields a person fills in (not hidden, not a button) without a label: a <label>, aria-label or aria-labelledby.
UNLABELLED = """() => [...document.querySelectorAll("input, select, textarea")]
    .filter((field) => !["hidden", "submit", "button", "reset", "image"].includes(field.type))
    .filter((field) => field.labels.length === 0
        && !(field.getAttribute("aria-label") || "").trim()
        && !(field.getAttribute("aria-labelledby") || "").split(/\\s+/).some((id) => id && document.getElementById(id)))
    .map((field) => field.name || field.id || field.outerHTML.slice(0, 80))"""


def make_licence():
    with translation.override("en"):
        RecruitmentRegimeFactory(country_id="EG", publication_status=PublicationStatus.PUBLISHED, last_verified=TODAY)
        RecruitmentAgencyFactory(
            country_id="EG",
            licence_number="1470",
            status="suspended",
            publication_status=PublicationStatus.PUBLISHED,
            last_confirmed=TODAY,
        )


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_pages_fit_a_360_px_screen_and_label_every_field(live_server, phone, language):
    make_corridors()
    make_licence()
    problems = []
    for name, path in PAGES[language]:
        response = phone.goto(f"{live_server.url}/{language}/{path}")
        assert response.status == 200, f"{name}: /{language}/{path} answered {response.status}"
        assert phone.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
        overflow = phone.evaluate(OVERFLOW)
        if overflow["scrollWidth"] > WIDTH:
            problems.append(f"{name}: {overflow['scrollWidth']} px wide, past the edge: {overflow['wide']}")
        unlabelled = phone.evaluate(UNLABELLED)
        if unlabelled:
            problems.append(f"{name}: fields without a label: {unlabelled}")
        phone.screenshot(path=str(ARTIFACTS / f"360px-{language}-{name.replace(' ', '-')}.png"), full_page=True)
    assert problems == []
