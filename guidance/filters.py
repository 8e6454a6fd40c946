"""FilterSet of the public change history."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core.api.versioning import changes_between
from core.models import ObjectChange, public_history_models
from countries.filters import CountryCodeFilter
from countries.models import Country


def public_model_choices():
    """ "app_label.model" of every model whose changes are public (each model declares it)."""
    labels = sorted(model._meta.label_lower for model in public_history_models())
    return [(label, label) for label in labels]


class ObjectChangeFilter(django_filters.FilterSet):
    country = CountryCodeFilter(method="filter_country", help_text=_("Changes that concern this country."))
    model = django_filters.ChoiceFilter(
        choices=public_model_choices,
        method="filter_model",
        help_text=_("The kind of row changed, as app_label.model."),
    )
    action = django_filters.ChoiceFilter(choices=ObjectChange.Action.choices)
    since = django_filters.IsoDateTimeFilter(
        field_name="time", lookup_expr="gte", help_text=_("Changes at or after this time (ISO 8601).")
    )
    after_version = django_filters.CharFilter(
        method="filter_versions",
        help_text=_("Changes after this data version (a token as in X-Data-Version and the data packages)."),
    )
    up_to_version = django_filters.CharFilter(
        method="filter_versions", help_text=_("Changes up to and including this data version.")
    )

    class Meta:
        model = ObjectChange
        fields = ["country", "model", "action", "since", "after_version", "up_to_version"]

    def filter_versions(self, queryset, name, value: str):
        return changes_between(queryset, **{name: value})

    def filter_country(self, queryset, name, value: Country):
        through = ObjectChange.countries.through.objects.filter(objectchange_id=OuterRef("pk"), country_id=value.pk)
        return queryset.filter(Exists(through))

    def filter_model(self, queryset, name, value: str):
        app_label, model = value.split(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)
