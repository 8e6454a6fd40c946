"""The admin a focal point works in, checked in real Chromium with axe-core (tests/browser/vendor/): no
accessibility violation on the admin's home, a permit's form and a submission's page, in English and in
Arabic; and the permit's form fits a 1,280 × 800 laptop screen, its sections folded."""

import datetime
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.fields import PublicationStatus
from permits.models import LanguageRequirement, SalaryThreshold
from submissions.models import Submission, SubmissionDiffEntry
from tests.factories import FeeFactory, LegalSourceFactory, PermitCategoryFactory, RequiredDocumentFactory, UserFactory

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_rows")]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# WCAG 2.1 levels A and AA, and axe's best practices (empty table headers are one); every impact level.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
LAPTOP = {"width": 1280, "height": 800}
# Measured with the demo data's longest German permit (8 documents, 2 fees): 10,748 px tall and
# 1,703 px wide before its sections were folded and its inlines made compact; about 3,000 px after.
FOLDED_HEIGHT_LIMIT = 4_000


def make_permit_and_submission():
    """A German focal point, their published permit with every kind of inline row, and a submission of
    theirs whose report has an error and whose diff has an added and a changed row."""
    with translation.override("en"):
        focal_point = UserFactory(role="focal_point", countries=["DE"])
        source = LegalSourceFactory(country_id="DE", title="Aufenthaltsgesetz", article="§ 18a")
        permit = PermitCategoryFactory(
            code="de-skilled",
            name="Skilled worker",
            name_ar="تصريح الإقامة للعمال المهرة",
            description="A residence permit for skilled work.",
            publication_status=PublicationStatus.PUBLISHED,
            last_verified=datetime.date(2026, 11, 25),
            legal_sources=[source],
        )
        permit.occupations.set(["2221"])
        permit.open_to.set(["MA", "TN"])
        for position, name in enumerate(("Valid passport", "Employment contract", "Recognition of qualifications")):
            RequiredDocumentFactory(permit=permit, name=name, position=position, notes="Original and one copy.")
        FeeFactory(permit=permit, name="National visa fee", amount="75.00", currency="EUR", payer="worker")
        SalaryThreshold.objects.create(
            permit=permit, label="Minimum salary", amount="43470.00", currency="EUR", period="year"
        ).legal_sources.set([source])
        LanguageRequirement.objects.create(permit=permit, language="de", level="B1", legal_source=source)
        submission = Submission.objects.create(
            country_id="DE",
            submitter=focal_point,
            status=Submission.Status.INVALID,
            original_name="permits.json",
            detected_format=Submission.Format.JSON,
            file="submissions/permits.json",
            report={
                "rows": 2,
                "format": "json",
                "error_count": 1,
                "errors": [
                    {"sheet": "permits", "row": 2, "field": "code", "value": "de skilled", "message": "Not a slug."}
                ],
                "summary": {"added": 1, "changed": 1, "withdrawn": 0, "unchanged": 0},
            },
        )
        SubmissionDiffEntry.objects.create(
            submission=submission, position=0, kind="added", sheet="permits", key="de-new", data={"values": {}}
        )
        SubmissionDiffEntry.objects.create(
            submission=submission,
            position=1,
            kind="changed",
            sheet="permits",
            key="de-skilled",
            data={"fields": {"name": ["Skilled worker", "Skilled workers"]}},
        )
    return focal_point, permit, submission


@pytest.fixture
def laptop(browser):
    """A 1,280 × 800 screen, in a context of its own (the session cookie is added per test)."""
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def log_in(page, live_server, user, language):
    """The user's session and language, as cookies of the browser (no login form: axes counts those)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )


def settle(page):
    """Wait until the admin's scripts have built their widgets (on load) and admin.js has named them."""
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50)))")


def axe_violations(page):
    page.evaluate(AXE)
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map((violation) => ({
                rule: violation.id,
                impact: violation.impact,
                nodes: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
            }));
        }""",
        AXE_TAGS,
    )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_focal_point_admin_pages_have_no_accessibility_violation(live_server, laptop, language):
    focal_point, permit, submission = make_permit_and_submission()
    log_in(laptop, live_server, focal_point, language)
    pages = {
        "home": reverse("admin:index"),
        "permit form": reverse("admin:permits_permitcategory_change", args=[permit.pk]),
        "submission": reverse("admin:submissions_submission_change", args=[submission.pk]),
    }
    found = {}
    for name, path in pages.items():
        response = laptop.goto(f"{live_server.url}{path}")
        assert response.status == 200, (name, response.status)
        assert laptop.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
        settle(laptop)
        violations = axe_violations(laptop)
        if violations:
            shot = ARTIFACTS / f"admin-axe-{language}-{name.replace(' ', '-')}.png"
            laptop.screenshot(path=str(shot), full_page=True)
            found[name] = violations
    assert found == {}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_submission_page_fits_a_laptop_screen(live_server, laptop, language):
    focal_point, _, submission = make_permit_and_submission()
    log_in(laptop, live_server, focal_point, language)
    laptop.goto(f"{live_server.url}{reverse('admin:submissions_submission_change', args=[submission.pk])}")
    settle(laptop)
    assert laptop.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"], overflowing(laptop)
    # The report comes under the form, as wide as it: not a narrow column beside it.
    report = laptop.locator("#report").locator("xpath=..").bounding_box()
    form = laptop.locator("#content-main").bounding_box()
    assert report["y"] >= form["y"] + form["height"] - 1 and report["width"] >= form["width"] * 0.9


def overflowing(page):
    """The first elements that reach past either edge of the screen: what a failure names."""
    return page.evaluate(
        """() => [...document.querySelectorAll("#container *")]
            .filter((element) => {
                const box = element.getBoundingClientRect();
                return box.width && (box.right > innerWidth + 1 || box.left < -1);
            })
            .slice(0, 8)
            .map((element) => `${element.tagName}#${element.id}.${element.className}`)"""
    )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_permit_form_fits_a_laptop_screen_with_its_sections_folded(live_server, laptop, language):
    focal_point, permit, _ = make_permit_and_submission()
    log_in(laptop, live_server, focal_point, language)
    laptop.goto(f"{live_server.url}{reverse('admin:permits_permitcategory_change', args=[permit.pk])}")
    settle(laptop)
    size = laptop.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    laptop.screenshot(path=str(ARTIFACTS / f"admin-permit-form-{language}.png"), full_page=True)
    assert size[0] <= LAPTOP["width"], (size, overflowing(laptop))
    assert size[1] < FOLDED_HEIGHT_LIMIT, size
    # The key fields are open, the rest of the form folded; the documents stay a table of few columns.
    assert laptop.locator("#id_name_en").is_visible()
    assert not laptop.locator("#id_open_to_from").is_visible()
    assert laptop.locator("#documents-group table").is_visible()
    assert not laptop.locator("#id_documents-0-notes_en").is_visible()

    # Every section and every row's details opened: still no table, no box wider than the screen.
    laptop.evaluate("document.querySelectorAll('details').forEach((details) => { details.open = true; })")
    assert laptop.locator("#id_documents-0-notes_en").is_visible()
    widest = laptop.evaluate(
        "Math.max(...[...document.querySelectorAll('table')].map((table) => table.getBoundingClientRect().width))"
    )
    assert widest <= LAPTOP["width"]
    assert laptop.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"], overflowing(laptop)
