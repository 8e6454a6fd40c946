"""The preview of a proposed change: the public page as it will look once approved, in each language,
while nothing is published, logged or cached."""

import pytest
from django.urls import reverse

from core.models import ObjectChange
from permits.models import PermitCategory
from submissions.models import Submission
from tests.submissions.test_admin_proposals import PERMIT, morocco, post_change, proposal, version  # noqa: F401

pytestmark = pytest.mark.django_db


def preview_url(submission, **params):
    url = reverse("admin:submissions_submission_preview", args=[submission.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else "")


@pytest.fixture
def renamed(client, focal_point_ma, morocco, django_capture_on_commit_callbacks):  # noqa: F811
    """A focal point's proposal renaming Morocco's work permit, awaiting review."""
    client.force_login(focal_point_ma)
    post_change(
        client,
        PermitCategory.objects.get(code=PERMIT),
        django_capture_on_commit_callbacks,
        name_en="Renamed by Morocco",
        name_fr="Renommé par le Maroc",
    )
    submission = proposal()
    assert submission.status == Submission.Status.READY_FOR_REVIEW
    return submission


def test_the_preview_shows_the_page_as_it_will_be_and_publishes_nothing(client, renamed):
    permit = PermitCategory.objects.get(code=PERMIT)
    before, changes = version(), ObjectChange.objects.count()
    submission_page = client.get(reverse("admin:submissions_submission_change", args=[renamed.pk])).content.decode()
    assert preview_url(renamed) in submission_page
    listing = client.get(preview_url(renamed))
    assert listing.status_code == 200
    assert "?row=0&amp;language=fr" in listing.content.decode()

    page = client.get(preview_url(renamed, row=0, language="fr"))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "Renommé par le Maroc" in html and 'class="preview-banner"' in html
    assert 'lang="fr"' in html  # the public page in French

    # Nothing of it was kept: the public page, the change log and the data version are as they were.
    permit.refresh_from_db()
    assert permit.name_fr != "Renommé par le Maroc" and permit.name_en != "Renamed by Morocco"
    assert version() == before and ObjectChange.objects.count() == changes
    public = client.get(reverse("permits:permit", kwargs={"code": PERMIT})).content.decode()
    assert "Renamed by Morocco" not in public


def test_the_reviewer_sees_the_same_preview(client, renamed, hub_editor):
    client.force_login(hub_editor)
    html = client.get(preview_url(renamed, row=0, language="en")).content.decode()
    assert "Renamed by Morocco" in html


def test_no_preview_of_a_file_with_errors(client, focal_point_ma, submit):
    invalid = submit(focal_point_ma, b"{")
    client.force_login(focal_point_ma)
    response = client.get(preview_url(invalid), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:submissions_submission_change", args=[invalid.pk])


def test_another_countrys_focal_point_cannot_preview(client, renamed):
    from tests.factories import UserFactory

    client.force_login(UserFactory(role="focal_point", countries=["TN"]))
    assert client.get(preview_url(renamed)).status_code == 404
