from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitersConfig(AppConfig):
    name = "recruiters"
    verbose_name = _("Recruitment")
