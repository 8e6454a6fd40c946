from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilityHubConfig(AppConfig):
    name = "mobility_hub"
    verbose_name = _("Mobility Hub")

    def ready(self):
        from . import changelog

        changelog.connect_signals()
