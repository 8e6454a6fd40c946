"""The public change history: every logged change of a row that anyone may read.

A change is public when its row is: reference data (countries, sources, occupations, visa
requirements…) always; permits, agreements, regimes and agencies (and their documents, fees,
thresholds, sanctions) only while published. Who made a change is not shown, only when and why.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Prefetch, Q
from django.db.models.functions import Cast
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers

from countries.api.serializers import RelatedCodesField
from countries.models import Country
from mobility_hub.filters import PUBLIC_CHANGE_MODELS, ObjectChangeFilter
from mobility_hub.models import ObjectChange

from .base import CursorPagination, PublicReadOnlyViewSet
from .schema import list_and_detail

# Rows public only while their publication status (or their parent's) is "published".
PUBLISHED_ONLY = {
    "permits.permitcategory": "publication_status",
    "permits.requireddocument": "permit__publication_status",
    "permits.fee": "permit__publication_status",
    "permits.salarythreshold": "permit__publication_status",
    "countries.agreement": "publication_status",
    "recruiters.recruitmentregime": "publication_status",
    "recruiters.recruitmentagency": "publication_status",
    "recruiters.enforcementaction": "agency__publication_status",
}


def _public_change_condition():
    condition = Q()
    always = []
    for label in PUBLIC_CHANGE_MODELS:
        model = apps.get_model(label)
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        status_path = PUBLISHED_ONLY.get(label)
        if status_path is None:
            always.append(content_type.pk)
            continue
        published_ids = (
            model._base_manager.filter(**{status_path: "published"})
            .annotate(_id_text=Cast("pk", CharField()))
            .values("_id_text")
        )
        condition |= Q(content_type_id=content_type.pk, object_id__in=published_ids)
    return condition | Q(content_type_id__in=always)


def change_public_list():
    return (
        ObjectChange.objects.filter(_public_change_condition())
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
