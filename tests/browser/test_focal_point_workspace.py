"""Morocco's focal point in real Chromium: the admin's home lists what awaits them, a file with errors
in three rows is reported whole and fixed in one round, and the fixed file then awaits review."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

from .conftest import ARTIFACTS
from .test_admin_accessibility import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_rows")]

HEADER = "legal_name,licence_number,status,valid_from,valid_until,destinations,sectors,is_example,last_confirmed"
GOOD = [
    "Agency one,EXAMPLE-MA-1001,active,2024-01-01,2027-12-31,SA;QA,Q,true,2026-11-25",
    "Agency two,EXAMPLE-MA-1002,active,2024-01-01,2027-12-31,SA,Q,true,2026-11-25",
    "Agency three,EXAMPLE-MA-1003,suspended,2024-01-01,2027-12-31,QA,Q,true,2026-11-25",
]
# The same rows with one mistake each, of three kinds: a date, a status, a sector.
BAD = [
    GOOD[0].replace("2024-01-01", "someday"),
    GOOD[1].replace(",active,", ",actif,"),
    GOOD[2].replace(",Q,", ",ZZ,"),
]


@pytest.fixture
def eager_tasks():
    """Validation runs inside the upload's request, as in the embedded mode, whatever the broker."""
    from mobility_hub.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


def csv_file(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def upload(page, path):
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state("load")


def test_a_file_with_three_errors_is_fixed_in_one_round(live_server, page, eager_tasks, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    focal_point = UserFactory(role="focal_point", countries=["MA"])
    log_in(page, live_server, focal_point, "en")

    page.goto(f"{live_server.url}{reverse('admin:index')}")
    assert "Nothing awaits you" in page.inner_text("#content-main")

    page.goto(f"{live_server.url}{reverse('admin:submissions_submission_add')}")
    upload(page, csv_file(tmp_path, "agencies.csv", BAD))
    report = page.locator("#report").locator("xpath=..")
    text = report.inner_text()
    page.screenshot(path=ARTIFACTS / "workspace-report.png", full_page=True)
    assert "successfully" not in page.inner_text(".messagelist")
    # All three errors in one report, each with its row, in plain words (no regular expression).
    for row in ("2", "3", "4"):
        assert report.locator("tbody tr").filter(has=page.locator(f"td:text-is('{row}')")).count() >= 1, row
    assert report.locator("tbody tr").count() == 3
    assert "YYYY-MM-DD" in text and "^" not in text

    page.goto(f"{live_server.url}{reverse('admin:index')}")
    page.get_by_role("link", name="has errors to fix").click()
    page.wait_for_load_state("load")
    page.get_by_role("link", name="Upload a corrected file").click()
    page.wait_for_load_state("load")
    upload(page, csv_file(tmp_path, "agencies-fixed.csv", GOOD))
    assert "review" in page.inner_text(".messagelist")

    page.goto(f"{live_server.url}{reverse('admin:index')}")
    tasks = page.inner_text(".dashboard")
    assert "awaits a hub editor's review" in tasks
    assert "has errors to fix" not in tasks  # the corrected file is no longer to fix
