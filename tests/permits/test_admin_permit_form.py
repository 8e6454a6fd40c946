"""The permit's admin form as a focal point sees it: a "view on site" link to the public page of a
published permit (none for a draft), its inline rows editable whatever their ids, the other languages
and notes of each row folded in its last cell, and each language typed in its own direction."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.fields import PublicationStatus
from permits.models import RequiredDocument
from tests.factories import (
    AgreementFactory,
    PermitCategoryFactory,
    RecruitmentAgencyFactory,
    RecruitmentRegimeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def focal_point_de(client):
    client.force_login(UserFactory(role="focal_point", countries=["DE"]))
    return client


def change_page(client, instance):
    url = reverse(f"admin:{instance._meta.app_label}_{instance._meta.model_name}_change", args=[instance.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def view_on_site_link(html):
    found = re.search(r'<a href="([^"]+)" class="viewsitelink"', html)
    return found and found.group(1)


def test_published_permit_links_to_its_public_page(focal_point_de):
    permit = PermitCategoryFactory(code="de-skilled", publication_status=PublicationStatus.PUBLISHED)
    link = view_on_site_link(change_page(focal_point_de, permit))
    assert link == "/en/permits/de-skilled/"
    assert focal_point_de.get(link).status_code == 200


def test_draft_permit_has_no_public_page_link(focal_point_de):
    permit = PermitCategoryFactory(code="de-draft", publication_status=PublicationStatus.DRAFT)
    assert view_on_site_link(change_page(focal_point_de, permit)) is None
    assert focal_point_de.get(permit.get_absolute_url()).status_code == 404


def test_agreement_agency_and_regime_link_to_their_public_pages_once_published(client):
    client.force_login(UserFactory(role="focal_point", countries=["MA"]))
    agreement = AgreementFactory(key="ma-de-skills", publication_status=PublicationStatus.PUBLISHED)
    agency = RecruitmentAgencyFactory(licence_number="EXAMPLE-0042", publication_status=PublicationStatus.PUBLISHED)
    draft = AgreementFactory(key="ma-de-draft", publication_status=PublicationStatus.DRAFT)
    assert view_on_site_link(change_page(client, agreement)) == "/en/agreements/ma-de-skills/"
    assert client.get("/en/agreements/ma-de-skills/").status_code == 200
    agency_link = view_on_site_link(change_page(client, agency))
    assert agency_link == "/en/licence-check/?country=MA&amp;licence=EXAMPLE-0042"
    answer = client.get(agency_link.replace("&amp;", "&"))
    assert answer.status_code == 200 and "EXAMPLE-0042" in answer.content.decode()
    assert view_on_site_link(change_page(client, draft)) is None
    regime = RecruitmentRegimeFactory(country_id="MA", publication_status=PublicationStatus.PUBLISHED)
    assert view_on_site_link(change_page(client, regime)) == "/en/countries/MA/#recruiters"
    assert client.get("/en/countries/MA/").status_code == 200


def test_focal_point_edits_documents_of_own_permit_whatever_their_ids(focal_point_de):
    """An inline's rights are asked about its parent: a Belgian document that has the German permit's
    id (pk 15 of both tables) must not make the German permit's documents read-only."""
    permit = PermitCategoryFactory(country_id="DE")
    RequiredDocument.objects.create(pk=permit.pk, permit=PermitCategoryFactory(country_id="BE"), name="Belgian")
    RequiredDocument.objects.create(permit=permit, name="Valid passport", notes="Original and one copy.")
    html = change_page(focal_point_de, permit)
    assert 'name="documents-0-name_en"' in html
    assert 'name="documents-0-DELETE"' in html


def test_document_rows_fold_other_languages_and_notes(focal_point_de):
    permit = PermitCategoryFactory(country_id="DE")
    RequiredDocument.objects.create(permit=permit, name="Valid passport", notes="Original and one copy.")
    html = change_page(focal_point_de, permit)
    documents = html[html.index('id="documents-group"') : html.index('id="fees-group"')]
    header = documents[documents.index("<thead>") : documents.index("</thead>")]
    folded = documents[documents.index('<td class="folded">') : documents.index("</details>")]
    assert "column-name_en" in header and "column-notes_en" not in header and "column-name_fr" not in header
    assert 'name="documents-0-notes_en"' in folded and 'name="documents-0-name_fr"' in folded
    assert 'name="documents-0-name_en"' not in folded
    # Every box is labelled, every header cell says what its column is.
    assert '<label class="visually-hidden" for="id_documents-0-name_en">' in documents
    assert not re.search(r"<th[^>]*>\s*</th>", header)


def test_arabic_admin_shows_arabic_columns_and_types_each_language_in_its_direction(client):
    client.force_login(UserFactory(role="focal_point", countries=["DE"]))
    permit = PermitCategoryFactory(country_id="DE")
    RequiredDocument.objects.create(permit=permit, name="Valid passport")
    client.cookies["django_language"] = "ar"
    html = change_page(client, permit)
    translation.activate("en")
    assert re.search(r'<html lang="ar" dir="rtl">', html)
    inputs = {name: tag for tag, name in re.findall(r'(<(?:input|textarea)[^>]*name="([a-z0-9_-]+)"[^>]*>)', html)}
    for prefix in ("", "documents-0-"):
        assert 'dir="rtl"' in inputs[f"{prefix}name_ar"]
        for language in ("en", "fr", "de"):
            assert 'dir="ltr"' in inputs[f"{prefix}name_{language}"]
    assert 'dir="ltr"' in inputs["official_url"]
    # In the Arabic admin the Arabic name is a column beside the English one; French and German are folded.
    header = html[html.index('id="documents-group"') :]
    header = header[header.index("<thead>") : header.index("</thead>")]
    assert "column-name_ar" in header and "column-name_fr" not in header


def test_permit_list_links_each_published_row_to_its_public_page(focal_point_de):
    PermitCategoryFactory(code="de-skilled", publication_status=PublicationStatus.PUBLISHED)
    PermitCategoryFactory(code="de-draft", publication_status=PublicationStatus.DRAFT)
    html = focal_point_de.get(reverse("admin:permits_permitcategory_changelist")).content.decode()
    assert 'href="/en/permits/de-skilled/"' in html
    assert "/permits/de-draft/" not in html
