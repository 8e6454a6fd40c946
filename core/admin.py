"""Admin building blocks: per-country scoping for focal points, and the change history."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.fields import TranslationField
from modeltranslation.utils import build_localized_fieldname

from .fields import PublicationStatus
from .models import ObjectChange
from .permissions import editable_country_codes
from .querysets import country_paths, in_countries
from .translations import translated_fields


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


TEXT_WIDGETS = (forms.TextInput, forms.Textarea, forms.URLInput, forms.EmailInput)
LEFT_TO_RIGHT_FIELDS = (models.URLField, models.EmailField, models.SlugField)


def input_direction(db_field):
    """The direction text is typed in a field's box: its language's for a translated field's twin
    (name_ar right to left, name_fr left to right, in the Arabic admin as in the others), left to right
    for addresses and codes, and the text's own ("auto") for the rest, so that German or French typed
    in the Arabic admin's untranslated boxes (an article, a licence number) is not laid out right to left."""
    if isinstance(db_field, TranslationField):
        return "rtl" if translation.get_language_info(db_field.language)["bidi"] else "ltr"
    if isinstance(db_field, LEFT_TO_RIGHT_FIELDS):
        return "ltr"
    if isinstance(db_field, (models.CharField, models.TextField)):
        return "auto"
    return None


class ArabicRightToLeftMixin:
    """The Arabic twin of every translated field (name_ar, summary_ar…) is typed right to left, the
    other languages' twins left to right, whatever the admin's own language (see input_direction)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        direction = input_direction(db_field)
        if formfield is not None and direction and isinstance(formfield.widget, TEXT_WIDGETS):
            formfield.widget.attrs["dir"] = direction
        return formfield


class PublicPageAdminMixin:
    """A "view on site" link on the change page and in the list's row of each row that has a public
    page, to the address its model's get_absolute_url gives; a row not published (a draft, an archived
    row) has no public page, so no link."""

    def view_on_site(self, obj):
        if getattr(obj, "publication_status", PublicationStatus.PUBLISHED) != PublicationStatus.PUBLISHED:
            return None
        return obj.get_absolute_url()

    def get_list_display(self, request):
        return (*super().get_list_display(request), "public_page")

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        url = self.view_on_site(obj)
        if url is None:
            return "–"
        # The row's name, for screen readers only, tells the list's links apart.
        return format_html(
            '<a href="{}">{}<span class="visually-hidden">: {}</span></a>', url, gettext("View on site"), obj
        )


def _field_translations(model, name):
    """The names of the translations of a model's field (name_en, name_fr…), or () if it has none."""
    if name not in translated_fields(model):
        return ()
    return tuple(build_localized_fieldname(name, language) for language in settings.MODELTRANSLATION_LANGUAGES)


class FoldedTabularInlineMixin:
    """A tabular inline narrow enough for a laptop's screen: its columns are the fields one scans, in the
    hub's default language and in the user's own; the rest of each row (other languages, notes, the
    finer conditions) is folded into the row's last cell (templates/admin/edit_inline/tabular.html),
    which opens by itself when the row has an error."""

    folded = ()  # fields folded whole, with all their translations: "notes", "legal_sources"…
    folded_translations = ()  # translated fields of which only the other languages are folded: "name"

    def folded_field_names(self):
        shown = {settings.MODELTRANSLATION_DEFAULT_LANGUAGE, (translation.get_language() or "").split("-")[0]}
        names = set()
        for name in self.folded:
            names.update(_field_translations(self.model, name) or (name,))
        for name in self.folded_translations:
            names.update(
                field for field in _field_translations(self.model, name) if field.rsplit("_", 1)[1] not in shown
            )
        return names


class OwnCountriesFilter(admin.RelatedOnlyFieldListFilter):
    """A list filter by country that offers only the countries of the rows listed, and of those only
    the user's own: a focal point of Morocco is not offered 250 countries."""

    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        codes = editable_country_codes(request.user)
        return choices if codes is None else [(pk, label) for pk, label in choices if pk in codes]


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

    def get_list_filter(self, request):
        return [self._own_countries_filter(item) for item in super().get_list_filter(request)]

    def _own_countries_filter(self, item):
        if not isinstance(item, str) or "__" in item:
            return item
        try:
            related = self.model._meta.get_field(item).related_model
        except FieldDoesNotExist:
            return item
        if related is not None and related._meta.label == settings.HUB_COUNTRY_MODEL:
            return (item, OwnCountriesFilter)
        return item

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
        # An inline is asked about its parent row (the permit of a document), so the row's own model is
        # asked, not the admin's: a document of pk 15 is not the permit of pk 15.
        model = type(obj) if obj is not None else self.model
        if codes is None or obj is None or obj.pk is None or not country_paths(model):
            return True
        return in_countries(model._base_manager.filter(pk=obj.pk), codes).exists()

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
