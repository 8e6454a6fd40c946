"""Writes to countries and agreements."""

from django.db.models import F

from .models import Country


def country_data_version_bump(*, country_codes):
    """Raise the data version of each country whose published data changed (caches key on it)."""
    Country.objects.filter(pk__in=list(country_codes)).update(data_version=F("data_version") + 1)
