import io
import json
import os

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def eager_tasks(request):
    """Tasks run in the test process, as in the embedded mode, even in the stack run; the tests
    marked `stack` use real workers instead."""
    if request.node.get_closest_marker("stack"):
        yield
        return
    from mobility_hub.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


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


def agency(**values):
    row = {"legal_name": "Example agency", "licence_number": "EXAMPLE-MA-9001", "is_example": True}
    row.update(values)
    return row
