"""The two roles of the hub, as Django groups: hub editors and focal points."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from countries.models import CountryMembership

HUB_EDITORS = "Hub editors"
FOCAL_POINTS = "Focal points"

# Data a focal point keeps for their own countries (the admin narrows every row to those).
FOCAL_POINT_EDITS = {
    "countries": ["legalsource", "contactpoint", "corridor", "agreement"],
    "permits": ["permitcategory", "salarythreshold", "requireddocument", "fee", "qualificationrecognition"],
    "recruiters": ["recruitmentregime", "recruitmentagency", "enforcementaction"],
}
# Reference data and history a focal point may read but not change.
FOCAL_POINT_VIEWS = {
    "countries": ["country", "sector", "countrymembership"],
    "permits": ["iscogroup", "escooccupation", "visarequirement"],
    "recruiters": ["certificationlabel"],
    "core": ["objectchange"],
}
HUB_APPS = ("countries", "permits", "recruiters", "core")


def _permissions(app_label, models, actions):
    codenames = [f"{action}_{model}" for model in models for action in actions]
    return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)


@transaction.atomic
def roles_sync():
    """Create or refresh both groups with their permissions."""
    editors, _ = Group.objects.get_or_create(name=HUB_EDITORS)
    editors.permissions.set(Permission.objects.filter(content_type__app_label__in=HUB_APPS))
    focal_points, _ = Group.objects.get_or_create(name=FOCAL_POINTS)
    permissions = []
    for app_label, models in FOCAL_POINT_EDITS.items():
        permissions += _permissions(app_label, models, ("add", "change", "delete", "view"))
    for app_label, models in FOCAL_POINT_VIEWS.items():
        permissions += _permissions(app_label, models, ("view",))
    focal_points.permissions.set(permissions)
    return editors, focal_points


@transaction.atomic
def account_create(*, username, role, countries=(), reset_password=False):
    """Create a staff account in `role` (HUB_EDITORS or FOCAL_POINTS); return (user, new password or None).

    The password is generated here and returned once; it is stored only as a hash.
    """
    roles_sync()
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username, defaults={"is_staff": True})
    password = None
    if created or reset_password:
        password = secrets.token_urlsafe(12)
        user.set_password(password)
    user.is_staff = True
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    for code in countries:
        CountryMembership.objects.get_or_create(user=user, country_id=code)
    return user, password
