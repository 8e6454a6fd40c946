"""What the hub could not confirm, in the page's language: the hub's translations of a row's `unknown`
list are marked as such, with the English original one click away, and flagged when it changes."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.models import TextTranslation
from permits.models import PermitCategory
from submissions.services import document_import

pytestmark = pytest.mark.django_db

SOURCE = {"key": "fr-unknown-source", "title": "Code du travail", "original_language": "fr",
          "url": "https://example.org/code", "last_verified": "2026-01-01"}  # fmt: skip
PERMIT = {
    "code": "fr-unknown-permit",
    "name": "Work permit",
    "purpose": "work",
    "sources": ["fr-unknown-source"],
    "last_verified": "2026-01-01",
    "unknown": ["processing time: not found", "appeal deadline"],
    "unknown_fr": ["délai de traitement : non trouvé", "délai de recours"],
    "unknown_ar": ["مدة المعالجة: لم يُعثر عليها", "مهلة الطعن"],
    "unknown_de": ["Bearbeitungszeit: nicht gefunden", "Rechtsbehelfsfrist"],
}


def _load(permit=PERMIT):
    document_import(document={"country": "FR", "sources": [SOURCE], "permits": [permit]}, reason="test")
    return PermitCategory.objects.get(code=permit["code"])


def said(language, text):
    with translation.override(language):
        return str(translation.gettext(text))


def unknown_section(client, language):
    with translation.override(language):
        url = reverse("permits:permit", args=[PERMIT["code"]])
    html = client.get(url).content.decode()
    [section] = re.findall(r'<section aria-labelledby="unknown".*?</section>', html, re.DOTALL)
    return section


def test_the_unknown_list_is_stored_in_each_language_with_its_text_record():
    permit = _load()
    assert permit.unknown_facts_ar == "مدة المعالجة: لم يُعثر عليها\nمهلة الطعن"
    records = TextTranslation.objects.filter(content_type__model="permitcategory", object_id=permit.pk)
    kinds = records.filter(field="unknown_facts").values_list("language", "kind")
    assert sorted(kinds) == [("ar", "hub"), ("de", "hub"), ("fr", "hub")]


@pytest.mark.parametrize("language", ["fr", "ar", "de"])
def test_the_permit_page_shows_what_is_unknown_in_its_language_as_the_hubs_translation(client, language):
    _load()
    section = unknown_section(client, language)
    shown = section.split("<details")[0]
    for item in PERMIT[f"unknown_{language}"]:
        assert item in shown
    assert "processing time: not found" not in shown  # the English only behind the <details>
    assert said(language, "(the hub's translation)") in section
    assert '<div lang="en" dir="ltr"><p>processing time: not found<br>appeal deadline</p></div>' in section
    assert said(language, "(in English)") in section


def test_a_changed_english_list_says_its_translations_may_be_out_of_date(client):
    _load()
    _load({**PERMIT, "unknown": ["processing time: not found", "appeal deadline", "fees"]})
    section = unknown_section(client, "ar")
    assert said("ar", "translation may be out of date") in section
    assert "مهلة الطعن" in section.split("<details")[0]  # the translation stays, flagged
    assert "fees" in section.split("<details")[1]  # the original shown is the current one


def test_without_a_translation_the_english_list_is_marked_as_english(client):
    _load({key: value for key, value in PERMIT.items() if key != "unknown_ar"})
    section = unknown_section(client, "ar")
    assert '<div dir="auto" lang="en"><p>processing time: not found' in section
    assert said("ar", "(in English)") in section
    assert said("ar", "(the hub's translation)") not in section
