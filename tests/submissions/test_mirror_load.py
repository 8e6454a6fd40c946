"""A mirror from a download (issue 23): `manage.py mirror_load` loads a package of the demo data into
an empty hub, which then answers the public API as the first one did, and refuses writes."""

import datetime
import io
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import URLResolver, reverse

from countries.models import Agreement, ContactPoint, Corridor, LegalSource
from guidance import datapackage
from mobility_hub import api_urls
from mobility_hub.api_urls import router
from permits.models import PermitCategory, QualificationRecognition
from recruiters.models import CertificationLabel, RecruitmentAgency, RecruitmentRegime

# What may differ between two hubs' answers, key by key:
LOCAL_KEYS = {
    # Database ids: the mirror numbers the rows it loads itself.
    "id",
    # When a row was written: the mirror wrote its rows when it loaded the package.
    "created",
    "last_updated",
    # A country's data version counts that hub's own publishes: the original's history, the mirror's load.
    "data_version",
}
# The router's lists that cannot answer the same on a mirror, and why. Every other list of the router
# is compared, row by row and with the detail of each row: an endpoint added to it is compared at once.
ROUTER_NOT_COMPARED = {
    # The change log is each hub's own history: the mirror's holds its load, not the original's publishes.
    "change",
}
# Reference data every hub loads itself (load_countries, load_occupations, load_visa_requirements),
# never from a package: it stays when the test empties the hub.
REFERENCE_LISTS = {"country", "occupation", "esco-occupation", "visa-requirement"}
# Each list's details compared: all of them, or as many rows evenly spaced (the occupations are thousands).
DETAILS_PER_LIST = 100
# The other public paths of /api/v1/ (mobility_hub/api_urls.py), each with what is compared: a path
# added there fails test_every_public_api_path_is_compared_or_excluded until it is named here.
OTHER_PATHS_COMPARED = (
    "api-root",
    "api-ping",
    "licence-check",  # each agency's licence, and one unknown
    "api-eligibility",  # each corridor
    "api-corridor-comparison",  # the corridors two by two
    "api-dcat",  # but for the hub's own packages (DCAT_LOCAL_KEYS)
    "api-permit-cpsv",  # each permit
    "api-schema",
    "api-swagger-ui",
    "api-redoc",
    "common-format-schema",
    "common-format-docs",
)
OTHER_PATHS_NOT_COMPARED = {
    # The bulk downloads a hub built from its own data versions: the mirror's are its own (the
    # data version counts its own publishes), and it has built none after a load.
    "api-datapackages",
    "api-datapackage-file",
    # Uploads and their review: not public (a token), and a mirror refuses them (test below).
    "submission-list",
    "submission-detail",
    "submission-report",
    "submission-diff",
    "submission-approve",
    "submission-reject",
}
# In the DCAT-AP description, what describes the hub's own packages (see api-datapackages above).
DCAT_LOCAL_KEYS = {"dcat:distribution", "owl:versionInfo", "dct:modified"}
# Every language the API answers in: translated names follow Accept-Language.
LANGUAGES = ("en", "fr", "ar", "de")


@pytest.fixture
def package(demo_loaded, db, settings, tmp_path):
    settings.DATA_PACKAGE_ROOT = tmp_path / "packages"
    settings.API_CACHE_ENABLED = False
    _recognition_rows()
    entry = datapackage.datapackage_build()
    return settings.DATA_PACKAGE_ROOT / entry["file"]


def _recognition_rows():
    """A few recognition procedures (test values) besides the demo data's, for occupations it has none
    for: one with its body, sources, fees and texts in four languages, one written in German, one where
    nothing else is known."""
    body = ContactPoint.objects.filter(kind=ContactPoint.Kind.RECOGNITION_BODY).order_by("pk").first()
    nurses = QualificationRecognition.objects.create(
        country_id="DE",
        occupation_id="2222",
        body=body,
        regulated=True,
        procedure="Test procedure: apply to the body with the diploma.",
        procedure_fr="Procédure de test : s'adresser à l'organisme avec le diplôme.",
        procedure_ar="إجراء تجريبي: التقدم إلى الجهة مع الشهادة.",
        procedure_de="Testverfahren: Antrag bei der Stelle mit dem Diplom.",
        url="https://recognition.example.org/2222",
        fee_min=Decimal("100.00"),
        fee_max=Decimal("600.00"),
        fee_currency="EUR",
        duration_days_max=90,
        last_verified=datetime.date(2026, 11, 2),
    )
    nurses.legal_sources.set(LegalSource.objects.filter(country="DE").order_by("pk")[:2])
    in_german = QualificationRecognition(
        country_id="DE",
        occupation_id="2512",
        regulated=False,
        procedure="Testverfahren: keine Anerkennung nötig.",
        procedure_fr="Procédure de test : aucune reconnaissance nécessaire.",
    )
    in_german.text_origin = {"original_language": "de"}
    in_german.save()
    QualificationRecognition.objects.create(country_id="MA", occupation_id="7212")


def _without(value, keys):
    if isinstance(value, dict):
        return {key: _without(item, keys) for key, item in value.items() if key not in keys}
    if isinstance(value, list):
        return [_without(item, keys) for item in value]
    return value


def _get(client, url, language="en"):
    response = client.get(url, HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, (url, response.status_code)
    return response.json()


def _router_lists():
    """(basename, viewset) of every list of the router that a mirror must answer as the original."""
    return [
        (basename, viewset) for _prefix, viewset, basename in router.registry if basename not in ROUTER_NOT_COMPARED
    ]


def _list(client, basename, language):
    rows, url = [], f"{reverse(f'{basename}-list')}?page_size=500"
    while url:
        body = _get(client, url, language)
        rows += body["results"]
        url = body["next"]
    return rows


def _answers(client):
    """Every public answer compared, by the request that got it (local keys left out)."""
    answers, lists = {}, {}
    for language in LANGUAGES:
        for basename, _viewset in _router_lists():
            lists[basename, language] = rows = _list(client, basename, language)
            answers[f"{basename}-list {language}"] = _without(rows, LOCAL_KEYS)
    for basename, viewset in _router_lists():
        lookup, rows = viewset.lookup_field, lists[basename, "en"]
        for index in range(0, len(rows), max(1, len(rows) // DETAILS_PER_LIST)):
            row = rows[index]
            url = reverse(f"{basename}-detail", args=[row["id" if lookup == "pk" else lookup]])
            language = LANGUAGES[index % len(LANGUAGES)]  # each row in one language, every language used
            answers[f"{basename}-detail #{index} {language}"] = _without(_get(client, url, language), LOCAL_KEYS)
    answers["api-root"] = _get(client, reverse("api-root"))
    answers["api-ping"] = _get(client, reverse("api-ping"))
    for agency in lists["agency", "en"]:
        query = urlencode({"country": agency["country"], "licence_number": agency["licence_number"]})
        answers[f"licence-check {query}"] = _get(client, f"{reverse('licence-check')}?{query}")
    unknown = urlencode({"country": "MA", "licence_number": "no-such-licence"})
    answers[f"licence-check {unknown}"] = _get(client, f"{reverse('licence-check')}?{unknown}")
    corridors = [f"{row['origin']}-{row['destination']}" for row in lists["corridor", "en"]]
    for corridor in corridors:
        origin, destination = corridor.split("-")
        query = urlencode({"nationality": origin, "destination": destination})
        answers[f"api-eligibility {query}"] = _get(client, f"{reverse('api-eligibility')}?{query}")
    for pair in zip(corridors[::2], corridors[1::2], strict=False):
        query = urlencode({"corridors": ",".join(pair)})
        answers[f"api-corridor-comparison {query}"] = _get(client, f"{reverse('api-corridor-comparison')}?{query}")
    answers["api-dcat"] = _without(_get(client, reverse("api-dcat")), DCAT_LOCAL_KEYS)
    for permit in lists["permit", "en"]:
        url = reverse("api-permit-cpsv", args=[permit["code"]])
        answers[f"api-permit-cpsv {permit['code']}"] = _get(client, url)
    answers["api-schema"] = _get(client, reverse("api-schema"))
    answers["common-format-schema"] = _get(client, reverse("common-format-schema"))
    for name in ("api-swagger-ui", "api-redoc", "common-format-docs"):  # HTML pages
        response = client.get(reverse(name))
        assert response.status_code == 200, (name, response.status_code)
        answers[name] = response.content.decode()
    return answers, lists


def _empty_the_hub():
    """What a fresh hub holds after load_countries and load_occupations: no data of its own."""
    RecruitmentAgency._base_manager.all().delete()
    RecruitmentRegime._base_manager.all().delete()
    PermitCategory._base_manager.all().delete()
    QualificationRecognition._base_manager.all().delete()
    CertificationLabel._base_manager.all().delete()
    Agreement._base_manager.all().delete()
    Corridor._base_manager.all().delete()
    ContactPoint._base_manager.all().delete()
    LegalSource._base_manager.all().delete()


def test_a_hub_loaded_from_the_package_answers_the_public_api_like_the_first(package):
    before, lists = _answers(Client())
    # None in the demo data, nor loaded in the test database: this one compares empty lists.
    assert {basename for basename, _viewset in _router_lists() if not lists[basename, "en"]} == {"visa-requirement"}
    assert len(lists["qualification-recognition", "en"]) == QualificationRecognition.objects.count() > 3
    assert set(OTHER_PATHS_COMPARED) <= {request.split()[0] for request in before}
    origins = _recognition_origins()
    _empty_the_hub()
    left = {basename for basename, _viewset in _router_lists() if _list(Client(), basename, "en")}
    assert left <= REFERENCE_LISTS, left
    call_command("mirror_load", str(package), stdout=io.StringIO())
    after, _lists = _answers(Client())
    assert sorted(after) == sorted(before)
    differences = {request: _differences(before[request], after[request]) for request in before}
    assert not any(differences.values()), {request: found[:5] for request, found in differences.items() if found}
    assert _recognition_origins() == origins


def _recognition_origins():
    """What each recognition row's texts are (core.translations), which the API does not show."""
    return {
        (row.country_id, row.occupation_id, row.area): row.text_origin for row in QualificationRecognition.objects.all()
    }


def _differences(before, after, path=""):
    """The paths where two answers differ (the first few)."""
    if type(before) is not type(after):
        return [path]
    if isinstance(before, dict):
        keys = sorted(set(before) | set(after))
        return [found for key in keys for found in _differences(before.get(key), after.get(key), f"{path}.{key}")]
    if isinstance(before, list):
        if len(before) != len(after):
            return [f"{path} ({len(before)} != {len(after)} items)"]
        return [
            found
            for index, pair in enumerate(zip(before, after, strict=True))
            for found in _differences(*pair, f"{path}[{index}]")
        ]
    return [] if before == after else [f"{path}: {before!r} != {after!r}"[:200]]


def _named_paths(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_paths(pattern.url_patterns)
        elif pattern.name:
            yield pattern.name


def test_every_public_api_path_is_compared_or_excluded():
    compared_with_the_router = {
        f"{basename}-{view}" for _prefix, _viewset, basename in router.registry for view in ("list", "detail")
    }
    others = set(_named_paths(api_urls.urlpatterns)) - compared_with_the_router
    assert others == set(OTHER_PATHS_COMPARED) | OTHER_PATHS_NOT_COMPARED


def test_mirror_load_refuses_a_hub_that_holds_data(package):
    with pytest.raises(CommandError, match="already holds data"):
        call_command("mirror_load", str(package), stdout=io.StringIO())


def test_qualification_recognition_is_data_the_hub_holds(package):
    _empty_the_hub()
    QualificationRecognition.objects.create(country_id="MA", occupation_id="7212")
    with pytest.raises(CommandError, match=r"already holds data \(qualification recognition\)"):
        call_command("mirror_load", str(package), stdout=io.StringIO())


def test_mirror_load_refuses_a_file_that_is_not_a_package(db, tmp_path):
    path = tmp_path / "not-a-package.zip"
    path.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="not a zip file"):
        call_command("mirror_load", str(path), stdout=io.StringIO())


@pytest.mark.parametrize(
    "method, path",
    [("post", "/admin/permits/permitcategory/add/"), ("post", "/api/v1/submissions/")],
)
def test_a_mirror_refuses_admin_writes_and_uploads(db, settings, client, method, path):
    settings.MIRROR_OF = "https://hub.example.org"
    response = getattr(client, method)(path, {})
    assert response.status_code == 403
    assert "https://hub.example.org" in response.content.decode()


@pytest.mark.parametrize("language", ["en", "fr", "ar", "de"])
def test_a_mirror_shows_whose_data_it_serves_on_every_page(db, settings, client, language):
    settings.MIRROR_OF = "https://hub.example.org"
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert b'class="mirror-banner"' in response.content
    assert b'href="https://hub.example.org"' in response.content


def test_a_hub_that_mirrors_nothing_shows_no_banner(db, client):
    assert b"mirror-banner" not in client.get("/en/").content


def test_a_mirror_still_answers_public_questions_sent_by_post(db, settings, client):
    settings.MIRROR_OF = "https://hub.example.org"
    response = client.post("/api/v1/eligibility/", {}, content_type="application/json")
    assert response.status_code != 403
