from django.contrib.admin.apps import AdminConfig


class HubAdminConfig(AdminConfig):
    """Django's admin, with the hub's site (its home is the dashboard) as the default site."""

    default_site = "mobility_hub.admin_site.HubAdminSite"
