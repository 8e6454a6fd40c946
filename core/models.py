"""Base models shared by every app: timestamps, and the one change log."""

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackedModel(models.Model):
    """Every row records when it was created and last updated; every change goes into ObjectChange.

    `country_path` names the lookup from the model to its Country (or countries); the admin uses it
    to keep focal points inside their own countries and the change log to file each change under
    the countries it concerns. `None` means the row belongs to no single country (reference data).

    `public_history` says whether anyone may read the model's changes (page, feeds, API), and
    `publication_path` the lookup to the publication status that makes a row public (its own, or its
    parent's); `None` there means every row is public. ObjectChange.objects.public() reads only these.
    """

    created = models.DateTimeField(_("created"), auto_now_add=True, editable=False)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True, editable=False)

    country_path: str | None = None
    public_history: bool = False
    publication_path: str | None = None

    class Meta:
        abstract = True

    @property
    def text_origin(self):
        """What the row's texts are: {"original_language": the language its default-language texts
        are written in, "official_texts": its translated columns that hold an official wording}.
        Kept in TextTranslation (core.translations); set it before a save to change it."""
        if "_text_origin" not in self.__dict__:
            from .translations import text_origin_of

            self.__dict__["_text_origin"] = text_origin_of(self)
        return self.__dict__["_text_origin"]

    @text_origin.setter
    def text_origin(self, value):
        self.__dict__["_text_origin"] = {**self.text_origin_default, **(value or {})}
        self.__dict__["_text_origin_given"] = True

    text_origin_default = {"original_language": "en", "official_texts": []}


def public_history_models():
    """The models whose changes are public, as declared by each (TrackedModel.public_history)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, TrackedModel) and model.public_history and not model._meta.proxy
    ]


class ObjectChangeQuerySet(models.QuerySet):
    def public(self):
        """Changes anyone may read: the one answer behind the change page, the feeds and the change API.

        Whether a change is public is decided when it is recorded (core/changelog.py), from the
        model's declaration: of a model whose rows are always public, every change; of a publishable
        one, only what happened while the row was published, its publication (as the published
        state) and its withdrawal. Nothing a row held while unpublished is ever public.
        """
        return self.filter(public=True)


class ObjectChange(models.Model):
    """One created, changed or deleted row: who, when, before/after, and why."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        PUBLISH = "publish", _("published")

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
    public = models.BooleanField(
        _("public"),
        default=False,
        db_index=True,
        help_text=_("Shown in the public change history (the row was published, or is always public)."),
    )
    countries = models.ManyToManyField(settings.HUB_COUNTRY_MODEL, verbose_name=_("countries"), blank=True)

    objects = ObjectChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("change history")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"


class TextTranslation(models.Model):
    """What one text of a row is in one language: its original (when that is not English), an
    official wording, the hub's translation, or a translation a focal point reviewed.

    One row per (row, field, language) whose text is not a plain English original. `original_hash`
    is the hash of the original the translation was made from (or reviewed against); when the
    original changes, `out_of_date` is set until someone reviews the translation again. Kept current
    by core.translations from every save of a translated model (admin, pipeline, loader).
    """

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("original")
        OFFICIAL = "official", _("official text")
        HUB = "hub", _("the hub's translation")
        REVIEWED = "reviewed", _("reviewed translation")

    content_type = models.ForeignKey(ContentType, verbose_name=_("type"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_repr = models.CharField(_("row"), max_length=300, blank=True)
    field = models.CharField(_("field"), max_length=64)
    language = models.CharField(_("language"), max_length=5)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.HUB)
    original_hash = models.CharField(_("hash of the original"), max_length=64, blank=True)
    text_hash = models.CharField(_("hash of the text"), max_length=64, blank=True)
    out_of_date = models.BooleanField(
        _("may be out of date"),
        default=False,
        db_index=True,
        help_text=_("The original changed after this translation was made or reviewed."),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    recorded = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["content_type", "object_id", "field", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"], name="one_text_per_field_language"
            )
        ]

    def __str__(self):
        return f"{self.object_repr} · {self.field} ({self.language})"
