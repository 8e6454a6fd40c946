"""An admin save logs the fields a person changed, and nothing else."""

import pytest
from django.urls import reverse

from core.changelog import change_context
from core.models import ObjectChange
from permits.models import Fee, RequiredDocument
from tests.factories import PermitCategoryFactory

pytestmark = pytest.mark.django_db


def form_post_data(response):
    """What a browser would send back for the admin change page in `response`, untouched."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                data[bound.html_name] = [str(item) for item in value]
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            else:
                # A browser sends a textarea's line breaks as CRLF.
                data[bound.html_name] = str(value).replace("\r\n", "\n").replace("\n", "\r\n")

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


@pytest.fixture
def permit_with_children():
    with change_context(reason="set-up"):
        permit = PermitCategoryFactory(
            country_id="DE",
            code="de-change-log",
            description="First line.\nSecond line.",
            application_method="Apply online.",
        )
        RequiredDocument.objects.create(permit=permit, name="Passport", notes="Valid for\nsix months.")
        Fee.objects.create(permit=permit, name="Visa fee", amount=75, currency="EUR")
    return permit


def test_admin_save_with_two_changed_fields_logs_two_field_changes(client, hub_editor, permit_with_children, settings):
    settings.HUB_EDITORS_PUBLISH_OWN_EDITS = True  # saved at once (else a proposal: tests/submissions)
    permit = permit_with_children
    client.force_login(hub_editor)
    url = reverse("admin:permits_permitcategory_change", args=[permit.pk])
    data = form_post_data(client.get(url))
    data["max_age"] = "45"
    data["application_method_en"] = "Apply online or at the consulate."
    before = ObjectChange.objects.count()

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    logged = list(ObjectChange.objects.order_by("id")[before:])
    assert [(change.content_type.model, change.action) for change in logged] == [("permitcategory", "update")]
    assert logged[0].changes == {
        "max_age": [None, 45],
        "application_method_en": ["Apply online.", "Apply online or at the consulate."],
    }


def test_resaving_the_admin_form_unchanged_logs_nothing(client, hub_editor, permit_with_children):
    client.force_login(hub_editor)
    url = reverse("admin:permits_permitcategory_change", args=[permit_with_children.pk])
    data = form_post_data(client.get(url))
    before = ObjectChange.objects.count()

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(ObjectChange.objects.order_by("id")[before:].values_list("changes", flat=True)) == []
