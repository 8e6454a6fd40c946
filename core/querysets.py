"""QuerySet methods shared by the apps: scoping to countries, publication."""

from django.db import models

from .fields import PublicationStatus


def country_paths(model):
    """The lookups from `model` to its countries, as a tuple (empty for reference data)."""
    path = getattr(model, "country_path", None)
    if not path:
        return ()
    return (path,) if isinstance(path, str) else tuple(path)


def in_countries(queryset, countries):
    """Rows of `queryset` that belong to any of `countries` (codes or a Country queryset)."""
    paths = country_paths(queryset.model)
    if not paths:
        return queryset
    condition = models.Q()
    for path in paths:
        condition |= models.Q(**{f"{path}__in": countries})
    scoped = queryset.filter(condition)
    if any(_crosses_many(queryset.model, path) for path in paths):
        scoped = scoped.distinct()
    return scoped


class CountryScopedQuerySet(models.QuerySet):
    def in_countries(self, countries):
        """Rows that belong to any of `countries` (codes or a Country queryset)."""
        return in_countries(self, countries)


class PublishableQuerySet(CountryScopedQuerySet):
    def published(self):
        return self.filter(publication_status=PublicationStatus.PUBLISHED)


def _crosses_many(model, path):
    for name in path.split("__"):
        if name == "pk":
            return False
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        if not field.related_model:
            return False
        model = field.related_model
    return False
