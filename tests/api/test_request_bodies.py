"""JSON request bodies are bounded in size and depth: 400 with a plain message, never a 500."""

import json

import pytest

from core.api.parsers import BoundedJSONParser, json_depth

pytestmark = pytest.mark.django_db
URL = "/api/v1/eligibility/"


def post(api, body):
    return api.post(URL, body, content_type="application/json")


def test_a_body_nested_100000_deep_is_a_400(api):
    # Python's json raised RecursionError here: a 500, in production too.
    response = post(api, "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert response.json()["detail"] == "The JSON body is nested too deeply: at most 32 levels."


def test_nesting_deeper_than_the_limit_is_refused_even_when_json_can_read_it(api):
    deep = {"nationality": "MA", "destination": "DE", "extra": json.loads("[" * 40 + "]" * 40)}
    assert post(api, json.dumps(deep)).status_code == 400


def test_a_body_over_the_size_limit_is_a_400(api):
    body = json.dumps({"nationality": "MA", "destination": "DE", "padding": "x" * BoundedJSONParser.max_bytes})
    response = post(api, body)
    assert response.status_code == 400 and "too large" in response.json()["detail"]


def test_malformed_json_and_nan_are_400(api):
    assert post(api, '{"nationality": ').status_code == 400
    assert post(api, '{"nationality": NaN}').status_code == 400
    assert post(api, b"\xff\xfe").status_code == 400


def test_an_ordinary_body_is_answered(api):
    response = post(api, json.dumps({"nationality": "MA", "destination": "DE"}))
    assert response.status_code == 200 and response.json()["verdicts"] == []


def test_json_depth_counts_containers_without_recursion():
    assert json_depth(1) == 0
    assert json_depth({"a": [1, {"b": []}]}) == 4
    nested = []
    for _ in range(10_000):
        nested = [nested]
    assert json_depth(nested) == 10_001
