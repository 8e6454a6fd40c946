"""The permit's admin form offers the eligibility conditions the engine reads: the provision of each
condition, the alternatives of the language condition, and what each salary threshold applies to."""

import pytest
from django.urls import reverse

from permits.models import LanguageRequirement, SalaryThreshold
from tests.factories import PermitCategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_permit_form_edits_every_condition_the_engine_reads(client):
    permit = PermitCategoryFactory(country_id="DE")
    SalaryThreshold.objects.create(permit=permit, kind="salary", label="General", amount=48300, currency="EUR")
    LanguageRequirement.objects.create(permit=permit, language="de", level="A1")
    client.force_login(UserFactory(role="hub_editor"))
    html = client.get(reverse("admin:permits_permitcategory_change", args=[permit.pk])).content.decode()
    for condition in ("occupation", "qualification", "recognition", "job_offer", "language", "age"):
        assert f'name="{condition}_source"' in html and f'name="{condition}_article"' in html
    assert 'name="recognition_accepts_comparable"' in html
    assert 'name="language_requirements-0-level"' in html
    for field in ("occupations", "new_entrants_within_years", "article", "exception_possible"):
        assert f'name="salary_thresholds-0-{field}"' in html
