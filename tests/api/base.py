"""Generic tests every public list/detail endpoint must pass; each endpoint's test class fills in the blanks.

A subclass names its URL, how to make published rows (`make`) and, for rows with a publication
status (PublishedOnlyContract), a hidden one (`make_hidden`), the key of a row in its detail URL and in its
JSON, the number of queries a list costs (pinned, the same for 1 row and 100), and filter cases.
"""

import csv
import io

import pytest


@pytest.mark.django_db
class EndpointContract:
    url: str
    key_field: str = "id"
    list_queries: int
    # (query parameters, a function of the made rows giving the keys expected) for filters that narrow
    filter_cases: tuple = ()
    # query parameters with an unknown value: each must answer 400 naming the parameter
    bad_filters: tuple = ()
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

    def test_unknown_detail_is_404(self, api):
        assert api.get(f"{self.url}does-not-exist-0/").status_code == 404

    def test_list_costs_the_same_queries_for_1_row_and_100(self, api, django_assert_num_queries):
        self.make(100)
        with django_assert_num_queries(self.list_queries):
            one = api.get(self.url, {"page_size": 1})
        with django_assert_num_queries(self.list_queries):
            hundred = api.get(self.url, {"page_size": 100})
        assert len(one.json()["results"]) == 1
        assert len(hundred.json()["results"]) == 100

    def test_filters_narrow_the_list(self, api):
        rows = self.make(3)
        for params, expected in self.filter_cases:
            response = api.get(self.url, {**params, "page_size": 500})
            assert response.status_code == 200, (params, response.content)
            assert sorted(self.keys(response)) == sorted(str(key) for key in expected(rows)), params

    def test_unknown_filter_values_answer_400(self, api):
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
        assert api.get(f"{self.url}{self.key_of(hidden)}/").status_code == 404
