"""The public change history: every logged change of a row that anyone may read.

A change is public when its row is: reference data (countries, sources, occupations, visa
requirements…) always; permits, agreements, regimes and agencies (and their documents, fees,
thresholds, sanctions) only while published. Who made a change is not shown, only when and why.
"""

from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers

from core.api.base import CursorPagination, PublicReadOnlyViewSet
from core.api.schema import list_and_detail
from core.models import ObjectChange
from countries.api.serializers import RelatedCodesField
from countries.models import Agreement, Country
from guidance.filters import ObjectChangeFilter
from permits.models import PermitCategory
from recruiters.models import RecruitmentRegime


def change_public_list():
    """The public changes for the API (ObjectChange.objects.public(), the one answer)."""
    return (
        ObjectChange.objects.public()
        .select_related("content_type")
        .prefetch_related(
            Prefetch(
                "countries", queryset=Country.objects.only("code").order_by("code"), to_attr="countries_prefetched"
            )
        )
        .only("id", "time", "action", "object_id", "object_repr", "changes", "reason", "content_type")
    )


class ObjectChangeSerializer(serializers.ModelSerializer):
    model = serializers.SerializerMethodField()
    countries = RelatedCodesField(source="countries_prefetched")

    class Meta:
        model = ObjectChange
        fields = ["id", "time", "action", "model", "object_id", "object_repr", "changes", "reason", "countries"]

    def get_model(self, change) -> str:
        return f"{change.content_type.app_label}.{change.content_type.model}"


class ChangeCursorPagination(CursorPagination):
    ordering = "-id"


@extend_schema_view(**list_and_detail(ObjectChangeSerializer, "changes of published data", "change"))
class ObjectChangeViewSet(PublicReadOnlyViewSet):
    """What changed in the published data, when and why, newest first."""

    serializer_class = ObjectChangeSerializer
    filterset_class = ObjectChangeFilter
    pagination_class = ChangeCursorPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # Schema generation (also run by `check --deploy`) must not touch the database.
            return ObjectChange.objects.none()
        return change_public_list()


def published_changes():
    """The public changes for the page and the feeds, newest first (ObjectChange.objects.public())."""
    return ObjectChange.objects.public().select_related("content_type").order_by("-time", "-id")


def describe_changes(changes):
    """Give each change its type name, the names of the fields it changed and a link to its page.

    One query per kind of row on the page, whatever the number of changes.
    """
    by_model = {}
    for change in changes:
        by_model.setdefault(change.content_type.model_class(), set()).add(change.object_id)
    links = {}
    for model, ids in by_model.items():
        if model is PermitCategory:
            rows = model.objects.filter(pk__in=ids).values_list("pk", "code")
            links.update({(model, str(pk)): reverse("permits:permit", args=[code]) for pk, code in rows})
        elif model is Agreement:
            rows = model.objects.filter(pk__in=ids).values_list("pk", "key")
            links.update({(model, str(pk)): reverse("countries:agreement", args=[key]) for pk, key in rows})
        elif model is RecruitmentRegime:
            rows = model.objects.filter(pk__in=ids).values_list("pk", "country_id")
            links.update({(model, str(pk)): reverse("countries:country", args=[code]) for pk, code in rows})
    for change in changes:
        model = change.content_type.model_class()
        change.type_name = model._meta.verbose_name
        change.link = links.get((model, change.object_id))
        change.fields = []
        if change.action == ObjectChange.Action.UPDATE and isinstance(change.changes, dict):
            names = {f.name: f.verbose_name for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
            change.fields = [names[key] for key in change.changes if key in names]
    return changes
