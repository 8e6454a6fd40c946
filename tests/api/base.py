"""Generic tests every public list/detail endpoint must pass; each endpoint's test class fills in the blanks.

A subclass names its URL, how to make published rows (`make`) and, for rows with a publication
status (PublishedOnlyContract), a hidden one (`make_hidden`), the key of a row in its detail URL and in its
JSON, a key well-formed for the detail route that no row has (`absent_key`), the number of queries a list
costs (pinned, the same for 1 row and 100), and filter cases. An empty list of filter cases fails the
generic test, unless the subclass says why the endpoint has none (`no_filter_cases`, `no_bad_filters`).
"""

import csv
import io

import pytest
from django.urls import resolve


def not_found_body(row):
    """What a detail URL answers for a row it does not have: the view's 404, in JSON, not the router's page."""
    return {"detail": f"No {type(row).__name__} matches the given query."}


def assert_not_found(response, row):
    assert response.status_code == 404, response.content
    assert response["Content-Type"] == "application/json", response["Content-Type"]
    assert response.json() == not_found_body(row)


@pytest.mark.django_db
class EndpointContract:
    url: str
    key_field: str = "id"
    list_queries: int
    # (query parameters, a function of the made rows giving the keys expected) for filters that narrow
    filter_cases: tuple = ()
    # query parameters with an unknown value: each must answer 400 naming the parameter
    bad_filters: tuple = ()
    # Why the endpoint has no filters of that kind (a sentence); without it an empty list above fails.
    no_filter_cases: str = ""
    no_bad_filters: str = ""
    # Well-formed for the detail route (numeric ids: digits) and held by no row. 2**31 - 1: no test
    # database's sequence gets there.
    absent_key: str = "2147483647"
    existing_rows = False  # reference data loaded for every test (countries, ISCO): nothing to make

    def make(self, count):
        raise NotImplementedError

    def key_of(self, row):
        return str(getattr(row, self.key_field if self.key_field != "id" else "pk"))

    def keys(self, response):
        return [str(item[self.key_field]) for item in response.json()["results"]]

    def test_list_answers_published_rows(self, api):
        rows = self.make(3)
        response = api.get(self.url, {"page_size": 500})
        assert response.status_code == 200, response.content
        listed = self.keys(response)
        for row in rows:
            assert self.key_of(row) in listed

    def test_detail_answers_one_row(self, api):
        row = self.make(1)[0]
        response = api.get(f"{self.url}{self.key_of(row)}/")
        assert response.status_code == 200, response.content
        assert str(response.json()[self.key_field]) == self.key_of(row)

    def test_absent_detail_is_the_views_404(self, api):
        rows = self.make(3)
        assert self.absent_key not in {self.key_of(row) for row in rows}
        assert_not_found(api.get(f"{self.url}{self.absent_key}/"), rows[0])

    def test_list_costs_the_same_queries_for_1_row_and_100(self, api, django_assert_num_queries):
        self.make(100)
        with django_assert_num_queries(self.list_queries):
            one = api.get(self.url, {"page_size": 1})
        with django_assert_num_queries(self.list_queries):
            hundred = api.get(self.url, {"page_size": 100})
        assert len(one.json()["results"]) == 1
        assert len(hundred.json()["results"]) == 100

    def assert_declared_without(self, cases, reason, *, has_them):
        """An empty case list passes only with a stated reason, and only while the view indeed has no such filters."""
        name, view = type(self).__name__, resolve(self.url).func.cls
        assert reason, f"{name} has no {cases}: add some, or say in its class why the endpoint has none"
        assert not has_them(view), f"{view.__name__} has them, yet {name} says: {reason}"

    def test_filters_narrow_the_list(self, api):
        if not self.filter_cases:
            self.assert_declared_without(
                "filter_cases",
                self.no_filter_cases,
                has_them=lambda view: getattr(view, "filterset_class", None) or getattr(view, "search_fields", None),
            )
            return
        rows = self.make(3)
        for params, expected in self.filter_cases:
            response = api.get(self.url, {**params, "page_size": 500})
            assert response.status_code == 200, (params, response.content)
            assert sorted(self.keys(response)) == sorted(str(key) for key in expected(rows)), params

    def test_unknown_filter_values_answer_400(self, api):
        if not self.bad_filters:
            self.assert_declared_without(
                "bad_filters", self.no_bad_filters, has_them=lambda view: getattr(view, "filterset_class", None)
            )
            return
        for params in self.bad_filters:
            response = api.get(self.url, params)
            assert response.status_code == 400, (params, response.content)
            assert set(params) & set(response.json()), response.json()

    def test_csv_download_has_the_same_rows(self, api):
        self.make(3)
        json_keys = self.keys(api.get(self.url, {"page_size": 500}))
        response = api.get(self.url, {"format": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        if not self.existing_rows:
            assert sorted(row[self.key_field] for row in rows) == sorted(json_keys)
        else:
            assert set(json_keys) <= {row[self.key_field] for row in rows}


class PublishedOnlyContract(EndpointContract):
    """For rows with a publication status: drafts and archived rows stay out of the API."""

    def make_hidden(self):
        raise NotImplementedError

    def test_unpublished_rows_are_hidden(self, api):
        hidden = self.make_hidden()
        assert self.key_of(hidden) not in self.keys(api.get(self.url, {"page_size": 500}))
        # The row exists: the 404 comes from the published-only queryset, not from a missing row.
        assert type(hidden)._base_manager.filter(pk=hidden.pk).exists()
        assert_not_found(api.get(f"{self.url}{self.key_of(hidden)}/"), hidden)
