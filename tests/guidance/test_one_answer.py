"""One question, one answer: every surface that answers a question gives the same answer.

Which permits are open to a nationality (corridor page, permits API, eligibility, comparison); is a
licence valid (licence page, licence API), however the number is typed; what changed publicly
(changes page, feeds, change API). Each test fails when one surface is changed alone.
"""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from core.changelog import change_context
from core.fields import PublicationStatus
from countries.models import Corridor
from guidance.comparison import compare_corridors
from guidance.eligibility import Applicant, evaluate_all
from permits.models import PermitCategory
from recruiters.models import RecruitmentAgency
from tests.factories import (
    AgreementFactory,
    FeeFactory,
    LegalSourceFactory,
    PermitCategoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PUBLISHED = PublicationStatus.PUBLISHED


@pytest.fixture(autouse=True)
def fresh_api_cache():
    # The API's response cache is keyed on the data version, which a rolled-back test can repeat.
    cache.clear()


@pytest.fixture
def demo_data():
    call_command("load_demo_data", stdout=io.StringIO())


def open_permits_by_surface(client, origin, destination):
    """{surface: set of permit codes it says nationals of `origin` may apply for in `destination`}."""
    today = timezone.localdate()
    family = set(PermitCategory.objects.filter(purpose=PermitCategory.Purpose.FAMILY).values_list("code", flat=True))
    page = client.get(f"/en/corridors/{origin}-{destination}/")
    assert page.status_code == 200
    api = client.get("/api/v1/permits/", {"nationality": origin, "destination": destination, "page_size": 500})
    assert api.status_code == 200, api.content
    verdicts = evaluate_all(Applicant(nationality=origin, destination=destination), today)
    [compared] = compare_corridors([(origin, destination)], today)
    return {
        # Family permits depend on a sponsor, not on work: the check and the comparison leave them out.
        "corridor page": {permit.code for permit in page.context["permits"]} - family,
        "permits API": {item["code"] for item in api.json()["results"]} - family,
        "eligibility": {
            verdict.permit_code
            for verdict in verdicts
            if next(reason for reason in verdict.reasons if reason.code == "nationality").status == "met"
        },
        "comparison": {item["code"] for item in compared["permits_open"]["permits"]},
    }


def assert_one_answer(answers):
    distinct = {frozenset(codes) for codes in answers.values()}
    assert len(distinct) == 1, answers


def test_every_demo_corridor_has_one_list_of_open_permits(client, demo_data):
    corridors = list(Corridor.objects.values_list("origin_id", "destination_id"))
    assert len(corridors) >= 10
    opened = 0
    for origin, destination in corridors:
        answers = open_permits_by_surface(client, origin, destination)
        assert_one_answer(answers)
        opened += len(answers["corridor page"])
    assert opened > 0  # the demo corridors do open permits: the agreement is not between empty sets


@pytest.mark.parametrize(
    ("agreement_type", "opens"),
    [("social_security", False), ("bla", True), ("seasonal_scheme", True)],
)
def test_an_agreement_only_permit_is_open_everywhere_or_nowhere(client, agreement_type, opens):
    PermitCategoryFactory(code="de-open", name="Open permit", publication_status=PUBLISHED)
    PermitCategoryFactory(
        code="de-agreement-only", name="Agreement-only permit", agreement_required=True, publication_status=PUBLISHED
    )
    AgreementFactory(type=agreement_type, parties=["MA", "DE"], publication_status=PUBLISHED)
    Corridor.objects.get_or_create(origin_id="MA", destination_id="DE")
    answers = open_permits_by_surface(client, "MA", "DE")
    assert_one_answer(answers)
    assert answers["permits API"] == ({"de-open", "de-agreement-only"} if opens else {"de-open"})


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def typed_variants(number):
    """The ways a person may type a licence number: as printed, spaced, in another case, Arabic digits."""
    variants = {number, f"  {number} ", number.lower(), number.upper(), number.translate(ARABIC_INDIC)}
    variants.add(number.replace(" ", "   "))  # repeated spaces between the parts
    return sorted(variants)


def licence_outcomes(client, country, typed):
    page = client.get("/en/licence-check/", {"country": country, "licence": typed})
    api = client.get("/api/v1/licence-check/", {"country": country, "licence_number": typed})
    assert page.status_code == 200 and api.status_code == 200, (typed, api.content)
    result = page.context["result"]
    return {
        "page": (result["outcome"], result["agency"].pk if result["agency"] else None),
        "API": (
            api.json()["outcome"],
            RecruitmentAgency.objects.filter(country_id=country, legal_name=api.json()["agency_name"])
            .values_list("pk", flat=True)
            .first(),
        ),
    }


def test_every_demo_licence_gets_one_outcome_however_it_is_typed(client, demo_data):
    agencies = list(RecruitmentAgency.objects.published().values_list("country_id", "licence_number", "pk"))
    assert agencies
    for country, number, pk in agencies:
        for typed in typed_variants(number):
            outcomes = licence_outcomes(client, country, typed)
            assert outcomes["page"] == outcomes["API"], (number, typed, outcomes)
            assert outcomes["page"][1] == pk, (number, typed, outcomes)


def test_an_unknown_licence_gets_the_same_answer_on_both(client, demo_data):
    # The hub holds no official list of Morocco: neither says "not found".
    outcomes = licence_outcomes(client, "MA", "NO-SUCH-LICENCE-0")
    assert outcomes == {"page": ("no_register", None), "API": ("no_register", None)}


@pytest.fixture
def changes_of_every_kind(hub_editor):
    """Public and private changes filed under Morocco: published, draft, withdrawn, reference, membership."""
    with change_context(user=hub_editor, reason="test data"):
        permit = PermitCategoryFactory(country_id="MA", code="ma-published", publication_status=PUBLISHED)
        FeeFactory(permit=permit, amount=100, currency="MAD")
        permit.max_age = 45
        permit.save()
        PermitCategoryFactory(country_id="MA", code="ma-draft", description="Not public yet")
        withdrawn = PermitCategoryFactory(country_id="MA", code="ma-withdrawn", publication_status=PUBLISHED)
        withdrawn.publication_status = PublicationStatus.ARCHIVED
        withdrawn.save()
        LegalSourceFactory(country_id="MA", key="ma-law", title="Loi 65-99")
        UserFactory(role="focal_point", countries=["MA"])  # a membership: never public


def test_page_feeds_and_api_list_the_same_public_changes(client, changes_of_every_kind):
    page = client.get("/en/changes/", {"country": "MA"})
    feed = client.get("/feeds/MA/changes.json").json()
    api = client.get("/api/v1/changes/", {"country": "MA", "page_size": 500}).json()
    answers = {
        "page": [change.pk for change in page.context["page"].object_list],
        "feed": [int(item["id"].rsplit(":", 1)[1]) for item in feed["items"]],
        "API": [item["id"] for item in api["results"]],
    }
    assert 5 < len(answers["API"]) < 50  # all of Morocco's changes fit on one page of each surface
    assert answers["page"] == answers["feed"] == answers["API"], answers
    models = {item["model"] for item in api["results"]}
    assert {"permits.permitcategory", "permits.fee", "countries.legalsource"} <= models
    assert "countries.countrymembership" not in models
    draft_ids = {str(pk) for pk in PermitCategory.objects.filter(code="ma-draft").values_list("pk", flat=True)}
    assert not [item for item in api["results"] if item["object_id"] in draft_ids]
    withdrawal = [
        item for item in api["results"] if item["changes"].get("publication_status") == ["published", "archived"]
    ]
    assert len(withdrawal) == 1  # a withdrawal is public, so people learn a permit went away
