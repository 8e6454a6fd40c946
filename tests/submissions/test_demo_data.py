"""The curated demo data and its loader."""

import io
import json
import re
import shutil

import pytest
from django.core.management import CommandError, call_command

from core.fields import PublicationStatus
from core.models import ObjectChange, TextTranslation
from countries.models import Agreement, LegalSource
from permits.models import PermitCategory
from recruiters.models import RecruitmentAgency, RecruitmentRegime

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_loaded():
    run("load_demo_data")


def test_demo_data_covers_the_seed_corridors(demo_loaded):
    assert PermitCategory.objects.count() >= 25
    destinations = set(PermitCategory.objects.values_list("country_id", flat=True))
    assert {"DE", "FR", "BE", "SA", "QA", "AE", "KW"} <= destinations
    assert Agreement.objects.count() >= 10
    assert set(RecruitmentRegime.objects.values_list("country_id", flat=True)) >= {"MA", "TN", "EG"}


def test_every_published_fact_has_a_source_and_a_date(demo_loaded):
    published = PermitCategory.objects.filter(publication_status=PublicationStatus.PUBLISHED)
    assert published.exists()
    for permit in published:
        assert permit.legal_sources.exists(), permit.code
        assert permit.last_verified, permit.code
    for agreement in Agreement.objects.filter(publication_status=PublicationStatus.PUBLISHED):
        assert agreement.legal_sources.exists() and agreement.last_verified, agreement.key


def test_demo_agencies_are_real_entries_with_their_source_and_no_example(demo_loaded):
    # An example in the demo data would answer "valid licence" to a worker for a made-up agency, and
    # make the register of its country look held: examples live in the tests only (tests/factories.py).
    assert not RecruitmentAgency.objects.filter(is_example=True).exists()
    assert not RecruitmentAgency.objects.filter(licence_number__istartswith="EXAMPLE-").exists()
    for agency in RecruitmentAgency.objects.all():
        assert agency.legal_sources.exists(), agency.legal_name


def _rows_with_unknowns(node):
    if isinstance(node, dict):
        if node.get("unknown"):
            yield node
        for value in node.values():
            yield from _rows_with_unknowns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _rows_with_unknowns(value)


def test_every_unknown_list_comes_with_the_hubs_translations_item_by_item(settings):
    """What the hub could not confirm is published in the four languages: each row's `unknown` list
    has unknown_fr, unknown_ar and unknown_de of as many items, none left in English."""
    rows = []
    for path in sorted((settings.BASE_DIR / "demo_data").glob("*.json")):
        rows += [(path.name, row) for row in _rows_with_unknowns(json.loads(path.read_text()))]
    assert len(rows) >= 80
    for name, row in rows:
        assert row.get("original_language", "en") == "en", (name, row["unknown"])  # the hub writes them in English
        for language in ("fr", "ar", "de"):
            translated = row.get(f"unknown_{language}")
            assert translated is not None and len(translated) == len(row["unknown"]), (name, language, row["unknown"])
            assert not set(translated) & set(row["unknown"]), (name, language, translated)


# Sources whose kind their URL, publisher and note do not tell (commercial service sites, an
# encyclopaedia, a press review of the CCME, pages whose publisher is not plain): left unclassified.
UNCLASSIFIED_SOURCES = {
    *("ae-fdl-9-2024-penalties", "be-groups-2024", "be-sodalis-2019", "be-ma-labour-1964-wiki"),
    *("be-ma-labour-1964-ccme", "be-ma-secu-1968-ccme", "ma-tn-etablissement-1964-ccme"),
    *("be-visahq-2026-thresholds", "be-visahq-2026-wallonia-junior", "be-visahq-flanders-2026"),
    *("de-diwan-16a", "de-german-services-18a-18b", "de-khedma-chancenkarte", "de-relocation-blue-card-family"),
    *("de-yourxpert-remonstration", "de-zbs-aufenthaltserlaubnis", "eg-ministry-renaming-2023"),
    *("fr-expat-elan-taxes-2020", "fr-regularisation-sejour-2024", "fr-svp-opposabilite"),
    *("kw-dw-transfer-2024", "kw-labour-complaints-pam", "qa-recruitment-contract-model"),
    *("sa-iqama-medical-qsaudi", "sa-kafeel-2025-summary", "tn-cadre-juridique-eppe"),
}


def test_every_demo_source_has_a_kind_but_those_whose_kind_is_not_plain(settings):
    sources = [
        source
        for path in sorted((settings.BASE_DIR / "demo_data").glob("*.json"))
        for source in json.loads(path.read_text()).get("sources", [])
    ]
    assert len(sources) >= 317
    assert {source["key"] for source in sources if not source.get("kind")} == UNCLASSIFIED_SOURCES
    by_host = {re.match(r"https?://([^/]+)", source["url"]).group(1): source.get("kind", "") for source in sources}
    assert all(kind == LegalSource.Kind.GUIDANCE for host, kind in by_host.items() if host.endswith(".diplo.de"))
    assert by_host["www.agvnord.de"] == LegalSource.Kind.ASSOCIATION  # an employers' association
    assert by_host["normlex.ilo.org"] == LegalSource.Kind.INTERNATIONAL
    assert by_host["uaelegislation.gov.ae"] == LegalSource.Kind.LEGAL_TEXT


def test_the_unknown_lists_are_recorded_as_the_hubs_translations(demo_loaded):
    permit = PermitCategory.objects.get(code="ma-work-contract-visa")
    assert permit.unknown_facts_ar and permit.unknown_facts_ar != permit.unknown_facts_en
    records = TextTranslation.objects.filter(
        content_type__model="permitcategory", object_id=permit.pk, field="unknown_facts"
    )
    assert sorted(records.values_list("language", "kind")) == [("ar", "hub"), ("de", "hub"), ("fr", "hub")]


def test_demo_data_load_is_idempotent(demo_loaded):
    changes = ObjectChange.objects.count()
    run("load_demo_data")
    assert ObjectChange.objects.count() == changes


def test_demo_data_with_errors_changes_nothing(tmp_path, settings):
    folder = tmp_path / "demo"
    shutil.copytree(settings.BASE_DIR / "demo_data", folder)
    broken = {
        "country": "MA",
        "permits": [{"code": "bad", "name": "Bad", "purpose": "work", "min_age": 40, "max_age": 20, "sources": []}],
        "agencies": [{"legal_name": "X", "licence_number": "123", "is_example": True}],
    }
    (folder / "zz_broken.json").write_text(json.dumps(broken))
    with pytest.raises(CommandError) as error:
        run("load_demo_data", str(folder))
    message = str(error.value)
    assert "nothing was changed" in message
    assert "permits[bad] max_age" in message
    assert "EXAMPLE-" in message
    assert PermitCategory.objects.count() == 0


def test_demo_data_rejects_invalid_json(tmp_path):
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(CommandError, match=r"bad\.json is not valid JSON"):
        run("load_demo_data", str(tmp_path))
