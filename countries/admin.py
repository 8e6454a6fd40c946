from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from core.admin import ArabicRightToLeftMixin, CountryScopedAdminMixin, PublicPageAdminMixin

from .models import Agreement, ContactPoint, Corridor, Country, CountryMembership, LegalSource, Sector


@admin.register(Country)
class CountryAdmin(PublicPageAdminMixin, CountryScopedAdminMixin, TranslationAdmin):
    list_display = ("code", "name", "iso3", "data_version", "last_updated")
    search_fields = ("code", "iso3", "name", "name_fr", "name_ar", "name_de")
    readonly_fields = ("data_version", "created", "last_updated")


@admin.register(CountryMembership)
class CountryMembershipAdmin(CountryScopedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "country", "created")
    list_filter = ("country",)
    search_fields = ("user__username", "user__email", "country__name")
    autocomplete_fields = ("user",)


@admin.register(Sector)
class SectorAdmin(ArabicRightToLeftMixin, TranslationAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(LegalSource)
class LegalSourceAdmin(CountryScopedAdminMixin, TranslationAdmin):
    list_display = ("key", "title", "article", "country", "kind", "version_date", "last_verified")
    list_filter = ("kind", "country", "last_verified")
    search_fields = ("key", "title", "article", "url", "publisher", "identifier")
    date_hierarchy = "last_verified"
    readonly_fields = ("created", "last_updated")


@admin.register(ContactPoint)
class ContactPointAdmin(CountryScopedAdminMixin, TranslationAdmin):
    list_display = ("name", "kind", "country", "url")
    list_filter = ("kind", "country")
    search_fields = ("key", "name", "email", "url")


@admin.register(Corridor)
class CorridorAdmin(PublicPageAdminMixin, CountryScopedAdminMixin, TranslationAdmin):
    list_display = ("__str__", "origin", "destination", "last_updated")
    list_filter = ("origin", "destination")
    search_fields = ("origin__name", "destination__name")


@admin.register(Agreement)
class AgreementAdmin(PublicPageAdminMixin, CountryScopedAdminMixin, TranslationAdmin):
    list_display = ("title", "type", "status", "signed_on", "in_force_on", "publication_status", "last_verified")
    list_filter = ("type", "status", "publication_status", "parties")
    search_fields = ("key", "title", "summary")
    filter_horizontal = ("parties", "destinations", "sectors", "intermediaries", "legal_sources")
    autocomplete_fields = ("occupations",)
    readonly_fields = ("created", "last_updated")
    fieldsets = (
        (
            None,
            {"fields": ("key", "type", "title", "summary", "parties", "destinations", "status", "publication_status")},
        ),
        (_("Dates"), {"fields": ("signed_on", "in_force_on", "expires_on", "last_verified")}),
        (_("Scope"), {"fields": ("sectors", "occupations", "quota_size", "quota_period", "intermediaries")}),
        (
            _("Workers' protection"),
            {
                "fields": (
                    "recruitment_cost_rule",
                    "pre_departure_training",
                    "pension_portability",
                    "health_coverage",
                )
            },
        ),
        (_("Sources"), {"fields": ("full_text_url", "legal_sources", "unknown_facts", "created", "last_updated")}),
    )
