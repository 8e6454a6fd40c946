"""The translations of published texts in the admin: what each is, which may be out of date, and
the action that marks them reviewed.

A focal point sees the translations of their own countries' rows (the rows the other admins let them
keep, found the same way: core.querysets.in_countries on each content model), a hub editor all of
them. Whoever may change a row may review its translations; nothing else is edited here (the texts
themselves are edited on the row's own page).
"""

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import TextTranslation
from .permissions import editable_country_codes
from .querysets import country_paths, in_countries
from .translations import content_models, default_language, translation_review


def _change_permission(model):
    return f"{model._meta.app_label}.change_{model._meta.model_name}"


def models_changeable_by(user):
    return [model for model in content_models() if user.has_perm(_change_permission(model))]


def translations_of(user, queryset=None, *, countries=None):
    """The translations of the rows `user` keeps: every one for a hub editor, those of their
    countries' rows for a focal point, of the content models they may change; with `countries`
    (codes), only those of these countries' rows."""
    queryset = TextTranslation.objects.all() if queryset is None else queryset
    codes = editable_country_codes(user)
    if countries is not None:
        codes = set(countries) if codes is None else set(countries) & codes
    condition = Q(pk__in=[])
    for model in models_changeable_by(user):
        if countries is not None and not country_paths(model):
            continue  # reference data belongs to no country
        rows = Q(content_type=ContentType.objects.get_for_model(model))
        if codes is not None:
            rows &= Q(object_id__in=in_countries(model._base_manager.all(), codes).values("pk"))
        condition |= rows
    return queryset.filter(condition)


class OutOfDateFilter(admin.SimpleListFilter):
    """Out-of-date translations first: the list opens on what needs a review."""

    title = _("may be out of date")
    parameter_name = "out_of_date"

    def lookups(self, request, model_admin):
        return [("yes", _("yes")), ("no", _("no")), ("all", _("all"))]

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or "yes") == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "yes"
        if value == "all":
            return queryset
        return queryset.filter(out_of_date=value == "yes")


class CountryFilter(admin.SimpleListFilter):
    """The translations of one country's rows (the dashboard links here, ?country=MA)."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = editable_country_codes(request.user)
        # A focal point of several countries picks one; a hub editor comes from the dashboard's link.
        return [(code, code) for code in sorted(codes)] if codes and len(codes) > 1 else []

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return translations_of(request.user, queryset, countries=[self.value().upper()])


@admin.register(TextTranslation)
class TextTranslationAdmin(admin.ModelAdmin):
    list_display = ("object_repr", "content_type", "field", "language", "kind", "out_of_date", "reviewed_by")
    list_filter = (OutOfDateFilter, CountryFilter, "kind", "language", "content_type")
    search_fields = ("object_repr", "field")
    list_select_related = ("content_type", "reviewed_by")
    actions = ["mark_reviewed"]
    fields = (
        "object_repr",
        "content_type",
        "object_id",
        "field",
        "language",
        "kind",
        "out_of_date",
        "reviewed_by",
        "reviewed_at",
        "original_text",
        "translated_text",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return translations_of(request.user, super().get_queryset(request))

    # Whoever may change a row may see and review its translations.
    def has_module_permission(self, request):
        return bool(models_changeable_by(request.user))

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return bool(models_changeable_by(request.user))
        return translations_of(request.user).filter(pk=obj.pk).exists()

    def has_review_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _row(self, obj):
        model = obj.content_type.model_class()
        return model._base_manager.filter(pk=obj.object_id).first() if model else None

    @admin.display(description=_("original"))
    def original_text(self, obj):
        row = self._row(obj)
        text = getattr(row, f"{obj.field}_{default_language()}", "") if row else ""
        return format_html('<div dir="auto">{}</div>', text or "")

    @admin.display(description=_("translation"))
    def translated_text(self, obj):
        row = self._row(obj)
        text = getattr(row, f"{obj.field}_{obj.language}", "") if row else ""
        return format_html('<div dir="auto" lang="{}">{}</div>', obj.language, text or "")

    @admin.action(description=_("Mark translation reviewed"), permissions=["review"])
    def mark_reviewed(self, request, queryset):
        count = translation_review(translations=translations_of(request.user, queryset), user=request.user)
        self.message_user(
            request,
            ngettext("%(count)d translation marked reviewed.", "%(count)d translations marked reviewed.", count)
            % {"count": count},
            messages.SUCCESS,
        )
