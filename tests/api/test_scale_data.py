"""generate_scale_data: every country, permits with documents and fees, agencies, agreements; marked synthetic."""

import io

import pytest
from django.core.management import CommandError, call_command

from countries.models import Agreement, Country
from permits.models import Fee, PermitCategory, RequiredDocument
from recruiters.models import RecruitmentAgency

pytestmark = pytest.mark.django_db


def test_generates_published_synthetic_rows_for_every_country():
    out = io.StringIO()
    call_command(
        "generate_scale_data", "--permits-per-country=2", "--agencies-per-country=3", "--agreements=10", stdout=out
    )
    countries = Country.objects.count()
    assert countries >= 249
    permits = PermitCategory.objects.published().filter(code__startswith="scale-")
    assert permits.count() == 2 * countries
    assert permits.values("country").distinct().count() == countries
    assert RequiredDocument.objects.filter(permit__in=permits).count() == 5 * 2 * countries
    assert Fee.objects.filter(permit__in=permits).count() == 2 * 2 * countries
    assert all(permit.legal_sources.exists() for permit in permits[:5])
    agencies = RecruitmentAgency.objects.published().filter(licence_number__startswith="SCALE-")
    assert agencies.count() == 3 * countries
    assert not agencies.filter(is_example=False).exists()
    assert Agreement.objects.filter(key__startswith="scale-").count() == 10
    assert "Synthetic data in" in out.getvalue()

    with pytest.raises(CommandError, match="already there"):
        call_command("generate_scale_data", "--permits-per-country=1", stdout=io.StringIO())
