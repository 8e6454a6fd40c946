from modeltranslation.translator import TranslationOptions, register

from .models import Agreement, ContactPoint, Corridor, Country, LegalSource, Sector


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = ("name", "official_name")


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)


@register(LegalSource)
class LegalSourceTranslation(TranslationOptions):
    fields = ("title", "note")


@register(ContactPoint)
class ContactPointTranslation(TranslationOptions):
    fields = ("name", "address")


@register(Corridor)
class CorridorTranslation(TranslationOptions):
    fields = ("notes",)


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("title", "summary", "recruitment_cost_rule", "unknown_facts")
