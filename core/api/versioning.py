"""The version of the published data, which keys the API's ETags and its response cache.

One cheap query reads the sum of every country's `data_version` (raised on each publish) and the
id and time of the latest change-log row (every save, admin edit or loader run writes one). Any
write changes one of the two, so a response keyed on them is never served after the data changed.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils.dateparse import parse_datetime

from ..models import ObjectChange
from ..text import digits_latin

EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class DataVersion:
    countries: int
    last_change_id: int
    last_change_time: datetime.datetime

    @property
    def token(self) -> str:
        return f"{self.countries}.{self.last_change_id}"


def _version_sql():
    country_model = apps.get_model(settings.HUB_COUNTRY_MODEL)
    country_table = connection.ops.quote_name(country_model._meta.db_table)
    change_table = connection.ops.quote_name(ObjectChange._meta.db_table)
    # Three scalar subqueries in one round trip; only table names are interpolated.
    return (
        f"SELECT (SELECT COALESCE(SUM(data_version), 0) FROM {country_table}),"
        f" (SELECT MAX(id) FROM {change_table}), (SELECT MAX(time) FROM {change_table})"
    )


PREPARED_NAME = "hub_api_data_version"


def _execute_version_query(cursor):
    """Run the version query; on PostgreSQL as a statement prepared once per connection.

    Every API request runs it, and planning costs more than executing it. A prepared statement
    lives as long as its connection (and survives rollbacks); it would not work behind a
    transaction-pooling proxy, which this project does not use.
    """
    if connection.vendor != "postgresql":
        cursor.execute(_version_sql())
        return
    raw = connection.connection
    if getattr(connection, "_hub_version_prepared_on", None) is not raw:
        # On the driver's own cursor: the preparation is set-up, not a query of the request.
        with raw.cursor() as raw_cursor:
            raw_cursor.execute(f"PREPARE {PREPARED_NAME} AS {_version_sql()}")
        connection._hub_version_prepared_on = raw
    cursor.execute(f"EXECUTE {PREPARED_NAME}")


def data_version_current() -> DataVersion:
    """The data version as the database sees it now (one query)."""
    with connection.cursor() as cursor:
        _execute_version_query(cursor)
        countries, last_id, last_time = cursor.fetchone()
    if isinstance(last_time, str):  # SQLite returns the text it stored
        last_time = parse_datetime(last_time)
    if last_time is not None and last_time.tzinfo is None:
        last_time = last_time.replace(tzinfo=datetime.UTC)
    return DataVersion(countries=int(countries or 0), last_change_id=last_id or 0, last_change_time=last_time or EPOCH)


def change_id_of(token: str) -> int | None:
    """The last change-log id a data version token ("countries.last_change_id") stands for, or None
    when the text is not such a token (typed with any digits: "١٢.٣٤٥" is "12.345"). The changes between
    two versions are those after the first token's id, up to the second's."""
    countries, _, last_id = digits_latin(token or "").strip().partition(".")
    if not (countries.isascii() and countries.isdigit() and last_id.isascii() and last_id.isdigit()):
        return None
    return int(last_id)


def changes_between(queryset, after_version="", up_to_version=""):
    """The changes after one data version and up to another (tokens as in X-Data-Version and the
    data packages): what a package has that the one before it had not. A missing or malformed token
    leaves that end open."""
    after, up_to = change_id_of(after_version), change_id_of(up_to_version)
    if after is not None:
        queryset = queryset.filter(id__gt=after)
    if up_to is not None:
        queryset = queryset.filter(id__lte=up_to)
    return queryset
