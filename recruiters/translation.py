from modeltranslation.translator import TranslationOptions, register

from .models import CertificationLabel, EnforcementAction, RecruitmentRegime


@register(RecruitmentRegime)
class RecruitmentRegimeTranslation(TranslationOptions):
    fields = ("summary", "worker_fee_note", "penalties", "incentives", "unknown_facts")


@register(CertificationLabel)
class CertificationLabelTranslation(TranslationOptions):
    fields = ("name", "description")


@register(EnforcementAction)
class EnforcementActionTranslation(TranslationOptions):
    fields = ("description",)
