"""Celery tasks of guidance: thin, they call the package build."""

from celery import shared_task

from . import datapackage

OPTIONS = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(**OPTIONS)
def datapackage_build():
    """Build the bulk download of the current data version (nothing when it exists: idempotent)."""
    datapackage.schedule_release()
    return datapackage.datapackage_build()["file"]
