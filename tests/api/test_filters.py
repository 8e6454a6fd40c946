"""The FilterSets shared by the API and the pages: each filter narrows the list, and refuses unknown values."""

import datetime
from decimal import Decimal

import pytest

from core.fields import PublicationStatus
from countries.filters import AgreementFilter, CorridorFilter
from countries.models import Agreement, Corridor
from permits.filters import PermitFilter, VisaRequirementFilter
from permits.models import PermitCategory, VisaRequirement
from recruiters.filters import RecruitmentAgencyFilter
from recruiters.models import RecruitmentAgency
from tests.factories import AgreementFactory, FeeFactory, PermitCategoryFactory, RecruitmentAgencyFactory

pytestmark = pytest.mark.django_db


def codes(filterset):
    assert filterset.is_valid(), filterset.errors
    return sorted(filterset.qs.values_list("code", flat=True))


def permits(**params):
    return codes(PermitFilter(params, queryset=PermitCategory.objects.all()))


def test_permit_occupation_matches_listed_group_and_groups_above_it():
    PermitCategoryFactory(code="unit").occupations.set(["2221"])
    PermitCategoryFactory(code="minor").occupations.set(["222"])
    PermitCategoryFactory(code="sub-major").occupations.set(["22"])
    PermitCategoryFactory(code="other").occupations.set(["7112"])
    PermitCategoryFactory(code="any")

    assert permits(occupation="2221") == ["any", "minor", "sub-major", "unit"]
    assert permits(occupation="7112") == ["any", "other"]
    assert permits(occupation="22") == ["any", "sub-major"]


def test_permit_nationality_respects_open_to_and_closed_to():
    PermitCategoryFactory(code="open-to-all")
    PermitCategoryFactory(code="open-to-all-but-eg").closed_to.set(["EG"])
    PermitCategoryFactory(code="only-ma-tn").open_to.set(["MA", "TN"])

    assert permits(nationality="MA") == ["only-ma-tn", "open-to-all", "open-to-all-but-eg"]
    assert permits(nationality="eg") == ["open-to-all"]
    assert permits(nationality="TN") == ["only-ma-tn", "open-to-all", "open-to-all-but-eg"]


def test_permit_destination_purpose_and_skill_level():
    PermitCategoryFactory(code="de-work", country_id="DE", skill_levels=[3, 4])
    PermitCategoryFactory(code="de-any-level", country_id="DE", skill_levels=[])
    PermitCategoryFactory(
        code="fr-seasonal", country_id="FR", purpose=PermitCategory.Purpose.SEASONAL, skill_levels=[1]
    )

    assert permits(destination="DE") == ["de-any-level", "de-work"]
    assert permits(purpose="seasonal") == ["fr-seasonal"]
    assert permits(skill_level="4") == ["de-any-level", "de-work"]
    assert permits(skill_level="1") == ["de-any-level", "fr-seasonal"]


def test_permit_tri_state_and_numeric_filters():
    cheap = PermitCategoryFactory(
        code="cheap", job_offer_required=True, dependents_allowed=True, processing_days_max=30
    )
    FeeFactory(permit=cheap, amount=Decimal("75"))
    FeeFactory(permit=cheap, amount=None, currency="")
    dear = PermitCategoryFactory(
        code="dear", job_offer_required=False, processing_days_min=90, permanent_residence_after_months=21
    )
    FeeFactory(permit=dear, amount=Decimal("100"))
    FeeFactory(permit=dear, amount=Decimal("411"))
    PermitCategoryFactory(code="unknown")

    assert permits(job_offer_required="true") == ["cheap"]
    assert permits(job_offer_required="false") == ["dear"]
    assert permits(job_offer_required="unknown") == ["unknown"]
    assert permits(dependents_allowed="true") == ["cheap"]
    assert permits(max_fee="75") == ["cheap", "unknown"]
    assert permits(max_fee="511") == ["cheap", "dear", "unknown"]
    assert permits(max_processing_days="60") == ["cheap"]
    assert permits(path_to_residence="true") == ["dear"]
    assert permits(path_to_residence="false") == ["cheap", "unknown"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"destination": "XX"}, "destination", "Unknown country code"),
        ({"nationality": "Morocco"}, "nationality", "Unknown country code"),
        ({"occupation": "9999"}, "occupation", "Unknown ISCO-08 code"),
        ({"purpose": "tourism"}, "purpose", "not one of the available choices"),
        ({"skill_level": "5"}, "skill_level", "not one of the available choices"),
        ({"job_offer_required": "maybe"}, "job_offer_required", "not one of the available choices"),
        ({"path_to_residence": "yes"}, "path_to_residence", "not one of the available choices"),
        ({"max_fee": "-1"}, "max_fee", "greater than or equal to 0"),
        ({"max_processing_days": "soon"}, "max_processing_days", "Enter a number"),
    ],
)
def test_permit_filter_refuses_unknown_values(params, field, message):
    filterset = PermitFilter(params, queryset=PermitCategory.objects.all())
    assert not filterset.is_valid()
    assert message in str(filterset.errors[field])


def test_agreement_filters_parties_type_status_and_date():
    AgreementFactory(key="ma-de", parties=["MA", "DE"], in_force_on=datetime.date(2020, 1, 1))
    AgreementFactory(
        key="tn-fr-expired",
        parties=["TN", "FR"],
        status=Agreement.Status.IN_FORCE,
        in_force_on=datetime.date(2000, 1, 1),
        expires_on=datetime.date(2010, 1, 1),
    )
    AgreementFactory(key="ma-fr-mou", parties=["MA", "FR"], type=Agreement.Type.MOU, status=Agreement.Status.SIGNED)

    def agreements(**params):
        filterset = AgreementFilter(params, queryset=Agreement.objects.all())
        assert filterset.is_valid(), filterset.errors
        return sorted(filterset.qs.values_list("key", flat=True))

    assert agreements(origin="MA") == ["ma-de", "ma-fr-mou"]
    assert agreements(origin="MA", destination="FR") == ["ma-fr-mou"]
    assert agreements(type="mou") == ["ma-fr-mou"]
    assert agreements(status="in_force") == ["ma-de", "tn-fr-expired"]
    assert agreements(in_force_on="2005-06-01") == ["tn-fr-expired"]
    assert agreements(in_force_on="2026-06-01") == ["ma-de"]
    assert not AgreementFilter({"origin": "ZZ"}, queryset=Agreement.objects.all()).is_valid()
    assert not AgreementFilter({"in_force_on": "yesterday"}, queryset=Agreement.objects.all()).is_valid()


def test_agency_filters_country_status_destination_sector_and_licence():
    first = RecruitmentAgencyFactory(country_id="MA", licence_number="ANAPEC-EX-1")
    first.destinations.set(["DE"])
    first.sectors.set(["Q"])
    RecruitmentAgencyFactory(country_id="MA", licence_number="ANAPEC-EX-2", status=RecruitmentAgency.Status.REVOKED)
    RecruitmentAgencyFactory(country_id="TN", licence_number="TN-EX-1")

    def agencies(**params):
        filterset = RecruitmentAgencyFilter(params, queryset=RecruitmentAgency.objects.all())
        assert filterset.is_valid(), filterset.errors
        return sorted(filterset.qs.values_list("licence_number", flat=True))

    assert agencies(country="MA") == ["ANAPEC-EX-1", "ANAPEC-EX-2"]
    assert agencies(status="revoked") == ["ANAPEC-EX-2"]
    assert agencies(destination="DE") == ["ANAPEC-EX-1"]
    assert agencies(sector="q") == ["ANAPEC-EX-1"]
    assert agencies(licence_number=" anapec-ex-2 ") == ["ANAPEC-EX-2"]
    for bad in ({"country": "XX"}, {"sector": "Z"}, {"status": "closed"}, {"destination": "12"}):
        assert not RecruitmentAgencyFilter(bad, queryset=RecruitmentAgency.objects.all()).is_valid(), bad


def test_visa_and_corridor_filters():
    VisaRequirement.objects.create(
        nationality_id="MA", destination_id="DE", requirement="visa_required", source="test", as_of="2025-01-01"
    )
    VisaRequirement.objects.create(
        nationality_id="MA", destination_id="TN", requirement="visa_free", days=90, source="test", as_of="2025-01-01"
    )
    Corridor.objects.create(origin_id="MA", destination_id="DE")
    Corridor.objects.create(origin_id="TN", destination_id="DE")

    visas = VisaRequirementFilter({"nationality": "MA", "requirement": "visa_free"}, VisaRequirement.objects.all())
    assert [v.destination_id for v in visas.qs] == ["TN"]
    corridors = CorridorFilter({"origin": "TN"}, Corridor.objects.all())
    assert [c.destination_id for c in corridors.qs] == ["DE"]
    assert not VisaRequirementFilter({"destination": "XX"}, VisaRequirement.objects.all()).is_valid()


def test_published_status_is_not_a_filter_concern():
    # The filters narrow whatever queryset they get; the API hands them published rows only.
    PermitCategoryFactory(code="draft", publication_status=PublicationStatus.DRAFT)
    assert permits() == ["draft"]


@pytest.mark.parametrize("code", ["2221", "222", "22", "2"])
def test_esco_occupations_under_an_isco_group_at_any_level(api, code):
    # Regression: a text prefix lookup on the foreign key itself answered 500 for every code.
    response = api.get("/api/v1/esco-occupations/", {"isco_group": code, "page_size": 500})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows and all(row["isco_group"].startswith(code) for row in rows)


def test_esco_occupation_filter_refuses_an_unknown_group(api):
    response = api.get("/api/v1/esco-occupations/", {"isco_group": "9999"})
    assert response.status_code == 400 and "9999" in response.json()["isco_group"][0]


def test_any_digits_are_read_in_the_occupation_filter_and_the_page_parameters(client, db):
    """Arabic-Indic and Persian digits are digits in every API parameter that takes a number (issue 16)."""
    from permits.models import IscoGroup

    IscoGroup.objects.get_or_create(code="2221", defaults={"level": 4, "title": "Nursing professionals"})
    for occupation in ("2221", "٢٢٢١", "۲۲۲۱"):
        assert client.get("/api/v1/permits/", {"occupation": occupation}).status_code == 200, occupation
    assert client.get("/api/v1/permits/", {"occupation": "٢٢٢٩"}).status_code == 400
    for value in ("٥", "۵"):
        answer = client.get("/api/v1/permits/", {"page": "١", "page_size": value})
        assert answer.status_code == 200, value
