"""Writes of the submission pipeline: upload, validate, review, publish, sweep, pull feeds, digests.

Each step checks the submission's status under a row lock first, so running a step twice (a
duplicate message, a retry after a crash, the sweep) does its work at most once.
"""

import hashlib
import logging
import time
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnavailable
from openpyxl.utils import get_column_letter

from core.changelog import change_context, record_bulk
from core.fields import PublicationStatus
from core.permissions import editable_country_codes, is_hub_editor
from countries.models import Country
from countries.services import country_data_version_bump

from . import background, fetching, selectors, signals
from .format import REFERENCE_SECTIONS, SECTIONS, sheet_named
from .models import FeedSource, Submission, SubmissionAttempt, SubmissionDiffEntry
from .parsing import Parsed, ParseError, SheetRows, json_locations, parse_stored
from .records import assign, existing_objects, object_countries
from .validation import DiffSink, validate_document
from .workload import digest_lines

logger = logging.getLogger(__name__)
PREVIEW_ROWS = 20  # rows of a submission whose public pages the preview offers


class SubmissionError(Exception):
    """A request the pipeline refuses; the message is for the person who asked."""


class DocumentInvalid(Exception):
    """A document that does not validate; `errors` are the report's rows (sheet, row, field, value,
    message)."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{error['sheet']} {error['field']}: {error['message']}" for error in errors[:5]))
        self.errors = errors


def _now():
    return timezone.now()


def _set_status(submission, status):
    submission.status = status
    submission.status_changed = _now()


def _enqueue(task, submission_id):
    """Send `task` for the submission once the transaction commits. With the broker down the
    submission stays in its state (received, approved): it is the outbox, and the sweep sends it
    again; the request that stored it still succeeds, once. In the embedded mode (Celery eager) the
    task runs in the process's background thread (background.py), after the response."""

    def send():
        if background.in_background(task):
            background.send(task, submission_id)
            return
        try:
            task.delay(submission_id)
        except BrokerUnavailable as error:
            logger.warning(
                "broker unavailable (%s): %s of submission %s left to the outbox sweep",
                error.__class__.__name__,
                task.name,
                submission_id,
            )

    transaction.on_commit(send)


# -- upload ----------------------------------------------------------------------------------------


def submission_create(
    *,
    submitter,
    country,
    file,
    name="",
    source=Submission.Source.UPLOAD,
    language=None,
    confirm_withdrawal=False,
    withdrawals=None,
    corrects=None,
):
    """Store a file for `country` sent by `submitter` and enqueue its validation (after commit).

    Refuses a country the submitter does not keep and a file over SUBMISSION_MAX_BYTES.
    `confirm_withdrawal`: the submitter means to withdraw the published rows the file leaves out,
    even more than SUBMISSION_WITHDRAWAL_HOLD_PERCENT of a table (otherwise such a file is held).
    `withdrawals` ({sheet: [row keys]}): the rows an admin form's proposal withdraws by name.
    `corrects`: the earlier submission of the same country whose file this one corrects.
    """
    code = country.pk if isinstance(country, Country) else country
    codes = editable_country_codes(submitter)
    if codes is not None and code not in codes:
        raise SubmissionError(
            _("You do not keep the data of %(country)s: choose one of your countries.") % {"country": code}
        )
    if not Country.objects.filter(pk=code).exists():
        raise SubmissionError(_("Unknown country %(country)s.") % {"country": code})
    size = file.size
    if size is None or size > settings.SUBMISSION_MAX_BYTES:
        raise SubmissionError(
            _("The file is too large: %(size)s bytes, the limit is %(limit)s bytes.")
            % {"size": size, "limit": settings.SUBMISSION_MAX_BYTES}
        )
    if size == 0:
        raise SubmissionError(_("The file is empty."))
    if corrects is not None and corrects.country_id != code:
        raise SubmissionError(
            _("Submission #%(id)s is of %(country)s: a corrected file is of the same country.")
            % {"id": corrects.pk, "country": corrects.country_id}
        )
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    with transaction.atomic():
        submission = Submission(
            country_id=code,
            submitter=submitter,
            source=source,
            original_name=(name or getattr(file, "name", "") or "")[:255],
            size=size,
            sha256=digest.hexdigest(),
            language=language or translation.get_language() or settings.LANGUAGE_CODE,
            withdrawal_confirmed=bool(confirm_withdrawal),
            withdrawals=withdrawals or {},
            corrects=corrects,
        )
        submission.file.save("upload", file, save=False)
        submission.save()
        from .tasks import submission_validate as task

        _enqueue(task, submission.pk)
    return submission


# -- validation ------------------------------------------------------------------------------------


def _attempt_finish(attempt, outcome, message=""):
    attempt.outcome = outcome
    attempt.message = message[:2000]
    attempt.finished = _now()
    attempt.save(update_fields=["outcome", "message", "finished"])


def _opener(submission):
    """Opens the stored file anew each time it is called (a stream is read more than once)."""
    storage, name = submission.file.storage, submission.file.name
    return lambda: storage.open(name, "rb")


def _stored_sha256(submission):
    digest = hashlib.sha256()
    with _opener(submission)() as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


class DiffWriter(DiffSink):
    """Writes a submission's diff to SubmissionDiffEntry rows, a chunk at a time."""

    def __init__(self, submission_id):
        super().__init__()
        self.submission_id, self.position, self.pending = submission_id, 0, []

    def _add(self, kind, entry):
        self.position += 1
        data = {name: value for name, value in entry.items() if name not in ("sheet", "key")}
        self.pending.append(
            SubmissionDiffEntry(
                submission_id=self.submission_id,
                position=self.position,
                kind=kind,
                sheet=entry["sheet"],
                key=entry["key"][:300],
                data=data,
            )
        )

    def entry(self, kind, entry, built):
        super().entry(kind, entry, built)
        self._add(kind, entry)

    def withdraw(self, entry, obj):
        super().withdraw(entry, obj)
        self._add("withdrawn", entry)

    def flush(self):
        SubmissionDiffEntry.objects.bulk_create(self.pending, batch_size=500)
        self.pending = []


def _rows_in(parsed):
    """How many rows the document holds (a streamed CSV sheet is counted in a pass of its own)."""
    total = 0
    for section, rows in parsed.document.items():
        if isinstance(rows, SheetRows):
            total += rows.count()
        elif section in SECTIONS or section in REFERENCE_SECTIONS:
            total += 1 if isinstance(rows, dict) else len(rows) if isinstance(rows, list) else 0
    return total


def _progress_writer(submission_id):
    def progress(rows):
        Submission.objects.filter(pk=submission_id).update(rows_read=rows)

    return progress


def submission_validate(*, submission_id, task_id=""):
    """Parse and check the file; the submission becomes invalid (with its report) or ready for review
    (with its report and diff). Published data is not touched."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        attempt = SubmissionAttempt.objects.create(
            submission=submission, step=SubmissionAttempt.Step.VALIDATE, task_id=task_id or ""
        )
        if submission.status not in (Submission.Status.RECEIVED, Submission.Status.VALIDATING):
            _attempt_finish(attempt, SubmissionAttempt.Outcome.SKIPPED, submission.status)
            return submission
        _set_status(submission, Submission.Status.VALIDATING)
        submission.save(update_fields=["status", "status_changed", "last_updated"])

    SubmissionDiffEntry.objects.filter(submission_id=submission_id).delete()  # of an attempt that died
    report, detected = _check(submission)

    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        if submission.status != Submission.Status.VALIDATING:
            _attempt_finish(attempt, SubmissionAttempt.Outcome.SKIPPED, submission.status)
            return submission
        submission.report, submission.detected_format = report, detected
        submission.validated_at = _now()
        _set_status(submission, Submission.Status.INVALID if report["errors"] else Submission.Status.READY_FOR_REVIEW)
        submission.save()
        _attempt_finish(attempt, SubmissionAttempt.Outcome.DONE, submission.status)
    return submission


def _check(submission):
    """(report, detected format) of the stored file, messages in the submitter's language; the diff
    is written to the submission's diff entries as the rows are checked (kept only when the rows
    are valid)."""
    sink = DiffWriter(submission.pk)
    with translation.override(submission.language):
        try:
            parsed, sections = _sections_checked(submission, parse_stored(_opener(submission), submission.size))
            Submission.objects.filter(pk=submission.pk).update(rows_read=0, rows_total=_rows_in(parsed))
            held_codes = editable_country_codes(submission.submitter)
            result = validate_document(
                parsed,
                country=_country_replaced(submission),
                held_codes=held_codes,
                sections=sections,
                sink=sink,
                progress=_progress_writer(submission.pk),
            )
            _withdraw_named(submission, result, held_codes)
        except ParseError as error:
            SubmissionDiffEntry.objects.filter(submission_id=submission.pk).delete()
            message = {"sheet": "", "row": None, "field": "", "value": None, "message": str(error), "cell": ""}
            return _report("", [message], {"": 1}, [], 0, None), ""
        if result.errors:
            SubmissionDiffEntry.objects.filter(submission_id=submission.pk).delete()
        errors = with_cells(list(result.errors), parsed.headers)
        counts, warnings = dict(result.error_counts), list(result.warnings)
        # An admin form names each row it withdraws: the hold is for files that leave rows out.
        by_name = submission.source == Submission.Source.ADMIN_FORM
        held = withdrawals_over_limit(result, country=submission.country_id) if not errors and not by_name else []
        for item in held:
            if submission.withdrawal_confirmed:
                warnings.append(_withdrawal_warning(item))
            else:
                errors.append(_withdrawal_error(item))
                counts[item["sheet"]] = counts.get(item["sheet"], 0) + 1
        report = _report(parsed.format, errors, counts, warnings, result.rows, None if result.errors else sink)
        if held:
            report["withdrawal_hold"] = held
        return report, parsed.format


def with_cells(errors, headers):
    """The errors, each with the spreadsheet cell it is about ("C7": the column of its field in the
    sheet's header, the row's number as the spreadsheet counts it, the header being row 1), or "" when
    there is none (a JSON file, a field the file left out, an error about a whole row)."""
    for error in errors:
        header = headers.get(error["sheet"]) or []
        found = error["row"] and error["field"] and error["field"] in header
        error["cell"] = f"{get_column_letter(header.index(error['field']) + 1)}{error['row']}" if found else ""
    return errors


def _sections_checked(submission, parsed):
    """(parsed, sections): a file holds the common format's sections; an admin form's proposal may be
    about a reference row instead (a legal source, a contact point, a corridor, a recognition), checked
    and published as the loader checks and applies them, for the countries the submitter keeps."""
    document = parsed.document
    if submission.source != Submission.Source.ADMIN_FORM or not isinstance(document, dict):
        return parsed, SECTIONS
    if not any(name in REFERENCE_SECTIONS for name in document):
        return parsed, SECTIONS
    return Parsed(parsed.format, document, json_locations(document, REFERENCE_SECTIONS), parsed.warnings), (
        REFERENCE_SECTIONS
    )


def _country_replaced(submission):
    """The country whose published rows the document's sections replace: a file's sections are whole
    (a published row left out is withdrawn); an admin form's proposal holds only the rows it adds or
    changes, and names those it withdraws (submission.withdrawals)."""
    return None if submission.source == Submission.Source.ADMIN_FORM else submission.country_id


def _withdraw_named(submission, result, held_codes):
    """Hand the diff the published rows a proposal withdraws by name, checked as a file's rows are:
    published, and of a country the submitter keeps."""
    for section, keys in sorted((submission.withdrawals or {}).items()):
        sheet = sheet_named(section)
        found = existing_objects(sheet, keys)
        for key in keys:
            obj = found.get(key)
            if obj is None or obj.publication_status != PublicationStatus.PUBLISHED:
                result.add((section, None), "", key, _("This row is not published: there is nothing to withdraw."))
                continue
            countries = [code for code in object_countries(sheet, obj) if code]
            if held_codes is not None and not set(countries) & held_codes:
                result.add(
                    (section, None), "", key, _("This key belongs to data of another country that you do not keep.")
                )
                continue
            result.sink.withdraw({"sheet": section, "key": key, "label": str(obj)}, obj)
            result.countries.update(countries)
        result.sink.flush()


def withdrawals_over_limit(result, *, country):
    """The tables of which the file would withdraw more than SUBMISSION_WITHDRAWAL_HOLD_PERCENT of the
    country's published rows: [{"sheet", "country", "withdrawn", "published", "percent"}]."""
    limit = settings.SUBMISSION_WITHDRAWAL_HOLD_PERCENT
    held = []
    for sheet, count in sorted(result.sink.withdrawn_by_sheet.items()):
        published = result.published.get(sheet, 0)
        if published and count * 100 > limit * published:
            held.append(
                {
                    "sheet": sheet,
                    "country": country,
                    "withdrawn": count,
                    "published": published,
                    "percent": round(count * 100 / published),
                }
            )
    return held


def _withdrawal_numbers(item):
    return {**item, "limit": f"{settings.SUBMISSION_WITHDRAWAL_HOLD_PERCENT:g}"}


def _withdrawal_error(item):
    return {
        "sheet": item["sheet"],
        "row": None,
        "field": "confirm_withdrawal",
        "value": None,
        "message": _(
            "Held: this file would withdraw %(withdrawn)s of the %(published)s published rows of %(sheet)s "
            "of %(country)s (%(percent)s %%, more than %(limit)s %%): the published rows a file leaves out "
            "are withdrawn. If you mean to withdraw them, upload the file again and confirm it (“I mean to "
            "withdraw these rows”, or confirm_withdrawal=true in the API); a reviewer must confirm it too."
        )
        % _withdrawal_numbers(item),
    }


def _withdrawal_warning(item):
    return _(
        "This file withdraws %(withdrawn)s of the %(published)s published rows of %(sheet)s of %(country)s "
        "(%(percent)s %%, more than %(limit)s %%). The submitter confirmed it; the reviewer must confirm it too."
    ) % _withdrawal_numbers(item)


def _report(kind, errors, error_counts, warnings, rows, sink):
    """The report of a validation: the errors (the first MAX_ERRORS_PER_SHEET of each sheet), their
    counts per sheet, the warnings, and the diff's counts and digest (`sink`: None when the rows
    are not valid; the diff is then empty)."""
    error_count = sum(error_counts.values())
    counts = sink.counts if sink is not None else {"added": 0, "changed": 0, "withdrawn": 0, "unchanged": 0}
    return {
        # A fingerprint of the diff: publishing compares it instead of loading the approved diff.
        "diff_sha256": sink.digest() if sink is not None else "",
        "format": kind,
        "rows": rows,
        "error_count": error_count,
        "error_counts": error_counts,
        "errors": errors,
        "errors_truncated": error_count > len(errors),
        "warnings": [str(warning) for warning in warnings],
        "summary": dict(counts),
    }


# -- review ----------------------------------------------------------------------------------------


def _check_reviewer(submission, reviewer):
    if not is_hub_editor(reviewer):
        raise SubmissionError(_("Only a hub editor can review submissions."))
    if reviewer.pk == submission.submitter_id:
        raise SubmissionError(_("You cannot review your own submission: a second person must."))


def _lock_for_review(submission, reviewer):
    _check_reviewer(submission, reviewer)
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Submission.Status.READY_FOR_REVIEW:
        raise SubmissionError(
            _("Only a submission ready for review can be reviewed; this one is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    return locked


def submission_approve(*, submission, reviewer, reason="", confirm_withdrawal=False):
    """A hub editor other than the submitter approves; publishing follows in a task (after commit).

    A file that withdraws more than SUBMISSION_WITHDRAWAL_HOLD_PERCENT of a table (its report says
    so under withdrawal_hold) is approved only with `confirm_withdrawal`."""
    with transaction.atomic():
        submission = _lock_for_review(submission, reviewer)
        changed = rows_changed_since_checked(submission)
        if changed:
            raise SubmissionError(
                _(
                    "This submission cannot be approved: %(rows)s changed after it was checked on %(date)s (by "
                    "another submission or edit), and its diff is against what was published then. Approving it "
                    "would overwrite that change: reject it, and submit the change again on the current data."
                )
                % {
                    "rows": ", ".join(changed[:10]),
                    "date": f"{timezone.localtime(submission.validated_at):%Y-%m-%d %H:%M}",
                }
            )
        if submission.report.get("withdrawal_hold") and not confirm_withdrawal:
            raise SubmissionError(
                _(
                    "This file withdraws more than %(limit)s %% of the published rows of a table (see the "
                    "report): confirm that you mean to withdraw them (“I mean to withdraw these rows”) to approve it."
                )
                % {"limit": f"{settings.SUBMISSION_WITHDRAWAL_HOLD_PERCENT:g}"}
            )
        submission.reviewer, submission.review_reason, submission.reviewed_at = reviewer, reason, _now()
        _set_status(submission, Submission.Status.APPROVED)
        submission.save()
        from .tasks import submission_publish as task

        _enqueue(task, submission.pk)
    return submission


def rows_changed_since_checked(submission):
    """How a person names the rows of the submission's diff that changed after it was checked (a
    proposal and an upload of the same row: the one approved second would overwrite the first)."""
    if submission.validated_at is None:
        return []
    keys = {}
    for section, key in submission.diff_entries.order_by("position").values_list("sheet", "key"):
        keys.setdefault(section, []).append(key)
    changed = []
    for section, section_keys in keys.items():
        sheet = sheet_named(section)
        for start in range(0, len(section_keys), 1000):
            found = existing_objects(sheet, section_keys[start : start + 1000])
            changed += [
                f"{key} ({section})" for key, obj in found.items() if obj.last_updated > submission.validated_at
            ]
    return changed


def submission_reject(*, submission, reviewer, reason):
    """A hub editor other than the submitter rejects, with a reason; the file is kept."""
    if not (reason or "").strip():
        raise SubmissionError(_("Say why the submission is rejected."))
    with transaction.atomic():
        submission = _lock_for_review(submission, reviewer)
        submission.reviewer, submission.review_reason, submission.reviewed_at = reviewer, reason.strip(), _now()
        _set_status(submission, Submission.Status.REJECTED)
        submission.save()
    return submission


# -- publishing ------------------------------------------------------------------------------------


class PublishRefused(Exception):
    """Publishing found the file no longer matching what was approved; nothing of it is kept."""


class _Publisher(DiffSink):
    """Saves the rows a chunk at a time while the file is checked again, inside the publishing
    transaction: what a chunk saved is undone with the rest when publishing is refused."""

    def __init__(self):
        super().__init__()
        self.built, self.changed, self.withdrawn = [], {}, []

    def entry(self, kind, entry, built):
        super().entry(kind, entry, built)
        self.built.append(((entry["sheet"], entry["key"]), built))
        if kind == "changed":
            self.changed[(entry["sheet"], entry["key"])] = set(entry["fields"])

    def withdraw(self, entry, obj):
        super().withdraw(entry, obj)
        self.withdrawn.append(obj)

    def flush(self):
        _apply_rows(self.built, self.changed, self.withdrawn)
        self.built, self.changed, self.withdrawn = [], {}, []


def submission_publish(*, submission_id, task_id=""):
    """Publish an approved submission's diff in one transaction, logged with the submission as the
    reason, and raise the data version of the countries concerned. A second run finds the
    submission published and does nothing.

    The file is checked again while its rows are saved, a chunk at a time, inside the transaction
    (bounded memory for a large file); when the diff is no longer the one approved, the transaction
    is undone whole and the submission fails."""
    attempt = SubmissionAttempt.objects.create(
        submission_id=submission_id, step=SubmissionAttempt.Step.PUBLISH, task_id=task_id or ""
    )
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("reviewer", "submitter")
            .get(pk=submission_id)
        )
        if submission.status != Submission.Status.APPROVED:
            _attempt_finish(attempt, SubmissionAttempt.Outcome.SKIPPED, submission.status)
            return submission
        try:
            # A savepoint: a refusal undoes the rows saved so far, the submission's lock stays.
            with (
                transaction.atomic(),
                translation.override(submission.language),
                change_context(user=submission.reviewer, reason=_publish_reason(submission)),
            ):
                result = _republish(submission)
                _test_pause(submission)
                country_data_version_bump(country_codes=sorted(result.countries))
                signals.data_published.send(sender=Submission, countries=sorted(result.countries))
        except PublishRefused as refused:
            problem = str(refused)
            submission.report = {**submission.report, "publish_error": problem}
            _set_status(submission, Submission.Status.FAILED)
            submission.save()
            _attempt_finish(attempt, SubmissionAttempt.Outcome.FAILED, problem)
            return submission
        _set_status(submission, Submission.Status.PUBLISHED)
        submission.published_at = _now()
        submission.save()
        _attempt_finish(attempt, SubmissionAttempt.Outcome.DONE, submission.status)
    return submission


@contextmanager
def submission_as_published(submission, *, limit=PREVIEW_ROWS):
    """The data as it will be once `submission` is published, for the preview of its public pages.

    The submission's rows are saved as publishing would save them, inside a transaction that is
    always undone: nothing of it is kept, no data version rises, no task is sent (the change log and
    translations written meanwhile go with the rest). Yields [(diff entry, the row as it will be, or
    None)] of the first `limit` rows it adds or changes. Raises PublishRefused when the file no
    longer applies to the data published now (the review would refuse it too)."""
    with transaction.atomic():
        with (
            translation.override(submission.language),
            change_context(user=submission.submitter, reason=f"preview of submission {submission.pk}"),
        ):
            _republish(submission)
        entries = list(selectors.diff_entries(submission).exclude(kind=SubmissionDiffEntry.Kind.WITHDRAWN)[:limit])
        keys = {}
        for entry in entries:
            keys.setdefault(entry.sheet, []).append(entry.key)
        found = {}
        for name, sheet_keys in keys.items():
            for key, obj in existing_objects(sheet_named(name), sheet_keys).items():
                found[(name, key)] = obj
        try:
            yield [(entry, found.get((entry.sheet, entry.key))) for entry in entries]
        finally:
            transaction.set_rollback(True)


def _publish_reason(submission):
    """The change log's reason: its user is the reviewer; an admin form's proposal names its editor too."""
    if submission.source != Submission.Source.ADMIN_FORM:
        return f"submission {submission.pk}"
    return (
        f"submission {submission.pk}: admin form of {submission.submitter.get_username()}, "
        f"approved by {submission.reviewer.get_username()}"
    )


def _republish(submission):
    """Check the file again against what is published now, saving its rows as they are checked; the
    diff the reviewer approved must still be the diff that is published (raises PublishRefused)."""
    if _stored_sha256(submission) != submission.sha256:
        raise PublishRefused(_("The stored file changed after it was checked; submit it again."))
    try:
        parsed, sections = _sections_checked(submission, parse_stored(_opener(submission), submission.size))
        # The bytes are those checked: only what depends on the database is checked again.
        sink = _Publisher()
        held_codes = editable_country_codes(submission.submitter)
        result = validate_document(
            parsed,
            country=_country_replaced(submission),
            held_codes=held_codes,
            check_rows=False,
            sections=sections,
            sink=sink,
        )
        _withdraw_named(submission, result, held_codes)
    except ParseError as error:
        raise PublishRefused(str(error)) from None
    if result.errors:
        raise PublishRefused(_("The file no longer validates against the hub's data; submit it again."))
    if sink.digest() != submission.report.get("diff_sha256"):
        raise PublishRefused(_("The published data changed after this file was checked; submit it again."))
    return result


def _test_pause(submission):
    if settings.SUBMISSION_TEST_PUBLISH_PAUSE:
        logger.warning("publishing submission %s: pausing inside the transaction (test hook)", submission.pk)
        time.sleep(settings.SUBMISSION_TEST_PUBLISH_PAUSE)


def _apply(result):
    """Save what a DiffCollector kept of a whole document."""
    changed = {(entry["sheet"], entry["key"]): set(entry["fields"]) for entry in result.diff["changed"]}
    _apply_rows(result.built.items(), changed, result.withdrawn)


def _apply_rows(built_items, changed, withdrawn):
    """Save rows built by the validation ((section, key), Built), new rows of bulk sheets in bulk;
    `changed`: (section, key) -> the fields that changed; archive the `withdrawn` objects."""
    new_in_bulk = {}
    for (section, key), built in built_items:
        if sheet_named(section).bulk and built.instance.pk is None and not built.children:
            new_in_bulk.setdefault(section, []).append(built)
            continue
        _save_built(built, changed.get((section, key)))
    for builts in new_in_bulk.values():
        _bulk_create(builts)
    for obj in withdrawn:
        obj.publication_status = PublicationStatus.ARCHIVED
        obj.save(update_fields=["publication_status", "last_updated"])


def _save_built(built, changed_fields):
    instance = built.instance
    instance.save()
    for name, ids in built.many.items():
        manager = getattr(instance, name)
        if set(manager.values_list("pk", flat=True)) != set(ids):
            manager.set(ids)
    for relation, children in built.children.items():
        if changed_fields is not None and relation not in changed_fields:
            continue
        getattr(instance, relation).all().delete()
        parent_field = instance._meta.get_field(relation).field.name  # the child's key to its parent
        for model, values, many in children:
            child = model(**{parent_field: instance})
            assign(child, values)
            child.save()
            for name, ids in many.items():
                if ids:
                    getattr(child, name).set(ids)


def _bulk_create(builts):
    """New rows in bulk (a register can hold thousands of agencies); logged with record_bulk."""
    model = type(builts[0].instance)
    instances = [built.instance for built in builts]
    model._default_manager.bulk_create(instances, batch_size=1000)
    record_bulk(instances, created=True)
    for name in builts[0].many:
        pairs = [
            (instance.pk, pk) for instance, built in zip(instances, builts, strict=True) for pk in built.many[name]
        ]
        _link_rows_insert(model._meta.get_field(name), pairs)


def _link_rows_insert(field, pairs):
    """Insert many-to-many links as plain rows: model instances for tens of thousands of links
    cost seconds (each sends init signals) and m2m_changed would log each agency twice."""
    if not pairs:
        return
    through = field.remote_field.through
    table = connection.ops.quote_name(through._meta.db_table)
    source = connection.ops.quote_name(through._meta.get_field(field.m2m_field_name()).column)
    target = connection.ops.quote_name(through._meta.get_field(field.m2m_reverse_field_name()).column)
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), 5000):
            cursor.executemany(
                f"INSERT INTO {table} ({source}, {target}) VALUES (%s, %s)",
                pairs[start : start + 5000],
            )


# -- a whole document at once -------------------------------------------------------------------------


def document_import(*, document, reason, user=None):
    """Check a whole document in the common format as an upload is checked, and apply it in one
    transaction: change-logged with `user` and `reason`, raising the data version of the countries
    whose data changed, as a publish does. `user` None is the hub itself, keeping every country.

    The document may also hold the reference sections the hub keeps (sources, contacts, corridors):
    they are checked and applied first, so that its rows may cite them. Raises DocumentInvalid and
    changes nothing when any row is invalid. Returns {model: rows read}."""
    held_codes = None if user is None else editable_country_codes(user)
    counts, errors = {}, []
    with transaction.atomic(), change_context(user=user, reason=reason):
        for sections, part in _document_parts(document):
            result = validate_document(
                Parsed("json", part, json_locations(part, sections)),
                country=part.get("country"),
                held_codes=held_codes,
                sections=sections,
            )
            errors += result.errors  # the sections are checked even so: one run shows every error
            if errors:
                continue
            _apply(result)
            country_data_version_bump(country_codes=sorted(result.countries))
            signals.data_published.send(sender=None, countries=sorted(result.countries))
            for model, number in _rows_read(part, sections):
                if number:
                    counts[model] = counts.get(model, 0) + number
        if errors:
            raise DocumentInvalid(errors)
    return counts


def _document_parts(document):
    """[(sections, document)]: the reference sections first, then the sections of the common format
    (any other key is left to the common format's schema to refuse)."""
    if not isinstance(document, dict):
        return [(SECTIONS, document)]
    shared = {key: document[key] for key in ("format_version", "country") if key in document}
    references = {key: value for key, value in document.items() if key in REFERENCE_SECTIONS}
    rest = {key: value for key, value in document.items() if key not in REFERENCE_SECTIONS}
    parts = [(REFERENCE_SECTIONS, {**shared, **references})] if references else []
    if not references or rest.keys() - shared.keys():
        parts.append((SECTIONS, rest))
    return parts


def _rows_read(document, sections):
    for section in sections:
        rows = document.get(section)
        if rows is None:
            continue
        sheet = sheet_named(section)
        rows = [rows] if sheet.single else rows
        yield sheet.model, len(rows)
        for child in sheet.children:
            yield sheet_named(child).model, sum(len(row.get(child) or []) for row in rows)


# -- scheduled work --------------------------------------------------------------------------------


def attempts_past_deadline_fail():
    """Mark failed the attempts still "started" after SUBMISSION_ATTEMPT_DEADLINE_MINUTES: their worker
    died (a task is killed at its time limit, well before). Each still counts as one try. Returns how many."""
    minutes = settings.SUBMISSION_ATTEMPT_DEADLINE_MINUTES
    return SubmissionAttempt.objects.filter(
        outcome=SubmissionAttempt.Outcome.STARTED, started__lt=_now() - timedelta(minutes=minutes)
    ).update(
        outcome=SubmissionAttempt.Outcome.FAILED,
        finished=_now(),
        message=_("Did not finish within %(minutes)s minutes (its worker stopped).") % {"minutes": minutes},
    )


def submissions_sweep(*, stuck_after=None):
    """Enqueue again the work whose message was lost (a crash between commit and enqueue, a broker
    that was down, a killed worker): submissions left in received, validating or approved for too
    long. Attempts past their deadline are marked failed first. After SUBMISSION_MAX_ATTEMPTS tries
    of a step, the submission is marked failed. Returns the ids enqueued."""
    from .tasks import submission_publish as publish_task
    from .tasks import submission_validate as validate_task

    attempts_past_deadline_fail()
    if stuck_after is None:
        stuck_after = timedelta(minutes=settings.SUBMISSION_STUCK_AFTER_MINUTES)
    cutoff = _now() - stuck_after
    steps = {
        Submission.Status.RECEIVED: (SubmissionAttempt.Step.VALIDATE, validate_task),
        Submission.Status.VALIDATING: (SubmissionAttempt.Step.VALIDATE, validate_task),
        Submission.Status.APPROVED: (SubmissionAttempt.Step.PUBLISH, publish_task),
    }
    enqueued = []
    stuck = Submission.objects.filter(status__in=list(steps), status_changed__lte=cutoff)
    for submission in selectors.with_attempt_counts(stuck):
        step, task = steps[submission.status]
        tries = submission.validate_attempts if step == SubmissionAttempt.Step.VALIDATE else submission.publish_attempts
        if tries >= settings.SUBMISSION_MAX_ATTEMPTS:
            with transaction.atomic():
                locked = Submission.objects.select_for_update().get(pk=submission.pk)
                if locked.status == submission.status:
                    locked.report = {
                        **locked.report,
                        "publish_error" if step == SubmissionAttempt.Step.PUBLISH else "sweep_error": _(
                            "Gave up after %(count)s attempts."
                        )
                        % {"count": tries},
                    }
                    _set_status(locked, Submission.Status.FAILED)
                    locked.save()
            continue
        with transaction.atomic():
            # Touch the submission so that the next sweep waits its turn again.
            Submission.objects.filter(pk=submission.pk, status=submission.status).update(status_changed=_now())
            _enqueue(task, submission.pk)
        enqueued.append(submission.pk)
    return enqueued


FEED_ACCEPT = "application/json, text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _feed_result(feed, result):
    feed.last_result = result[:300]
    feed.save()


def feed_pull(*, feed, timeout=None):
    """Fetch a country's feed with a conditional GET; submit the file when it changed. Returns the
    new submission, or None.

    The fetch goes only to public https addresses (fetching.py), bounded by FEED_TIMEOUT_SECONDS and
    SUBMISSION_MAX_BYTES; the file is read only as the common format, by the pipeline. The feed's
    last_result says "fetched: …", "refused: …" or "failed: …", never which internal service answered."""
    feed.last_checked = _now()
    headers = {"User-Agent": "MobilityHub/1.0 (feed pull)", "Accept": FEED_ACCEPT}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    try:
        fetched = fetching.fetch(
            feed.url,
            headers=headers,
            max_bytes=settings.SUBMISSION_MAX_BYTES,
            timeout=timeout or settings.FEED_TIMEOUT_SECONDS,
        )
    except fetching.FetchRefused as error:
        return _feed_result(feed, f"refused: {error}")
    except fetching.FetchFailed as error:
        return _feed_result(feed, f"failed: {error}")
    if fetched.status == 304:
        return _feed_result(feed, "fetched: not modified")
    feed.etag, feed.last_modified = fetched.etag[:200], fetched.last_modified[:100]
    digest = hashlib.sha256(fetched.body).hexdigest()
    if digest == feed.content_sha256:
        return _feed_result(feed, "fetched: unchanged")
    if not fetched.body:
        return _feed_result(feed, f"refused: {_('The file is empty.')}")
    with transaction.atomic():
        try:
            submission = submission_create(
                submitter=feed.submitter,
                country=feed.country_id,
                file=ContentFile(fetched.body, name="feed"),
                name=feed.url,
                source=Submission.Source.FEED,
                language=settings.LANGUAGE_CODE,
            )
        except SubmissionError as error:
            return _feed_result(feed, f"refused: {error}")
        feed.content_sha256 = digest
        _feed_result(feed, f"fetched: submitted as #{submission.pk}")
    return submission


def feeds_pull():
    return [submission.pk for feed in FeedSource.objects.filter(active=True) if (submission := feed_pull(feed=feed))]


def digests_send(*, today=None):
    """Email each focal point (and hub editor) what awaits them (workload.py, as on their admin home);
    return how many emails were sent."""
    today = today or timezone.localdate()
    sent = 0
    users = get_user_model().objects.filter(is_active=True).exclude(email="").prefetch_related("country_memberships")
    for user in users:
        lines = digest_lines(user, today=today)
        if not lines:
            continue
        send_mail(
            subject=_("Mobility Hub: what awaits you"),
            message="\n".join(lines),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
        sent += 1
    return sent
