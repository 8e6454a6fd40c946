"""The hub's admin site: its home is each person's dashboard, what awaits them (submissions.workload),
above the list of the data they keep."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.permissions import is_hub_editor


class HubAdminSite(admin.AdminSite):
    site_header = "Mobility Hub"
    site_title = _("Mobility Hub admin")
    index_title = _("What awaits you")
    index_template = "admin/dashboard.html"

    def index(self, request, extra_context=None):
        # Imported here: the site is built while the apps' admin modules register on it.
        from submissions import workload

        groups = workload.by_country(workload.tasks_of(request.user))
        context = {
            "task_groups": groups,
            "task_count": sum(group.count for group in groups),
            "hub_editor": is_hub_editor(request.user),
        }
        return super().index(request, {**context, **(extra_context or {})})
