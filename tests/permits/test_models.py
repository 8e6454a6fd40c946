"""Validation rules users expect of permits, fees, thresholds and recognition."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.fields import PublicationStatus
from permits.models import Fee, PermitCategory, QualificationRecognition, SalaryThreshold
from permits.services import PublicationError, permit_publish
from tests.factories import (
    LegalSourceFactory,
    PermitCategoryFactory,
    permit_form_data,
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


def test_admin_refuses_publishing_without_source(client, hub_editor, settings):
    # The direct save a hub editor may make when the setting allows it (else an edit is a proposal).
    settings.HUB_EDITORS_PUBLISH_OWN_EDITS = True
    from django.urls import reverse

    client.force_login(hub_editor)
    response = client.post(
        reverse("admin:permits_permitcategory_add"), permit_form_data("DE", publication_status="published")
    )
    assert response.status_code == 200
    assert "legal_sources" in response.context["adminform"].form.errors
