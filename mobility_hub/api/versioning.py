"""The version of the published data, which keys the API's ETags and its response cache.

One cheap query reads the sum of every country's `data_version` (raised on each publish) and the
id and time of the latest change-log row (every save, admin edit or loader run writes one). Any
write changes one of the two, so a response keyed on them is never served after the data changed.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.utils.dateparse import parse_datetime

from countries.models import Country
from mobility_hub.models import ObjectChange

EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class DataVersion:
    countries: int
    last_change_id: int
    last_change_time: datetime.datetime

    @property
    def token(self) -> str:
        return f"{self.countries}.{self.last_change_id}"


def data_version_current() -> DataVersion:
    """The data version as the database sees it now (one query)."""
    country_table = connection.ops.quote_name(Country._meta.db_table)
    change_table = connection.ops.quote_name(ObjectChange._meta.db_table)
    # Raw SQL: three scalar subqueries in one round trip; only table names are interpolated.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COALESCE(SUM(data_version), 0) FROM {country_table}),"
            f" (SELECT MAX(id) FROM {change_table}), (SELECT MAX(time) FROM {change_table})"
        )
        countries, last_id, last_time = cursor.fetchone()
    if isinstance(last_time, str):  # SQLite returns the text it stored
        last_time = parse_datetime(last_time)
    if last_time is not None and last_time.tzinfo is None:
        last_time = last_time.replace(tzinfo=datetime.UTC)
    return DataVersion(countries=int(countries or 0), last_change_id=last_id or 0, last_change_time=last_time or EPOCH)
