"""Validation, diff, four-eyes review and publishing, run in-process (the tasks' services)."""

import datetime
import json
from decimal import Decimal

import pytest

from core.models import ObjectChange
from countries.models import Country
from permits.models import PermitCategory
from recruiters.models import RecruitmentAgency
from submissions import services
from submissions.models import Submission, SubmissionAttempt
from tests.factories import UserFactory
from tests.submissions.conftest import agency, diff_of, json_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def errors_of(submission):
    return [(e["sheet"], e["row"], e["field"], e["value"]) for e in submission.report["errors"]]


def test_valid_file_is_ready_for_review_and_changes_nothing_published(focal_point_ma, submit):
    before = ObjectChange.objects.count()
    submission = submit(focal_point_ma, json_bytes({"agencies": [agency()]}))
    assert submission.status == Submission.Status.READY_FOR_REVIEW
    assert submission.detected_format == "json"
    assert submission.report["summary"] == {"added": 1, "changed": 0, "withdrawn": 0, "unchanged": 0}
    [added] = diff_of(submission)["added"]
    assert added["key"] == "MA:EXAMPLE-MA-9001" and added["values"]["legal_name"] == "Example agency"
    assert not RecruitmentAgency.objects.filter(licence_number="EXAMPLE-MA-9001").exists()
    assert ObjectChange.objects.count() == before


def test_wrong_types_are_reported_with_row_field_value(focal_point_ma, submit):
    rows = [agency(), agency(licence_number="EXAMPLE-MA-2", destinations="SA", valid_from=2025, status="open")]
    submission = submit(focal_point_ma, json_bytes({"agencies": rows}))
    assert submission.status == Submission.Status.INVALID
    errors = {(e["row"], e["field"]): e for e in submission.report["errors"]}
    assert set(errors) == {(2, "destinations"), (2, "valid_from"), (2, "status")}
    assert errors[(2, "destinations")]["value"] == "SA"
    assert errors[(2, "destinations")]["message"] == "Wrong type: expected a list."
    assert errors[(2, "valid_from")]["value"] == 2025
    assert errors[(2, "status")]["message"] == "Not one of the allowed values: active, suspended, revoked, expired."
    assert errors[(2, "valid_from")]["message"] == "Not a date: write it as YYYY-MM-DD, e.g. 2026-03-01."
    assert diff_of(submission) == {}


def test_missing_required_field_and_unknown_field(focal_point_ma, submit):
    row = agency(colour="red")
    del row["legal_name"]
    submission = submit(focal_point_ma, json_bytes({"agencies": [row]}))
    assert sorted(errors_of(submission)) == [("agencies", 1, "", "colour"), ("agencies", 1, "legal_name", None)]


def test_model_rules_are_checked_with_full_clean(focal_point_ma, submit):
    row = agency(valid_from="2025-05-01", valid_until="2025-01-01", website="http://exa_mple")
    submission = submit(focal_point_ma, json_bytes({"agencies": [row]}))
    errors = {e["field"]: e["message"] for e in submission.report["errors"]}
    assert errors["valid_until"] == "A licence must end after it starts."
    assert "valid URL" in errors["website"]


def test_report_is_in_the_submitters_language(focal_point_ma, submit):
    submission = submit(focal_point_ma, json_bytes({"agencies": [agency(website="http://exa_mple")]}), language="fr")
    assert submission.language == "fr"
    [error] = submission.report["errors"]
    assert error["message"] == "Saisissez une URL valide."


def test_references_must_exist(focal_point_ma, submit):
    row = agency(is_example=False, licence_number="MA-1", sources=["no-such-source"], sectors=["Z"])
    submission = submit(focal_point_ma, json_bytes({"agencies": [row]}))
    assert ("agencies", 1, "sectors", "Z") in errors_of(submission)  # the schema: A–U only
    submission = submit(focal_point_ma, json_bytes({"agencies": [{**row, "sectors": []}]}))
    assert errors_of(submission) == [("agencies", 1, "sources", "no-such-source")]


def test_row_of_a_country_not_held_is_an_error(focal_point_ma, submit):
    submission = submit(focal_point_ma, json_bytes({"agencies": [agency(), agency(country="TN")]}))
    assert submission.status == Submission.Status.INVALID
    [error] = submission.report["errors"]
    assert (error["row"], error["field"], error["value"]) == (2, "country", "TN")
    assert "You do not keep the data of TN" in error["message"]


def test_a_focal_point_cannot_submit_for_another_country(focal_point_ma, submit):
    with pytest.raises(services.SubmissionError, match="do not keep the data of TN"):
        submit(focal_point_ma, json_bytes({"agencies": [agency()]}), country="TN")


def test_duplicate_rows_are_reported(focal_point_ma, submit):
    submission = submit(focal_point_ma, json_bytes({"agencies": [agency(), agency()]}))
    assert submission.report["errors"][0]["message"] == "This row repeats row 1."


def test_xlsx_child_row_errors_name_their_sheet_and_row(focal_point_ma, submit):
    data = xlsx_bytes(
        {
            "agencies": [["legal_name", "licence_number", "is_example"], ["A", "EXAMPLE-MA-1", "true"]],
            "enforcement_actions": [
                ["licence_number", "date", "action"],
                ["EXAMPLE-MA-1", "2025-03-01", "warning"],
                ["EXAMPLE-MA-1", "yesterday", "warning"],
            ],
        }
    )
    submission = submit(focal_point_ma, data)
    assert errors_of(submission) == [("enforcement_actions", 3, "date", "yesterday")]


def test_parse_errors_make_the_submission_invalid_with_one_message(focal_point_ma, submit):
    submission = submit(focal_point_ma, b'{"agencies": [')
    assert submission.status == Submission.Status.INVALID
    [error] = submission.report["errors"]
    assert error["row"] is None and error["message"].startswith("This is not valid JSON")


def approve_and_publish(submission, reviewer, **confirm):
    services.submission_approve(submission=submission, reviewer=reviewer, reason="checked", **confirm)
    return services.submission_publish(submission_id=submission.pk)


def test_approval_publishes_the_diff_with_the_change_log_and_version(focal_point_ma, hub_editor, submit):
    version = Country.objects.get(pk="MA").data_version
    submission = submit(focal_point_ma, json_bytes({"agencies": [agency(destinations=["SA"], sectors=["Q"])]}))
    submission = approve_and_publish(submission, hub_editor)
    assert submission.status == Submission.Status.PUBLISHED and submission.reviewer == hub_editor
    published = RecruitmentAgency.objects.published().get(licence_number="EXAMPLE-MA-9001")
    assert [c.pk for c in published.destinations.all()] == ["SA"]
    changes = ObjectChange.objects.filter(reason=f"submission {submission.pk}")
    assert changes.count() == 1 and changes.get().user == hub_editor
    assert list(changes.get().countries.values_list("pk", flat=True)) == ["MA"]
    assert Country.objects.get(pk="MA").data_version == version + 1


def test_changed_and_withdrawn_rows(focal_point_ma, hub_editor, submit):
    first = submit(focal_point_ma, json_bytes({"agencies": [agency(), agency(licence_number="EXAMPLE-MA-2")]}))
    approve_and_publish(first, hub_editor)
    # Withdrawing one of the two published agencies is more than 20 %: both people confirm it.
    second = submit(
        focal_point_ma, json_bytes({"agencies": [agency(legal_name="Renamed agency")]}), confirm_withdrawal=True
    )
    assert diff_of(second)["changed"] == [
        {
            "sheet": "agencies",
            "key": "MA:EXAMPLE-MA-9001",
            "label": "Renamed agency (EXAMPLE-MA-9001)",
            "fields": {"legal_name": ["Example agency", "Renamed agency"]},
        }
    ]
    assert [entry["key"] for entry in diff_of(second)["withdrawn"]] == ["MA:EXAMPLE-MA-2"]
    approve_and_publish(second, hub_editor, confirm_withdrawal=True)
    assert RecruitmentAgency.objects.get(licence_number="EXAMPLE-MA-9001").legal_name == "Renamed agency"
    assert RecruitmentAgency.objects.get(licence_number="EXAMPLE-MA-2").publication_status == "archived"
    update = ObjectChange.objects.get(reason=f"submission {second.pk}", action="update", object_repr__startswith="Ren")
    assert update.changes["legal_name"] == ["Example agency", "Renamed agency"]


def test_submitter_cannot_approve_own_submission(hub_editor, submit):
    submission = submit(hub_editor, json_bytes({"agencies": [agency()]}))
    with pytest.raises(services.SubmissionError, match="cannot review your own submission"):
        services.submission_approve(submission=submission, reviewer=hub_editor)
    with pytest.raises(services.SubmissionError, match="cannot review your own submission"):
        services.submission_reject(submission=submission, reviewer=hub_editor, reason="no")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.READY_FOR_REVIEW


def test_a_focal_point_cannot_review(focal_point_ma, submit):
    other = UserFactory(role="focal_point", countries=["MA"])
    submission = submit(other, json_bytes({"agencies": [agency()]}))
    with pytest.raises(services.SubmissionError, match="Only a hub editor"):
        services.submission_approve(submission=submission, reviewer=focal_point_ma)


def test_an_invalid_submission_cannot_be_approved(focal_point_ma, hub_editor, submit):
    submission = submit(focal_point_ma, b"{")
    with pytest.raises(services.SubmissionError, match="ready for review"):
        services.submission_approve(submission=submission, reviewer=hub_editor)


def test_rejection_keeps_the_file_and_the_reason(focal_point_ma, hub_editor, submit):
    submission = submit(focal_point_ma, json_bytes({"agencies": [agency()]}))
    with pytest.raises(services.SubmissionError, match="Say why"):
        services.submission_reject(submission=submission, reviewer=hub_editor, reason=" ")
    submission = services.submission_reject(submission=submission, reviewer=hub_editor, reason="wrong register")
    assert submission.status == Submission.Status.REJECTED and submission.review_reason == "wrong register"
    assert submission.file.read().startswith(b'{"agencies"')
    assert services.submission_publish(submission_id=submission.pk).status == Submission.Status.REJECTED
    assert not RecruitmentAgency.objects.filter(licence_number="EXAMPLE-MA-9001").exists()


def test_double_delivery_publishes_once(focal_point_ma, hub_editor, submit):
    submission = submit(focal_point_ma, json_bytes({"agencies": [agency()]}))
    services.submission_approve(submission=submission, reviewer=hub_editor)
    services.submission_publish(submission_id=submission.pk)
    services.submission_publish(submission_id=submission.pk)
    assert ObjectChange.objects.filter(reason=f"submission {submission.pk}").count() == 1
    assert Country.objects.get(pk="MA").data_version == 1
    outcomes = list(submission.attempts.filter(step="publish").values_list("outcome", flat=True))
    assert outcomes == [SubmissionAttempt.Outcome.DONE, SubmissionAttempt.Outcome.SKIPPED]


def test_double_validation_delivery_validates_once(focal_point_ma, submit):
    submission = submit(focal_point_ma, json_bytes({"agencies": [agency()]}))
    again = services.submission_validate(submission_id=submission.pk)
    assert again.status == Submission.Status.READY_FOR_REVIEW
    assert list(submission.attempts.values_list("outcome", flat=True)) == ["done", "skipped"]


def test_publishing_fails_cleanly_when_published_data_changed_since_validation(focal_point_ma, hub_editor, submit):
    submission = submit(focal_point_ma, json_bytes({"agencies": [agency()]}))
    services.submission_approve(submission=submission, reviewer=hub_editor)
    RecruitmentAgency.objects.create(
        country_id="MA",
        legal_name="Other",
        licence_number="EXAMPLE-MA-7",
        is_example=True,
        publication_status="published",
    )
    submission = services.submission_publish(submission_id=submission.pk)
    assert submission.status == Submission.Status.FAILED
    assert "changed after this file was checked" in submission.report["publish_error"]
    assert not RecruitmentAgency.objects.filter(licence_number="EXAMPLE-MA-9001").exists()


def test_demo_country_file_round_trips_without_changes(demo_data, hub_editor, submit):
    with open("demo_data/DE.json", "rb") as handle:
        document = json.load(handle)
    document = {key: document[key] for key in ("country", "permits")}
    submitter = UserFactory(role="focal_point", countries=["DE"])
    submission = submit(submitter, json_bytes(document), country="DE")
    assert submission.report["errors"] == []
    assert submission.report["summary"] == {"added": 0, "changed": 0, "withdrawn": 0, "unchanged": 10}


def test_permit_with_documents_and_fees_is_published(demo_data, hub_editor, submit):
    permit = {
        "code": "ma-test-permit",
        "name": "Test permit",
        "name_fr": "Permis de test",
        "purpose": "work",
        "sources": [PermitCategory.objects.filter(country="MA").first().legal_sources.first().key],
        "last_verified": "2026-11-25",
        "documents": [{"name": "Passport"}, {"name": "Contract", "mandatory": False}],
        "fees": [{"name": "Stamp", "amount": "100", "currency": "MAD", "payer": "worker"}],
        "salary_thresholds": [{"amount": "3000", "currency": "MAD", "period": "month", "valid_from": "2026-01-01"}],
    }
    submitter = UserFactory(role="focal_point", countries=["MA"])
    with open("demo_data/MA.json", "rb") as handle:
        current = json.load(handle)["permits"]
    submission = submit(submitter, json_bytes({"country": "MA", "permits": [*current, permit]}))
    assert submission.report["errors"] == []
    assert submission.report["summary"]["added"] == 1
    approve_and_publish(submission, hub_editor)
    saved = PermitCategory.objects.published().get(code="ma-test-permit")
    assert saved.name_fr == "Permis de test"
    assert [d.name for d in saved.documents.all()] == ["Passport", "Contract"]
    assert [(f.amount, f.currency) for f in saved.fees.all()] == [(Decimal("100.00"), "MAD")]
    assert saved.salary_thresholds.get().valid_from == datetime.date(2026, 1, 1)


def test_unknown_country_is_an_error_even_for_a_hub_editor(hub_editor, submit):
    submission = submit(hub_editor, json_bytes({"agencies": [agency(country="XX")]}))
    assert errors_of(submission) == [("agencies", 1, "country", "XX")]
    assert submission.report["errors"][0]["message"] == "Unknown country code(s) (ISO 3166-1 alpha-2)."


def test_publishing_refuses_a_stored_file_that_changed(focal_point_ma, hub_editor, submit):
    submission = submit(focal_point_ma, json_bytes({"agencies": [agency()]}))
    services.submission_approve(submission=submission, reviewer=hub_editor)
    with open(submission.file.path, "wb") as handle:
        handle.write(json_bytes({"agencies": [agency(legal_name="Swapped")]}))
    submission = services.submission_publish(submission_id=submission.pk)
    assert submission.status == Submission.Status.FAILED
    assert "stored file changed" in submission.report["publish_error"]
    assert not RecruitmentAgency.objects.exists()
