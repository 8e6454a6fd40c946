from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    """What spans the data apps for a person asking: eligibility, comparison, search, home, change feed."""

    name = "guidance"
    verbose_name = _("Guidance")
