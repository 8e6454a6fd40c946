"""A permit's processing time says what it is: a legal deadline, a published usual time, or one step
only, with a note on what it covers (or why none is published) and the provision that sets it. The
permit page and the API show it in the reader's language; the corridor comparison never counts a
figure for one step as the time to a decision."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from core.models import ObjectChange
from guidance.comparison import compare_corridors, comparison_rows
from permits.models import PermitCategory, ProcessingBasis
from submissions.format import SHEETS, common_format_schema
from submissions.parsing import Parsed, json_locations
from submissions.records import export_row
from submissions.services import document_import
from submissions.spreadsheets import template_csv
from submissions.validation import validate_document

pytestmark = pytest.mark.django_db

SOURCES = [
    {"key": "sa-portal-faq", "title": "Frequently asked questions (portal)", "url": "https://example.org/faq",
     "kind": "guidance", "last_verified": "2026-12-04"},
    {"key": "de-ordinance-31a", "title": "Aufenthaltsverordnung", "original_language": "de", "article": "§ 31a",
     "url": "https://example.org/aufenthv", "kind": "legal_text", "last_verified": "2026-12-04"},
]  # fmt: skip
STEP = {
    "code": "sa-step-permit",
    "country": "SA",
    "name": "Domestic worker visa",
    "purpose": "work",
    "sources": ["sa-portal-faq"],
    "last_verified": "2026-12-04",
    "processing_days_min": None,
    "processing_days_max": 1,
    "processing_basis": "step",
    "processing_note": "Only the answer to the visa request on the portal.",
    "processing_note_fr": "Uniquement la réponse à la demande de visa sur le portail.",
    "processing_note_ar": "فقط الرد على طلب التأشيرة على المنصة.",
    "processing_note_de": "Nur die Antwort auf den Visumantrag auf dem Portal.",
    "processing_source": "sa-portal-faq",
    "processing_article": "",
}
LEGAL = {
    "code": "de-legal-permit",
    "country": "DE",
    "name": "Skilled worker",
    "purpose": "work",
    "sources": ["de-ordinance-31a"],
    "last_verified": "2026-12-04",
    "processing_days_max": 42,
    "processing_basis": "legal",
    "processing_note": "Only in the accelerated procedure.",
    "processing_note_fr": "Uniquement dans la procédure accélérée.",
    "processing_note_de": "Nur im beschleunigten Verfahren.",
    "processing_source": "de-ordinance-31a",
    "processing_article": "§ 31a Abs. 2 AufenthV",
}
NONE_PUBLISHED = {
    "code": "de-silent-permit",
    "country": "DE",
    "name": "Seasonal work",
    "purpose": "seasonal",
    "sources": ["de-ordinance-31a"],
    "last_verified": "2026-12-04",
    "processing_note": "The missions publish no processing time.",
    "processing_note_fr": "Les missions ne publient aucun délai de traitement.",
}


def _load(*permits):
    document_import(document={"sources": SOURCES, "permits": list(permits)}, reason="test")


def said(language, text):
    with translation.override(language):
        return str(translation.gettext(text))


def processing_line(client, code, language):
    with translation.override(language):
        url = reverse("permits:permit", args=[code])
    html = client.get(url).content.decode()
    heading = f"<dt>{said(language, 'Processing time')}</dt><dd>"
    start = html.index(heading) + len(heading)
    return html[start : html.index("</dd>", start)]


# -- the format -----------------------------------------------------------------------------------------


def test_the_schema_and_the_templates_carry_the_new_fields():
    properties = common_format_schema()["$defs"]["permits"]["properties"]
    assert properties["processing_basis"]["enum"] == ["", "legal", "published", "step"]
    assert properties["processing_note_ar"]["type"] == "string"
    assert properties["processing_source"]["maxLength"] == 100
    header = next(csv.reader(io.StringIO(template_csv("permits").decode("utf-8-sig"))))
    for column in ("processing_basis", "processing_note", "processing_note_de", "processing_source"):
        assert column in header
    assert header.index("processing_basis") == header.index("processing_days_max") + 1


def test_the_new_fields_round_trip_through_the_format():
    _load(STEP)
    permit = PermitCategory.objects.get(code=STEP["code"])
    assert permit.processing_basis == ProcessingBasis.STEP and permit.processing_source.key == "sa-portal-faq"
    assert permit.processing_note_ar == STEP["processing_note_ar"]
    row = export_row(SHEETS["permits"], permit)
    assert {key: row[key] for key in STEP if key.startswith("processing")} == {
        key: value for key, value in STEP.items() if key.startswith("processing")
    }


def test_an_unknown_basis_is_refused_by_the_schema():
    document = {"sources": SOURCES, "permits": [{**STEP, "processing_basis": "usual"}]}
    parsed = Parsed("json", {"permits": document["permits"]}, json_locations(document, ("permits",)))
    document_import(document={"sources": SOURCES}, reason="test")
    result = validate_document(parsed, country="SA", held_codes=None)
    assert [error["field"] for error in result.errors] == ["processing_basis"]


def test_a_changed_note_is_one_change_of_the_diff_and_of_the_change_log():
    _load(STEP)
    changed = {**STEP, "processing_note_fr": "Réponse à la demande de visa sur le portail, en un jour ouvrable."}
    parsed = Parsed("json", {"permits": [changed]}, json_locations({"permits": [changed]}, ("permits",)))
    [change] = validate_document(parsed, country="SA", held_codes=None).diff["changed"]
    assert change["fields"] == {"processing_note_fr": [STEP["processing_note_fr"], changed["processing_note_fr"]]}
    _load(changed)
    permit = PermitCategory.objects.get(code=STEP["code"])
    update = ObjectChange.objects.filter(object_id=permit.pk, action="update").latest("time")
    assert update.changes["processing_note_fr"] == [STEP["processing_note_fr"], changed["processing_note_fr"]]


# -- the permit page --------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_permit_page_shows_the_figure_with_its_basis_note_and_provision(client, language):
    _load(LEGAL)
    line = processing_line(client, LEGAL["code"], language)
    assert f">{said(language, 'legal deadline')}</span>" in line
    note = LEGAL["processing_note"] if language == "en" else LEGAL["processing_note_fr"]
    assert note in line
    assert 'href="https://example.org/aufenthv"' in line and "§ 31a Abs. 2 AufenthV" in line
    assert said(language, "official source: legal text") in line


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_step_only_figure_is_labelled_as_one_step(client, language):
    _load(STEP)
    line = processing_line(client, STEP["code"], language)
    assert f'<span class="tag processing-step">{said(language, "one step only")}</span>' in line
    note = STEP["processing_note"] if language == "en" else STEP["processing_note_ar"]
    assert note in line
    assert said(language, "legal deadline") not in line


def test_a_figure_of_zero_days_is_shown_not_taken_for_unknown(client):
    _load({**STEP, "processing_days_min": 0, "processing_days_max": 0})
    line = processing_line(client, STEP["code"], "en")
    assert "<strong>0 days</strong>" in line and said("en", "not known") not in line


@pytest.mark.parametrize("language", ["en", "fr"])
def test_without_a_figure_the_page_says_why_none_is_published(client, language):
    _load(NONE_PUBLISHED)
    line = processing_line(client, NONE_PUBLISHED["code"], language)
    note = NONE_PUBLISHED["processing_note"] if language == "en" else NONE_PUBLISHED["processing_note_fr"]
    assert line.startswith(said(language, "No processing time is published:")) and note in line


def test_the_permit_page_costs_no_query_more_for_the_cited_provision(client, django_assert_max_num_queries):
    _load(LEGAL)
    with django_assert_max_num_queries(11):  # as tests/guidance/test_pages.py pins for a permit page
        assert client.get(reverse("permits:permit", args=[LEGAL["code"]])).status_code == 200


def test_the_public_service_description_gives_no_processing_time_for_one_step(client):
    _load(STEP, LEGAL)
    step = client.get(f"/api/v1/permits/{STEP['code']}/cpsv.jsonld").json()
    legal = client.get(f"/api/v1/permits/{LEGAL['code']}/cpsv.jsonld").json()
    assert "cv:processingTime" not in step
    assert legal["cv:processingTime"] == {"@value": "P42D", "@type": "xsd:duration"}


# -- the API ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "note"), [("en", STEP["processing_note"]), ("de", STEP["processing_note_de"])])
def test_the_api_gives_the_basis_the_note_and_the_provision(client, language, note):
    _load(STEP)
    permit = client.get(f"/api/v1/permits/{STEP['code']}/", HTTP_ACCEPT_LANGUAGE=language).json()
    assert permit["processing_basis"] == "step"
    assert permit["processing_note"] == note
    assert permit["processing_source"]["key"] == "sa-portal-faq"
    assert permit["processing_source"]["kind"] == "guidance"
    assert permit["processing_article"] == ""


def test_the_api_list_costs_the_same_queries_with_cited_provisions(
    client, django_assert_num_queries, django_assert_max_num_queries
):
    _load(NONE_PUBLISHED, STEP, LEGAL)
    # The cited provision is joined, not read per row: within tests/api/test_endpoints.py's pinned 12.
    with django_assert_max_num_queries(12) as one:
        assert len(client.get("/api/v1/permits/", {"page_size": 1}).json()["results"]) == 1
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get("/api/v1/permits/", {"page_size": 100}).json()["results"]) == 3


def test_a_step_only_figure_does_not_meet_a_maximum_processing_time(client):
    _load(STEP, LEGAL)
    answer = client.get("/api/v1/permits/", {"max_processing_days": 50}).json()
    assert [row["code"] for row in answer["results"]] == [LEGAL["code"]]


# -- the corridor comparison -----------------------------------------------------------------------------


def test_the_comparison_gives_each_permit_its_figure_and_never_counts_a_step_as_the_total():
    _load(STEP, LEGAL)
    sa, de = compare_corridors([("MA", "SA"), ("MA", "DE")])
    [step] = sa["permits_open"]["permits"]
    assert (step["processing_days_max"], step["processing_basis"]) == (1, "step")
    assert sa["processing_days"] == {"min": None, "max": None, "unknown": 0, "step_only": 1}
    assert de["processing_days"] == {"min": None, "max": 42, "unknown": 0, "step_only": 0}
    rows = {row["fact"]: row for row in comparison_rows([sa, de])}
    assert rows["processing_by_permit"]["MA-SA"] == "sa-step-permit: up to 1 days (step)"
    assert rows["processing_by_permit"]["MA-DE"] == "de-legal-permit: up to 42 days (legal)"


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_comparison_page_shows_the_time_to_visa_per_permit_with_its_basis(client, language):
    _load(STEP, LEGAL)
    with translation.override(language):
        url = reverse("guidance:compare")
    html = client.get(url, {"corridor": ["MA-SA", "MA-DE"]}).content.decode()
    row = html[html.index(f'<th scope="row">{said(language, "Processing time")}</th>') :]
    row = row[: row.index("</tr>")]
    assert f'<span class="tag processing-step">{said(language, "one step only")}</span>' in row
    assert f'<span class="tag processing-legal">{said(language, "legal deadline")}</span>' in row
    # The corridor with only a step-only figure has no time to a decision, and says why.
    sa_cell = row[row.index("<td>") : row.index("</td>")]
    assert sa_cell.startswith(f"<td>{said(language, 'not known')}")
