"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

No browser is ever downloaded: Playwright launches /usr/bin/chromium (CHROMIUM=PATH names another).
Without it the browser tests are skipped, with one line saying how to install it, so that `make test`
passes on a machine without a browser; with REQUIRE_BROWSER=1 (set by .ci/run) they fail instead.
Screenshots and PDFs go to test-artifacts/ (ignored by git), for people to look at when a test fails in CI.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
INSTALL = "apt-get update && apt-get install -y chromium chromium-driver"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API keeps an event loop in this thread; the ORM calls of a test (made before the
# browser acts, never concurrently with it) are safe, so Django's async guard is lifted for these tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Reference data loaded once per run (tests/conftest.py) or by a data migration: the flush that ends
# each live-server test empties these tables, so they are copied first and put back after.
REFERENCE_MODELS = (
    "countries.Sector",
    "countries.Country",
    "permits.IscoGroup",
    "permits.EscoOccupation",
    "permits.OccupationLabel",  # what the occupation picker searches (after the rows its labels point to)
)


def _models():
    from django.apps import apps

    return [apps.get_model(label) for label in REFERENCE_MODELS]


def _restore(snapshot):
    for model in _models():
        if not model.objects.exists():
            model.objects.bulk_create(snapshot[model], batch_size=2000)


@pytest.fixture(scope="module")
def reference_snapshot(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        snapshot = {model: list(model.objects.order_by("pk")) for model in _models()}
    yield snapshot
    with django_db_blocker.unblock():
        _restore(snapshot)


@pytest.fixture
def reference_rows(transactional_db, reference_snapshot):
    """Countries, sectors and occupations present for the test, whatever an earlier test flushed."""
    _restore(reference_snapshot)


def missing_browser(chromium=CHROMIUM, environ=os.environ):
    """None when Chromium is there; else ("skip" or "fail", the one line that says why and what to do).
    A missing browser fails only where the environment requires the browser tests (REQUIRE_BROWSER=1)."""
    if Path(chromium).is_file():
        return None
    if environ.get("REQUIRE_BROWSER") == "1":
        return "fail", f"{chromium} is missing and REQUIRE_BROWSER=1: install Debian's Chromium: {INSTALL}"
    return "skip", f"{chromium} is missing, browser tests skipped; to run them install Debian's Chromium: {INSTALL}"


def pytest_runtest_setup(item):
    """Skipped (or failed) here rather than in the fixture, so that all the skips share one line of the summary."""
    missing = missing_browser() if "browser" in item.fixturenames else None
    if missing:
        outcome, message = missing
        (pytest.fail if outcome == "fail" else pytest.skip)(message)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A 360 px wide phone screen."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()
