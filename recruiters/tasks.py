from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(acks_late=True)
def agency_licences_expire():
    """Daily: licences past their end date become expired (idempotent)."""
    return services.agency_licences_expire(today=timezone.localdate())
