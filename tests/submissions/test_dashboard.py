"""The admin's home is each person's dashboard (submissions.workload): exactly their pending work, each
item opening where it is handled, and the list filters offering only their countries."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation

from core.admin import OwnCountriesFilter
from core.fields import PublicationStatus
from core.models import TextTranslation
from submissions import workload
from submissions.models import Report, Submission
from tests.factories import PermitCategoryFactory, RecruitmentAgencyFactory, UserFactory
from tests.submissions.conftest import agency, json_bytes

pytestmark = pytest.mark.django_db
HOME = "admin:index"


def report_on(fact, *codes):
    report = Report.objects.create(
        content_type=ContentType.objects.get_for_model(fact),
        object_key=str(fact.pk),
        object_repr=str(fact),
        message="The fee is wrong",
    )
    report.countries.set(codes)
    return report


@pytest.fixture
def work(focal_point_ma, submit):
    """Pending work in Morocco (one of each kind) and in Tunisia, which Morocco's focal point must not see."""
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=800)
    tunisia = UserFactory(role="focal_point", countries=["TN"])
    files = {
        "invalid": submit(focal_point_ma, b"{"),
        # Sent before the agencies below are published: it withdraws none of them.
        "ready": submit(focal_point_ma, json_bytes({"agencies": [agency()]})),
        "tunisian": submit(tunisia, b"{", country="TN"),
    }
    permit = PermitCategoryFactory(
        country_id="MA", code="ma-stale", publication_status=PublicationStatus.PUBLISHED, last_verified=long_ago
    )
    PermitCategoryFactory(country_id="TN", publication_status=PublicationStatus.PUBLISHED, last_verified=long_ago)
    expiring = RecruitmentAgencyFactory(
        country_id="MA",
        publication_status=PublicationStatus.PUBLISHED,
        last_confirmed=today,
        valid_until=today + datetime.timedelta(days=30),
    )
    RecruitmentAgencyFactory(  # ends in 90 days: not yet
        country_id="MA",
        publication_status=PublicationStatus.PUBLISHED,
        last_confirmed=today,
        valid_until=today + datetime.timedelta(days=90),
    )
    TextTranslation.objects.create(
        content_type=ContentType.objects.get_for_model(permit),
        object_id=permit.pk,
        object_repr=str(permit),
        field="name",
        language="fr",
        out_of_date=True,
    )
    return {
        **files,
        "report": report_on(permit, "MA"),
        "tunisian report": report_on(permit, "TN"),
        "permit": permit,
        "agency": expiring,
        "tunisia": tunisia,
    }


def dashboard(client, user, language="en"):
    client.force_login(user)
    with translation.override(language):
        response = client.get(reverse(HOME), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response


def test_a_focal_point_sees_exactly_their_pending_work(client, focal_point_ma, work):
    response = dashboard(client, focal_point_ma)
    (group,) = response.context["task_groups"]
    assert group.country.code == "MA"
    kinds = {task.kind: task for task in group.tasks}
    assert sorted(kinds) == ["expiring", "invalid", "report", "review", "stale", "translation"]
    page = response.content.decode()
    assert f"Submission #{work['invalid'].pk} (MA) has errors to fix." in page
    assert f"Submission #{work['ready'].pk} (MA) awaits a hub editor&#x27;s review." in page
    assert "Permit categories not confirmed for 12 months (MA): 1." in page
    assert "Licences ending within 60 days (MA): 1." in page
    assert "(TN)" not in page and f"#{work['tunisian'].pk} " not in page


def test_each_item_opens_where_it_is_handled(client, focal_point_ma, work):
    (group,) = dashboard(client, focal_point_ma).context["task_groups"]
    urls = {task.kind: task.url for task in group.tasks}
    assert urls["invalid"] == reverse("admin:submissions_submission_change", args=[work["invalid"].pk])
    assert urls["report"] == reverse("admin:submissions_report_change", args=[work["report"].pk])
    assert urls["expiring"] == reverse("admin:recruiters_recruitmentagency_change", args=[work["agency"].pk])
    for kind in ("stale", "translation"):
        response = client.get(urls[kind])
        assert response.status_code == 200, (kind, urls[kind])
        listed = list(response.context["cl"].result_list)
        assert len(listed) == 1, kind
    stale = client.get(urls["stale"]).context["cl"].result_list
    assert [row.pk for row in stale] == [work["permit"].pk]
    (translation_row,) = client.get(urls["translation"]).context["cl"].result_list
    assert translation_row.object_id == work["permit"].pk
    for url in urls.values():
        assert client.get(url).status_code == 200


def test_many_rows_of_a_kind_are_counted_and_listed_where_they_are_handled(client, focal_point_ma, submit):
    first, second = submit(focal_point_ma, b"{"), submit(focal_point_ma, b"[")
    (group,) = dashboard(client, focal_point_ma).context["task_groups"]
    (task,) = group.tasks
    assert task.text == "Submissions with errors to fix (MA): 2."
    listed = client.get(task.url).context["cl"].result_list
    assert sorted(row.pk for row in listed) == sorted([first.pk, second.pk])


def test_a_hub_editor_sees_every_country_with_counts_and_the_reviews_awaiting_them(client, hub_editor, work):
    groups = dashboard(client, hub_editor).context["task_groups"]
    counts = {group.country.code: group.count for group in groups}
    assert set(counts) == {"MA", "TN"}
    assert counts["TN"] == 3  # an invalid file, a report, a stale permit
    review = next(task for group in groups for task in group.tasks if task.kind == "review")
    assert review.text == f"Submission #{work['ready'].pk} (MA) awaits your review."
    assert review.in_digest


def test_a_hub_editors_own_file_awaits_another_editor(client, hub_editor, submit):
    own = submit(hub_editor, json_bytes({"agencies": [agency()]}))
    assert own.status == Submission.Status.READY_FOR_REVIEW
    (task,) = workload.tasks_of(hub_editor)
    assert task.text == f"Submission #{own.pk} (MA) awaits another hub editor's review."
    assert not task.in_digest


def test_nothing_waiting_says_so(client, focal_point_ma):
    response = dashboard(client, focal_point_ma)
    assert response.context["task_groups"] == []
    assert "Nothing awaits you" in response.content.decode()


def test_the_dashboard_speaks_the_users_language(client, focal_point_ma, work):
    page = dashboard(client, focal_point_ma, "ar").content.decode()
    assert 'dir="rtl"' in page
    assert "ما ينتظرك" in page
    with translation.override("fr"):
        texts = [task.text for task in workload.tasks_of(focal_point_ma)]
    assert any("Licences arrivant à échéance" in text for text in texts), texts


def test_the_dashboard_costs_the_same_for_one_row_and_many(
    client, focal_point_ma, work, django_assert_num_queries, submit
):
    client.force_login(focal_point_ma)
    client.get(reverse(HOME))
    with django_assert_num_queries(QUERIES):
        client.get(reverse(HOME))
    for _ in range(3):
        submit(focal_point_ma, b"{")
        RecruitmentAgencyFactory(
            country_id="MA",
            publication_status=PublicationStatus.PUBLISHED,
            valid_until=timezone.localdate() + datetime.timedelta(days=10),
        )
    with django_assert_num_queries(QUERIES):
        client.get(reverse(HOME))


# Session, user, permissions (2), memberships, submissions, reports (3), stale rows (4), expiring
# licences, translations (2: the kinds flagged, then one per kind), countries, recent actions.
QUERIES = 18


def test_list_filters_offer_only_the_users_countries(client, work):
    PermitCategoryFactory(country_id="DE")
    PermitCategoryFactory(country_id="TN")
    both = UserFactory(role="focal_point", countries=["MA", "TN"])
    client.force_login(both)
    for name in ("admin:permits_permitcategory_changelist", "admin:submissions_submission_changelist"):
        specs = client.get(reverse(name)).context["cl"].filter_specs
        (country_filter,) = [spec for spec in specs if isinstance(spec, OwnCountriesFilter)]
        assert [value for value, _label in country_filter.lookup_choices] == ["MA", "TN"], name


def test_a_corrected_file_is_no_longer_to_fix(focal_point_ma, submit):
    invalid = submit(focal_point_ma, b"{")
    assert [task.kind for task in workload.tasks_of(focal_point_ma)] == ["invalid"]
    correction = submit(focal_point_ma, b"[")
    Submission.objects.filter(pk=correction.pk).update(corrects=invalid)
    (task,) = workload.tasks_of(focal_point_ma)
    assert task.text == f"Submission #{correction.pk} (MA) has errors to fix."


def test_the_corrected_file_links_to_its_correction(client, focal_point_ma, submit):
    invalid, correction = submit(focal_point_ma, b"{"), submit(focal_point_ma, b"[")
    Submission.objects.filter(pk=correction.pk).update(corrects=invalid)
    client.force_login(focal_point_ma)
    page = client.get(reverse("admin:submissions_submission_change", args=[invalid.pk])).content.decode()
    assert (
        f'<a href="{reverse("admin:submissions_submission_change", args=[correction.pk])}">#{correction.pk}</a>' in page
    )
