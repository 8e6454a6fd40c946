"""Validation rules users expect of licences, regimes and enforcement actions."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from recruiters.models import EnforcementAction, RecruitmentAgency, RecruitmentRegime
from tests.factories import (
    RecruitmentAgencyFactory,
)

pytestmark = pytest.mark.django_db


def errors_of(obj):
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    return error.value.message_dict


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
