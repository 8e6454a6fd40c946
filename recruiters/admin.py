from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from core.admin import ArabicRightToLeftMixin, CountryScopedAdminMixin, PublicPageAdminMixin

from .models import CertificationLabel, EnforcementAction, RecruitmentAgency, RecruitmentRegime


@admin.register(RecruitmentRegime)
class RecruitmentRegimeAdmin(PublicPageAdminMixin, CountryScopedAdminMixin, TranslationAdmin):
    list_display = ("country", "licensing_authority", "worker_fee_rule", "publication_status", "last_verified")
    list_filter = ("worker_fee_rule", "publication_status", "standard_contract_required")
    search_fields = ("country__name", "summary")
    filter_horizontal = ("legal_sources",)
    readonly_fields = ("created", "last_updated")


@admin.register(CertificationLabel)
class CertificationLabelAdmin(ArabicRightToLeftMixin, TranslationAdmin):
    list_display = ("name", "issuer", "url")
    search_fields = ("code", "name", "issuer")


class EnforcementActionInline(CountryScopedAdminMixin, TranslationStackedInline):
    model = EnforcementAction
    extra = 0
    fields = (("date", "action", "ends_on"), "description", ("fine_amount", "fine_currency"), "legal_sources")


@admin.register(RecruitmentAgency)
class RecruitmentAgencyAdmin(PublicPageAdminMixin, CountryScopedAdminMixin, admin.ModelAdmin):
    list_display = ("legal_name", "licence_number", "country", "status", "valid_until", "is_example", "last_confirmed")
    list_filter = ("status", "country", "is_example", "publication_status", "sectors")
    search_fields = ("legal_name", "licence_number", "address")
    filter_horizontal = ("destinations", "sectors", "labels", "legal_sources")
    readonly_fields = ("created", "last_updated")
    inlines = (EnforcementActionInline,)
    list_select_related = ("country",)
