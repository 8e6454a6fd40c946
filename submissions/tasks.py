"""Celery tasks of the pipeline: thin, they take ids and call services.

acks_late with reject_on_worker_lost: a message is acknowledged only when its task finished, so a
killed worker's message is delivered again; the services' status checks make that harmless. The
time limits come from settings (below the broker's visibility timeout).
"""

from celery import shared_task
from django.utils import timezone

from . import selectors, services

OPTIONS = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(bind=True, **OPTIONS)
def submission_validate(self, submission_id):
    services.submission_validate(submission_id=submission_id, task_id=self.request.id or "")


@shared_task(bind=True, **OPTIONS)
def submission_publish(self, submission_id):
    services.submission_publish(submission_id=submission_id, task_id=self.request.id or "")


@shared_task(**OPTIONS)
def submissions_sweep():
    """Every few minutes: enqueue again the submissions stuck in a state (the outbox sweep)."""
    return services.submissions_sweep()


@shared_task(**OPTIONS)
def feeds_pull():
    """Hourly: pull the countries' registered feeds (conditional GET) and submit what changed."""
    return services.feeds_pull()


@shared_task(**OPTIONS)
def stale_data_count():
    """Daily: count the published rows not confirmed for STALE_AFTER_MONTHS months, per country."""
    return selectors.stale_counts(today=timezone.localdate())


@shared_task(**OPTIONS)
def digests_send():
    """Daily: email focal points and hub editors what awaits them."""
    return services.digests_send()
