"""Purpose conditions and regional figures: an intra-corporate transfer needs an employer abroad,
seasonal work its sectors, and a federal country's minimum salary is the one of the region of the work."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from countries.models import Sector
from guidance.eligibility import LIKELY, MET, NOT_ELIGIBLE, NOT_MET, POSSIBLE, UNKNOWN, Applicant, evaluate_all
from guidance.forms import EligibilityForm
from permits.models import PermitCategory, SalaryThreshold
from tests.factories import LegalSourceFactory
from tests.guidance.test_eligibility import permit as any_permit
from tests.guidance.test_eligibility import reason

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 6, 1)


def applicant(**values):
    return Applicant(**{"nationality": "MA", "destination": "BE", **values})


def permit(**values):
    """A Belgian permit that asks for nothing the hub does not know (test_eligibility's), unless told otherwise."""
    return any_permit(**{"country_id": "BE", **values})


def verdict_on(item, person):
    return next(verdict for verdict in evaluate_all(person, ON) if verdict.permit_code == item.code)


@pytest.fixture
def sectors(db):
    for code, name, name_fr in (
        ("A", "Agriculture, forestry and fishing", "Agriculture, sylviculture et pêche"),
        ("I", "Accommodation and food service activities", "Hébergement et restauration"),
        ("F", "Construction", "Construction"),
    ):
        Sector.objects.update_or_create(code=code, defaults={"name_en": name, "name_fr": name_fr})


# An intra-corporate transfer


@pytest.fixture
def transfer():
    source = LegalSourceFactory(key="eu-ict-test", article="Art. 5")
    return permit(
        purpose=PermitCategory.Purpose.INTRA_CORPORATE,
        employer_abroad_required=True,
        purpose_source=source,
        purpose_article="Art. 5(1)(b)",
    )


def test_a_transfer_asks_whether_a_company_abroad_sends_the_applicant(transfer):
    verdict = verdict_on(transfer, applicant())
    said = reason(verdict, "purpose")
    assert (said.status, verdict.verdict) == (UNKNOWN, POSSIBLE)
    assert said.sources == ("eu-ict-test",)
    assert "Art. 5(1)(b)" in str(said.message)


def test_a_farm_worker_not_sent_by_an_employer_abroad_is_not_eligible_and_nothing_would_change_it(transfer):
    verdict = verdict_on(transfer, applicant(employer_abroad=False))
    assert (reason(verdict, "purpose").status, verdict.verdict) == (NOT_MET, NOT_ELIGIBLE)
    assert [item.code for item in verdict.changes.none] == ["purpose"]
    assert not verdict.changes.changes


def test_an_employee_sent_by_a_company_abroad_meets_it(transfer):
    verdict = verdict_on(transfer, applicant(employer_abroad=True))
    assert (reason(verdict, "purpose").status, verdict.verdict) == (MET, LIKELY)


def test_a_permit_without_purpose_conditions_meets_them_whatever_is_said():
    item = permit()
    for answer in (None, False, True):
        assert reason(verdict_on(item, applicant(employer_abroad=answer, sector="F")), "purpose").status == MET


# Seasonal work in some sectors


def test_seasonal_work_is_judged_by_the_sector_of_the_work(sectors):
    item = permit(purpose=PermitCategory.Purpose.SEASONAL)
    item.sectors.set(["A", "I"])
    assert reason(verdict_on(item, applicant()), "purpose").status == UNKNOWN
    farm = reason(verdict_on(item, applicant(sector="A")), "purpose")
    assert farm.status == MET
    assert farm.params == {"sector": ["A"]}
    building = verdict_on(item, applicant(sector="F"))
    assert (reason(building, "purpose").status, building.verdict) == (NOT_MET, NOT_ELIGIBLE)
    with translation.override("fr"):
        message = str(reason(building, "purpose").message)
    assert "Agriculture, sylviculture et pêche" in message and "Hébergement et restauration" in message


# Regional figures


def regional(item, amount, region, **values):
    return SalaryThreshold.objects.create(
        permit=item, amount=Decimal(amount), currency="EUR", period="year", region=region, **values
    )


@pytest.fixture
def highly_qualified():
    item = permit(purpose=PermitCategory.Purpose.HIGHLY_SKILLED)
    regional(item, "44441.28", "BE-BRU")
    regional(item, "48912.00", "BE-VLG", applies_from_age=30)
    regional(item, "39129.60", "BE-VLG", below_age=30, reduced=True)
    regional(item, "53220.00", "BE-WAL", valid_to=datetime.date(2025, 12, 31))
    return item


def salary(verdict):
    return reason(verdict, "salary")


def test_without_the_region_a_salary_between_the_figures_is_unknown_and_the_region_is_asked(highly_qualified):
    said = salary(verdict_on(highly_qualified, applicant(salary=Decimal(46000), salary_currency="EUR", age=35)))
    assert said.status == UNKNOWN
    assert "the region where you will work" in str(said.message)


def test_the_figure_of_the_region_of_the_work_decides(highly_qualified):
    money = {"salary": Decimal(46000), "salary_currency": "EUR", "age": 35}
    brussels = salary(verdict_on(highly_qualified, applicant(region="BE-BRU", **money)))
    assert brussels.status == MET
    assert brussels.params["amount"] == {"amount": "44441.28", "currency": "EUR"}
    assert "Brussels-Capital Region" in str(brussels.message)
    flanders = salary(verdict_on(highly_qualified, applicant(region="BE-VLG", **money)))
    assert flanders.status == NOT_MET
    assert flanders.params["amount"] == {"amount": "48912.00", "currency": "EUR"}


def test_the_reduced_figure_for_applicants_under_an_age_replaces_the_general_one(highly_qualified):
    young = salary(
        verdict_on(highly_qualified, applicant(region="BE-VLG", salary=Decimal(40000), salary_currency="EUR", age=27))
    )
    assert young.status == MET
    assert young.params["amount"] == {"amount": "39129.60", "currency": "EUR"}
    unsaid = salary(
        verdict_on(highly_qualified, applicant(region="BE-VLG", salary=Decimal(40000), salary_currency="EUR"))
    )
    assert unsaid.status == UNKNOWN
    assert "your age" in str(unsaid.message)


def test_a_region_whose_figure_has_expired_is_a_gap_not_no_minimum(highly_qualified):
    said = salary(
        verdict_on(highly_qualified, applicant(region="BE-WAL", salary=Decimal(90000), salary_currency="EUR"))
    )
    assert said.status == UNKNOWN
    assert "no figure for the Walloon Region" in str(said.message)


# The form and the API ask for them


def test_the_form_refuses_a_region_of_another_country():
    from countries.models import Country

    form = EligibilityForm(
        {"nationality": "MA", "destination": "DE", "region": "BE-VLG"},
        destinations=Country.objects.filter(code__in=["BE", "DE"]),
    )
    assert not form.is_valid()
    assert "region" in form.errors


def test_the_form_carries_region_sector_and_employer_abroad(sectors):
    from countries.models import Country

    form = EligibilityForm(
        {"nationality": "MA", "destination": "BE", "region": "BE-WAL", "sector": "A", "employer_abroad": "no"},
        destinations=Country.objects.filter(code__in=["BE", "DE"]),
    )
    assert form.is_valid(), form.errors
    person = form.applicant(None)
    assert (person.region, person.sector, person.employer_abroad) == ("BE-WAL", "A", False)


def test_the_api_takes_them_and_refuses_a_region_of_another_country(client, transfer):
    answer = client.get("/api/v1/eligibility/", {"nationality": "MA", "destination": "BE", "employer_abroad": "false"})
    assert answer.status_code == 200, answer.content
    verdict = next(item for item in answer.json()["verdicts"] if item["permit_code"] == transfer.code)
    assert verdict["verdict"] == NOT_ELIGIBLE
    wrong = client.get("/api/v1/eligibility/", {"nationality": "MA", "destination": "DE", "region": "BE-VLG"})
    assert wrong.status_code == 400
    assert "region" in wrong.json()
