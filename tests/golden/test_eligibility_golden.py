"""The golden verdicts: a change of data or rules must show up as a diff of tests/golden/eligibility.json.

Regenerate with `make golden` (this test with ELIGIBILITY_GOLDEN_WRITE=1) and review the diff.
"""

import io
import json
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from guidance.golden import GOLDEN_DIR, golden_text, golden_verdicts, read_profiles
from permits.models import SalaryThreshold

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data(db):
    call_command("load_demo_data", stdout=io.StringIO())


def test_golden_verdicts_match_the_stored_file(demo_data):
    if os.environ.get("ELIGIBILITY_GOLDEN_WRITE") == "1":
        call_command("eligibility_golden", "--write", stdout=io.StringIO())
    out = io.StringIO()
    call_command("eligibility_golden", stdout=out)  # raises CommandError with the diff on a difference
    assert "match" in out.getvalue()


def test_golden_file_covers_every_profile_with_structured_reasons():
    profiles = read_profiles()
    stored = json.loads((GOLDEN_DIR / "eligibility.json").read_text(encoding="utf-8"))
    assert [result["profile"] for result in stored["results"]] == [item["name"] for item in profiles["profiles"]]
    assert len(stored["results"]) >= 8
    nurse = next(result for result in stored["results"] if result["profile"] == "ma-nurse-de")
    blue_card = next(verdict for verdict in nurse["verdicts"] if verdict["permit"] == "de-eu-blue-card")
    salary = next(reason for reason in blue_card["reasons"] if reason["code"] == "salary")
    assert salary == {"code": "salary", "status": "unknown", "sources": ["de-bmi-mindestgehaelter-2026"]}


def test_a_changed_threshold_shows_up_as_a_diff(demo_data, tmp_path):
    (tmp_path / "profiles.json").write_text((GOLDEN_DIR / "profiles.json").read_text(encoding="utf-8"))
    (tmp_path / "eligibility.json").write_text(golden_text(golden_verdicts(read_profiles(tmp_path))))
    SalaryThreshold.objects.filter(permit__code="de-eu-blue-card", amount="50700.00").update(amount="40000.00")
    out = io.StringIO()
    with pytest.raises(CommandError, match="differ"):
        call_command("eligibility_golden", "--dir", str(tmp_path), stdout=out)
    changed = [line for line in out.getvalue().splitlines() if line.startswith(("-", "+")) and "status" in line]
    assert changed == ['-       "status": "unknown"', '+       "status": "met"']


def test_write_stores_what_the_comparison_reads(demo_data, tmp_path):
    (tmp_path / "profiles.json").write_text((GOLDEN_DIR / "profiles.json").read_text(encoding="utf-8"))
    call_command("eligibility_golden", "--write", "--dir", str(tmp_path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("eligibility_golden", "--dir", str(tmp_path), stdout=out)
    assert "match" in out.getvalue()


def test_missing_profiles_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"No profiles\.json"):
        call_command("eligibility_golden", "--dir", str(tmp_path))
