"""Validation rules users expect of the data model."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.fields import PublicationStatus
from countries.models import Agreement, Corridor
from permits.models import Fee, PermitCategory, QualificationRecognition, SalaryThreshold
from permits.services import PublicationError, permit_publish
from recruiters.models import EnforcementAction, RecruitmentAgency, RecruitmentRegime
from tests.factories import (
    AgreementFactory,
    LegalSourceFactory,
    PermitCategoryFactory,
    RecruitmentAgencyFactory,
)

pytestmark = pytest.mark.django_db


def errors_of(obj):
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    return error.value.message_dict


def test_permit_minimum_must_not_exceed_maximum():
    permit = PermitCategory(
        country_id="DE",
        code="x",
        name="X",
        purpose="work",
        min_age=40,
        max_age=18,
        processing_days_min=90,
        processing_days_max=30,
        initial_stay_months=48,
        max_stay_months=12,
    )
    errors = errors_of(permit)
    assert {"max_age", "processing_days_max", "max_stay_months"} <= set(errors)


def test_permit_skill_levels_and_places_are_checked():
    permit = PermitCategory(
        country_id="DE", code="x", name="X", purpose="work", skill_levels=[5], where_to_apply=["moon"]
    )
    assert {"skill_levels", "where_to_apply"} <= set(errors_of(permit))


def test_currency_must_be_iso_4217():
    permit = PermitCategoryFactory()
    assert "currency" in errors_of(Fee(permit=permit, name="Fee", amount="10.00", currency="EUX"))
    Fee(permit=permit, name="Fee", amount="10.00", currency="EUR").full_clean()


def test_fee_amount_needs_a_currency_but_may_be_unknown():
    permit = PermitCategoryFactory()
    assert "currency" in errors_of(Fee(permit=permit, name="Fee", amount="10.00", currency=""))
    Fee(permit=permit, name="Fee not known", amount=None, currency="").full_clean()


def test_negative_amount_is_refused():
    permit = PermitCategoryFactory()
    assert "amount" in errors_of(Fee(permit=permit, name="Fee", amount="-1", currency="EUR"))


def test_salary_threshold_period_is_dated():
    permit = PermitCategoryFactory()
    threshold = SalaryThreshold(
        permit=permit,
        amount="48300",
        currency="EUR",
        period="year",
        valid_from=datetime.date(2025, 12, 31),
        valid_to=datetime.date(2025, 1, 1),
    )
    assert "valid_to" in errors_of(threshold)


def test_licence_must_end_after_it_starts():
    agency = RecruitmentAgency(
        country_id="MA",
        legal_name="A",
        licence_number="1",
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2024, 1, 1),
    )
    assert "valid_until" in errors_of(agency)


def test_licence_number_is_unique_per_country_only():
    RecruitmentAgencyFactory(country_id="MA", licence_number="42")
    assert "__all__" in errors_of(RecruitmentAgency(country_id="MA", legal_name="B", licence_number="42"))
    RecruitmentAgency(country_id="TN", legal_name="B", licence_number="42").full_clean()


def test_licence_valid_on_a_date():
    agency = RecruitmentAgency(status="active", valid_until=datetime.date(2026, 6, 30))
    assert agency.licence_valid_on(datetime.date(2026, 6, 30))
    assert not agency.licence_valid_on(datetime.date(2026, 7, 1))
    agency.status = "suspended"
    assert not agency.licence_valid_on(datetime.date(2026, 1, 1))


def test_corridor_needs_two_countries():
    assert "destination" in errors_of(Corridor(origin_id="MA", destination_id="MA"))


def test_agreement_dates_in_order():
    agreement = Agreement(
        key="k",
        type="bla",
        title="T",
        status="in_force",
        signed_on=datetime.date(2020, 1, 1),
        in_force_on=datetime.date(2019, 1, 1),
        expires_on=datetime.date(2018, 1, 1),
    )
    assert {"in_force_on", "expires_on"} <= set(errors_of(agreement))


def test_agreement_in_force_on_a_date():
    current = AgreementFactory(in_force_on=datetime.date(2009, 7, 1))
    AgreementFactory(in_force_on=datetime.date(2009, 7, 1), expires_on=datetime.date(2020, 1, 1))
    AgreementFactory(status=Agreement.Status.SIGNED)
    assert list(Agreement.objects.in_force(datetime.date(2026, 1, 1))) == [current]


def test_regime_zero_fee_has_no_cap_and_amounts_have_currencies():
    regime = RecruitmentRegime(
        country_id="MA", worker_fee_rule="zero_fee", worker_fee_cap="100", financial_guarantee="10"
    )
    errors = errors_of(regime)
    assert {"worker_fee_cap", "financial_guarantee_currency", "worker_fee_cap_currency"} <= set(errors)


def test_enforcement_fine_needs_currency():
    agency = RecruitmentAgencyFactory()
    action = EnforcementAction(agency=agency, date=datetime.date(2025, 1, 1), action="fine", fine_amount="1000")
    assert "fine_currency" in errors_of(action)


def test_recognition_fee_range():
    recognition = QualificationRecognition(
        country_id="DE", occupation_id="2221", fee_min="600", fee_max="100", fee_currency="EUR"
    )
    assert "fee_max" in errors_of(recognition)


def test_published_permit_must_cite_a_legal_source(hub_editor):
    permit = PermitCategoryFactory()
    with pytest.raises(PublicationError, match="at least one legal source"):
        permit_publish(permit=permit, user=hub_editor)
    permit.refresh_from_db()
    assert permit.publication_status == PublicationStatus.DRAFT


def test_publishing_bumps_the_country_data_version(hub_editor):
    permit = PermitCategoryFactory(country_id="DE", legal_sources=[LegalSourceFactory(country_id="DE")])
    version = permit.country.data_version
    permit_publish(permit=permit, user=hub_editor)
    permit.refresh_from_db()
    assert permit.publication_status == PublicationStatus.PUBLISHED
    assert permit.country.data_version == version + 1


def test_admin_refuses_publishing_without_source(client, hub_editor):
    from django.urls import reverse

    from tests.test_admin_scoping import permit_form_data

    client.force_login(hub_editor)
    response = client.post(
        reverse("admin:permits_permitcategory_add"), permit_form_data("DE", publication_status="published")
    )
    assert response.status_code == 200
    assert "legal_sources" in response.context["adminform"].form.errors
