from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    """What spans the data apps for a person asking: eligibility, comparison, search, home, change feed."""

    name = "guidance"
    verbose_name = _("Guidance")

    def ready(self):
        # The pipeline announces a publish (it never imports guidance); the bulk download, which
        # reads every app, is built from here.
        from submissions.signals import data_published

        data_published.connect(_rebuild_package, dispatch_uid="guidance-datapackage")


def _rebuild_package(sender, **kwargs):
    from .datapackage import datapackage_schedule

    datapackage_schedule()
