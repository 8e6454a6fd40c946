"""Validation rules users expect of corridors and agreements."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from countries.models import Agreement, Corridor
from tests.factories import (
    AgreementFactory,
)

pytestmark = pytest.mark.django_db


def errors_of(obj):
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    return error.value.message_dict


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
