"""Admin: focal points upload files for their own countries and follow their validation, read the
report and the diff a page at a time; hub editors review.

Access follows the hub's roles rather than model permissions: a focal point (a user with country
memberships) or a hub editor may upload and read; only a hub editor other than the submitter may
review (checked again in the service).
"""

import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import CountryScopedAdminMixin
from core.permissions import editable_country_codes, is_hub_editor

from . import reports, selectors, services, spreadsheets
from .format import SECTIONS
from .models import FeedSource, Report, Submission, SubmissionAttempt


def _takes_part(user):
    codes = editable_country_codes(user)
    return user.is_active and user.is_staff and (codes is None or bool(codes))


class RoleAccessMixin:
    def has_module_permission(self, request):
        return _takes_part(request.user)

    def has_view_permission(self, request, obj=None):
        return _takes_part(request.user) and self._owns(request, obj)

    def has_add_permission(self, request):
        return _takes_part(request.user)


WITHDRAWAL_LABEL = _("I mean to withdraw these rows")
ADMIN_PAGE_ROWS = 50  # errors or diff entries on a page of the submission's page
IN_PROGRESS = (Submission.Status.RECEIVED, Submission.Status.VALIDATING)


class SubmissionForm(forms.ModelForm):
    class Meta:
        model = Submission
        fields = ["country", "file", "withdrawal_confirmed"]
        labels = {"withdrawal_confirmed": WITHDRAWAL_LABEL}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "withdrawal_confirmed" in self.fields:
            self.fields["withdrawal_confirmed"].help_text = gettext(
                "The published rows the file leaves out are withdrawn. A file that would withdraw more than "
                "%(percent)s %% of a table's published rows is held unless this is ticked."
            ) % {"percent": f"{settings.SUBMISSION_WITHDRAWAL_HOLD_PERCENT:g}"}

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file and file.size > settings.SUBMISSION_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large: %(size)s bytes, the limit is %(limit)s bytes."),
                params={"size": file.size, "limit": settings.SUBMISSION_MAX_BYTES},
            )
        return file


class ReviewForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    confirm_withdrawal = forms.BooleanField(label=WITHDRAWAL_LABEL, required=False)


class AttemptInline(admin.TabularInline):
    model = SubmissionAttempt
    fields = ("step", "outcome", "started", "finished", "task_id", "message")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True


@admin.register(Submission)
class SubmissionAdmin(RoleAccessMixin, CountryScopedAdminMixin, admin.ModelAdmin):
    form = SubmissionForm
    inlines = [AttemptInline]
    list_display = ("id", "country", "status", "submitter", "detected_format", "source", "created", "reviewer")
    list_filter = ("status", "source", "country")
    list_select_related = ("country", "submitter", "reviewer")
    date_hierarchy = "created"
    change_form_template = "admin/submissions/submission/change_form.html"
    change_list_template = "admin/submissions/submission/change_list.html"
    readonly_fields = (
        "country",
        "status",
        "submitter",
        "source",
        "original_name",
        "size",
        "sha256",
        "detected_format",
        "language",
        "progress",
        "summary",
        "reviewer",
        "review_reason",
        "withdrawal_confirmed",
        "created",
        "validated_at",
        "reviewed_at",
        "published_at",
    )

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []

    def get_fields(self, request, obj=None):
        return ["country", "file", "withdrawal_confirmed"] if obj is None else list(self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            created = services.submission_create(
                submitter=request.user,
                country=form.cleaned_data["country"],
                file=form.cleaned_data["file"],
                name=form.cleaned_data["file"].name,
                confirm_withdrawal=form.cleaned_data.get("withdrawal_confirmed", False),
            )
        except services.SubmissionError as error:
            raise PermissionDenied(str(error)) from error
        obj.pk = created.pk
        obj.__dict__.update({key: value for key, value in created.__dict__.items() if not key.startswith("_")})

    def save_related(self, request, form, formsets, change):
        pass

    @admin.display(description=_("summary"))
    def summary(self, obj):
        report = obj.report or {}
        counts = report.get("summary", {})
        return format_html(
            "{} rows ({}) · {} errors · added {}, changed {}, withdrawn {}, unchanged {}",
            report.get("rows", 0),
            report.get("format", ""),
            report.get("error_count", 0),
            counts.get("added", 0),
            counts.get("changed", 0),
            counts.get("withdrawn", 0),
            counts.get("unchanged", 0),
        )

    @admin.display(description=_("progress"))
    def progress(self, obj):
        if obj.status == Submission.Status.RECEIVED:
            return gettext("Waiting to be validated.")
        if obj.rows_total is not None:
            return gettext("%(read)s of %(total)s rows read.") % {"read": obj.rows_read, "total": obj.rows_total}
        return gettext("%(read)s rows read.") % {"read": obj.rows_read}

    def _pages(self, request, submission):
        """The page of errors and the page of the diff that the request asks for (?errors_page=, ?diff_page=)."""
        errors = Paginator(selectors.report_errors(submission), ADMIN_PAGE_ROWS).get_page(
            request.GET.get("errors_page")
        )
        diff = Paginator(selectors.diff_entries(submission), ADMIN_PAGE_ROWS).get_page(request.GET.get("diff_page"))
        report = submission.report or {}
        notes = [*report.get("warnings", []), *[report[k] for k in ("publish_error", "sweep_error") if k in report]]
        return {
            "errors_page": errors,
            "report_notes": notes,
            "diff_page": diff,
            "diff_rows": [_diff_row(entry) for entry in diff],
            "errors_page_number": errors.number,
            "diff_page_number": diff.number,
        }

    def get_urls(self):
        own = [
            path(
                "<int:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="submissions_submission_review",
            ),
            path(
                "template/<str:sheet>.csv",
                self.admin_site.admin_view(self.template_csv_view),
                name="submissions_submission_template_csv",
            ),
            path(
                "template.xlsx",
                self.admin_site.admin_view(self.template_xlsx_view),
                name="submissions_submission_template_xlsx",
            ),
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "template_sheets": SECTIONS}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        submission = self.get_object(request, object_id)
        can_review = (
            submission is not None
            and submission.status == Submission.Status.READY_FOR_REVIEW
            and is_hub_editor(request.user)
            and submission.submitter_id != request.user.pk
        )
        extra_context = {
            **(extra_context or {}),
            "can_review": can_review,
            "review_form": ReviewForm(),
            "withdrawal_hold": (submission.report or {}).get("withdrawal_hold", []) if submission else [],
            "in_progress": submission is not None and submission.status in IN_PROGRESS,
            **(self._pages(request, submission) if submission is not None else {}),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def review_view(self, request, object_id):
        submission = get_object_or_404(self.get_queryset(request), pk=object_id)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:submissions_submission_change", args=[submission.pk]))
        form = ReviewForm(request.POST)
        form.is_valid()
        reason = form.cleaned_data.get("reason", "")
        try:
            if "approve" in request.POST:
                services.submission_approve(
                    submission=submission,
                    reviewer=request.user,
                    reason=reason,
                    confirm_withdrawal=form.cleaned_data.get("confirm_withdrawal", False),
                )
                self.message_user(request, _("Approved: the submission is being published."), messages.SUCCESS)
            else:
                services.submission_reject(submission=submission, reviewer=request.user, reason=reason)
                self.message_user(request, _("Rejected. The file is kept."), messages.SUCCESS)
        except services.SubmissionError as error:
            self.message_user(request, str(error), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:submissions_submission_change", args=[submission.pk]))

    def template_csv_view(self, request, sheet):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if sheet not in SECTIONS:
            return HttpResponse(status=404)
        response = HttpResponse(spreadsheets.template_csv(sheet), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="mobility-hub-{sheet}.csv"'
        return response

    def template_xlsx_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        response = HttpResponse(
            spreadsheets.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="mobility-hub-common-format.xlsx"'
        return response


def _diff_row(entry):
    """(kind, sheet, key, what) of a diff entry for the admin's table."""
    data = entry.data
    if entry.kind == "changed":
        what = "; ".join(
            f"{name}: {json.dumps(before, ensure_ascii=False)} → {json.dumps(after, ensure_ascii=False)}"
            for name, (before, after) in data.get("fields", {}).items()
        )
    elif entry.kind == "added":
        what = json.dumps(data.get("values", {}), ensure_ascii=False)
    else:
        what = data.get("label", "")
    return entry.get_kind_display(), entry.sheet, entry.key, what if len(what) <= 500 else what[:499] + "…"


@admin.register(FeedSource)
class FeedSourceAdmin(RoleAccessMixin, CountryScopedAdminMixin, admin.ModelAdmin):
    list_display = ("country", "url", "active", "last_checked", "last_result")
    list_filter = ("active", "country")
    fields = ("country", "url", "active", "submitter", "etag", "last_modified", "last_checked", "last_result")
    readonly_fields = ("submitter", "etag", "last_modified", "last_checked", "last_result")

    def has_change_permission(self, request, obj=None):
        return _takes_part(request.user) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.submitter = request.user
        super().save_model(request, obj, form, change)


# The data apps' admins propose their writes as submissions (imported last: it wraps registered admins).
from . import admin_proposals  # noqa: E402, F401


@admin.register(Report)
class ReportAdmin(RoleAccessMixin, CountryScopedAdminMixin, admin.ModelAdmin):
    """Readers' reports: focal points see their countries' reports, hub editors all. Acting on one
    means opening the fact's own admin page (where an edit becomes a proposed change) and naming the
    submission it led to; closing it (fixed, rejected) erases the reporter's email."""

    list_display = ("id", "created", "status", "fact", "country_codes", "short_message", "submission")
    list_filter = ("status", "countries")
    search_fields = ("object_repr", "message")
    date_hierarchy = "created"
    fields = (
        "fact",
        "page_link",
        "country_codes",
        "message",
        "source_url",
        "email",
        "language",
        "created",
        "status",
        "submission",
        "closed_at",
    )
    # What the reader sent is kept as sent: only the status and the submission it led to are edited.
    readonly_fields = tuple(name for name in fields if name not in ("status", "submission"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("content_type", "submission").prefetch_related("countries")

    def has_add_permission(self, request):
        return False  # reports come from the public form only

    def has_change_permission(self, request, obj=None):
        return _takes_part(request.user) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, **kwargs):
        # The mixin's form checks owner fields the form edits; a report's countries are not edited
        # (derived from the fact), its ownership is checked in has_change_permission and save_model.
        return super(CountryScopedAdminMixin, self).get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        self._check_ownership(request, obj)
        if obj.status in Report.CLOSED and form.initial.get("status") not in Report.CLOSED:
            reports.report_close(report=obj, status=obj.status, submission=obj.submission)
            obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        pass  # the countries are derived from the fact when the report is sent, never edited

    @admin.display(description=_("fact"), ordering="object_repr")
    def fact(self, obj):
        content_type = obj.content_type
        try:
            url = reverse(f"admin:{content_type.app_label}_{content_type.model}_change", args=[obj.object_key])
        except NoReverseMatch:
            return obj.object_repr
        return format_html('<a href="{}">{}</a>', url, obj.object_repr)

    @admin.display(description=_("page"))
    def page_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.page, obj.page) if obj.page else "–"

    @admin.display(description=_("countries concerned"))
    def country_codes(self, obj):
        return ", ".join(sorted(country.pk for country in obj.countries.all()))

    @admin.display(description=_("what is wrong or missing"))
    def short_message(self, obj):
        return obj.message if len(obj.message) <= 80 else obj.message[:79] + "…"
