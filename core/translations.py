"""What each published text is: an original, an official wording, the hub's translation or a reviewed one.

Content fields are django-modeltranslation fields: `<field>_en` holds the original (in the row's
original language, whatever it is) and `<field>_fr`, `_ar`, `_de` the other languages. For every
saved row of a content model, `texts_record` keeps one TextTranslation per text that is not a plain
English original, from the row's `text_origin` (the common format's `original_language` and
`official_texts`): a text in another column than the original's is the hub's translation unless it
is named official. Each translation keeps the hash of the original it was made from; a later change
of the original sets `out_of_date` until a focal point reviews it (`translation_review`).

It is kept current the way the change log is (core/changelog.py): from post_save, which every write
path sends (admin, the pipeline, the demo loader that goes through the pipeline), and from
changelog.record_bulk for rows created in bulk. Pages read it through `text_marks`: one query per
request, of the few texts that are not the default (hub translations up to date need no row read).
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .models import TextTranslation, TrackedModel

# The content models whose texts are published (by label: core imports no app). Reference data
# (countries, ISCO/ESCO, sectors, labels) has its own translations from its sources.
CONTENT_MODELS = (
    "permits.PermitCategory",
    "permits.SalaryThreshold",
    "permits.RequiredDocument",
    "permits.Fee",
    "permits.QualificationRecognition",
    "countries.Agreement",
    "countries.LegalSource",
    "countries.ContactPoint",
    "countries.Corridor",
    "recruiters.RecruitmentRegime",
    "recruiters.EnforcementAction",
    "recruiters.CertificationLabel",
)
Kind = TextTranslation.Kind


def default_language():
    return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def other_languages():
    return [code for code, _name in settings.LANGUAGES if code != default_language()]


def text_hash(text):
    return hashlib.sha256((text or "").strip().encode()).hexdigest()[:16]


def is_content_model(model):
    return model._meta.concrete_model._meta.label in CONTENT_MODELS


def translated_fields(model):
    """The translated fields of a content model, e.g. ["name", "description"]."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    return list(options.fields)


def _content_type_id(model):
    return ContentType.objects.get_for_model(model).pk


def text_origin_of(instance):
    """The stored text origin of a row (TrackedModel.text_origin): its original language and its
    official columns."""
    origin = {"original_language": default_language(), "official_texts": []}
    if instance.pk is None or not is_content_model(type(instance)):
        return origin
    prefetched = getattr(instance, "_prefetched_objects_cache", {}).get(RELATION)
    if prefetched is not None:
        rows = [(row.field, row.language, row.kind) for row in prefetched]
    else:
        rows = TextTranslation.objects.filter(
            content_type_id=_content_type_id(type(instance)),
            object_id=instance.pk,
            kind__in=[Kind.ORIGINAL, Kind.OFFICIAL],
        ).values_list("field", "language", "kind")
    for field, language, kind in rows:
        if kind == Kind.ORIGINAL:
            origin["original_language"] = language
        else:
            origin["official_texts"].append(f"{field}_{language}")
    origin["official_texts"].sort()
    return origin


def _wanted(instance, fields, origin):
    """{(field, language): (kind, text hash, original hash)} that the row's texts call for now."""
    original_language = origin.get("original_language") or default_language()
    official = set(origin.get("official_texts") or ())
    wanted = {}
    for field in fields:
        original = getattr(instance, f"{field}_{default_language()}", "") or ""
        original_hash = text_hash(original)
        if original and original_language != default_language():
            wanted[(field, original_language)] = (Kind.ORIGINAL, original_hash, original_hash)
        for language in other_languages():
            value = getattr(instance, f"{field}_{language}", "") or ""
            if not value or language == original_language:
                continue  # no text, or the original itself written again in its own language's column
            kind = Kind.OFFICIAL if f"{field}_{language}" in official else Kind.HUB
            wanted[(field, language)] = (kind, text_hash(value), original_hash)
    return wanted


def texts_record(instances):
    """Bring the TextTranslation rows of saved rows of one content model up to date.

    A new text is the hub's translation (or official, or the original, as the row's text origin
    says) made from the original as it is now. A text that changed is a new translation. A text
    that did not change keeps its kind and review; if its original changed, it may be out of date.
    """
    instances = [instance for instance in instances if instance.pk is not None]
    if not instances:
        return
    model = type(instances[0])
    fields = translated_fields(model)
    if not fields:
        return
    content_type_id = _content_type_id(model)
    stored = {}
    for row in TextTranslation.objects.filter(
        content_type_id=content_type_id, object_id__in=[instance.pk for instance in instances]
    ):
        stored[(row.object_id, row.field, row.language)] = row
    stored_origins = _origins_from(stored.values())
    new, changed, gone = [], [], []
    for instance in instances:
        if instance.__dict__.get("_text_origin_given"):
            origin = instance.__dict__["_text_origin"]
        else:
            origin = stored_origins.get(instance.pk, {})
        instance.__dict__.pop("_text_origin_given", None)
        wanted = _wanted(instance, fields, origin)
        label = str(instance)[:300]
        parents = _parents(instance)
        for (field, language), (kind, value_hash, original_hash) in wanted.items():
            row = stored.pop((instance.pk, field, language), None)
            if row is None:
                row = TextTranslation(
                    content_type_id=content_type_id,
                    object_id=instance.pk,
                    object_repr=label,
                    field=field,
                    language=language,
                    kind=kind,
                    text_hash=value_hash,
                    original_hash=original_hash,
                )
                row.parents = parents
                new.append(_carried_over(row) if _deleted else row)
                continue
            before = (row.kind, row.text_hash, row.original_hash, row.out_of_date, row.object_repr)
            _bring_up_to_date(row, kind, value_hash, original_hash)
            row.object_repr = label
            if before != (row.kind, row.text_hash, row.original_hash, row.out_of_date, row.object_repr):
                changed.append(row)
        gone += [row.pk for (object_id, *_rest), row in stored.items() if object_id == instance.pk]
    if gone:
        TextTranslation.objects.filter(pk__in=gone).delete()
    if new:
        TextTranslation.objects.bulk_create(new, batch_size=1000)
    if changed:
        TextTranslation.objects.bulk_update(
            changed, ["kind", "text_hash", "original_hash", "out_of_date", "object_repr", "reviewed_by", "reviewed_at"]
        )


def _origins_from(rows):
    origins = {}
    for row in rows:
        origin = origins.setdefault(row.object_id, {"original_language": default_language(), "official_texts": []})
        if row.kind == Kind.ORIGINAL:
            origin["original_language"] = row.language
        elif row.kind == Kind.OFFICIAL:
            origin["official_texts"].append(f"{row.field}_{row.language}")
    return origins


def _bring_up_to_date(row, kind, value_hash, original_hash):
    if kind in (Kind.ORIGINAL, Kind.OFFICIAL):
        row.kind, row.text_hash, row.original_hash, row.out_of_date = kind, value_hash, original_hash, False
        return
    if row.kind in (Kind.ORIGINAL, Kind.OFFICIAL) or row.text_hash != value_hash:
        # No longer official, or written anew: the hub's translation of the original as it is now.
        row.kind, row.text_hash, row.original_hash, row.out_of_date = Kind.HUB, value_hash, original_hash, False
        row.reviewed_by, row.reviewed_at = None, None
        return
    row.out_of_date = row.original_hash != original_hash


def translation_review(*, translations, user):
    """Mark translations reviewed by `user` now, against their originals as they are now (which
    clears "may be out of date"). Official texts and originals are left as they are. Returns how
    many were marked."""
    rows = list(translations.exclude(kind__in=[Kind.ORIGINAL, Kind.OFFICIAL]).select_related("content_type"))
    now = timezone.now()
    by_model = {}
    for row in rows:
        by_model.setdefault(row.content_type_id, []).append(row)
    for model_rows in by_model.values():
        model = model_rows[0].content_type.model_class()
        objects = model._base_manager.in_bulk([row.object_id for row in model_rows])
        for row in model_rows:
            obj = objects.get(row.object_id)
            if obj is None:
                continue
            original = getattr(obj, f"{row.field}_{default_language()}", "") or ""
            translation = getattr(obj, f"{row.field}_{row.language}", "") or ""
            row.kind, row.reviewed_by, row.reviewed_at, row.out_of_date = Kind.REVIEWED, user, now, False
            row.original_hash, row.text_hash, row.recorded = text_hash(original), text_hash(translation), now
    TextTranslation.objects.bulk_update(
        rows, ["kind", "reviewed_by", "reviewed_at", "out_of_date", "original_hash", "text_hash", "recorded"]
    )
    return len(rows)


# -- what pages show ---------------------------------------------------------------------------------


class TextMarks:
    """The texts of every content row that are not the default, for one page language: originals in
    another language than English, and the page language's official, reviewed or out-of-date
    translations. A hub translation up to date is the default and needs no row."""

    def __init__(self, language):
        rows = TextTranslation.objects.filter(
            (Q(kind=Kind.ORIGINAL) & ~Q(language=default_language()))
            | (Q(language=language) & (Q(kind__in=[Kind.OFFICIAL, Kind.REVIEWED]) | Q(out_of_date=True)))
        ).values_list("content_type_id", "object_id", "field", "language", "kind", "out_of_date")
        self.originals, self.texts = {}, {}
        for content_type_id, object_id, field, text_language, kind, out_of_date in rows:
            if kind == Kind.ORIGINAL:
                self.originals[(content_type_id, object_id, field)] = text_language
            else:
                self.texts[(content_type_id, object_id, field)] = (kind, out_of_date)

    def original_language(self, obj, field):
        """The language of the original text of obj.field, or None when not recorded (English)."""
        return self.originals.get((_content_type_id(type(obj)), obj.pk, field))

    def kind(self, obj, field):
        """(kind, out of date) of the page language's text of obj.field."""
        return self.texts.get((_content_type_id(type(obj)), obj.pk, field), (Kind.HUB, False))


def text_marks(request, language):
    """The TextMarks of a page, read once per request and language (None without a request)."""
    if request is None:
        return TextMarks(language)
    cache = request.__dict__.setdefault("_text_marks", {})
    if language not in cache:
        cache[language] = TextMarks(language)
    return cache[language]


# -- signals -------------------------------------------------------------------------------------------


def _on_post_save(sender, instance, raw, **kwargs):
    if raw or not issubclass(sender, TrackedModel) or not is_content_model(sender):
        return
    texts_record([instance])


# The texts of rows just deleted, by (type, parent, field, language, text hash): the pipeline replaces
# a permit's documents, fees and thresholds by deleting and creating them again, and a translation
# that comes back unchanged must keep its kind, its review, and the original it was made from (so
# that a changed original still flags it). Emptied when the transaction commits.
_deleted = {}


def _parents(instance):
    return tuple(
        (field.attname, getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.is_relation and field.many_to_one
    )


def _on_post_delete(sender, instance, **kwargs):
    if not issubclass(sender, TrackedModel) or not is_content_model(sender):
        return
    rows = TextTranslation.objects.filter(content_type_id=_content_type_id(sender), object_id=instance.pk)
    parents = _parents(instance)
    if parents:
        if not _deleted:
            transaction.on_commit(_deleted.clear)
        for row in rows:
            if row.kind in (Kind.HUB, Kind.REVIEWED):
                _deleted[(row.content_type_id, parents, row.field, row.language, row.text_hash)] = row
    rows.delete()


def _carried_over(row):
    """A new text's row made from that of the same text of a row just deleted and created again."""
    key = (row.content_type_id, row.parents, row.field, row.language, row.text_hash)
    before = _deleted.pop(key, None)
    if before is None or row.kind != Kind.HUB:
        return row
    row.kind, row.reviewed_by_id, row.reviewed_at = before.kind, before.reviewed_by_id, before.reviewed_at
    row.out_of_date = before.out_of_date or before.original_hash != row.original_hash
    row.original_hash = before.original_hash
    return row


def records_bulk(instances):
    """The texts of rows created or changed in bulk (no signals): called by changelog.record_bulk."""
    if instances and is_content_model(type(instances[0])):
        texts_record(list(instances))


RELATION = "text_translations"


def _relate_content_models():
    """Give each content model a generic relation to its TextTranslation rows, so that an export of
    many rows reads their text origins in one prefetch query (queryset.prefetch_related(RELATION)),
    not one per row. A generic relation adds no column, hence no migration to the models' apps."""
    from django.contrib.contenttypes.fields import GenericRelation

    for model in content_models():
        if not any(field.name == RELATION for field in model._meta.private_fields):
            GenericRelation(TextTranslation).contribute_to_class(model, RELATION)


def text_origins(lookup=RELATION):
    """The prefetch of what TrackedModel.text_origin reads (originals and official texts), at `lookup`."""
    from django.db.models import Prefetch

    return Prefetch(lookup, queryset=TextTranslation.objects.filter(kind__in=[Kind.ORIGINAL, Kind.OFFICIAL]))


def connect_signals():
    post_save.connect(_on_post_save, dispatch_uid="translations_post_save")
    post_delete.connect(_on_post_delete, dispatch_uid="translations_post_delete")
    _relate_content_models()


def content_models():
    return [apps.get_model(label) for label in CONTENT_MODELS]
