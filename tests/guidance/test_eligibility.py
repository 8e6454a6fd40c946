"""The eligibility engine: one test per condition and value group, then real demo permits."""

import datetime
import io
from dataclasses import replace
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
from permits.models import LanguageRequirement, SalaryThreshold
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
    # "regulated" is reported only where the hub has recognition rows for the occupation (none here).
    assert [item.code for item in verdict.reasons] == [code for code in CONDITIONS if code != "regulated"]
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
    assert found.params == {"countries": ["GE", "MD"]}
    with translation.override("en"):
        message = str(found.message)
    assert "Georgia" in message and "Moldova" in message and "GE" not in message  # names, not codes


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
    assert found.params == {"agreements": [agreement.key]}
    assert str(agreement.title) in str(found.message)


@pytest.mark.parametrize(
    "agreement_values",
    [
        {"status": "signed"},  # not in force
        {"expires_on": datetime.date(2026, 1, 1)},  # expired before the date
        {"type": "social_security"},  # not a labour route
        {"type": "service"},  # an advice centre is no agreement
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


def test_the_skill_level_of_an_occupation_does_not_rule_anyone_out():
    # ISCO files nurses (2221) at skill level 4; a permit for vocational training (levels 2-3) is still open.
    item = permit(skill_levels=[2, 3], qualification="vocational")
    verdict = evaluate(applicant(isco_code="2221", qualification="vocational"), item, ON)
    assert "skill_level" not in [found.code for found in verdict.reasons]
    assert verdict.verdict == LIKELY


def test_occupation_names_the_groups_not_their_codes():
    item = permit()
    item.occupations.set(["5321"])
    found = reason(evaluate(applicant(isco_code="2221"), item, ON), "occupation")
    with translation.override("en"):
        message = str(found.message)
    assert "Health care assistants" in message and "5321" not in message


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
    ("accepts_comparable", "recognised", "comparable", "status"),
    [
        (True, False, True, MET),  # recognised or comparable: comparable is enough
        (False, False, True, NOT_MET),  # recognition itself is needed
        (True, False, None, UNKNOWN),  # not recognised, comparability not said
        (True, False, False, NOT_MET),
        (True, True, None, MET),
    ],
)
def test_recognised_or_comparable(accepts_comparable, recognised, comparable, status):
    item = permit(recognition_required=True, recognition_accepts_comparable=accepts_comparable)
    person = applicant(qualification_recognised=recognised, qualification_comparable=comparable)
    assert reason(evaluate(person, item, ON), "recognition").status == status


def test_a_condition_cites_the_provision_that_sets_it_not_the_whole_bibliography():
    basis = [LegalSourceFactory(key=f"de-basis-{index}") for index in range(3)]
    rule = LegalSourceFactory(key="de-aufenthg-18", article="§ 18")
    item = permit(job_offer_required=True, job_offer_source=rule, job_offer_article="§ 18 Abs. 2 Nr. 1 AufenthG")
    item.legal_sources.set(basis)
    verdict = evaluate(applicant(job_offer=False), item, ON)
    found = reason(verdict, "job_offer")
    assert (found.sources, found.provision) == (("de-aufenthg-18",), "§ 18 Abs. 2 Nr. 1 AufenthG")
    with translation.override("en"):
        assert str(found.message) == "This permit needs a job offer. (\u2068§ 18 Abs. 2 Nr. 1 AufenthG\u2069)"
    # A condition without a provision of its own still cites the permit's legal basis.
    assert set(reason(verdict, "qualification").sources) == {source.key for source in basis}


@pytest.mark.parametrize(
    ("required", "offer", "status"),
    [(True, True, MET), (True, False, NOT_MET), (True, None, UNKNOWN), (False, False, MET), (None, True, UNKNOWN)],
)
def test_job_offer(required, offer, status):
    item = permit(job_offer_required=required)
    assert reason(evaluate(applicant(job_offer=offer), item, ON), "job_offer").status == status


def language_permit(*levels):
    item = permit(language_level="A1")
    for language, level in levels:
        LanguageRequirement.objects.create(permit=item, language=language, level=level)
    return item


@pytest.mark.parametrize(
    ("languages", "status"),
    [
        ({"de": "A1"}, MET),
        ({"en": "B2"}, MET),  # the other alternative
        ({"en": "C1", "de": "none"}, MET),
        ({"de": "none", "en": "B1"}, NOT_MET),  # both languages answered, neither enough
        ({"en": "B1"}, UNKNOWN),  # German not answered
        ({}, UNKNOWN),
        ({"ar": "C2"}, UNKNOWN),
    ],
)
def test_language_requirements_are_alternatives(languages, status):
    item = language_permit(("de", "A1"), ("en", "B2"))
    found = reason(evaluate(applicant(languages=languages), item, ON), "language")
    assert found.status == status
    with translation.override("en"):
        assert "German A1 or English B2" in str(found.message)


@pytest.mark.parametrize(("level", "status"), [("none", MET), ("", UNKNOWN), ("B1", UNKNOWN)])
def test_no_language_requirement_is_not_the_same_as_not_known(level, status):
    item = permit(language_level=level)
    assert reason(evaluate(applicant(languages={"de": "C2"}), item, ON), "language").status == status


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
    assert found.params["amount"] == {"amount": "48300.00", "currency": "EUR"}
    assert found.params["salary"] == {"amount": "40000", "currency": "EUR"}


@pytest.mark.parametrize(
    ("language", "salary", "minimum"),
    [
        ("en", "46,000 EUR", "45,934.20 EUR"),
        ("fr", "46\u00a0000 EUR", "45\u00a0934,20 EUR"),
        ("de", "46.000 EUR", "45.934,20 EUR"),
    ],
)
def test_a_met_salary_shows_both_figures_as_the_language_writes_them(language, salary, minimum):
    item = permit()
    threshold(item, "45934.20", article="§ 18g Abs. 1 Satz 2 AufenthG")
    found = salary_status(item, salary=Decimal(46000), salary_currency="EUR")
    assert found.status == MET
    with translation.override(language):
        message = str(found.message)
    assert salary in message and minimum in message and "§ 18g Abs. 1 Satz 2 AufenthG" in message


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
    with translation.override("en"):
        assert "48,300.00 EUR" in str(found.message)


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


def blue_card_like():
    item = permit()
    threshold(item, "50700.00", label="general threshold")
    reduced = threshold(item, "45934.20", label="shortage occupations", reduced=True, new_entrants_within_years=3)
    reduced.occupations.set(["25", "221"])
    return item


@pytest.mark.parametrize(
    ("values", "status"),
    [
        ({"isco_code": "2512", "salary": 46000}, MET),  # ICT professionals: the reduced figure applies
        ({"isco_code": "2142", "salary": 46000, "graduation_year": 2024}, MET),  # a new entrant
        ({"isco_code": "2142", "salary": 46000, "graduation_year": 2015}, NOT_MET),  # neither: the general one
        ({"isco_code": "2142", "salary": 46000}, UNKNOWN),  # the graduation year decides
        ({"salary": 46000}, UNKNOWN),  # the occupation (or the graduation year) decides
        ({"isco_code": "2512", "salary": 45000}, NOT_MET),  # below the reduced figure too
        ({"isco_code": "2142", "salary": 51000}, MET),  # above the general figure
    ],
)
def test_which_threshold_applies_is_read_from_its_fields_not_its_label(values, status):
    found = salary_status(blue_card_like(), salary_currency="EUR", **values)
    assert found.status == status


def test_the_reason_names_the_occupation_group_the_reduced_figure_applies_to():
    found = salary_status(blue_card_like(), isco_code="2512", salary=Decimal(46000), salary_currency="EUR")
    with translation.override("en"):
        message = str(found.message)
    assert "Information and communications technology professionals" in message
    assert "2512" not in message and "25" not in message.replace("45,934.20", "")


def test_an_undecided_threshold_asks_the_question_that_decides_it():
    found = salary_status(blue_card_like(), isco_code="2142", salary=Decimal(46000), salary_currency="EUR")
    with translation.override("en"):
        assert "tell us the year you graduated" in str(found.message)


def test_threshold_from_an_age_applies_only_from_that_age():
    item = permit()
    threshold(item, "55770.00", applies_from_age=45)
    low = {"salary": Decimal(40000), "salary_currency": "EUR"}
    assert salary_status(item, age=30, **low).status == MET
    assert salary_status(item, age=50, **low).status == NOT_MET
    assert salary_status(item, **low).status == UNKNOWN  # age not given: it may not apply
    assert salary_status(item, salary=Decimal(60000), salary_currency="EUR").status == MET  # whatever the age
    with translation.override("en"):
        assert "from age 45" in str(salary_status(item, **low).message)


def test_a_threshold_the_law_waives_in_some_cases_is_not_final_when_missed():
    item = permit()
    threshold(item, "55770.00", applies_from_age=45, exception_possible=True)
    found = salary_status(item, age=50, salary=Decimal(40000), salary_currency="EUR")
    assert found.status == UNKNOWN
    with translation.override("en"):
        assert "unless one of the exceptions" in str(found.message)


def test_what_would_make_it_possible_when_the_hub_lacks_a_fact_for_likely():
    from guidance.eligibility import what_would_change

    item = permit(recognition_required=None)  # the hub does not know: never likely
    threshold(item, "50000.00")
    changes = what_would_change(applicant(salary=Decimal(40000), salary_currency="EUR"), item, ON)
    assert changes.makes == POSSIBLE and not changes.possible
    assert [(change.code, change.params) for change in changes.changes] == [
        ("salary", {"amount": "50000", "currency": "EUR"})
    ]
    assert [entry.code for entry in changes.none] == ["recognition"]


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
    LanguageRequirement.objects.create(permit=item, language="de", level="B2")
    for values in ({}, {"isco_code": "222", "age": 10, "qualification": "none", "languages": {"de": "A1"}}):
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
    with pytest.raises(ValueError, match="languages"):
        Applicant(nationality="MA", destination="DE", languages={"de": "B3"})
    with pytest.raises(ValueError, match="languages"):
        Applicant(nationality="MA", destination="DE", languages={"xx": "B1"})
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
    "languages": {"de": "B1"},
    "qualification_recognised": True,
}


def verdicts_for(**values):
    return {verdict.permit_code: verdict for verdict in evaluate_all(Applicant(**values), ON)}


def test_moroccan_nurse_for_germany(demo_data):
    verdicts = verdicts_for(**NURSE)
    # Not open to nurses or to Moroccans: nursing assistants (ISCO 5321), seasonal work (GE, MD only).
    assert verdicts["de-nursing-assistant"].verdict == NOT_ELIGIBLE
    assert reason(verdicts["de-seasonal-work"], "nationality").status == NOT_MET
    # The Blue Card: nurses are ISCO group 222, which § 18g(1) sentence 2 lists: 50,000 EUR reaches the
    # reduced 2026 figure (45,934.20 EUR), and the Blue Card asks for no language: it can be likely.
    blue_card = verdicts["de-eu-blue-card"]
    assert blue_card.verdict == LIKELY
    salary = reason(blue_card, "salary")
    assert salary.status == MET
    assert "de-bmi-mindestgehaelter-2026" in salary.sources
    assert salary.provision == "§ 18g Abs. 1 Satz 2 AufenthG"
    assert reason(blue_card, "language").status == MET
    assert verdicts["de-opportunity-card"].verdict == LIKELY


def test_tunisian_nurse_with_vocational_training_is_not_ruled_out_of_section_18a(demo_data):
    nurse = {
        "nationality": "TN",
        "destination": "DE",
        "isco_code": "2221",
        "qualification": "vocational",
        "qualification_recognised": True,
        "languages": {"de": "B1"},
        "job_offer": True,
    }
    verdicts = verdicts_for(**nurse)
    section_18a = verdicts["de-skilled-worker-vocational"]
    assert section_18a.verdict != NOT_ELIGIBLE
    assert {found.code: found.status for found in section_18a.reasons}["qualification"] == MET
    # Only the age-bound minimum (§ 18 Abs. 2 Nr. 5) is open: it applies from 45, and her age is not given.
    assert [found.code for found in section_18a.missing] == ["salary"]
    with translation.override("en"):
        assert "from age 45" in str(reason(section_18a, "salary").message)
    assert verdicts_for(**nurse, age=30)["de-skilled-worker-vocational"].verdict == LIKELY
    assert verdicts["de-experienced-worker"].verdict != NOT_ELIGIBLE
    assert verdicts["de-recognition-partnership"].verdict == LIKELY


def test_software_developer_at_46000_reaches_the_blue_card_minimum_for_ict(demo_data):
    developer = {
        "nationality": "MA",
        "destination": "DE",
        "isco_code": "2512",
        "qualification": "tertiary",
        "qualification_recognised": True,
        "job_offer": True,
        "salary": Decimal(46000),
        "salary_currency": "EUR",
    }
    blue_card = verdicts_for(**developer)["de-eu-blue-card"]
    assert blue_card.verdict == LIKELY
    with translation.override("en"):
        message = str(reason(blue_card, "salary").message)
    assert message == (
        "Your salary, \u206846,000 EUR\u2069 a year, reaches the minimum for \u2068Information and communications "
        "technology professionals\u2069 in 2026, \u206845,934.20 EUR\u2069 a year. "
        "(\u2068§ 18g Abs. 1 Satz 2 AufenthG\u2069)"
    )


def test_electrician_without_an_age_is_not_given_a_figure_for_the_over_45s_as_his_minimum(demo_data):
    electrician = {
        "nationality": "EG",
        "destination": "DE",
        "isco_code": "7411",
        "qualification": "vocational",
        "qualification_recognised": True,
        "job_offer": True,
        "salary": Decimal(40000),
        "salary_currency": "EUR",
    }
    section_18a = verdicts_for(**electrician)["de-skilled-worker-vocational"]
    salary = reason(section_18a, "salary")
    assert salary.status == UNKNOWN
    with translation.override("en"):
        message = str(salary.message)
    assert "from age 45" in message and "tell us your age" in message
    younger = verdicts_for(**electrician, age=38)["de-skilled-worker-vocational"]
    assert reason(younger, "salary").status == MET
    assert younger.verdict == LIKELY


# What would change the answer


def test_what_would_change_is_the_smallest_set_of_changes_found_by_the_engine(demo_data):
    verdicts = verdicts_for(
        nationality="MA", destination="DE", isco_code="2512", qualification="tertiary", qualification_recognised=True
    )
    blue_card = verdicts["de-eu-blue-card"].changes
    assert blue_card.possible
    assert {change.code: change.params for change in blue_card.changes} == {
        "job_offer": {"job_offer": True},
        "salary": {"amount": "45934.20", "currency": "EUR"},  # the reduced figure for ICT, not the general one
    }
    card = verdicts["de-opportunity-card"].changes
    assert [(change.code, change.params) for change in card.changes] == [
        ("language", {"language": "de", "level": "A1"})
    ]


def test_the_changes_really_make_the_permit_likely(demo_data):
    person = Applicant(nationality="MA", destination="DE", isco_code="2512", qualification="tertiary")
    for verdict in evaluate_all(person, ON):
        if verdict.changes.possible:
            changed = person
            for change in verdict.changes.changes:
                if change.code == "salary":
                    changed = replace(changed, salary=Decimal(change.params["amount"]), salary_currency="EUR")
                elif change.code == "language":
                    changed = replace(changed, languages={change.params["language"]: change.params["level"]})
                else:
                    changed = replace(changed, **{key: value for key, value in change.params.items()})
            assert evaluate(changed, verdict.permit, ON).verdict == LIKELY, verdict.permit_code


def test_nothing_changes_a_permit_closed_to_the_nationality(demo_data):
    seasonal = verdicts_for(nationality="MA", destination="DE", isco_code="9211")["de-seasonal-work"].changes
    assert not seasonal.possible
    assert "nationality" in [item.code for item in seasonal.none]
    with translation.override("en"):
        assert "None: this permit is closed to your nationality." in [str(item.message) for item in seasonal.none]


def test_a_likely_permit_needs_no_change_and_an_unknown_of_the_hub_is_named():
    item = permit(quota_size=10, quota_period="year")
    from guidance.eligibility import what_would_change

    assert what_would_change(applicant(), permit(), ON).changes == ()
    quota = what_would_change(applicant(), item, ON)
    assert not quota.possible and [entry.code for entry in quota.none] == ["quota"]


def test_evaluate_all_is_sorted_and_covers_only_the_published_permits_of_the_destination(demo_data):
    from permits.models import PermitCategory

    verdicts = evaluate_all(Applicant(**NURSE), ON)
    published = set(PermitCategory.objects.published().filter(country_id="DE").values_list("code", flat=True))
    assert {verdict.permit_code for verdict in verdicts} == published
    order = [{LIKELY: 0, POSSIBLE: 1, NOT_ELIGIBLE: 2}[verdict.verdict] for verdict in verdicts]
    assert order == sorted(order)


def test_evaluate_all_query_count_does_not_grow_with_permits(demo_data, django_assert_num_queries):
    # permits, open_to, closed_to, occupations, sectors, legal bases, thresholds with their sources and groups,
    # language requirements; agreements with their sources, occupations and sectors; the recognition rows of the
    # occupation with their sources: the provisions and bodies come with their rows (joins).
    with django_assert_num_queries(16):
        evaluate_all(Applicant(**NURSE), ON)
    with django_assert_num_queries(16):
        evaluate_all(Applicant(**{**NURSE, "destination": "BE"}), ON)
    with CaptureQueriesContext(connection) as esco_queries:
        evaluate_all(
            Applicant(**{**NURSE, "isco_code": None, "esco_uri": "http://data.europa.eu/esco/occupation/x"}), ON
        )
    assert len(esco_queries.captured_queries) == 15  # the ESCO look-up; no occupation found, so no recognition read


def test_evaluate_all_leaves_out_family_permits(demo_data):
    codes = {verdict.permit_code for verdict in evaluate_all(Applicant(nationality="EG", destination="KW"), ON)}
    assert "kw-domestic-worker" in codes
    assert "kw-dependent-family-visa" not in codes
