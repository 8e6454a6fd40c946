"""Certification labels: loaded as a section only the hub loads, shown with a country's recruiter rules."""

import io
import json
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.fields import PublicationStatus
from recruiters.models import CertificationLabel
from recruiters.selectors import label_list
from tests.factories import RecruitmentRegimeFactory

pytestmark = pytest.mark.django_db

LABELS = {
    "sources": [
        {
            "key": "t-seal-page",
            "country": "DE",
            "title": "Seal page",
            "url": "https://example.org/seal",
            "kind": "guidance",
            "last_verified": "2026-12-07",
        },
    ],
    "certification_labels": [
        {
            "code": "t-seal",
            "country": "DE",
            "name": "Fair recruitment seal",
            "name_ar": "علامة التوظيف العادل",
            "issuer": "Ministry",
            "url": "https://example.org/seal",
            "description": "Free of charge for the nurse.",
            "description_fr": "Gratuit pour l'infirmier.",
            "holders_url": "https://example.org/holders",
            "sources": ["t-seal-page"],
            "last_verified": "2026-12-07",
        },
        {"code": "t-world", "country": None, "name": "World label", "sources": [], "last_verified": "2026-12-07"},
        {"code": "t-other", "country": "FR", "name": "Other country's label", "sources": []},
    ],
}


@pytest.fixture
def labels(tmp_path):
    (tmp_path / "labels.json").write_text(json.dumps(LABELS), encoding="utf-8")
    call_command("load_demo_data", str(tmp_path), stdout=io.StringIO())


def test_labels_load_with_their_country_sources_and_translations(labels):
    seal = CertificationLabel.objects.get(code="t-seal")
    assert (seal.country_id, seal.holders_url) == ("DE", "https://example.org/holders")
    assert [source.key for source in seal.legal_sources.all()] == ["t-seal-page"]
    assert seal.description_fr == "Gratuit pour l'infirmier." and seal.name_ar == "علامة التوظيف العادل"
    assert CertificationLabel.objects.get(code="t-world").country_id is None


def test_a_country_shows_its_own_labels_then_the_international_ones(labels):
    with CaptureQueriesContext(connection) as queries:
        codes = [label.code for label in label_list("DE")]
        for label in label_list("DE"):
            list(label.legal_sources.all())
    assert codes == ["t-seal", "t-world"]
    assert len(queries) == 4  # twice: the labels, and their sources


@pytest.mark.parametrize(
    ("language", "heading", "text"),
    [
        ("en", "Labels an agency can hold", "Free of charge for the nurse."),
        ("fr", "Labels qu'une agence peut détenir", "Gratuit pour l'infirmier."),
        ("ar", "علامات يمكن أن تحملها الوكالة", "علامة التوظيف العادل"),
    ],
)
def test_the_country_page_shows_the_labels_with_the_list_of_holders(client, labels, language, heading, text):
    RecruitmentRegimeFactory(country_id="DE", publication_status=PublicationStatus.PUBLISHED)
    html = unescape(client.get(f"/{language}/countries/DE/").content.decode())
    assert heading in html and text in html
    assert 'href="https://example.org/holders"' in html and "Other country's label" not in html
