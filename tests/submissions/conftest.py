import io
import json
import os

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def eager_tasks(request, settings):
    """Tasks run in the test process, as in the embedded mode, even in the stack run; the tests
    marked `stack` use real workers instead. They run inline, not in the embedded mode's background
    thread, whose connection would not see the test's transaction (the `background` fixture turns
    the thread on)."""
    if request.node.get_closest_marker("stack"):
        yield
        return
    from mobility_hub.celery import app

    settings.SUBMISSION_EMBEDDED_BACKGROUND = False
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def background(transactional_db, settings):
    """The embedded mode as it runs: eager tasks go to the background thread after the response.
    Transactional: the thread's own connection sees only what is committed."""
    from submissions import background as thread

    with open(os.devnull, "w") as quiet:
        call_command("load_countries", stdout=quiet)  # a transactional test starts from an empty database
    settings.SUBMISSION_EMBEDDED_BACKGROUND = True
    yield thread
    assert thread.wait(), "the background thread did not finish its tasks"


@pytest.fixture
def demo_data(db):
    """The curated demo data (demo_data/*.json) on top of countries and ISCO-08."""
    with open(os.devnull, "w") as quiet:
        call_command("load_demo_data", stdout=quiet)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def json_bytes(document):
    return json.dumps(document).encode()


def xlsx_bytes(sheets):
    """A workbook from {sheet name: [header, row, …]}."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def submit(media_root):
    """Store a file as a submission of `user` for `country` and validate it (as the task would)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from submissions import services

    def _submit(user, data, country="MA", language="en", name="file", confirm_withdrawal=False):
        submission = services.submission_create(
            submitter=user,
            country=country,
            file=SimpleUploadedFile(name, data),
            language=language,
            confirm_withdrawal=confirm_withdrawal,
        )
        return services.submission_validate(submission_id=submission.pk)

    return _submit


def diff_of(submission):
    """A submission's whole diff as one dict (its entries are stored apart, a row each)."""
    diff = {"added": [], "changed": [], "withdrawn": []}
    for entry in submission.diff_entries.order_by("position"):
        diff[entry.kind].append({"sheet": entry.sheet, "key": entry.key, **entry.data})
    return diff if any(diff.values()) else {}


def agency(**values):
    row = {"legal_name": "Example agency", "licence_number": "EXAMPLE-MA-9001", "is_example": True}
    row.update(values)
    return row


AGENCY_COLUMNS = (
    "legal_name,licence_number,status,valid_from,valid_until,destinations,sectors,is_example,last_confirmed"
)


def agencies_csv(rows, *, start=0, bad=(), sectors="Q"):
    """`rows` example agencies of Morocco; the rows numbered in `bad` have a date that is not one."""
    lines = [AGENCY_COLUMNS]
    for number in range(start, start + rows):
        valid_from = "someday" if number in bad else "2024-01-01"
        lines.append(
            f"Agency {number},EXAMPLE-MA-{number:06d},active,{valid_from},2027-12-31,SA;QA,{sectors},true,2026-11-25"
        )
    return ("\n".join(lines) + "\n").encode()
