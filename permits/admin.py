from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from core.admin import ArabicRightToLeftMixin, CountryScopedAdminMixin, FoldedTabularInlineMixin, PublicPageAdminMixin

from .forms import PermitCategoryAdminForm
from .models import (
    EscoOccupation,
    Fee,
    IscoGroup,
    LanguageRequirement,
    OccupationLabel,
    PermitCategory,
    QualificationRecognition,
    RequiredDocument,
    SalaryThreshold,
    VisaRequirement,
)


@admin.register(IscoGroup)
class IscoGroupAdmin(ArabicRightToLeftMixin, TranslationAdmin):
    list_display = ("code", "title", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "title")
    ordering = ("code",)


@admin.register(EscoOccupation)
class EscoOccupationAdmin(ArabicRightToLeftMixin, TranslationAdmin):
    list_display = ("title", "isco_group", "regulated")
    list_filter = ("regulated",)
    search_fields = ("title", "alt_labels", "isco_group__code")
    autocomplete_fields = ("isco_group",)


@admin.register(OccupationLabel)
class OccupationLabelAdmin(admin.ModelAdmin):
    """What the occupation search matches, to read only: load_occupations derives every label."""

    list_display = ("text", "language", "kind", "isco_group", "esco_occupation", "hub_translation")
    list_filter = ("language", "kind", "hub_translation")
    search_fields = ("text", "search_text", "isco_group__code")
    list_select_related = ("isco_group", "esco_occupation")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Whom and where a threshold applies, and its provision: folded in each row of the compact table.
THRESHOLD_CONDITIONS = (
    "reduced",
    "occupations",
    "new_entrants_within_years",
    "below_age",
    "applies_from_age",
    "region",
    "legal_sources",
    "article",
    "exception_possible",
)


class SalaryThresholdInline(FoldedTabularInlineMixin, CountryScopedAdminMixin, TranslationTabularInline):
    """A threshold's kind, figure and dates are its columns; whom it applies to (its label in every
    language and its conditions) and its source are folded."""

    model = SalaryThreshold
    extra = 0
    fields = ("kind", "label", "amount", "currency", "period", "valid_from", "valid_to", *THRESHOLD_CONDITIONS)
    folded = ("label", *THRESHOLD_CONDITIONS)
    autocomplete_fields = ("occupations",)


class LanguageRequirementInline(CountryScopedAdminMixin, admin.TabularInline):
    """The language levels that meet the permit's language condition: each row is one alternative."""

    model = LanguageRequirement
    extra = 0
    fields = ("language", "level", "legal_source", "article")


class RequiredDocumentInline(FoldedTabularInlineMixin, CountryScopedAdminMixin, TranslationTabularInline):
    model = RequiredDocument
    extra = 0
    fields = ("position", "name", "mandatory", "translation_needed", "legalisation", "notes")
    folded_translations = ("name",)
    folded = ("notes",)


class FeeInline(FoldedTabularInlineMixin, CountryScopedAdminMixin, TranslationTabularInline):
    model = Fee
    extra = 0
    fields = ("name", "amount", "currency", "payer", "notes")
    folded_translations = ("name",)
    folded = ("notes",)


@admin.register(PermitCategory)
class PermitCategoryAdmin(PublicPageAdminMixin, CountryScopedAdminMixin, TranslationAdmin):
    form = PermitCategoryAdminForm
    list_display = ("name", "country", "purpose", "job_offer_required", "publication_status", "last_verified")
    list_filter = ("country", "purpose", "publication_status", "job_offer_required", "dependents_allowed")
    search_fields = ("code", "name", "description")
    autocomplete_fields = ("occupations", "contact_point")
    filter_horizontal = ("open_to", "closed_to", "sectors", "legal_sources")
    readonly_fields = ("created", "last_updated")
    inlines = (SalaryThresholdInline, LanguageRequirementInline, RequiredDocumentInline, FeeInline)
    fieldsets = (
        (None, {"fields": ("country", "code", "name", "description", "purpose", "publication_status")}),
        (
            _("Who it is for"),
            {
                "classes": ("collapse",),
                "fields": (
                    "skill_levels",
                    "occupations",
                    "open_to",
                    "closed_to",
                    "agreement_required",
                    "job_offer_required",
                    "qualification",
                    ("recognition_required", "recognition_accepts_comparable"),
                    "language_level",
                    ("min_age", "max_age"),
                    "employer_abroad_required",
                    "sectors",
                    "labour_market_test",
                    ("quota_size", "quota_period"),
                ),
            },
        ),
        (
            _("Applying"),
            {
                "classes": ("collapse",),
                "fields": (
                    "application_method",
                    "official_url",
                    "where_to_apply",
                    ("processing_days_min", "processing_days_max"),
                    "processing_basis",
                    "processing_note",
                    ("processing_source", "processing_article"),
                    "contact_point",
                ),
            },
        ),
        (
            _("Stay and rights"),
            {
                "classes": ("collapse",),
                "fields": (
                    ("initial_stay_months", "max_stay_months"),
                    "renewable",
                    "multiple_entry",
                    "change_of_employer_allowed",
                    "permanent_residence_after_months",
                    "dependents_allowed",
                    "spouse_may_work",
                ),
            },
        ),
        (
            _("Provisions that set the conditions"),
            {
                "classes": ("collapse",),
                "fields": (
                    ("occupation_source", "occupation_article"),
                    ("qualification_source", "qualification_article"),
                    ("recognition_source", "recognition_article"),
                    ("job_offer_source", "job_offer_article"),
                    ("language_source", "language_article"),
                    ("age_source", "age_article"),
                    ("purpose_source", "purpose_article"),
                ),
            },
        ),
        (_("Appeal"), {"classes": ("collapse",), "fields": ("appeal_procedure", "appeal_deadline_days")}),
        (
            _("Legal basis and validity"),
            {
                "classes": ("collapse",),
                "fields": ("legal_sources", ("valid_from", "valid_to"), "last_verified", "unknown_facts"),
            },
        ),
        (_("Record"), {"classes": ("collapse",), "fields": ("created", "last_updated")}),
    )


@admin.register(QualificationRecognition)
class QualificationRecognitionAdmin(CountryScopedAdminMixin, TranslationAdmin):
    list_display = ("country", "occupation", "area", "body", "regulated", "last_verified")
    list_filter = ("country", "area", "regulated")
    search_fields = ("occupation__title", "occupation__code", "procedure")
    autocomplete_fields = ("occupation", "body")
    filter_horizontal = ("legal_sources",)


@admin.register(VisaRequirement)
class VisaRequirementAdmin(CountryScopedAdminMixin, admin.ModelAdmin):
    list_display = ("nationality", "destination", "requirement", "days", "as_of")
    list_filter = ("requirement", "destination")
    search_fields = ("nationality__code", "nationality__name", "destination__code", "destination__name")
    list_select_related = ("nationality", "destination")
