"""The corridor comparison page: the engine's figures side by side, server-drawn charts, CSV link, odd input."""

import pytest

from core.fields import PublicationStatus
from core.text import route_text
from countries.models import Corridor
from tests.factories import FeeFactory, PermitCategoryFactory

pytestmark = pytest.mark.django_db

PAGE = "/en/compare/"


@pytest.fixture
def two_corridors(corridor_data):
    Corridor.objects.create(origin_id="TN", destination_id="FR")
    french = PermitCategoryFactory(
        country_id="FR",
        code="fr-salarie",
        name="Salaried worker",
        publication_status=PublicationStatus.PUBLISHED,
        processing_days_min=20,
        processing_days_max=90,
    )
    FeeFactory(permit=french, name="Stamp duty", amount="225.00", currency="EUR", payer="worker")
    corridor_data["permit"].processing_days_max = 60
    corridor_data["permit"].save()
    return corridor_data


def test_form_offers_the_known_corridors(client, two_corridors):
    html = client.get(PAGE).content.decode()
    assert '<option value="MA-DE">' in html and '<option value="TN-FR">' in html
    assert 'id="side-by-side"' not in html


def test_two_corridors_side_by_side(client, two_corridors):
    html = client.get(PAGE, {"corridor": ["MA-DE", "TN-FR"]}).content.decode()
    assert 'href="/en/corridors/MA-DE/"' in html and 'href="/en/corridors/TN-FR/"' in html
    assert 'href="/en/permits/de-skilled/"' in html and 'href="/en/permits/fr-salarie/"' in html
    assert '<span class="amount"><bdi>225.00</bdi> <bdi>EUR</bdi></span>' in html
    assert "no fee may be charged to workers" in html  # Morocco's rule for MA-DE
    assert "Germany–Morocco social security" in html


def test_charts_are_inline_svg_with_text_alternatives(client, two_corridors):
    html = client.get(PAGE, {"corridor": ["MA-DE", "TN-FR"]}).content.decode()
    assert html.count('<svg class="chart" role="img"') == 2  # no Schengen figures loaded: no third chart
    processing = html[html.index("Longest processing time (days)") :]
    ma_de, tn_fr = route_text("MA", "DE", rtl=False), route_text("TN", "FR", rtl=False)
    assert f"{ma_de}: 60; {tn_fr}: 90" in processing[: processing.index("</svg>")]
    assert "<script" not in html


def test_csv_export_link_points_at_the_api(client, two_corridors):
    html = client.get(PAGE, {"corridor": ["MA-DE", "TN-FR"]}).content.decode()
    assert 'href="/api/v1/corridors/compare/?corridors=MA-DE%2CTN-FR&amp;format=csv"' in html


@pytest.mark.parametrize(
    "corridors",
    [
        ["MA-DE"],
        ["MA-DE", "MA-DE"],
        ["MA-DE", "\x00"],
        ["MA-DE", "QQ-DE"],
        ["MA-DE", "x" * 500],
        ["A", "B", "C", "D", "E"],
    ],
)
def test_bad_choices_are_explained_not_crashed(client, two_corridors, corridors):
    response = client.get(PAGE, {"corridor": corridors})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error" role="alert"' in html
    assert 'id="side-by-side"' not in html


def test_page_in_arabic_is_translated(client, two_corridors):
    html = client.get("/ar/compare/", {"corridor": ["MA-DE", "TN-FR"]}).content.decode()
    assert 'dir="rtl"' in html and "قارن" in html


def test_query_count_does_not_grow_with_corridors(client, two_corridors, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        assert client.get(PAGE, {"corridor": ["MA-DE", "TN-FR"]}).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(PAGE, {"corridor": ["MA-DE", "TN-FR", "MA-FR", "TN-DE"]}).status_code == 200
