import datetime

import pytest

from core.models import ObjectChange
from recruiters.models import RecruitmentAgency
from recruiters.services import agency_licences_expire
from recruiters.tasks import agency_licences_expire as agency_licences_expire_task
from tests.factories import RecruitmentAgencyFactory

pytestmark = pytest.mark.django_db


def test_licences_past_their_end_expire_once():
    overdue = RecruitmentAgencyFactory(valid_until=datetime.date(2026, 1, 31))
    current = RecruitmentAgencyFactory(valid_until=datetime.date(2026, 2, 1))
    assert agency_licences_expire(today=datetime.date(2026, 2, 1)) == 1
    assert agency_licences_expire(today=datetime.date(2026, 2, 1)) == 0
    overdue.refresh_from_db()
    current.refresh_from_db()
    assert (overdue.status, current.status) == ("expired", "active")
    change = ObjectChange.objects.filter(object_id=str(overdue.pk), action="update").get()
    assert change.changes == {"status": ["active", "expired"]}
    assert change.reason == "licence end date passed"


def test_task_calls_the_service():
    RecruitmentAgencyFactory(valid_until=datetime.date(2000, 1, 1))
    assert agency_licences_expire_task.apply().get() == 1
    assert RecruitmentAgency.objects.get().status == "expired"
