"""The JSON Schema of the common format, and the fast row check that must agree with it."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from submissions.format import REFERENCE_SECTIONS, SECTIONS, common_format_schema
from submissions.validation import FastRowCheck
from tests.submissions.conftest import agency


def test_schema_is_valid_draft_2020_12_and_versioned():
    schema = common_format_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "urn:mobility-hub:common-format:1.0"


@pytest.mark.parametrize("name", ["MA", "DE", "EG", "agreements_origins"])
def test_demo_data_files_are_valid_documents(name):
    with open(f"demo_data/{name}.json") as handle:
        document = json.load(handle)
    document = {key: value for key, value in document.items() if key in (*SECTIONS, "country")}
    assert list(Draft202012Validator(common_format_schema()).iter_errors(document)) == []


@pytest.mark.parametrize("path", sorted(Path("demo_data").glob("*.json")), ids=lambda path: path.name)
def test_every_demo_data_file_is_a_valid_document_of_the_hub(path):
    """The demo data is loaded through the pipeline: each file, with the sources, contacts and
    corridors only the hub loads, is valid as it is."""
    schema = common_format_schema((*REFERENCE_SECTIONS, *SECTIONS))
    assert list(Draft202012Validator(schema).iter_errors(json.loads(path.read_text()))) == []
    assert not set(REFERENCE_SECTIONS) & set(common_format_schema()["properties"])


ROWS = [
    agency(),
    agency(destinations=["SA", "QA"], sectors=["Q"], valid_from="2025-01-01", status="suspended"),
    agency(destinations="SA"),
    agency(destinations=["SA", "SA"]),
    agency(valid_from=2025),
    agency(valid_from="1/2/2025"),
    agency(status="open"),
    agency(colour="red"),
    {"legal_name": "No number"},
    agency(legal_name=""),
    agency(is_example="yes"),
    agency(enforcement_actions=[{"date": "2025-01-01", "action": "warning"}]),
    agency(enforcement_actions=[{"date": "2025-01-01", "action": "jail"}]),
    agency(enforcement_actions="none"),
    agency(website="ftp://example.org"),
    agency(sources=[1]),
    "not an object",
]


def test_fast_row_check_agrees_with_jsonschema():
    schema = common_format_schema()
    full = Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/agencies"})
    fast = FastRowCheck(schema["$defs"]["agencies"], schema["$defs"])
    for _round in range(2):  # the second round answers from the value cache
        answers = [(fast.is_valid(row), full.is_valid(row)) for row in ROWS]
        assert [f for f, _ in answers] == [j for _, j in answers]
    assert [full.is_valid(row) for row in ROWS[:3]] == [True, True, False]
