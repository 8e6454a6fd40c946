"""Writes of the readers' reports of wrong or missing facts: send one, close one.

A report is filed under the countries of the fact it names, derived from the fact's model's
`country_path` as the change log and the admin scoping do, so it reaches the focal points of those
countries (and the hub editors) and no one else.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from core.querysets import country_paths

from .models import Report


def fact_countries(fact):
    """The codes of the countries `fact` belongs to (its model's `country_path`, one or several lookups)."""
    if fact._meta.label == settings.HUB_COUNTRY_MODEL:
        return [fact.pk]
    codes = set()
    rows = type(fact)._base_manager.filter(pk=fact.pk)
    for path in country_paths(type(fact)):
        codes.update(rows.exclude(**{f"{path}__isnull": True}).values_list(path, flat=True))
    return sorted(codes)


@transaction.atomic
def report_create(*, fact, message, source_url="", email="", language="en", page=""):
    """File a reader's report about `fact` (a saved model instance) under its countries."""
    report = Report(
        content_type=ContentType.objects.get_for_model(fact, for_concrete_model=False),
        object_key=str(fact.pk),
        object_repr=str(fact)[:300],
        page=page[:500],
        message=message.strip(),
        source_url=source_url,
        email=email,
        language=language[:10] or "en",
    )
    report.full_clean()
    report.save()
    report.countries.set(fact_countries(fact))
    return report


@transaction.atomic
def report_close(*, report, status, submission=None):
    """Close `report` as fixed or rejected, erasing the reporter's email (kept only while it is open)."""
    if status not in Report.CLOSED:
        raise ValueError(f"A report is closed as fixed or rejected, not {status!r}.")
    report = Report.objects.select_for_update().get(pk=report.pk)
    report.status = status
    report.email = ""
    report.closed_at = timezone.now()
    if submission is not None:
        report.submission = submission
    report.full_clean()
    report.save()
    return report
