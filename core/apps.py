from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor: base model, change log, fields, querysets, admin mixin, API base. Imports no app."""

    name = "core"
    verbose_name = _("Mobility Hub")

    def ready(self):
        from . import changelog, translations

        changelog.connect_signals()
        translations.connect_signals()
