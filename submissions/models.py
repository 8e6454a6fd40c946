import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.querysets import CountryScopedQuerySet

from .fetching import FetchRefused, check_url


def submission_file_path(submission, filename):
    # The stored name never comes from the upload: no path tricks, nothing served back raw.
    return f"submissions/{submission.country_id}/{uuid.uuid4().hex}.upload"


class Submission(models.Model):
    """One file sent by a focal point (or pulled from a country's feed), and its way to publication."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        VALIDATING = "validating", _("validating")
        INVALID = "invalid", _("invalid")
        READY_FOR_REVIEW = "ready_for_review", _("ready for review")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")
        FAILED = "failed", _("failed")

    class Format(models.TextChoices):
        JSON = "json", "JSON"
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class Source(models.TextChoices):
        UPLOAD = "upload", _("upload")
        FEED = "feed", _("feed")
        ADMIN_FORM = "admin_form", _("admin form")

    country = models.ForeignKey(
        "countries.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="submissions"
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitter"), on_delete=models.PROTECT, related_name="submissions"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.UPLOAD)
    # An admin form's proposal names the rows it withdraws ({sheet: [row keys]}): its document holds
    # only the rows it adds or changes, so leaving a row out withdraws nothing.
    withdrawals = models.JSONField(_("rows withdrawn"), default=dict, blank=True)
    file = models.FileField(_("file"), upload_to=submission_file_path)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    detected_format = models.CharField(_("format"), max_length=5, choices=Format.choices, blank=True)
    language = models.CharField(_("language of the report"), max_length=10, default="en")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    status_changed = models.DateTimeField(_("status changed"), auto_now_add=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    # Progress of the validation, written as the rows are read; the total when it is known.
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_submissions",
    )
    review_reason = models.TextField(_("reason"), blank=True)
    withdrawal_confirmed = models.BooleanField(
        _("withdrawal confirmed by the submitter"),
        default=False,
        help_text=_(
            "The submitter means to withdraw the published rows the file leaves out, even when they are "
            "more than SUBMISSION_WITHDRAWAL_HOLD_PERCENT of a table."
        ),
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrections",
        help_text=_("The earlier submission (invalid or rejected) whose file this one corrects."),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True)

    country_path = "country"
    objects = CountryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["status", "status_changed"])]

    def __str__(self):
        return f"#{self.pk} {self.country_id} ({self.get_status_display()})"


class SubmissionDiffEntry(models.Model):
    """One row of a submission's diff (added, changed or withdrawn), stored apart from the submission
    so that a diff of a hundred thousand rows is written a chunk at a time and read a page at a time."""

    class Kind(models.TextChoices):
        ADDED = "added", _("added")
        CHANGED = "changed", _("changed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="diff_entries"
    )
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sheet = models.CharField(_("sheet"), max_length=40)
    key = models.CharField(_("key"), max_length=300)
    # added: {"values": row}; changed: {"fields": {name: [before, after]}}; withdrawn: {"label": text}
    data = models.JSONField(_("data"), default=dict)

    class Meta:
        verbose_name = _("diff entry")
        verbose_name_plural = _("diff entries")
        ordering = ["submission", "position"]
        constraints = [models.UniqueConstraint(fields=["submission", "position"], name="unique_diff_entry_position")]
        indexes = [models.Index(fields=["submission", "kind", "position"], name="submission_diff_kind_idx")]

    def __str__(self):
        return f"{self.kind} {self.sheet} {self.key}"

    def as_dict(self):
        return {"kind": self.kind, "sheet": self.sheet, "key": self.key, **self.data}


class SubmissionAttempt(models.Model):
    """One run of a pipeline step: written before the work starts and finished after, so a run that
    died (a killed worker) stays visible, and the sweep can count the tries."""

    class Step(models.TextChoices):
        VALIDATE = "validate", _("validate")
        PUBLISH = "publish", _("publish")

    class Outcome(models.TextChoices):
        STARTED = "started", _("started (did not finish)")
        DONE = "done", _("done")
        SKIPPED = "skipped", _("skipped: already done")
        FAILED = "failed", _("failed")

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="attempts"
    )
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    started = models.DateTimeField(_("started"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.STARTED)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["started", "id"]

    def __str__(self):
        return f"{self.get_step_display()} {self.get_outcome_display()}"


class FeedSource(models.Model):
    """A URL where a country publishes its data in the common format; the hub pulls it on a schedule."""

    country = models.ForeignKey(
        "countries.Country", verbose_name=_("country"), on_delete=models.CASCADE, related_name="feed_sources"
    )
    url = models.URLField(_("URL"), max_length=500)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted as"),
        on_delete=models.PROTECT,
        help_text=_("The focal point in whose name pulled files are submitted."),
    )
    active = models.BooleanField(_("active"), default=True)
    etag = models.CharField(_("ETag"), max_length=200, blank=True)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)
    content_sha256 = models.CharField(_("SHA-256 of the last file"), max_length=64, blank=True)
    last_checked = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_result = models.CharField(_("last result"), max_length=300, blank=True)

    country_path = "country"
    objects = CountryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("feed source")
        verbose_name_plural = _("feed sources")
        ordering = ["country", "url"]
        constraints = [models.UniqueConstraint(fields=["country", "url"], name="unique_feed_source")]

    def __str__(self):
        return f"{self.country_id}: {self.url}"

    def clean(self):
        # Checked again at every fetch (fetching.py): a name may resolve elsewhere later.
        if self.url:
            try:
                check_url(self.url)
            except FetchRefused as error:
                raise ValidationError(
                    {"url": _("This URL cannot be a feed: %(reason)s.") % {"reason": error}}
                ) from None


class Report(models.Model):
    """A reader's report of a wrong or missing fact on a public page, sent without an account.

    It names the fact (its model and key) and the countries it concerns, derived once, when it is
    sent, from the fact's `country_path` as the change log and the admin scoping do: the focal points
    of those countries see it, the hub editors all. The reporter's email is kept only while the
    report is open (erased by `report_close`). Not a TrackedModel: the change log would keep the email.
    """

    class Status(models.TextChoices):
        NEW = "new", _("new")
        CHECKED = "checked", _("checked")
        FIXED = "fixed", _("fixed")
        REJECTED = "rejected", _("rejected")

    OPEN = (Status.NEW, Status.CHECKED)
    CLOSED = (Status.FIXED, Status.REJECTED)

    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("kind of fact"), on_delete=models.PROTECT, related_name="+"
    )
    object_key = models.CharField(_("key of the fact"), max_length=64)
    object_repr = models.CharField(_("fact"), max_length=300)
    page = models.CharField(_("page"), max_length=500, blank=True)
    countries = models.ManyToManyField(
        "countries.Country", verbose_name=_("countries concerned"), related_name="reports", blank=True
    )
    message = models.TextField(_("what is wrong or missing"), max_length=4000)
    source_url = models.URLField(_("link to a source"), max_length=500, blank=True)
    email = models.EmailField(_("email for a reply"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("proposed change"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        help_text=_("The submission (proposed change) this report led to, if any."),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True)

    country_path = "countries"
    objects = CountryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report of a wrong fact")
        verbose_name_plural = _("reports of wrong facts")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["status", "created"], name="report_status_created_idx")]

    def __str__(self):
        return f"#{self.pk} {self.object_repr} ({self.get_status_display()})"

    @property
    def is_open(self):
        return self.status in self.OPEN
