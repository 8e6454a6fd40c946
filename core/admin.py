"""Admin building blocks: per-country scoping for focal points, and the change history."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .models import ObjectChange
from .permissions import editable_country_codes
from .querysets import country_paths, in_countries


def _ownership_fields(model):
    """The model's own fields that name its country: "country", "origin", "parties"…"""
    return {path.split("__")[0] for path in country_paths(model) if path != "pk"}


def _shared_when_countryless(model):
    return "country" in country_paths(model) and model._meta.get_field("country").null


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
        if codes and len(codes) == 1:
            # A focal point of one country need not pick it.
            (code,) = codes
            for name in _ownership_fields(self.model):
                field = self.model._meta.get_field(name)
                if field.related_model and field.related_model._meta.label == settings.HUB_COUNTRY_MODEL:
                    initial.setdefault(name, [code] if field.many_to_many else code)
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
            # and the like still list every country. A many-to-many owner field (an agreement's
            # parties) keeps every choice and is checked in save_related instead.
            if db_field.name in _ownership_fields(self.model) and not db_field.many_to_many:
                formfield.queryset = formfield.queryset.filter(pk__in=codes)
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
        owner_fields = [name for name in _ownership_fields(self.model) if self.model._meta.get_field(name).many_to_many]
        if codes is None or not owner_fields:
            return form

        class OwnCountryForm(form):
            def clean(self):
                cleaned_data = super().clean()
                for name in owner_fields:
                    chosen = {country.pk for country in cleaned_data.get(name) or ()}
                    if not chosen & codes:
                        self.add_error(
                            name,
                            _("Include at least one of your countries (%(codes)s).")
                            % {"codes": ", ".join(sorted(codes))},
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
