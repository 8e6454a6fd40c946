"""Every public endpoint through the generic contract (tests/api/base.py), plus what is particular to each."""

import datetime
import itertools

import pytest

from core.fields import PublicationStatus
from core.models import ObjectChange
from countries.models import Corridor, Country
from permits.models import IscoGroup, QualificationRecognition, SalaryThreshold, VisaRequirement
from recruiters.models import EnforcementAction, RecruitmentAgency
from tests.api.base import EndpointContract, PublishedOnlyContract, assert_not_found
from tests.factories import (
    AgreementFactory,
    ContactPointFactory,
    FeeFactory,
    LegalSourceFactory,
    PermitCategoryFactory,
    RecruitmentAgencyFactory,
    RecruitmentRegimeFactory,
    RequiredDocumentFactory,
)

PUBLISHED = PublicationStatus.PUBLISHED


def published_permit(**kwargs):
    source = LegalSourceFactory(country_id=kwargs.get("country_id", "DE"))
    permit = PermitCategoryFactory(publication_status=PUBLISHED, legal_sources=[source], **kwargs)
    permit.occupations.set(["2221", "22"])
    permit.open_to.set(["MA", "TN"])
    permit.closed_to.set(["EG"])
    RequiredDocumentFactory(permit=permit)
    RequiredDocumentFactory(permit=permit, name="Contract")
    FeeFactory(permit=permit)
    threshold = SalaryThreshold.objects.create(permit=permit, amount="48300", currency="EUR", period="year")
    threshold.legal_sources.set([source])
    return permit


class TestPermits(PublishedOnlyContract):
    url = "/api/v1/permits/"
    key_field = "code"
    absent_key = "no-such-permit"
    # throttle-free: version, count, page, contact point joined, then 8 prefetches (occupations, open_to,
    # closed_to, sectors, documents, fees, thresholds, their sources, legal sources)
    list_queries = 12
    filter_cases = (
        ({"destination": "FR"}, lambda rows: [rows[0].code]),
        ({"nationality": "EG"}, lambda rows: []),
        ({"occupation": "2221", "purpose": "work"}, lambda rows: [row.code for row in rows]),
        ({"search": "unique-name"}, lambda rows: [rows[1].code]),
    )
    bad_filters = ({"destination": "XX"}, {"purpose": "tourism"}, {"occupation": "0000"}, {"max_fee": "cheap"})

    def make(self, count):
        rows = [published_permit() for _ in range(count)]
        if count >= 3:
            rows[0].country_id = "FR"
            rows[0].save()
            rows[1].name = "A unique-name permit"
            rows[1].save()
        return rows

    def make_hidden(self):
        return PermitCategoryFactory(publication_status=PublicationStatus.DRAFT)

    def test_detail_nests_documents_fees_thresholds_and_sources(self, api):
        permit = published_permit()
        body = api.get(f"{self.url}{permit.code}/").json()
        assert [document["name"] for document in body["documents"]] == ["Passport", "Contract"]
        assert body["fees"][0] == {
            "name": "Visa fee",
            "amount": "75.00",
            "currency": "EUR",
            "payer": "unspecified",
            "notes": "",
        }
        assert body["salary_thresholds"][0]["amount"] == "48300.00"
        assert body["salary_thresholds"][0]["legal_sources"] == [permit.legal_sources.get().key]
        assert body["legal_sources"][0]["key"] == permit.legal_sources.get().key
        assert body["occupations"] == ["22", "2221"]
        assert body["open_to"] == ["MA", "TN"]
        assert body["closed_to"] == ["EG"]


class TestAgreements(PublishedOnlyContract):
    url = "/api/v1/agreements/"
    key_field = "key"
    absent_key = "no-such-agreement"
    list_queries = 8
    filter_cases = (
        ({"origin": "TN"}, lambda rows: [rows[0].key]),
        ({"origin": "MA", "destination": "DE"}, lambda rows: [row.key for row in rows[1:]]),
        ({"in_force_on": "2000-01-01"}, lambda rows: [rows[2].key]),
    )
    bad_filters = ({"origin": "QQ"}, {"type": "treaty"}, {"in_force_on": "soon"})

    def make(self, count):
        rows = []
        for index in range(count):
            agreement = AgreementFactory(publication_status=PUBLISHED, parties=["TN", "DE"] if index == 0 else None)
            agreement.sectors.set(["A"])
            agreement.occupations.set(["6111"])
            agreement.intermediaries.set([ContactPointFactory()])
            agreement.legal_sources.set([LegalSourceFactory()])
            if index == 2:
                agreement.in_force_on = datetime.date(1999, 1, 1)
                agreement.save()
            else:
                agreement.in_force_on = datetime.date(2020, 1, 1)
                agreement.save()
            rows.append(agreement)
        return rows

    def make_hidden(self):
        return AgreementFactory(publication_status=PublicationStatus.ARCHIVED)


class TestAgencies(PublishedOnlyContract):
    url = "/api/v1/agencies/"
    # version, page, then 4 prefetches: destinations, sectors, labels, enforcement actions (cursor: no count)
    list_queries = 6
    filter_cases = (
        ({"country": "TN"}, lambda rows: [rows[0].pk]),
        ({"destination": "SA", "sector": "F"}, lambda rows: [row.pk for row in rows]),
        ({"destination": "FR"}, lambda rows: []),
        ({"licence_number": "example-0002"}, lambda rows: []),
    )
    bad_filters = ({"country": "XX"}, {"status": "closed"}, {"sector": "ZZ"})

    def key_of(self, row):
        return str(row.pk)

    def keys(self, response):
        return [str(item["id"]) for item in response.json()["results"]]

    def make(self, count):
        rows = []
        for index in range(count):
            agency = RecruitmentAgencyFactory(publication_status=PUBLISHED, country_id="TN" if index == 0 else "MA")
            agency.destinations.set(["SA", "QA"])
            agency.sectors.set(["F"])
            EnforcementAction.objects.create(agency=agency, date=datetime.date(2025, 1, 1), action="warning")
            rows.append(agency)
        return rows

    def make_hidden(self):
        return RecruitmentAgencyFactory(publication_status=PublicationStatus.DRAFT)

    def test_list_uses_cursor_pagination(self, api):
        self.make(3)
        first = api.get(self.url, {"page_size": 2}).json()
        assert "count" not in first and "cursor=" in first["next"]
        second = api.get(first["next"]).json()
        assert len(first["results"]) == 2 and len(second["results"]) == 1


class TestRecruitmentRegimes(PublishedOnlyContract):
    url = "/api/v1/recruitment-regimes/"
    key_field = "country"
    absent_key = "EG"  # a country, with no regime made
    list_queries = 4
    # make(3): Morocco zero-fee, Tunisia capped, Andorra not regulated.
    filter_cases = (
        ({"country": "TN"}, lambda rows: ["TN"]),
        ({"country": "MA"}, lambda rows: ["MA"]),
        ({"country": "EG"}, lambda rows: []),
        ({"worker_fee_rule": "capped"}, lambda rows: ["TN"]),
        ({"worker_fee_rule": "zero_fee", "country": "TN"}, lambda rows: []),
    )
    bad_filters = ({"country": "XX"}, {"worker_fee_rule": "free"})

    def make(self, count):
        others = Country.objects.exclude(code__in=["MA", "TN"]).order_by("code").values_list("code", flat=True)
        codes = ["MA", "TN", *others[: max(count - 2, 0)]][:count]
        rules = ["zero_fee", "capped"]
        rows = []
        for index, code in enumerate(codes):
            regime = RecruitmentRegimeFactory(
                country_id=code,
                publication_status=PUBLISHED,
                worker_fee_rule=rules[index] if index < len(rules) else "not_regulated",
            )
            regime.legal_sources.set([LegalSourceFactory()])
            rows.append(regime)
        return rows

    def key_of(self, row):
        return row.country_id

    def make_hidden(self):
        return RecruitmentRegimeFactory(country_id="ZW", publication_status=PublicationStatus.DRAFT)


class TestCorridors(EndpointContract):
    url = "/api/v1/corridors/"
    list_queries = 3
    filter_cases = (({"origin": "AD"}, lambda rows: [rows[0].pk]),)
    bad_filters = ({"origin": "XX"}, {"destination": "morocco"})

    def make(self, count):
        codes = Country.objects.exclude(pk="DE").order_by("code").values_list("code", flat=True)[:count]
        return [Corridor.objects.create(origin_id=code, destination_id="DE") for code in codes]


class TestLegalSources(EndpointContract):
    url = "/api/v1/legal-sources/"
    key_field = "key"
    absent_key = "no-such-source"
    list_queries = 3
    filter_cases = (({"country": "TN"}, lambda rows: [rows[0].key]),)
    bad_filters = ({"country": "XX"},)

    def make(self, count):
        return [LegalSourceFactory(country_id="TN" if index == 0 else "MA") for index in range(count)]


class TestCountries(EndpointContract):
    url = "/api/v1/countries/"
    key_field = "code"
    absent_key = "QQ"  # alpha-2 like a country code; ISO 3166 leaves QQ unassigned
    list_queries = 3
    existing_rows = True
    filter_cases = (
        ({"search": "Morocco"}, lambda rows: ["MA"]),
        ({"search": "Allemagne"}, lambda rows: ["DE"]),  # the French name
        ({"search": "Guinea"}, lambda rows: ["GN", "GQ", "GW", "PG"]),
    )
    no_bad_filters = "only search and ordering: any search text is a valid one, and an unknown ordering is ignored"

    def make(self, count):
        return list(Country.objects.order_by("code")[:count])


class TestOccupations(EndpointContract):
    url = "/api/v1/occupations/"
    key_field = "code"
    absent_key = "9999"  # four digits like a unit group; ISCO-08 has none numbered 9999
    list_queries = 4
    existing_rows = True
    filter_cases = (({"parent": "222"}, lambda rows: ["2221", "2222"]),)
    bad_filters = ({"parent": "99"}, {"level": "7"})

    def make(self, count):
        return list(IscoGroup.objects.order_by("code")[:count])

    def test_detail_shows_parent_and_children(self, api):
        body = api.get(f"{self.url}222/").json()
        assert body["parent"] == "22"
        assert body["children"] == ["2221", "2222"]
        assert body["skill_levels"] == [4]


class TestVisaRequirements(EndpointContract):
    url = "/api/v1/visa-requirements/"
    list_queries = 2
    filter_cases = (
        ({"nationality": "MA", "requirement": "visa_free"}, lambda rows: [rows[0].pk]),
        ({"destination": "DE"}, lambda rows: [row.pk for row in rows if row.destination_id == "DE"]),
    )
    bad_filters = ({"nationality": "XX"}, {"requirement": "maybe"})

    def make(self, count):
        codes = list(Country.objects.order_by("code").values_list("code", flat=True))
        pairs = [(a, b) for a, b in itertools.product(["MA", "TN", "EG"], codes) if a != b][:count]
        return [
            VisaRequirement.objects.create(
                nationality_id=nationality,
                destination_id=destination,
                requirement="visa_free" if index == 0 else "visa_required",
                source="test",
                as_of=datetime.date(2025, 1, 1),
            )
            for index, (nationality, destination) in enumerate(pairs)
        ]


class TestQualificationRecognition(EndpointContract):
    url = "/api/v1/qualification-recognition/"
    list_queries = 4
    filter_cases = (({"occupation": "2221"}, lambda rows: [rows[0].pk]),)
    bad_filters = ({"occupation": "12345"}, {"country": "XX"})

    def make(self, count):
        groups = list(IscoGroup.objects.filter(level=4).order_by("code").values_list("code", flat=True))
        groups.remove("2221")
        rows = []
        for index in range(count):
            recognition = QualificationRecognition.objects.create(
                country_id="DE", occupation_id="2221" if index == 0 else groups[index], body=ContactPointFactory()
            )
            recognition.legal_sources.set([LegalSourceFactory()])
            rows.append(recognition)
        return rows


def changes_of(row):
    return ObjectChange.objects.filter(content_type__model=row._meta.model_name, object_id=str(row.pk))


class TestChanges(EndpointContract):
    url = "/api/v1/changes/"
    list_queries = 3
    # The reference data loaded for every test (countries, ISCO-08 groups, ESCO occupations) has its own
    # creations, thousands of them: more than a page of the JSON list, all of them in the CSV download.
    existing_rows = True
    # make(3): the creation of a French permit, of two German ones (the last dated 2100), and a rename of the
    # second. The cases filter the reference data's creations out by model.
    filter_cases = (
        ({"country": "FR", "model": "permits.permitcategory"}, lambda rows: [rows[0].pk]),
        ({"country": "DE", "model": "permits.permitcategory"}, lambda rows: [rows[1].pk, rows[2].pk, rows[3].pk]),
        ({"model": "permits.permitcategory"}, lambda rows: [row.pk for row in rows]),
        ({"action": "update"}, lambda rows: [rows[3].pk]),
        ({"since": "2100-01-01T00:00:00Z"}, lambda rows: [rows[2].pk]),
        ({"model": "recruiters.recruitmentagency"}, lambda rows: []),
    )
    bad_filters = ({"country": "XX"}, {"model": "auth.user"}, {"since": "last week"}, {"action": "rename"})

    def make(self, count):
        permits = [
            PermitCategoryFactory(publication_status=PUBLISHED, country_id="FR" if index == 0 else "DE")
            for index in range(count)
        ]
        rows = [changes_of(permit).get(action="create") for permit in permits]
        if count >= 3:
            ObjectChange.objects.filter(pk=rows[2].pk).update(time=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC))
            permits[1].name = "Renamed permit"
            permits[1].save()
            rows.append(changes_of(permits[1]).get(action="update"))
        return rows

    def test_changes_of_drafts_and_memberships_stay_private(self, api, focal_point_ma):
        draft = PermitCategoryFactory(publication_status=PublicationStatus.DRAFT, code="secret-draft")
        published = PermitCategoryFactory(publication_status=PUBLISHED, code="public-one")
        listed = api.get(self.url, {"page_size": 500}).json()["results"]
        reprs = {item["object_repr"] for item in listed}
        assert str(published) in reprs
        assert str(draft) not in reprs
        assert not [item for item in listed if item["model"] == "countries.countrymembership"]
        assert all("user" not in item for item in listed)
        # The draft's change exists, and its detail URL answers as if it did not.
        draft_change = changes_of(draft).get(action="create")
        assert_not_found(api.get(f"{self.url}{draft_change.pk}/"), draft_change)

    def test_filter_by_country_and_model(self, api):
        PermitCategoryFactory(publication_status=PUBLISHED, country_id="FR", code="fr-permit")
        RecruitmentAgencyFactory(publication_status=PUBLISHED, country_id="TN")
        listed = api.get(self.url, {"country": "FR", "model": "permits.permitcategory"}).json()["results"]
        assert listed and all(item["countries"] == ["FR"] for item in listed)


@pytest.mark.django_db
def test_agency_licence_valid_today_follows_status_and_dates(api):
    valid = RecruitmentAgencyFactory(publication_status=PUBLISHED, valid_until=datetime.date(2999, 1, 1))
    expired = RecruitmentAgencyFactory(publication_status=PUBLISHED, valid_until=datetime.date(2000, 1, 1))
    suspended = RecruitmentAgencyFactory(publication_status=PUBLISHED, status=RecruitmentAgency.Status.SUSPENDED)
    answers = {item["id"]: item["licence_valid_today"] for item in api.get("/api/v1/agencies/").json()["results"]}
    assert answers == {valid.pk: True, expired.pk: False, suspended.pk: False}


def test_numeric_detail_routes_leave_room_for_named_neighbours():
    from django.urls import resolve

    assert resolve("/api/v1/corridors/12/").func.cls.__name__ == "CorridorViewSet"
    assert getattr(resolve("/api/v1/corridors/compare/").func, "cls", None).__name__ != "CorridorViewSet"
