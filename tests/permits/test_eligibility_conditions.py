"""The conditions of a permit as data, through the common format: provisions, language alternatives,
threshold applicability. A focal point's file carries them in, the export gives them back unchanged."""

import pytest

from permits.models import LanguageRequirement, PermitCategory
from submissions.format import SHEETS, common_format_schema
from submissions.records import export_row, queryset
from submissions.services import DocumentInvalid, document_import

pytestmark = pytest.mark.django_db

SOURCE = {
    "key": "de-test-law",
    "title": "Test law",
    "article": "§ 1",
    "url": "https://example.org/law",
    "last_verified": "2026-01-01",
}
PERMIT = {
    "code": "de-test-card",
    "name": "Test card",
    "purpose": "highly_skilled",
    "qualification": "tertiary",
    "recognition_required": True,
    "recognition_accepts_comparable": True,
    "recognition_source": "de-test-law",
    "recognition_article": "§ 1 Abs. 2 Nr. 4",
    "job_offer_required": True,
    "job_offer_source": "de-test-law",
    "job_offer_article": "§ 1 Abs. 2 Nr. 1",
    "language_level": "A1",
    "language_requirements": [
        {"language": "de", "level": "A1", "source": "de-test-law", "article": "§ 2 Abs. 4"},
        {"language": "en", "level": "B2", "source": "de-test-law", "article": "§ 2 Abs. 4"},
    ],
    "salary_thresholds": [
        {
            "amount": "50700.00",
            "currency": "EUR",
            "period": "year",
            "article": "§ 3 Abs. 1 Satz 1",
            "sources": ["de-test-law"],
        },
        {
            "amount": "45934.20",
            "currency": "EUR",
            "period": "year",
            "reduced": True,
            "isco_groups": ["25", "221"],
            "new_entrants_within_years": 3,
            "article": "§ 3 Abs. 1 Satz 2",
            "exception_possible": False,
            "sources": ["de-test-law"],
        },
    ],
    "sources": ["de-test-law"],
    "last_verified": "2026-01-01",
}


FRENCH = {"language": "fr", "level": "B1", "source": "de-test-law", "article": "§ 2 Abs. 5"}


def test_the_schema_publishes_the_new_fields():
    definitions = common_format_schema()["$defs"]
    assert {"recognition_accepts_comparable", "qualification_source", "language_article"} <= set(
        definitions["permits"]["properties"]
    )
    assert {"employer_abroad_required", "sectors", "purpose_source", "purpose_article"} <= set(
        definitions["permits"]["properties"]
    )
    assert {"isco_groups", "new_entrants_within_years", "article", "exception_possible", "region", "below_age"} <= set(
        definitions["salary_thresholds"]["properties"]
    )
    assert definitions["salary_thresholds"]["properties"]["region"]["enum"] == ["", "BE-BRU", "BE-VLG", "BE-WAL"]
    assert definitions["language_requirements"]["required"] == ["language", "level"]


def test_a_file_carries_the_conditions_in_and_the_export_gives_them_back():
    document_import(document={"country": "DE", "sources": [SOURCE], "permits": [PERMIT]}, reason="test")
    permit = PermitCategory.objects.get(code="de-test-card")
    assert (permit.job_offer_source.key, permit.job_offer_article) == ("de-test-law", "§ 1 Abs. 2 Nr. 1")
    assert [(item.language, item.level) for item in permit.language_requirements.all()] == [("de", "A1"), ("en", "B2")]
    reduced = permit.salary_thresholds.get(reduced=True)
    assert sorted(reduced.occupations.values_list("code", flat=True)) == ["221", "25"]
    exported = export_row(SHEETS["permits"], queryset(SHEETS["permits"]).get(code="de-test-card"))
    assert exported["recognition_accepts_comparable"] is True
    assert exported["language_requirements"] == PERMIT["language_requirements"]
    exported_reduced = next(item for item in exported["salary_thresholds"] if item["reduced"])
    assert exported_reduced["isco_groups"] == ["221", "25"]
    assert exported_reduced["new_entrants_within_years"] == 3


def test_exporting_children_costs_no_query_per_row(django_assert_num_queries):
    more = {**PERMIT, "code": "de-test-card-2", "language_requirements": [*PERMIT["language_requirements"], FRENCH]}
    document_import(document={"country": "DE", "sources": [SOURCE], "permits": [PERMIT, more]}, reason="test")
    # The same queries for one permit as for two with more children: their references (and the text
    # origins of the permits and their children) are prefetched.
    for codes in (["de-test-card"], ["de-test-card", "de-test-card-2"]):
        with django_assert_num_queries(15):
            for permit in queryset(SHEETS["permits"]).filter(code__in=codes):
                export_row(SHEETS["permits"], permit)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"language_requirements": [{"language": "xx", "level": "A1"}]}, "language"),
        ({"language_requirements": [{"language": "de", "level": "none"}]}, "level"),
        ({"job_offer_source": "no-such-source"}, "job_offer_source"),
    ],
)
def test_a_bad_condition_is_a_row_error(change, field):
    with pytest.raises(DocumentInvalid) as raised:
        document_import(document={"country": "DE", "sources": [SOURCE], "permits": [{**PERMIT, **change}]}, reason="t")
    assert any(field in str(error.get("field", "")) for error in raised.value.errors), raised.value.errors
    assert not LanguageRequirement.objects.exists()
