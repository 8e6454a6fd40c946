from modeltranslation.translator import TranslationOptions, register

from .models import (
    EscoOccupation,
    Fee,
    IscoGroup,
    PermitCategory,
    QualificationRecognition,
    RequiredDocument,
    SalaryThreshold,
)


@register(IscoGroup)
class IscoGroupTranslation(TranslationOptions):
    fields = ("title",)


@register(EscoOccupation)
class EscoOccupationTranslation(TranslationOptions):
    fields = ("title",)


@register(PermitCategory)
class PermitCategoryTranslation(TranslationOptions):
    fields = ("name", "description", "application_method", "processing_note", "appeal_procedure", "unknown_facts")


@register(SalaryThreshold)
class SalaryThresholdTranslation(TranslationOptions):
    fields = ("label",)


@register(RequiredDocument)
class RequiredDocumentTranslation(TranslationOptions):
    fields = ("name", "notes")


@register(Fee)
class FeeTranslation(TranslationOptions):
    fields = ("name", "notes")


@register(QualificationRecognition)
class QualificationRecognitionTranslation(TranslationOptions):
    fields = ("procedure",)
