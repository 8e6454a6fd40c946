"""When a confirmed fact counts as possibly out of date: one rule for the public pages ("last
verified … may be out of date"), the admin's filter, the dashboard and the digests.

Staleness is computed when asked, not stored: it changes with the calendar alone, and a stored flag
would need a write to every row each night.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

# The field that says when a row's facts were last confirmed.
VERIFIED_FIELDS = ("last_verified", "last_confirmed")


def verified_field(model):
    """The name of `model`'s field that says when its facts were last confirmed, or None."""
    names = {field.name for field in model._meta.fields}
    return next((name for name in VERIFIED_FIELDS if name in names), None)


def months_before(day, months):
    """The same day `months` months earlier, clamped to the end of a shorter month (31 March minus
    one month is 28 or 29 February)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def stale_before(today=None):
    """The day before which a last-verified date counts as possibly out of date."""
    return months_before(today or timezone.localdate(), settings.STALE_AFTER_MONTHS)


def is_stale(day, today=None):
    """True when a last-verified date is missing or older than settings.STALE_AFTER_MONTHS."""
    return not day or day < stale_before(today)


def stale_condition(date_field, today=None):
    """The rows whose `date_field` is missing or older than the limit, as a filter."""
    return Q(**{f"{date_field}__isnull": True}) | Q(**{f"{date_field}__lt": stale_before(today)})
