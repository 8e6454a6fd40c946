"""Admin: focal points upload files for their own countries and follow their validation, read the
report and the diff a page at a time; hub editors review.

Access follows the hub's roles rather than model permissions: a focal point (a user with country
memberships) or a hub editor may upload and read; only a hub editor other than the submitter may
review (checked again in the service).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import CountryScopedAdminMixin
from core.permissions import editable_country_codes, is_hub_editor
from countries.models import Country

from . import admin_preview, reports, selectors, services, spreadsheets
from .format import REFERENCE_SECTIONS, SECTIONS, sheet_named, sheets_of
from .models import FeedSource, Report, Submission, SubmissionAttempt
from .validation import error_sheet


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
# A file in these states is not published: its submitter sends a corrected one.
CORRECTABLE = (Submission.Status.INVALID, Submission.Status.REJECTED, Submission.Status.FAILED)


class SubmissionForm(forms.ModelForm):
    class Meta:
        model = Submission
        fields = ["country", "file", "withdrawal_confirmed", "corrects"]
        labels = {"withdrawal_confirmed": WITHDRAWAL_LABEL}
        widgets = {"corrects": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "withdrawal_confirmed" in self.fields:
            self.fields["withdrawal_confirmed"].help_text = gettext(
                "The published rows the file leaves out are withdrawn. A file that would withdraw more than "
                "%(percent)s %% of a table's published rows is held unless this is ticked."
            ) % {"percent": f"{settings.SUBMISSION_WITHDRAWAL_HOLD_PERCENT:g}"}

    def clean(self):
        cleaned_data = super().clean()
        corrects, country = cleaned_data.get("corrects"), cleaned_data.get("country")
        if corrects is not None and country is not None and corrects.country_id != country.pk:
            self.add_error(
                "country",
                _("The file corrects submission #%(id)s, of %(country)s: choose that country.")
                % {"id": corrects.pk, "country": corrects.country_id},
            )
        return cleaned_data

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
        "corrects",
        "corrected_by",
        "created",
        "validated_at",
        "reviewed_at",
        "published_at",
    )

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []

    def get_fields(self, request, obj=None):
        return ["country", "file", "withdrawal_confirmed", "corrects"] if obj is None else list(self.readonly_fields)

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
                corrects=form.cleaned_data.get("corrects"),
            )
        except services.SubmissionError as error:
            raise PermissionDenied(str(error)) from error
        obj.pk = created.pk
        obj.__dict__.update({key: value for key, value in created.__dict__.items() if not key.startswith("_")})

    def save_related(self, request, form, formsets, change):
        pass

    def response_add(self, request, obj, post_url_continue=None):
        """To the submission's page, whose note says what became of the file (status_note), rather
        than the admin's "was added successfully", which a file found invalid would contradict."""
        return HttpResponseRedirect(reverse("admin:submissions_submission_change", args=[obj.pk]))

    @admin.display(description=_("summary"))
    def summary(self, obj):
        report = obj.report or {}
        counts = report.get("summary", {})
        return gettext(
            "%(rows)s rows (%(format)s) · %(errors)s errors · added %(added)s, changed %(changed)s, "
            "withdrawn %(withdrawn)s, unchanged %(unchanged)s"
        ) % {
            "rows": report.get("rows", 0),
            "format": report.get("format", ""),
            "errors": report.get("error_count", 0),
            **{kind: counts.get(kind, 0) for kind in ("added", "changed", "withdrawn", "unchanged")},
        }

    @admin.display(description=_("corrected by"))
    def corrected_by(self, obj):
        """The later submissions whose files correct this one's, linked."""
        later = list(obj.corrections.order_by("pk").values_list("pk", flat=True))
        if not later:
            return "–"
        return format_html_join(
            ", ",
            '<a href="{}">#{}</a>',
            ((reverse("admin:submissions_submission_change", args=[pk]), pk) for pk in later),
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
        errors = Paginator(errors_by_sheet(selectors.report_errors(submission)), ADMIN_PAGE_ROWS).get_page(
            request.GET.get("errors_page")
        )
        diff = Paginator(selectors.diff_entries(submission), ADMIN_PAGE_ROWS).get_page(request.GET.get("diff_page"))
        report = submission.report or {}
        notes = [*report.get("warnings", []), *[report[k] for k in ("publish_error", "sweep_error") if k in report]]
        return {
            "errors_page": errors,
            "report_notes": notes,
            "diff_page": diff,
            "error_groups": _error_groups(errors, report.get("error_counts", {})),
            "diff_rows": [diff_row(entry) for entry in diff],
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
                "<int:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="submissions_submission_preview",
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
            "status_note": status_note(submission) if submission is not None else None,
            "correct_url": self._correct_url(submission),
            "preview_url": (
                reverse("admin:submissions_submission_preview", args=[submission.pk])
                if submission is not None and submission.status in admin_preview.PREVIEWABLE
                else None
            ),
            **(self._pages(request, submission) if submission is not None else {}),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _correct_url(self, submission):
        """The add form for a corrected file of `submission` (its country chosen, the correction
        recorded), or None when the submission needs none (an admin form's proposal is edited anew instead)."""
        if submission is None or submission.status not in CORRECTABLE:
            return None
        if submission.source == Submission.Source.ADMIN_FORM:
            return None
        query = urlencode({"country": submission.country_id, "corrects": submission.pk})
        return f"{reverse('admin:submissions_submission_add')}?{query}"

    def preview_view(self, request, object_id):
        """The public pages the submission changes, as they will look once published (admin_preview.py)."""
        submission = get_object_or_404(self.get_queryset(request), pk=object_id)
        return admin_preview.preview_view(self, request, submission)

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

    def _template_country(self, request):
        """The country whose published rows fill the template: ?country=XX among those the user may
        edit, else a focal point's own (the first of several); None (examples) for a hub editor."""
        codes = editable_country_codes(request.user)
        asked = request.GET.get("country", "").strip().upper()
        if asked:
            if codes is not None and asked not in codes:
                raise PermissionDenied
            get_object_or_404(Country, pk=asked)
            return asked
        return min(codes) if codes else None

    def template_csv_view(self, request, sheet):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if sheet not in SECTIONS:
            return HttpResponse(status=404)
        country = self._template_country(request)
        response = HttpResponse(
            spreadsheets.template_csv(sheet, country=country), content_type="text/csv; charset=utf-8"
        )
        name = f"mobility-hub-{country}-{sheet}" if country else f"mobility-hub-{sheet}"
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

    def template_xlsx_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        country = self._template_country(request)
        response = HttpResponse(
            spreadsheets.template_xlsx(country=country),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"mobility-hub-{country}-common-format" if country else "mobility-hub-common-format"
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


def status_note(submission):
    """(level, text) of the note at the top of a submission's page: what became of the file and what
    comes next, for its status as it is now (the page reloads while the file is being checked)."""
    status, report = submission.status, submission.report or {}
    which = gettext("Submission #%(id)s (%(country)s):") % {"id": submission.pk, "country": submission.country_id}
    if status in IN_PROGRESS:
        return "info", f"{which} {gettext('the file is being checked; the report appears below when it is done.')}"
    if status == Submission.Status.INVALID:
        count = report.get("error_count", 0)
        what = ngettext(
            "%(count)s error. See the report below, fix it and upload a corrected file.",
            "%(count)s errors. See the report below, fix them all and upload a corrected file.",
            count,
        ) % {"count": count}
        return "error", f"{which} {what}"
    if status == Submission.Status.READY_FOR_REVIEW:
        what = gettext(
            "the file is valid and awaits a second person's review: a hub editor other than its submitter "
            "approves or rejects it. Nothing is published until then."
        )
        return "success", f"{which} {what}"
    if status == Submission.Status.APPROVED:
        return "info", f"{which} {gettext('approved; it is being published.')}"
    if status == Submission.Status.PUBLISHED:
        return "success", f"{which} {gettext('published.')}"
    if status == Submission.Status.REJECTED:
        what = gettext("rejected by its reviewer (the reason is below). Upload a corrected file if the data needs one.")
        return "warning", f"{which} {what}"
    what = gettext("the file could not be published (the report below says why). Upload it again.")
    return "error", f"{which} {what}"


# -- the report, grouped by sheet ------------------------------------------------------------------


def _error_place(error):
    """(row of the section, child list, row of the child) of an error, to sort a sheet's errors in
    the order of the file: a JSON child row ("permits[2].documents", 1) comes with its parent row 2."""
    sheet, row = error.get("sheet") or "", error.get("row") or 0
    if "[" in sheet:
        _parent, rest = sheet.split("[", 1)
        number, _dot, child = rest.partition("].")
        return (int(number) if number.isdigit() else 0, child, row)
    return (row, "", 0)


# The file's own errors first, then the sheets in the order of the format: a section, then its children.
SHEET_ORDER = {name: place for place, name in enumerate(["", *sheets_of((*SECTIONS, *REFERENCE_SECTIONS))])}


def errors_by_sheet(errors):
    """The report's errors sheet by sheet (in the order of the format), each sheet's in the order of
    its rows; each with its `group` (the sheet it is counted with)."""
    grouped = [{**error, "group": error_sheet(error.get("sheet") or "")} for error in errors]
    return sorted(grouped, key=lambda error: (SHEET_ORDER.get(error["group"], len(SHEET_ORDER)), _error_place(error)))


def _error_groups(page, counts):
    """[(sheet, errors counted in all, errors of the page)] of a page of errors_by_sheet()."""
    groups = []
    for error in page.object_list:
        if not groups or groups[-1][0] != error["group"]:
            groups.append((error["group"], counts.get(error["group"], 0), []))
        groups[-1][2].append(error)
    return groups


# -- the diff, in words ----------------------------------------------------------------------------


def _field_label(sheet, column):
    """A column's verbose name (the model's), or the column itself; a child list's plural name."""
    if column in sheet.children:
        return str(sheet_named(column).model._meta.verbose_name_plural)
    item = sheet.field_map.get(column)
    if item is None or item.row_record:
        return column
    try:
        return str(sheet.model._meta.get_field(item.model_attribute).verbose_name)
    except FieldDoesNotExist:
        return column


def _choice_label(sheet, column, value):
    """A choice's display name (a status "active" in the report's language), other values as they are."""
    model_field = sheet.model_fields.get(column)
    if model_field is not None and model_field.choices and not model_field.many_to_many:
        return str(dict(model_field.flatchoices).get(value, value))
    return value


def _child_text(child_sheet, row):
    """A child row (a document, a fee, a threshold) by the values of its required fields."""
    required = [item.name for item in child_sheet.fields if item.required] or [child_sheet.fields[0].name]
    return " ".join(
        _value_text(child_sheet, name, row.get(name)) for name in required if row.get(name) not in (None, "")
    )


def _value_text(sheet, column, value):
    """A value of the diff as plain text: no JSON quotes, lists joined with commas, yes or no."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        if column in sheet.children:
            child_sheet = sheet_named(column)
            return "; ".join(_child_text(child_sheet, row) if isinstance(row, dict) else str(row) for row in value)
        return ", ".join(str(_choice_label(sheet, column, item)) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{name}: {_value_text(sheet, name, item)}" for name, item in value.items())
    return str(_choice_label(sheet, column, value))


def _short(text, limit=300):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def diff_row(entry):
    """A diff entry for the admin's table: its kind, sheet and row (by its name, with its key), and
    what changes in words: [(field, column, before, after)] of a changed row, [(field, column, value)]
    of the fields an added row gives."""
    data, sheet = entry.data, sheet_named(entry.sheet)
    row = {
        "kind": entry.kind,
        "kind_display": entry.get_kind_display(),
        "sheet": entry.sheet,
        "sheet_display": str(sheet.model._meta.verbose_name_plural).capitalize(),
        "key": entry.key,
        "label": data.get("label") or sheet.label(data.get("values")) or entry.key,
        "changes": [],
        "values": [],
    }
    if entry.kind == "changed":
        row["changes"] = [
            (
                _field_label(sheet, name),
                name,
                _short(_value_text(sheet, name, before)),
                _short(_value_text(sheet, name, after)),
            )
            for name, (before, after) in data.get("fields", {}).items()
        ]
    elif entry.kind == "added":
        row["values"] = [
            (_field_label(sheet, name), name, _short(_value_text(sheet, name, value)))
            for name, value in data.get("values", {}).items()
            if value not in (None, "", [])
        ]
    return row


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
