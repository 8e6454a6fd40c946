"""Base models shared by every app: timestamps, and the one change log."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackedModel(models.Model):
    """Every row records when it was created and last updated; every change goes into ObjectChange.

    `country_path` names the lookup from the model to its Country (or countries); the admin uses it
    to keep focal points inside their own countries and the change log to file each change under
    the countries it concerns. `None` means the row belongs to no single country (reference data).
    """

    created = models.DateTimeField(_("created"), auto_now_add=True, editable=False)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True, editable=False)

    country_path: str | None = None

    class Meta:
        abstract = True


class ObjectChange(models.Model):
    """One created, changed or deleted row: who, when, before/after, and why."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.UUIDField(_("request id"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, verbose_name=_("type"), on_delete=models.PROTECT)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=300)
    changes = models.JSONField(
        _("changes"),
        default=dict,
        help_text=_("For a new row its values; for a change {field: [before, after]}; for a deletion the last values."),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    countries = models.ManyToManyField(settings.HUB_COUNTRY_MODEL, verbose_name=_("countries"), blank=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("change history")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"
