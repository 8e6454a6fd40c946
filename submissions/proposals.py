"""Admin-form edits as proposed changes: one reviewed path for every change.

An edit in an admin form (add, change, delete, a status change such as revoking a licence) is not
written to published data: the row as it would be is turned into a document in the common format
(or, for a deletion, a withdrawal by name) and submitted as a Submission of source "admin form". It
is then validated, diffed, approved by a second person and published exactly as an upload is, in
one transaction with the change log and one data-version bump.

"Confirm as still correct" is the exception: it changes no fact, only the day someone confirmed the
facts, so it applies at once (change-logged), like the stale-data job's own bookkeeping.
"""

import json

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.changelog import record_bulk, snapshot
from core.freshness import verified_field
from core.permissions import editable_country_codes, is_hub_editor
from countries.services import country_data_version_bump

from .format import FORMAT_VERSION, REFERENCE_SHEETS, SECTIONS, SHEETS
from .models import Submission
from .records import export_row, object_countries, object_key, queryset
from .services import submission_create

# The models whose admin edits are proposals, and their sheets: the published sections and the reference rows
# they cite (legal sources, contact points, qualification recognitions) or that name the routes (corridors).
PROPOSED_REFERENCES = ("sources", "contacts", "corridors", "qualification_recognition")
SHEET_OF_MODEL = {
    sheet.model: sheet
    for sheet in (*(SHEETS[name] for name in SECTIONS), *(REFERENCE_SHEETS[name] for name in PROPOSED_REFERENCES))
}


def sheet_of(model):
    return SHEET_OF_MODEL.get(model)


def edits_are_proposals(user):
    """Whether `user`'s admin edits are proposals: always, except a hub editor's (or superuser's)
    when HUB_EDITORS_PUBLISH_OWN_EDITS is on."""
    return not (settings.HUB_EDITORS_PUBLISH_OWN_EDITS and is_hub_editor(user))


def row_export(sheet, obj):
    """The stored row `obj` as a row of `sheet` (read again, with what the export reads)."""
    return export_row(sheet, queryset(sheet).get(pk=obj.pk))


def proposal_country(user, sheet, obj):
    """The country a proposal about `obj` is submitted for: the first of its countries that the user
    keeps (an agreement has several)."""
    countries = sorted(code for code in object_countries(sheet, obj) if code)
    codes = editable_country_codes(user)
    held = [code for code in countries if codes is None or code in codes]
    return (held or countries or [None])[0]


def proposal_create(*, user, sheet, country, rows=(), withdrawn=(), language=None):
    """Submit the admin form's change as a proposal: `rows` (rows of `sheet` as they would be
    published) are added or changed, the published rows keyed `withdrawn` are withdrawn; nothing
    else of the country's data is touched. Returns the submission, validated after commit."""
    rows, withdrawn = list(rows), list(withdrawn)
    document = {"format_version": FORMAT_VERSION, "country": country}
    if sheet.single:
        document[sheet.name] = rows[0]
    else:
        document[sheet.name] = rows
    body = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode()
    label = ", ".join([str(row.get(sheet.key[-1], "")) for row in rows] + withdrawn)
    return submission_create(
        submitter=user,
        country=country,
        file=ContentFile(body, name="admin-form.json"),
        name=f"admin form: {sheet.name} {label}"[:255],
        source=Submission.Source.ADMIN_FORM,
        language=language,
        withdrawals={sheet.name: withdrawn} if withdrawn else {},
    )


def withdrawal_keys(sheet, objects):
    return [object_key(sheet, obj) for obj in objects]


@transaction.atomic
def rows_confirm_still_correct(*, queryset, today=None):
    """Set the day the rows' facts were last confirmed to `today`, changing nothing else, and log it
    (who and when, from the change context). The countries' data version rises once, so cached
    pages and API answers show the new date. Returns how many rows."""
    name = verified_field(queryset.model)
    if name is None or sheet_of(queryset.model) is None:
        return 0
    today = today or timezone.localdate()
    sheet = sheet_of(queryset.model)
    many = [sheet.model_fields[item].name for item in sheet.countries if sheet.model_fields[item].many_to_many]
    rows = list(queryset.exclude(**{name: today}).prefetch_related(*many))
    for row in rows:
        row._changelog_before = snapshot(row)
        setattr(row, name, today)
    if not rows:
        return 0
    # last_updated stays: no fact changed (a proposal made before stays approvable).
    queryset.model._base_manager.bulk_update(rows, [name], batch_size=500)
    record_bulk(rows, created=False, fields=[name])
    countries = {code for row in rows for code in object_countries(sheet, row) if code}
    if countries:
        country_data_version_bump(country_codes=sorted(countries))
    return len(rows)
