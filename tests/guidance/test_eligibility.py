"""The eligibility engine: one test per condition and value group, then real demo permits."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core.fields import PublicationStatus
from guidance.eligibility import (
    CONDITIONS,
    LIKELY,
    MET,
    NOT_ELIGIBLE,
    NOT_MET,
    POSSIBLE,
    UNKNOWN,
    Applicant,
    evaluate,
    evaluate_all,
)
from permits.models import SalaryThreshold
from tests.factories import AgreementFactory, LegalSourceFactory, PermitCategoryFactory

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 6, 1)


def applicant(**values):
    defaults = {"nationality": "MA", "destination": "DE"}
    return Applicant(**{**defaults, **values})


def permit(**values):
    """A permit that asks for nothing the hub does not know, unless told otherwise."""
    defaults = {
        "qualification": "none",
        "language_level": "none",
        "job_offer_required": False,
        "recognition_required": False,
        "publication_status": PublicationStatus.PUBLISHED,
    }
    return PermitCategoryFactory(**{**defaults, **values})


def reason(verdict, code):
    return next(item for item in verdict.reasons if item.code == code)


def threshold(permit_, amount, *, period="year", currency="EUR", **values):
    return SalaryThreshold.objects.create(
        permit=permit_, amount=Decimal(amount), currency=currency, period=period, **values
    )


def test_permit_asking_nothing_unknown_is_likely_with_one_reason_per_condition():
    verdict = evaluate(applicant(), permit(), ON)
    assert verdict.verdict == LIKELY
    assert [item.code for item in verdict.reasons] == list(CONDITIONS)
    assert {item.status for item in verdict.reasons} == {MET}


# Nationality


def test_closed_to_the_nationality_is_not_eligible():
    item = permit()
    item.closed_to.set(["MA"])
    verdict = evaluate(applicant(), item, ON)
    assert (reason(verdict, "nationality").status, verdict.verdict) == (NOT_MET, NOT_ELIGIBLE)


def test_open_only_to_others_is_not_met_and_names_them():
    item = permit()
    item.open_to.set(["GE", "MD"])
    found = reason(evaluate(applicant(), item, ON), "nationality")
    assert found.status == NOT_MET
    assert found.params == {"countries": "GE, MD"}


def test_open_to_the_nationality_is_met():
    item = permit()
    item.open_to.set(["MA", "TN"])
    assert reason(evaluate(applicant(), item, ON), "nationality").status == MET


def test_agreement_required_is_met_by_a_labour_agreement_in_force_and_cites_its_sources():
    source = LegalSourceFactory(key="ma-de-bla")
    agreement = AgreementFactory(parties=["MA", "DE"], publication_status=PublicationStatus.PUBLISHED)
    agreement.legal_sources.set([source])
    found = reason(evaluate(applicant(), permit(agreement_required=True), ON), "nationality")
    assert found.status == MET
    assert "ma-de-bla" in found.sources
    assert found.params == {"agreements": agreement.key}


@pytest.mark.parametrize(
    "agreement_values",
    [
        {"status": "signed"},  # not in force
        {"expires_on": datetime.date(2026, 1, 1)},  # expired before the date
        {"type": "social_security"},  # not a labour route
        {"publication_status": PublicationStatus.DRAFT},  # not published
    ],
)
def test_agreement_required_without_a_labour_agreement_in_force_is_not_met(agreement_values):
    AgreementFactory(parties=["MA", "DE"], **{"publication_status": PublicationStatus.PUBLISHED, **agreement_values})
    assert reason(evaluate(applicant(), permit(agreement_required=True), ON), "nationality").status == NOT_MET


def test_agreement_of_other_countries_does_not_count():
    AgreementFactory(parties=["TN", "DE"], publication_status=PublicationStatus.PUBLISHED)
    assert reason(evaluate(applicant(), permit(agreement_required=True), ON), "nationality").status == NOT_MET


# Occupation and skill level


@pytest.mark.parametrize(
    ("listed", "code", "status"),
    [
        (["2221"], "2221", MET),  # the unit group itself
        (["222"], "2221", MET),  # a permit listing 222 covers 2221
        (["2"], "2221", MET),  # and a major group covers everything in it
        (["2221"], "222", UNKNOWN),  # only part of the applicant's group is covered
        (["5321"], "2221", NOT_MET),
        (["5321"], None, UNKNOWN),  # occupation not given
        ([], None, MET),  # open to every occupation
    ],
)
def test_occupation(listed, code, status):
    item = permit()
    item.occupations.set(listed)
    found = reason(evaluate(applicant(isco_code=code), item, ON), "occupation")
    assert found.status == status
    assert str(found.message)  # every message renders with its parameters


def test_occupation_from_an_esco_uri_uses_its_unit_group():
    from permits.models import EscoOccupation

    esco = EscoOccupation.objects.filter(isco_group_id="2221").first()
    item = permit()
    item.occupations.set(["2221"])
    assert reason(evaluate(applicant(esco_uri=esco.uri), item, ON), "occupation").status == MET


@pytest.mark.parametrize(
    ("levels", "code", "status"),
    [
        ([4], "2221", MET),  # professionals are skill level 4
        ([2, 3], "2221", NOT_MET),
        ([1], "9211", MET),  # elementary occupations are skill level 1
        ([4], "1120", MET),  # managers span levels 3 and 4
        ([4], None, UNKNOWN),
        ([], "9211", MET),
    ],
)
def test_skill_level_from_the_isco_major_group(levels, code, status):
    item = permit(skill_levels=levels)
    assert reason(evaluate(applicant(isco_code=code), item, ON), "skill_level").status == status


# Qualification, recognition, job offer, language, age, quota


@pytest.mark.parametrize(
    ("required", "given", "status"),
    [
        ("tertiary", "tertiary", MET),
        ("vocational", "tertiary", MET),
        ("tertiary", "vocational", NOT_MET),
        ("vocational", "none", NOT_MET),
        ("vocational", None, UNKNOWN),
        ("none", None, MET),
        ("", "tertiary", UNKNOWN),  # the hub does not know what is needed
    ],
)
def test_qualification(required, given, status):
    item = permit(qualification=required)
    assert reason(evaluate(applicant(qualification=given), item, ON), "qualification").status == status


@pytest.mark.parametrize(
    ("required", "recognised", "status"),
    [(True, True, MET), (True, False, NOT_MET), (True, None, UNKNOWN), (False, None, MET), (None, True, UNKNOWN)],
)
def test_recognition(required, recognised, status):
    item = permit(recognition_required=required)
    verdict = evaluate(applicant(qualification_recognised=recognised), item, ON)
    assert reason(verdict, "recognition").status == status


@pytest.mark.parametrize(
    ("required", "offer", "status"),
    [(True, True, MET), (True, False, NOT_MET), (True, None, UNKNOWN), (False, False, MET), (None, True, UNKNOWN)],
)
def test_job_offer(required, offer, status):
    item = permit(job_offer_required=required)
    assert reason(evaluate(applicant(job_offer=offer), item, ON), "job_offer").status == status


@pytest.mark.parametrize(
    ("required", "level", "status"),
    [
        ("B1", "B2", MET),
        ("B1", "B1", MET),
        ("B1", "A2", NOT_MET),
        ("A1", None, UNKNOWN),
        ("none", None, MET),
        ("", "C2", UNKNOWN),
    ],
)
def test_language_level(required, level, status):
    item = permit(language_level=required)
    assert reason(evaluate(applicant(language_level=level), item, ON), "language").status == status


@pytest.mark.parametrize(
    ("low", "high", "age", "status"),
    [
        (18, 60, 30, MET),
        (18, 60, 17, NOT_MET),
        (18, 60, 61, NOT_MET),
        (18, None, None, UNKNOWN),
        (None, None, None, MET),
    ],
)
def test_age(low, high, age, status):
    item = permit(min_age=low, max_age=high)
    assert reason(evaluate(applicant(age=age), item, ON), "age").status == status


def test_quota_is_unknown_when_there_is_one_and_met_when_none_is_recorded():
    assert reason(evaluate(applicant(), permit(quota_size=500, quota_period="year"), ON), "quota").status == UNKNOWN
    assert reason(evaluate(applicant(), permit(), ON), "quota").status == MET


def test_validity_of_the_permit_on_the_date():
    future = permit(valid_from=datetime.date(2027, 1, 1))
    assert reason(evaluate(applicant(), future, ON), "validity").status == NOT_MET
    assert reason(evaluate(applicant(), future, datetime.date(2027, 1, 2)), "validity").status == MET


# Salary


def salary_status(item, **values):
    return reason(evaluate(applicant(**values), item, ON), "salary")


def test_salary_reaching_the_threshold_is_met_and_cites_its_source():
    item = permit()
    source = LegalSourceFactory(key="de-salary-2026")
    threshold(item, "48300.00").legal_sources.set([source])
    found = salary_status(item, salary=Decimal(50000), salary_currency="EUR")
    assert (found.status, found.sources) == (MET, ("de-salary-2026",))


def test_salary_below_the_threshold_is_not_met_and_names_the_figure():
    item = permit()
    threshold(item, "48300.00")
    found = salary_status(item, salary=Decimal(40000), salary_currency="EUR")
    assert found.status == NOT_MET
    assert found.params["amount"] == "48300.00"


def test_monthly_threshold_counts_twelve_times():
    item = permit()
    threshold(item, "4000.00", period="month")  # 48,000 a year
    assert salary_status(item, salary=Decimal(48000), salary_currency="EUR").status == MET
    assert salary_status(item, salary=Decimal(47999), salary_currency="EUR").status == NOT_MET


@pytest.mark.parametrize(("period", "currency"), [("hour", "EUR"), ("year", "MAD")])
def test_hourly_or_other_currency_threshold_cannot_be_compared(period, currency):
    item = permit()
    threshold(item, "15.00", period=period, currency=currency)
    assert salary_status(item, salary=Decimal(1), salary_currency="EUR").status == UNKNOWN


def test_salary_not_given_is_unknown_and_says_the_minimum():
    item = permit()
    threshold(item, "48300.00")
    found = salary_status(item)
    assert found.status == UNKNOWN
    assert "48300.00" in str(found.message)


def test_only_the_threshold_valid_on_the_date_counts():
    item = permit()
    threshold(item, "45300.00", valid_from=datetime.date(2024, 1, 1), valid_to=datetime.date(2024, 12, 31))
    threshold(item, "50700.00", valid_from=datetime.date(2026, 1, 1), valid_to=datetime.date(2026, 12, 31))
    values = {"salary": Decimal(48000), "salary_currency": "EUR"}
    assert reason(evaluate(applicant(**values), item, datetime.date(2024, 6, 1)), "salary").status == MET
    assert reason(evaluate(applicant(**values), item, ON), "salary").status == NOT_MET


def test_no_threshold_valid_on_the_date_is_unknown():
    item = permit()
    threshold(item, "45300.00", valid_from=datetime.date(2024, 1, 1), valid_to=datetime.date(2024, 12, 31))
    assert salary_status(item, salary=Decimal(99999), salary_currency="EUR").status == UNKNOWN


@pytest.mark.parametrize(
    "values",
    [
        {"kind": "family", "label": "income to bring the family"},
        {"kind": "wage_floor", "label": "statutory minimum wage"},
        {"kind": "subsistence", "label": "means of subsistence"},
        # the label rule: a row left with the default kind but about a sponsor or dependants
        {"label": "minimum salary to sponsor dependants (family visa)"},
        {"label": "sponsor's minimum monthly salary"},
    ],
)
def test_family_subsistence_and_wage_floor_thresholds_are_not_a_condition(values):
    item = permit()
    threshold(item, "800.00", period="month", currency="KWD", **values)
    found = salary_status(item, salary=Decimal(1), salary_currency="EUR")
    assert found.status == MET
    assert evaluate(applicant(salary=Decimal(1), salary_currency="EUR"), item, ON).verdict == LIKELY


def test_alternative_thresholds_met_when_all_reached_unknown_between_not_met_below_all():
    item = permit()
    threshold(item, "50700.00", label="general threshold")
    threshold(item, "45934.20", label="shortage occupations", reduced=True)
    assert salary_status(item, salary=Decimal(51000), salary_currency="EUR").status == MET
    between = salary_status(item, salary=Decimal(48000), salary_currency="EUR")
    assert between.status == UNKNOWN
    assert "general threshold" in between.params["missed"]
    assert salary_status(item, salary=Decimal(40000), salary_currency="EUR").status == NOT_MET


def test_threshold_from_an_age_applies_only_from_that_age():
    item = permit()
    threshold(item, "55770.00", applies_from_age=45)
    low = {"salary": Decimal(40000), "salary_currency": "EUR"}
    assert salary_status(item, age=30, **low).status == MET
    assert salary_status(item, age=50, **low).status == NOT_MET
    assert salary_status(item, **low).status == UNKNOWN  # age not given: it may not apply


# Verdicts on the whole


def test_one_unknown_makes_possible_and_one_not_met_makes_not_eligible():
    item = permit(job_offer_required=True)
    assert evaluate(applicant(job_offer=None), item, ON).verdict == POSSIBLE
    assert evaluate(applicant(job_offer=False), item, ON).verdict == NOT_ELIGIBLE
    assert evaluate(applicant(job_offer=True), item, ON).verdict == LIKELY


def test_every_message_renders():
    item = permit(qualification="tertiary", language_level="B2", min_age=18, quota_size=5, quota_period="year")
    item.occupations.set(["2221"])
    threshold(item, "50000.00")
    for values in ({}, {"isco_code": "222", "age": 10, "qualification": "none", "language_level": "A1"}):
        for found in evaluate(applicant(**values), item, ON).reasons:
            assert "%(" not in str(found.message)


def test_messages_are_translated_where_they_are_shown():
    item = permit(job_offer_required=True)
    message = reason(evaluate(applicant(job_offer=False), item, ON), "job_offer").message
    with translation.override("en"):
        assert str(message) == "This permit needs a job offer."


def test_applicant_rejects_values_outside_the_scales():
    with pytest.raises(ValueError, match="qualification"):
        Applicant(nationality="MA", destination="DE", qualification="phd")
    with pytest.raises(ValueError, match="language_level"):
        Applicant(nationality="MA", destination="DE", language_level="B3")
    with pytest.raises(ValueError, match="currency"):
        Applicant(nationality="MA", destination="DE", salary=Decimal(1))


# Real demo permits


@pytest.fixture
def demo_data(db):
    call_command("load_demo_data", stdout=io.StringIO())


NURSE = {
    "nationality": "MA",
    "destination": "DE",
    "isco_code": "2221",
    "qualification": "tertiary",
    "job_offer": True,
    "salary": Decimal(50000),
    "salary_currency": "EUR",
    "language_level": "B1",
    "qualification_recognised": True,
}


def test_moroccan_nurse_for_germany(demo_data):
    verdicts = {verdict.permit_code: verdict for verdict in evaluate_all(Applicant(**NURSE), ON)}
    # Not open to nurses or to Moroccans: nursing assistants (ISCO 5321), seasonal work (GE, MD only).
    assert verdicts["de-nursing-assistant"].verdict == NOT_ELIGIBLE
    assert reason(verdicts["de-seasonal-work"], "nationality").status == NOT_MET
    # The Blue Card: 50,000 EUR is below the 2026 general threshold but above the reduced one.
    blue_card = verdicts["de-eu-blue-card"]
    assert blue_card.verdict == POSSIBLE
    assert reason(blue_card, "salary").status == UNKNOWN
    assert "de-bmi-mindestgehaelter-2026" in reason(blue_card, "salary").sources
    assert verdicts["de-opportunity-card"].verdict == LIKELY


def test_evaluate_all_is_sorted_and_covers_only_the_published_permits_of_the_destination(demo_data):
    from permits.models import PermitCategory

    verdicts = evaluate_all(Applicant(**NURSE), ON)
    published = set(PermitCategory.objects.published().filter(country_id="DE").values_list("code", flat=True))
    assert {verdict.permit_code for verdict in verdicts} == published
    order = [{LIKELY: 0, POSSIBLE: 1, NOT_ELIGIBLE: 2}[verdict.verdict] for verdict in verdicts]
    assert order == sorted(order)


def test_evaluate_all_query_count_does_not_grow_with_permits(demo_data, django_assert_num_queries):
    with django_assert_num_queries(9):
        evaluate_all(Applicant(**NURSE), ON)
    with django_assert_num_queries(9):
        evaluate_all(Applicant(**{**NURSE, "destination": "BE"}), ON)
    with CaptureQueriesContext(connection) as esco_queries:
        evaluate_all(
            Applicant(**{**NURSE, "isco_code": None, "esco_uri": "http://data.europa.eu/esco/occupation/x"}), ON
        )
    assert len(esco_queries.captured_queries) == 10  # one more to look up the ESCO occupation


def test_evaluate_all_leaves_out_family_permits(demo_data):
    codes = {verdict.permit_code for verdict in evaluate_all(Applicant(nationality="EG", destination="KW"), ON)}
    assert "kw-domestic-worker" in codes
    assert "kw-dependent-family-visa" not in codes
