"""Writes to recruiters."""

import datetime

from django.db import transaction

from core.changelog import change_context

from .models import RecruitmentAgency


def agency_licences_expire(*, today: datetime.date) -> int:
    """Mark active licences whose end date has passed as expired; return how many changed.

    Each agency is saved on its own, so every expiry goes into the change log. Running it twice
    changes nothing the second time.
    """
    expired = 0
    with transaction.atomic(), change_context(reason="licence end date passed"):
        overdue = RecruitmentAgency.objects.select_for_update().filter(
            status=RecruitmentAgency.Status.ACTIVE, valid_until__lt=today
        )
        for agency in overdue:
            agency.status = RecruitmentAgency.Status.EXPIRED
            agency.save(update_fields=["status", "last_updated"])
            expired += 1
    return expired
