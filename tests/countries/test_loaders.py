"""The country loader."""

import io

import pytest
from django.core.management import call_command

from countries.models import Country

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_countries_have_names_in_four_languages():
    assert Country.objects.count() == 250  # 249 of ISO 3166-1, and Kosovo (XK)
    morocco = Country.objects.get(code="MA")
    assert (morocco.name_en, morocco.name_fr, morocco.name_ar, morocco.name_de) == (
        "Morocco",
        "Maroc",
        "المغرب",
        "Marokko",
    )
    assert run("load_countries").endswith("0 created, 0 updated, 250 unchanged.\n")
