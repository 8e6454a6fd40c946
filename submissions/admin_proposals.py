"""The data apps' admins, made to propose: a focal point's add, change, delete, bulk delete or status
change in an admin form becomes a submission of source "admin form" (proposals.py), reviewed and
published as an upload is. The data apps cannot import this layer, so the submissions app wraps their
registered admins here (the admin of each model that is a row of the common format: the published
sections and the reference rows they cite, such as legal sources and contact points).
"""

from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.fields import PublicationStatus
from core.freshness import verified_field

from . import proposals, selectors
from .services import SubmissionError

PROPOSED = "_proposed_submissions"
NO_COUNTRY_REFUSED = _(
    "A row of no country (an international instrument) cannot be proposed: a proposal is filed under a "
    "country. Choose a country, or change the row in the hub's data files (demo_data/), where it is reviewed."
)


def _proposal_message(request, submissions):
    links = format_html(
        ", ".join(["{}"] * len(submissions)),
        *[
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:submissions_submission_change", args=[submission.pk]),
                gettext("submission #%(number)s") % {"number": submission.pk},
            )
            for submission in submissions
        ],
    )
    messages.info(
        request,
        format_html(
            "{} {}",
            gettext(
                "Nothing is published yet: your change is proposed and awaits a second person's review "
                "(a hub editor; never the person who made it)."
            ),
            format_html(gettext("Follow it here: {}."), links),
        ),
    )


def _redirect_to(submissions):
    if len(submissions) == 1:
        return HttpResponseRedirect(reverse("admin:submissions_submission_change", args=[submissions[0].pk]))
    return HttpResponseRedirect(reverse("admin:submissions_submission_changelist"))


@admin.action(description=_("Propose withdrawing the selected rows (a second person approves)"))
def propose_withdrawal(modeladmin, request, queryset):
    """Bulk delete as a proposal: the published rows selected are withdrawn once approved; rows never
    published (drafts) are deleted at once, as they change nothing public."""
    objects = list(queryset)
    if not all(modeladmin.has_delete_permission(request, obj) for obj in objects):
        raise PermissionDenied
    published = [obj for obj in objects if obj.publication_status == PublicationStatus.PUBLISHED]
    drafts = [obj for obj in objects if obj.publication_status != PublicationStatus.PUBLISHED]
    sheet = modeladmin.sheet
    by_country = {}
    for obj in published:
        by_country.setdefault(proposals.proposal_country(request.user, sheet, obj), []).append(obj)
    try:
        with transaction.atomic():
            submissions = [
                proposals.proposal_create(
                    user=request.user,
                    sheet=sheet,
                    country=country,
                    withdrawn=proposals.withdrawal_keys(sheet, rows),
                )
                for country, rows in sorted(by_country.items())
            ]
            if drafts:
                modeladmin.log_deletions(request, drafts)
                for obj in drafts:
                    obj.delete()
    except SubmissionError as error:
        messages.error(request, str(error))
        return None
    if drafts:
        messages.success(request, gettext("Deleted %(count)s rows that were never published.") % {"count": len(drafts)})
    if submissions:
        _proposal_message(request, submissions)
        return _redirect_to(submissions)
    return None


@admin.action(description=_("Confirm the selected rows as still correct (sets last verified to today)"))
def confirm_still_correct(modeladmin, request, queryset):
    """Sets the day the facts were last confirmed, changing no fact: applied at once, change-logged."""
    if not all(modeladmin.has_change_permission(request, obj) for obj in queryset):
        raise PermissionDenied
    count = proposals.rows_confirm_still_correct(queryset=queryset)
    messages.success(
        request, gettext("Confirmed %(count)s rows as still correct (last verified: today).") % {"count": count}
    )


class StaleFilter(admin.SimpleListFilter):
    """Published rows nobody confirmed for STALE_AFTER_MONTHS months (or never): what "confirm as still
    correct" is for (the dashboard links here, ?verified=stale)."""

    title = _("last confirmed")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("stale", _("not confirmed for %(months)s months") % {"months": settings.STALE_AFTER_MONTHS})]

    def queryset(self, request, queryset):
        return selectors.stale(queryset) if self.value() == "stale" else queryset


class ProposingAdminMixin:
    """Turns the admin's writes into proposals for users whose edits are proposals
    (proposals.edits_are_proposals): the change is made inside a savepoint that is undone, the row is
    exported as it would be, and a submission of it is created instead."""

    sheet = None  # the common format's sheet of the model

    def _proposes(self, request):
        return proposals.edits_are_proposals(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self._proposes(request):
            return fields
        # Publication is what the review decides; a row's key is what names it in the diff.
        extra = ["publication_status"] if self.sheet.publishable else []
        if obj is not None:
            extra += [self.sheet.model_fields[name].name for name in self.sheet.key]
        return fields + [name for name in extra if name not in fields]

    def has_change_permission(self, request, obj=None):
        if self._proposes(request) and self._of_no_country(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A single sheet (the recruitment regime) and the reference rows (sources, contacts, recognitions,
        # corridors: never published or withdrawn, only cited) have no withdrawal in the common format.
        if (self.sheet.single or not self.sheet.publishable or self._of_no_country(obj)) and self._proposes(request):
            return False
        return super().has_delete_permission(request, obj)

    def _of_no_country(self, obj):
        """A row of no country (an international legal source): a proposal is filed under a country, so
        none can carry it. Such rows are kept in the hub's data files (demo_data/, reviewed there) and
        are read only in the admin, but for a hub editor when HUB_EDITORS_PUBLISH_OWN_EDITS is on."""
        return obj is not None and obj.pk is not None and not any(proposals.object_countries(self.sheet, obj))

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if verified_field(self.model) and self.sheet.publishable:
            filters.append(StaleFilter)
        return filters

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self._proposes(request) and "delete_selected" in actions:
            del actions["delete_selected"]
            actions["propose_withdrawal"] = self.get_action(propose_withdrawal)
        if verified_field(self.model) and self.has_change_permission(request):
            actions["confirm_still_correct"] = self.get_action(confirm_still_correct)
        return actions

    # -- add and change ---------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not self._proposes(request):
            return super().save_model(request, obj, form, change)
        if change:
            self._check_ownership(request, obj)
        # Saved (and undone) with its inlines in save_related, which the admin calls next.
        return None

    def save_related(self, request, form, formsets, change):
        if not self._proposes(request):
            return super().save_related(request, form, formsets, change)
        obj = form.instance
        if change and not form.has_changed() and not any(formset.has_changed() for formset in formsets):
            setattr(request, PROPOSED, [])
            return None
        try:
            with transaction.atomic():
                # The change as the admin would make it, undone at the end of the block: the row is read
                # back as it would be, inlines and many-to-many links included.
                super().save_model(request, obj, form, change)
                super().save_related(request, form, formsets, change)
                if self._of_no_country(obj):
                    raise SubmissionError(NO_COUNTRY_REFUSED)  # undone: see _of_no_country
                row = proposals.row_export(self.sheet, obj)
                country = proposals.proposal_country(request.user, self.sheet, obj)
                transaction.set_rollback(True)
            submission = proposals.proposal_create(user=request.user, sheet=self.sheet, country=country, rows=[row])
        except (SubmissionError, DatabaseError) as error:
            setattr(request, PROPOSED, error)
            return None
        setattr(request, PROPOSED, [submission])
        return None

    def log_addition(self, request, obj, message):
        if not hasattr(request, PROPOSED):
            return super().log_addition(request, obj, message)
        return None  # the submission is the record: nothing was saved

    def log_change(self, request, obj, message):
        if not hasattr(request, PROPOSED):
            return super().log_change(request, obj, message)
        return None

    def _proposal_response(self, request, obj):
        proposed = getattr(request, PROPOSED)
        if isinstance(proposed, Exception):
            messages.error(request, gettext("Nothing was proposed or saved: %(problem)s") % {"problem": str(proposed)})
            return HttpResponseRedirect(request.get_full_path())
        if not proposed:
            messages.info(request, gettext("Nothing changed: there is nothing to propose."))
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        _proposal_message(request, proposed)
        return _redirect_to(proposed)

    def response_add(self, request, obj, post_url_continue=None):
        if not hasattr(request, PROPOSED):
            return super().response_add(request, obj, post_url_continue)
        obj.pk = None  # undone: the row exists only in the proposal
        return self._proposal_response(request, obj)

    def response_change(self, request, obj):
        if not hasattr(request, PROPOSED):
            return super().response_change(request, obj)
        return self._proposal_response(request, obj)

    # -- delete ----------------------------------------------------------------------------------------

    def _withdraws(self, request, obj):
        return (
            self.sheet.publishable and self._proposes(request) and obj.publication_status == PublicationStatus.PUBLISHED
        )

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if all(self._withdraws(request, obj) for obj in objs):
            # A withdrawal archives the row once approved: nothing it links to is deleted.
            return deleted, counts, set(), []
        return deleted, counts, perms_needed, protected

    def log_deletions(self, request, queryset):
        # A published row is not deleted but proposed for withdrawal: the submission is the record.
        kept = [obj for obj in queryset if not self._withdraws(request, obj)]
        return super().log_deletions(request, kept) if kept else []

    def delete_model(self, request, obj):
        if not self._withdraws(request, obj):
            return super().delete_model(request, obj)
        country = proposals.proposal_country(request.user, self.sheet, obj)
        try:
            submission = proposals.proposal_create(
                user=request.user,
                sheet=self.sheet,
                country=country,
                withdrawn=proposals.withdrawal_keys(self.sheet, [obj]),
            )
        except SubmissionError as error:
            setattr(request, PROPOSED, error)
            return None
        setattr(request, PROPOSED, [submission])
        return None

    def response_delete(self, request, obj_display, obj_id):
        if not hasattr(request, PROPOSED):
            return super().response_delete(request, obj_display, obj_id)
        proposed = getattr(request, PROPOSED)
        if isinstance(proposed, Exception):
            messages.error(request, gettext("Nothing was withdrawn: %(problem)s") % {"problem": str(proposed)})
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        _proposal_message(request, proposed)
        return _redirect_to(proposed)


class ReadOnlyReferenceMixin:
    """Published rows that no proposal carries, being outside the common format: the reference data
    loaded from the public datasets under reference_data/ (countries, sectors, occupations, visa
    requirements) and the certification labels. In the admin they are read only, but for a hub editor
    when HUB_EDITORS_PUBLISH_OWN_EDITS is on; they change through their loaders, reviewed as files."""

    def _writes(self, request):
        return not proposals.edits_are_proposals(request.user)

    def has_add_permission(self, request, *args, **kwargs):
        return self._writes(request) and super().has_add_permission(request, *args, **kwargs)

    def has_change_permission(self, request, obj=None):
        return self._writes(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._writes(request) and super().has_delete_permission(request, obj)


READ_ONLY_REFERENCE_MODELS = (
    "countries.Country",
    "countries.Sector",
    "permits.IscoGroup",
    "permits.EscoOccupation",
    "permits.OccupationLabel",
    "permits.VisaRequirement",
    "recruiters.CertificationLabel",
)


def proposing_admin(admin_class, sheet):
    """`admin_class` whose writes are proposals of rows of `sheet`."""
    return type(admin_class.__name__, (ProposingAdminMixin, admin_class), {"__module__": __name__, "sheet": sheet})


def register_proposing_admins(site=admin.site):
    """Wrap the registered admin of each model that is a row of the common format."""
    for model, sheet in proposals.SHEET_OF_MODEL.items():
        if not site.is_registered(model):
            continue
        current = type(site.get_model_admin(model))
        if issubclass(current, ProposingAdminMixin):
            continue
        site.unregister(model)
        site.register(model, proposing_admin(current, sheet))
    for label in READ_ONLY_REFERENCE_MODELS:
        model = apps.get_model(label)
        current = type(site.get_model_admin(model))
        if not issubclass(current, ReadOnlyReferenceMixin):
            site.unregister(model)
            site.register(model, type(current.__name__, (ReadOnlyReferenceMixin, current), {"__module__": __name__}))


register_proposing_admins()
