"""What each text is (original, official, the hub's translation, reviewed), kept from every write path."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from core.models import TextTranslation
from core.translations import text_hash, translation_review
from countries.models import LegalSource
from permits.models import PermitCategory, RequiredDocument
from submissions.format import REFERENCE_SHEETS, SHEETS, common_format_schema
from submissions.records import export_row, queryset
from submissions.services import document_import

pytestmark = pytest.mark.django_db
Kind = TextTranslation.Kind

SOURCE = {
    "key": "fr-test-decree",
    "title": "Décret relatif au travail",
    "title_ar": "مرسوم يتعلق بالعمل",
    "title_de": "Dekret über die Arbeit",
    "original_language": "fr",
    "url": "https://example.org/decree",
    "last_verified": "2026-01-01",
}
PERMIT = {
    "code": "fr-test-permit",
    "name": "Work permit",
    "name_fr": "Autorisation de travail",
    "name_ar": "رخصة عمل",
    "description": "A plain description.",
    "description_de": "Eine schlichte Beschreibung.",
    "official_texts": ["name_fr"],
    "purpose": "work",
    "sources": ["fr-test-decree"],
    "last_verified": "2026-01-01",
    "documents": [{"name": "Passport", "name_fr": "Passeport", "original_language": "en"}],
}


def _load(permit=PERMIT, source=SOURCE):
    document_import(document={"country": "FR", "sources": [source], "permits": [permit]}, reason="test")
    return PermitCategory.objects.get(code=permit["code"])


def _texts(obj):
    rows = TextTranslation.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    return {(row.field, row.language): (row.kind, row.out_of_date) for row in rows}


def test_the_loader_records_each_texts_kind_from_the_rows_text_origin():
    permit = _load()
    assert _texts(permit) == {
        ("name", "fr"): (Kind.OFFICIAL, False),
        ("name", "ar"): (Kind.HUB, False),
        ("description", "de"): (Kind.HUB, False),
    }
    source = LegalSource.objects.get(key="fr-test-decree")
    assert _texts(source) == {
        ("title", "fr"): (Kind.ORIGINAL, False),
        ("title", "ar"): (Kind.HUB, False),
        ("title", "de"): (Kind.HUB, False),
    }
    [document] = permit.documents.all()
    assert _texts(document) == {("name", "fr"): (Kind.HUB, False)}


def test_original_language_and_official_texts_round_trip_through_the_export():
    permit = _load()
    row = export_row(SHEETS["permits"], queryset(SHEETS["permits"]).get(pk=permit.pk))
    assert row["original_language"] == "en"
    assert row["official_texts"] == ["name_fr"]
    assert row["documents"][0]["original_language"] == "en"
    source = export_row(REFERENCE_SHEETS["sources"], LegalSource.objects.get(key="fr-test-decree"))
    assert source["original_language"] == "fr"
    assert source["official_texts"] == []
    # Loading the same rows again changes nothing: the export matches what the file says.
    before = TextTranslation.objects.count()
    _load()
    assert TextTranslation.objects.count() == before


def test_the_schema_names_the_two_keys_on_every_section_with_texts():
    defs = common_format_schema(("permits", "agreements", "recruitment_regime", "agencies", "sources", "contacts"))[
        "$defs"
    ]
    for name in ("permits", "documents", "fees", "salary_thresholds", "agreements", "recruitment_regime"):
        assert "original_language" in defs[name]["properties"], name
    assert "original_language" not in defs["agencies"]["properties"]
    assert defs["permits"]["properties"]["original_language"]["enum"] == ["en", "fr", "ar", "de", "nl", "it"]
    assert "name_fr" in defs["permits"]["properties"]["official_texts"]["items"]["enum"]


def test_an_official_text_name_that_is_not_a_translated_column_is_refused():
    from submissions.services import DocumentInvalid

    with pytest.raises(DocumentInvalid) as raised:
        _load({**PERMIT, "official_texts": ["code_fr"]})
    assert raised.value.errors[0]["field"] == "official_texts"


def test_a_changed_original_flags_its_translations_until_they_are_reviewed():
    permit = _load()
    _load({**PERMIT, "name": "Work authorisation"})
    assert _texts(permit)[("name", "ar")] == (Kind.HUB, True)
    assert _texts(permit)[("name", "fr")] == (Kind.OFFICIAL, False)  # an official text is no translation
    assert _texts(permit)[("description", "de")] == (Kind.HUB, False)
    reviewer = get_user_model().objects.create_user("reviewer")
    translations = TextTranslation.objects.filter(object_id=permit.pk, field="name", language="ar")
    assert translation_review(translations=translations, user=reviewer) == 1
    row = translations.get()
    assert (row.kind, row.out_of_date, row.reviewed_by) == (Kind.REVIEWED, False, reviewer)
    assert row.original_hash == text_hash("Work authorisation")
    # A later change of the original flags the reviewed translation again.
    _load({**PERMIT, "name": "Work authorisation (salaried)"})
    assert _texts(permit)[("name", "ar")] == (Kind.REVIEWED, True)


def test_a_translation_written_anew_is_the_hubs_translation_of_the_current_original():
    permit = _load()
    _load({**PERMIT, "name": "Work authorisation"})
    _load({**PERMIT, "name": "Work authorisation", "name_ar": "إذن عمل"})
    assert _texts(permit)[("name", "ar")] == (Kind.HUB, False)


def test_an_admin_save_keeps_the_stored_origin_and_flags_changed_originals():
    permit = _load()
    permit = PermitCategory.objects.get(pk=permit.pk)  # as the admin reads it: no origin given
    permit.description_en = "Another description."
    permit.save()
    texts = _texts(permit)
    assert texts[("description", "de")] == (Kind.HUB, True)
    assert texts[("name", "fr")] == (Kind.OFFICIAL, False)
    permit.description_de = ""
    permit.save()
    assert ("description", "de") not in _texts(permit)


def test_deleting_a_row_deletes_its_texts():
    permit = _load()
    [document] = permit.documents.all()
    pk = document.pk
    RequiredDocument.objects.filter(pk=pk).delete()  # a queryset delete sends post_delete too
    assert not TextTranslation.objects.filter(
        content_type=ContentType.objects.get_for_model(RequiredDocument), object_id=pk
    ).exists()


# -- the admin: out-of-date translations of one's own countries, and the review action ------------------


def _permit_of(country, code):
    document_import(
        document={
            "country": country,
            "sources": [{**SOURCE, "key": f"{code}-source", "country": country}],
            "permits": [{**PERMIT, "code": code, "sources": [f"{code}-source"], "documents": []}],
        },
        reason="test",
    )
    permit = PermitCategory.objects.get(code=code)
    permit.name_en = "Changed name"
    permit.save()  # the Arabic name may now be out of date
    return permit


@pytest.fixture
def two_countries_out_of_date():
    return _permit_of("MA", "ma-out-of-date"), _permit_of("TN", "tn-out-of-date")


def _listed(client):
    from django.urls import reverse

    response = client.get(reverse("admin:core_texttranslation_changelist"))
    assert response.status_code == 200
    return {(row.object_id, row.field, row.language) for row in response.context["cl"].result_list}


def test_a_focal_point_lists_the_out_of_date_translations_of_their_own_countries(
    client, focal_point_ma, two_countries_out_of_date
):
    moroccan, _tunisian = two_countries_out_of_date
    client.force_login(focal_point_ma)
    assert _listed(client) == {(moroccan.pk, "name", "ar")}


def test_a_hub_editor_lists_every_countrys_out_of_date_translations(client, hub_editor, two_countries_out_of_date):
    moroccan, tunisian = two_countries_out_of_date
    client.force_login(hub_editor)
    assert _listed(client) == {(moroccan.pk, "name", "ar"), (tunisian.pk, "name", "ar")}


def test_marking_reviewed_in_the_admin_clears_the_flag_only_for_own_rows(
    client, focal_point_ma, two_countries_out_of_date
):
    from django.urls import reverse

    moroccan, tunisian = two_countries_out_of_date
    client.force_login(focal_point_ma)
    every = TextTranslation.objects.filter(out_of_date=True)
    response = client.post(
        reverse("admin:core_texttranslation_changelist"),
        {"action": "mark_reviewed", "_selected_action": [str(pk) for pk in every.values_list("pk", flat=True)]},
    )
    assert response.status_code == 302
    assert _texts(moroccan)[("name", "ar")] == (Kind.REVIEWED, False)
    assert _texts(tunisian)[("name", "ar")] == (Kind.HUB, True)  # not theirs: untouched
    row = TextTranslation.objects.get(object_id=moroccan.pk, field="name", language="ar")
    assert row.reviewed_by == focal_point_ma and row.reviewed_at is not None
    assert _listed(client) == set()


def test_a_focal_point_cannot_open_another_countrys_translation(client, focal_point_ma, two_countries_out_of_date):
    from django.urls import reverse

    _moroccan, tunisian = two_countries_out_of_date
    row = TextTranslation.objects.get(object_id=tunisian.pk, field="name", language="ar")
    client.force_login(focal_point_ma)
    response = client.get(reverse("admin:core_texttranslation_change", args=[row.pk]))
    assert response.status_code == 302  # outside their queryset: back to the index
    own = TextTranslation.objects.get(object_id=two_countries_out_of_date[0].pk, field="name", language="ar")
    response = client.get(reverse("admin:core_texttranslation_change", args=[own.pk]))
    assert response.status_code == 200
    assert "Changed name" in response.content.decode()  # the original, beside the translation


def test_the_admin_list_reads_in_a_fixed_number_of_queries(client, hub_editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client.force_login(hub_editor)
    url = reverse("admin:core_texttranslation_changelist") + "?out_of_date=all"
    client.get(url)  # the first request of a session reads the user's permissions and content types
    counts = []
    for index in range(2):
        for more in range(1 + 3 * index):
            _permit_of("MA", f"ma-count-{index}-{more}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append((len(queries), len(response.context["cl"].result_list)))
    (first, rows_first), (second, rows_second) = counts
    assert rows_second > rows_first
    assert second == first  # the same queries for 1 permit's translations as for 5


def test_a_replaced_document_keeps_its_review_and_is_flagged_when_its_original_changed():
    permit = _load()
    [document] = permit.documents.all()
    reviewer = get_user_model().objects.create_user("reviewer")
    translation_review(translations=TextTranslation.objects.filter(object_id=document.pk, field="name"), user=reviewer)
    # The pipeline replaces the documents: the same French text comes back on a new row.
    _load({**PERMIT, "documents": [{**PERMIT["documents"][0], "name": "Valid passport"}]})
    [document] = permit.documents.all()
    assert _texts(document) == {("name", "fr"): (Kind.REVIEWED, True)}
    # A document whose translation was written anew is a fresh hub translation.
    _load(
        {**PERMIT, "documents": [{**PERMIT["documents"][0], "name": "Valid passport", "name_fr": "Passeport valide"}]}
    )
    [document] = permit.documents.all()
    assert _texts(document) == {("name", "fr"): (Kind.HUB, False)}
