"""The golden verdicts: a change of data or rules must show up as a diff of tests/golden/eligibility.json.

Regenerate with `make golden` (this test with ELIGIBILITY_GOLDEN_WRITE=1) and review the diff. Never in CI
(CI=true): a run that rewrites the file before comparing with it would pass whatever the verdicts.
"""

import datetime
import io
import json
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from guidance.eligibility import evaluate_all
from guidance.golden import GOLDEN_DIR, applicant_of, golden_text, golden_verdicts, read_profiles
from permits.models import SalaryThreshold

pytestmark = pytest.mark.django_db


class GoldenWriteInCI(Exception):
    pass


def _switched_on(value):
    return (value or "").strip().lower() not in ("", "0", "false", "no")


def golden_write_requested(environ):
    """Whether to rewrite the stored verdicts first: asked for by ELIGIBILITY_GOLDEN_WRITE, refused in CI."""
    if not _switched_on(environ.get("ELIGIBILITY_GOLDEN_WRITE")):
        return False
    if _switched_on(environ.get("CI")):
        raise GoldenWriteInCI("ELIGIBILITY_GOLDEN_WRITE is set in CI: run `make golden` locally and commit the diff.")
    return True


@pytest.mark.parametrize(
    ("environ", "writes"),
    [
        ({}, False),
        ({"ELIGIBILITY_GOLDEN_WRITE": "1"}, True),
        ({"ELIGIBILITY_GOLDEN_WRITE": "0"}, False),
        ({"CI": "true"}, False),
        ({"ELIGIBILITY_GOLDEN_WRITE": "1", "CI": "false"}, True),
    ],
)
def test_golden_write_is_asked_for_outside_ci(environ, writes):
    assert golden_write_requested(environ) is writes


@pytest.mark.parametrize("ci", ["true", "1", "True"])
def test_golden_write_in_ci_is_refused(ci):
    with pytest.raises(GoldenWriteInCI, match="make golden"):
        golden_write_requested({"ELIGIBILITY_GOLDEN_WRITE": "1", "CI": ci})


@pytest.fixture
def demo_data(db):
    call_command("load_demo_data", stdout=io.StringIO())


def test_golden_verdicts_match_the_stored_file(demo_data):
    try:
        write = golden_write_requested(os.environ)
    except GoldenWriteInCI as error:
        pytest.fail(str(error))
    if write:
        call_command("eligibility_golden", "--write", stdout=io.StringIO())
    out = io.StringIO()
    call_command("eligibility_golden", stdout=out)  # raises CommandError with the diff on a difference
    assert "match" in out.getvalue()


def test_golden_file_covers_every_profile_with_structured_reasons():
    profiles = read_profiles()
    stored = json.loads((GOLDEN_DIR / "eligibility.json").read_text(encoding="utf-8"))
    assert [result["profile"] for result in stored["results"]] == [item["name"] for item in profiles["profiles"]]
    assert len(stored["results"]) >= 25
    nurse = next(result for result in stored["results"] if result["profile"] == "ma-nurse-de")
    blue_card = next(verdict for verdict in nurse["verdicts"] if verdict["permit"] == "de-eu-blue-card")
    salary = next(reason for reason in blue_card["reasons"] if reason["code"] == "salary")
    assert salary == {
        "code": "salary",
        "status": "met",
        "sources": ["de-aufenthg-18g-text", "de-bmi-mindestgehaelter-2026"],
    }
    assert blue_card["changes"] == {"with": [{"code": "recognition", "qualification_recognised": True}]}


def test_profiles_cover_the_seed_corridors_and_justify_each_expected_verdict():
    profiles = read_profiles()["profiles"]
    destinations = {profile["destination"] for profile in profiles}
    assert {"DE", "FR", "BE", "MA", "TN", "SA", "QA", "AE", "KW"} <= destinations
    assert {profile["nationality"] for profile in profiles} >= {"MA", "TN", "EG"}
    for profile in profiles:
        assert profile["expected"], profile["name"]
        for code, expected in profile["expected"].items():
            assert expected["verdict"] in ("likely", "possible", "not_eligible"), (profile["name"], code)
            # Each verdict rests on a provision or a figure the reviewer names.
            assert any(mark in expected["because"] for mark in ("§", "Art.", "EUR", "ISCO", "not known", "recorded")), (
                code
            )


def test_the_engine_gives_the_verdicts_reviewed_against_the_law(demo_data):
    profiles = read_profiles()
    on = datetime.date.fromisoformat(profiles["on"])
    differences = []
    for profile in profiles["profiles"]:
        verdicts = {verdict.permit_code: verdict for verdict in evaluate_all(applicant_of(profile), on)}
        for code, expected in profile["expected"].items():
            verdict = verdicts.get(code)
            found = verdict.verdict if verdict else None
            if found != expected["verdict"]:
                differences.append((profile["name"], code, expected["verdict"], found))
            # The programmes for the corridor a reviewer expects beside this verdict (Triple Win for nurses).
            programmes = sorted(agreement.key for agreement in verdict.programmes) if verdict else []
            if "programmes" in expected and programmes != sorted(expected["programmes"]):
                differences.append((profile["name"], code, expected["programmes"], programmes))
    assert differences == []


def test_a_changed_threshold_shows_up_as_a_diff(demo_data, tmp_path):
    profiles = read_profiles()
    # An accountant with an old degree: the general Blue Card figure (EUR 50,700 in 2026) is the one to reach.
    profiles["profiles"] = [p for p in profiles["profiles"] if p["name"] == "eg-accountant-de-46000-graduated-2015"]
    (tmp_path / "profiles.json").write_text(json.dumps(profiles), encoding="utf-8")
    (tmp_path / "eligibility.json").write_text(golden_text(golden_verdicts(read_profiles(tmp_path))))
    SalaryThreshold.objects.filter(permit__code="de-eu-blue-card", amount="50700.00").update(amount="40000.00")
    out = io.StringIO()
    with pytest.raises(CommandError, match="differ"):
        call_command("eligibility_golden", "--dir", str(tmp_path), stdout=out)
    changed = [line for line in out.getvalue().splitlines() if line.startswith(("-", "+")) and "status" in line]
    # The Blue Card's salary reason turns from not met to met (its block moves up among the verdicts).
    assert '-       "status": "not_met"' in changed and '+       "status": "met"' in changed
    assert any(line.startswith("+") and '"verdict": "likely"' in line for line in out.getvalue().splitlines())


def test_write_stores_what_the_comparison_reads(demo_data, tmp_path):
    (tmp_path / "profiles.json").write_text((GOLDEN_DIR / "profiles.json").read_text(encoding="utf-8"))
    call_command("eligibility_golden", "--write", "--dir", str(tmp_path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("eligibility_golden", "--dir", str(tmp_path), stdout=out)
    assert "match" in out.getvalue()


def test_missing_profiles_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"No profiles\.json"):
        call_command("eligibility_golden", "--dir", str(tmp_path))
