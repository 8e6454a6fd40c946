"""document_import: a whole document checked as an upload is, applied in one change-logged step."""

import pytest

from core.models import ObjectChange
from countries.models import Country, LegalSource
from permits.models import PermitCategory
from recruiters.models import RecruitmentAgency
from submissions.services import DocumentInvalid, document_import
from tests.submissions.conftest import agency

pytestmark = pytest.mark.django_db

SOURCE = {"key": "ma-test-source", "title": "Test law", "url": "https://example.org/law", "last_verified": "2026-01-01"}
PERMIT = {
    "code": "ma-test-permit",
    "name": "Test permit",
    "purpose": "work",
    "sources": ["ma-test-source"],
    "last_verified": "2026-01-01",
    "documents": [{"name": "Passport"}],
}


def test_a_document_with_its_own_sources_is_applied_change_logged_with_the_data_version(db):
    version = Country.objects.get(pk="MA").data_version
    counts = document_import(document={"country": "MA", "sources": [SOURCE], "permits": [PERMIT]}, reason="test import")
    assert {model._meta.model_name: count for model, count in counts.items()} == {
        "legalsource": 1,
        "permitcategory": 1,
        "requireddocument": 1,
    }
    permit = PermitCategory.objects.published().get(code="ma-test-permit")
    assert [source.key for source in permit.legal_sources.all()] == ["ma-test-source"]
    assert LegalSource.objects.get(key="ma-test-source").country_id == "MA"
    assert ObjectChange.objects.filter(reason="test import").count() >= 3
    assert Country.objects.get(pk="MA").data_version > version


def test_importing_the_same_document_again_changes_nothing(db):
    document = {"country": "MA", "sources": [SOURCE], "permits": [PERMIT], "agencies": [agency()]}
    document_import(document=document, reason="first")
    changes, version = ObjectChange.objects.count(), Country.objects.get(pk="MA").data_version
    document_import(document=document, reason="second")
    assert ObjectChange.objects.count() == changes
    assert Country.objects.get(pk="MA").data_version == version


def test_an_invalid_row_is_reported_and_nothing_is_applied(db):
    bad = {**PERMIT, "code": "ma-bad", "min_age": 40, "max_age": 20}
    with pytest.raises(DocumentInvalid) as raised:
        document_import(document={"country": "MA", "sources": [SOURCE], "permits": [PERMIT, bad]}, reason="test")
    [error] = raised.value.errors
    assert (error["sheet"], error["row"], error["field"]) == ("permits", 2, "max_age")
    assert not LegalSource.objects.filter(key="ma-test-source").exists()
    assert not PermitCategory.objects.exists()


def test_a_focal_point_imports_only_the_countries_they_keep(focal_point_ma):
    with pytest.raises(DocumentInvalid, match="do not keep the data of TN"):
        document_import(
            document={"country": "MA", "agencies": [agency(country="TN")]}, reason="test", user=focal_point_ma
        )
    document_import(document={"country": "MA", "agencies": [agency()]}, reason="test", user=focal_point_ma)
    change = ObjectChange.objects.get(reason="test")
    assert change.user == focal_point_ma
    assert RecruitmentAgency.objects.published().filter(licence_number="EXAMPLE-MA-9001").exists()


def test_a_source_carries_its_kind_and_identifier_and_needs_neither(db):
    gazette = {**SOURCE, "key": "ma-bo", "kind": "gazette", "identifier": "BO n° 5000, 2 May 2002"}
    document_import(document={"country": "MA", "sources": [SOURCE, gazette]}, reason="test import")
    stored = {source.key: source for source in LegalSource.objects.all()}
    assert (stored["ma-bo"].kind, stored["ma-bo"].identifier, stored["ma-bo"].is_official) == (
        "gazette",
        "BO n° 5000, 2 May 2002",
        True,
    )
    assert (stored["ma-test-source"].kind, stored["ma-test-source"].is_official) == ("", False)  # not yet classified


def test_a_source_of_an_unknown_kind_is_refused_with_the_kinds_it_may_have(db):
    with pytest.raises(DocumentInvalid) as raised:
        document_import(document={"country": "MA", "sources": [{**SOURCE, "kind": "blog"}]}, reason="test")
    [error] = raised.value.errors
    assert (error["sheet"], error["field"], error["value"]) == ("sources", "kind", "blog")
    assert error["message"].startswith("Not one of the allowed values:")
    assert all(f" {kind}," in error["message"] for kind in ("legal_text", "gazette", "guidance", "law_firm", "press"))
    assert "'" not in error["message"]  # the values as written, not as Python prints them
    assert not LegalSource.objects.exists()
