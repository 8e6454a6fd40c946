"""Readable on a 360 px phone, in Arabic (right to left) and French (long words): the pages a migrant uses
scroll only up and down, never sideways, every field of their forms is labelled, every arrow points the
reading direction and no left-to-right text (a source's title, a code) is drawn scrambled in a right-to-left
line. A screenshot of each page goes to test-artifacts/."""

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
        ("corridors", "corridors/"),
        ("comparison", "compare/?corridor=MA-DE&corridor=TN-FR"),
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
        ("corridors", "corridors/"),
        ("comparison", "compare/?corridor=MA-DE&corridor=TN-FR"),
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

# Arrows drawn the wrong way in a right-to-left page: an arrow must point the way its line reads (← in
# Arabic), and between two isolated names (a route: origin, arrow, destination) the origin comes first in
# the reading direction, so it is drawn on the right of the destination in Arabic.
WRONG_ARROWS = """() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const wrong = [];
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        if (!/[←→]/.test(node.data) || !element.getClientRects().length) continue;
        seen += 1;
        const rtl = getComputedStyle(element).direction === "rtl";
        if (node.data.includes(rtl ? "→" : "←")) wrong.push(`${rtl ? "→" : "←"} in: ${element.textContent.trim()}`);
        const [before, after] = [node.previousSibling, node.nextSibling];
        if (before && after && before.nodeName === "BDI" && after.nodeName === "BDI") {
            const [origin, destination] = [before.getBoundingClientRect(), after.getBoundingClientRect()];
            if (rtl ? origin.left < destination.left : origin.left > destination.left) {
                wrong.push(`origin not first: ${element.textContent.trim()}`);
            }
        }
    }
    return {seen, wrong};
}"""

# Left-to-right text (a Latin source title, a code, an article) in a right-to-left line, not isolated (<bdi>,
# an element with dir, Unicode isolates): the bidirectional algorithm moves the brackets, marks and numbers
# at its ends to the wrong end of the line ("ILO (NORMLEX)" drawn as "(ILO (NORMLEX"). Latin words alone
# between Arabic ones read right, so only text with such a character at an end of its Latin run is named.
UNISOLATED = r"""() => {
    // Isolated within its line: a <bdi>, an element with dir, or an inline element of unicode-bidi isolate
    // between the text and its block (blocks are isolates by default, which says nothing of their lines).
    const isolated = (element) => {
        for (let at = element; at && at !== document.body; at = at.parentElement) {
            if (at.nodeName === "BDI" || at.hasAttribute("dir")) return true;
            const style = getComputedStyle(at);
            if (!style.display.startsWith("inline")) return false;
            if (/isolate|plaintext/.test(style.unicodeBidi)) return true;
        }
        return false;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const found = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        const text = node.data.replace(/[\u2066-\u2069][^\u2066-\u2069]*\u2069/g, "");  // already isolated
        if (!element.getClientRects().length || getComputedStyle(element).direction !== "rtl") continue;
        const trimmed = text.trim();
        // A bracket, mark or number opening the text before a Latin word, or closing a text that starts in
        // Latin script: the bidirectional algorithm gives them the line's direction, at the wrong end.
        const opens = /^[\p{P}\p{S}\d\s]+[A-Za-z\u00c0-\u024f]/u.test(trimmed);
        const closes = /^[^\u0600-\u06ff]*[A-Za-z\u00c0-\u024f][^\u0600-\u06ff]*[\p{P}\p{S}]$/u.test(trimmed);
        if ((opens || closes) && !isolated(element)) {
            found.push(text.trim().slice(0, 80));
        }
    }
    return found;
}"""


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
    problems, arrows_seen = [], 0
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
        arrows = phone.evaluate(WRONG_ARROWS)
        arrows_seen += arrows["seen"]
        if arrows["wrong"]:
            problems.append(f"{name}: arrows against the reading direction: {arrows['wrong']}")
        unisolated = phone.evaluate(UNISOLATED)
        if unisolated:
            problems.append(f"{name}: left-to-right text not isolated in right-to-left lines: {unisolated}")
        phone.screenshot(path=str(ARTIFACTS / f"360px-{language}-{name.replace(' ', '-')}.png"), full_page=True)
    assert problems == []
    assert arrows_seen > 0  # the routes of the corridor list and the comparison were checked
