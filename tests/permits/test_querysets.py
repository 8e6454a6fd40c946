"""The permits' own answers: which thresholds apply on a day, which permits are open to a nationality."""

import datetime

import pytest

from core.fields import PublicationStatus
from permits.models import PermitCategory, SalaryThreshold
from tests.factories import AgreementFactory, PermitCategoryFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 1)


def test_thresholds_valid_on_a_day_in_sql_and_in_python_agree():
    permit = PermitCategoryFactory()
    periods = {
        "open both ends": (None, None),
        "ends the day before": (None, DAY - datetime.timedelta(days=1)),
        "ends that day": (None, DAY),
        "starts that day": (DAY, None),
        "starts the day after": (DAY + datetime.timedelta(days=1), None),
        "around the day": (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
    }
    for label, (start, end) in periods.items():
        SalaryThreshold.objects.create(
            permit=permit, label=label, amount=1, currency="EUR", period="year", valid_from=start, valid_to=end
        )
    in_sql = set(SalaryThreshold.objects.valid_on(DAY).values_list("label", flat=True))
    in_python = {threshold.label for threshold in SalaryThreshold.objects.all() if threshold.is_valid_on(DAY)}
    assert in_sql == in_python == {"open both ends", "ends that day", "starts that day", "around the day"}


@pytest.mark.parametrize(
    ("agreement_type", "status", "expected"),
    [
        ("bla", "in_force", {"de-open", "de-needs-agreement"}),
        ("seasonal_scheme", "in_force", {"de-open", "de-needs-agreement"}),
        ("social_security", "in_force", {"de-open"}),  # a social-security convention opens no labour route
        ("service", "in_force", {"de-open"}),  # nor does an advice centre
        ("bla", "suspended", {"de-open"}),
        (None, None, {"de-open"}),
    ],
)
def test_open_to_needs_a_labour_agreement_in_force_for_agreement_only_permits(agreement_type, status, expected):
    published = PublicationStatus.PUBLISHED
    PermitCategoryFactory(code="de-open", publication_status=published)
    PermitCategoryFactory(code="de-needs-agreement", agreement_required=True, publication_status=published)
    PermitCategoryFactory(code="de-closed", publication_status=published).closed_to.set(["MA"])
    PermitCategoryFactory(code="de-tunisians-only", publication_status=published).open_to.set(["TN"])
    if agreement_type:
        AgreementFactory(type=agreement_type, status=status, parties=["MA", "DE"], publication_status=published)
    AgreementFactory(type="bla", parties=["TN", "DE"], publication_status=published)  # another pair's agreement
    codes = set(PermitCategory.objects.open_to("MA", on=DAY).values_list("code", flat=True))
    assert codes == expected
    annotated = PermitCategory.objects.with_open_to("MA", on=DAY)
    assert {permit.code for permit in annotated if permit.is_open_to_nationality} == expected
