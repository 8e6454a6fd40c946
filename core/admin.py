"""Admin building blocks: per-country scoping for focal points, and the change history."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import ObjectChange
from .permissions import editable_country_codes
from .querysets import country_paths, in_countries


def _ownership_fields(model):
    """The model's own fields that name its country: "country", "origin", "parties"…"""
    return tuple(dict.fromkeys(path.split("__")[0] for path in country_paths(model) if path != "pk"))


def _names_a_country(model, name):
    related = model._meta.get_field(name).related_model
    return related is not None and related._meta.label == settings.HUB_COUNTRY_MODEL


def _owners_checked_together(model):
    """The ownership fields that offer every country and of which one must be the user's (checked in
    the form): an agreement's parties, or both ends of a corridor (MA → FR and TN → MA are Morocco's
    as much as the other country's). A single field naming the country is narrowed to the user's."""
    names = [name for name in _ownership_fields(model) if _names_a_country(model, name)]
    if len(names) > 1:
        return names
    return [name for name in names if model._meta.get_field(name).many_to_many]


def _shared_when_countryless(model):
    return "country" in country_paths(model) and model._meta.get_field("country").null


def _country_codes(value):
    """The codes of the country or countries a cleaned ownership field holds."""
    if value is None:
        return set()
    if isinstance(value, models.Model):
        return {value.pk}
    return {country.pk for country in value}


def _linked_pks(instance, name):
    """The pks of the rows `instance` links to through the field `name` (as saved)."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return list(getattr(instance, name).values_list("pk", flat=True))
    value = getattr(instance, field.attname, None)
    return [] if value is None else [value]


class ArabicRightToLeftMixin:
    """The Arabic twin of every translated field (name_ar, summary_ar…) is typed right to left."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name.endswith("_ar"):
            formfield.widget.attrs["dir"] = "rtl"
        return formfield


class CountryScopedAdminMixin(ArabicRightToLeftMixin):
    """Keeps a focal point inside their own countries.

    The list, the change form and every choice offered come only from the user's countries;
    hub editors (permission countries.edit_all_countries) see everything. A row reached some
    other way is refused, not shown.
    """

    def _codes(self, request):
        return editable_country_codes(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        codes = self._codes(request)
        if codes is None or not country_paths(self.model):
            return queryset
        scoped = in_countries(queryset, codes)
        if _shared_when_countryless(self.model):
            # Rows of no country (international instruments) are visible to all, editable by hub editors.
            scoped = scoped | queryset.filter(country__isnull=True)
        return scoped

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        codes = self._codes(request)
        names = [name for name in _ownership_fields(self.model) if _names_a_country(self.model, name)]
        if codes and len(codes) == 1 and len(names) == 1:
            # A focal point of one country need not pick it (a corridor's two ends stay theirs to choose).
            (code,), (name,) = codes, names
            initial.setdefault(name, [code] if self.model._meta.get_field(name).many_to_many else code)
        return initial

    def _owns(self, request, obj):
        codes = self._codes(request)
        if codes is None or obj is None or obj.pk is None or not country_paths(self.model):
            return True
        return in_countries(self.model._base_manager.filter(pk=obj.pk), codes).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._owns(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        self._limit_choices(db_field, request, formfield)
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        self._limit_choices(db_field, request, formfield)
        return formfield

    def _limit_choices(self, db_field, request, formfield):
        codes = self._codes(request)
        if codes is None or formfield is None or not hasattr(formfield, "queryset"):
            return
        related = db_field.related_model
        if related._meta.label == settings.HUB_COUNTRY_MODEL:
            # Only the field that says whose row this is is narrowed; "open to nationals of"
            # and the like still list every country. Owner fields checked together (an agreement's
            # parties, a corridor's ends) keep every choice and are checked when the form is cleaned.
            name = db_field.name
            if name in _ownership_fields(self.model) and name not in _owners_checked_together(self.model):
                formfield.queryset = formfield.queryset.filter(pk__in=codes)
                if name == "country" and _shared_when_countryless(self.model):
                    # A row of no country is international: only hub editors keep those.
                    formfield.required = True
                    formfield.error_messages["required"] = _(
                        "Choose one of your countries (%(codes)s): only hub editors keep international "
                        "instruments (those of no country)."
                    ) % {"codes": ", ".join(sorted(codes))}
        elif country_paths(related):
            scoped = in_countries(formfield.queryset, codes)
            if _shared_when_countryless(related):
                # International instruments (no country) may be cited by anyone.
                scoped = scoped | formfield.queryset.filter(country__isnull=True)
            formfield.queryset = scoped

    def _check_ownership(self, request, obj):
        if not self._owns(request, obj):
            raise PermissionDenied(_("You can only edit data of your own countries."))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        codes = self._codes(request)
        if codes is None:
            return form
        owner_fields = _owners_checked_together(self.model)
        model = self.model

        class OwnCountryForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if self.instance.pk is None:
                    return
                # Rows of other countries already linked by a hub editor (France's OFII on the
                # Morocco–France agreement) stay offered: saving must neither drop nor refuse them.
                for name, field in self.fields.items():
                    try:
                        related = model._meta.get_field(name).related_model
                    except FieldDoesNotExist:
                        continue
                    scoped = related is not None and country_paths(related) and not _names_a_country(model, name)
                    if not scoped or not hasattr(field, "queryset"):
                        continue
                    linked = _linked_pks(self.instance, name)
                    if linked:
                        offered = Q(pk__in=field.queryset.values("pk")) | Q(pk__in=linked)
                        field.queryset = related._default_manager.filter(offered)

            def clean(self):
                cleaned_data = super().clean()
                chosen = {name: _country_codes(cleaned_data.get(name)) for name in owner_fields}
                listed = ", ".join(sorted(codes))
                if len(owner_fields) == 1:
                    (name,) = owner_fields
                    if not chosen[name] & codes:
                        self.add_error(
                            name, _("Include at least one of your countries (%(codes)s).") % {"codes": listed}
                        )
                elif (
                    owner_fields
                    # A missing or invalid end has its own error already.
                    and all(name in cleaned_data for name in owner_fields)
                    and not set().union(*chosen.values()) & codes
                ):
                    labels = ", ".join(str(model._meta.get_field(name).verbose_name) for name in owner_fields)
                    self.add_error(
                        None,
                        _("%(fields)s: at least one must be one of your countries (%(codes)s).")
                        % {"fields": capfirst(labels), "codes": listed},
                    )
                return cleaned_data

        return OwnCountryForm

    def save_model(self, request, obj, form, change):
        if change:
            self._check_ownership(request, obj)
        super().save_model(request, obj, form, change)


@admin.register(ObjectChange)
class ObjectChangeAdmin(CountryScopedAdminMixin, admin.ModelAdmin):
    list_display = ("time", "action", "content_type", "object_repr", "user_name", "reason")
    list_filter = ("action", "content_type", "countries")
    search_fields = ("object_repr", "user_name", "reason", "object_id")
    date_hierarchy = "time"
    readonly_fields = [f.name for f in ObjectChange._meta.fields] + ["countries"]

    def get_queryset(self, request):
        queryset = super(CountryScopedAdminMixin, self).get_queryset(request)
        codes = self._codes(request)
        if codes is None:
            return queryset
        return queryset.filter(countries__in=codes).distinct()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from . import translation_admin  # noqa: E402, F401  (the translations admin, core/translation_admin.py)
