"""The change log: every save and delete of a TrackedModel becomes an ObjectChange.

Signals are the one place the style guide allows them: the log must see every write, whether it
comes from a service, the admin or a loader. Who and why come from a context variable set by the
request middleware or by `change_context()` around a service call.
"""

import contextlib
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from .models import ObjectChange, TrackedModel
from .querysets import country_paths
from .translations import records_bulk

SKIPPED_FIELDS = {"created", "last_updated"}


@dataclass(frozen=True)
class ChangeContext:
    user: object = None
    request_id: uuid.UUID | None = None
    reason: str = ""


_context: ContextVar[ChangeContext] = ContextVar("change_context", default=ChangeContext())  # noqa: B039 (frozen dataclass)


@contextlib.contextmanager
def change_context(*, user=None, reason="", request_id=None):
    """Attribute the changes made inside the block to `user`, with `reason`."""
    current = _context.get()
    token = _context.set(
        ChangeContext(
            user=user if user is not None else current.user,
            request_id=request_id or current.request_id,
            reason=reason or current.reason,
        )
    )
    try:
        yield
    finally:
        _context.reset(token)


def _jsonable(value):
    # Round-trip through Django's encoder so dates, decimals and UUIDs become plain strings.
    return DjangoJSONEncoder().default(value) if not isinstance(value, (str, int, float, bool, type(None))) else value


def snapshot(instance):
    """The row's own values, as JSON-ready data (foreign keys as their ids)."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS:
            continue
        value = field.value_from_object(instance)
        if isinstance(value, (list, tuple)):
            data[field.attname] = [_jsonable(v) for v in value]
        else:
            data[field.attname] = _jsonable(value)
    return data


def _countries_of(instance):
    if instance.pk is None:
        return []
    if instance._meta.label == settings.HUB_COUNTRY_MODEL:
        return [instance.pk]
    codes = set()
    manager = type(instance)._base_manager
    for path in country_paths(type(instance)):
        codes.update(manager.filter(pk=instance.pk).exclude(**{f"{path}__isnull": True}).values_list(path, flat=True))
    return sorted(codes)


def _user_of(context):
    user = context.user
    if hasattr(user, "resolve"):
        user = user.resolve()
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


PUBLISHED = "published"


def _is_published(instance):
    """Whether the row is public now by its model's declaration: True, False, or None (always public)."""
    model = type(instance)
    if not model.public_history:
        return False
    if model.publication_path is None:
        return None
    value = instance
    try:
        for name in model.publication_path.split("__"):
            value = getattr(value, name)
    except ObjectDoesNotExist:  # a parent deleted in the same cascade
        return False
    return value == PUBLISHED


def public_entries(instance, action, changes, before=None):
    """[(action, changes, public)] to record for one change: the change itself, public or not, and,
    when a row enters or leaves publication, the public entry people read instead.

    Entering publication is public as the published state (the whole row), never as a diff from the
    draft; leaving it, as the change of status alone. `before` is the row's snapshot before an update.
    """
    published = _is_published(instance)
    if published is None:
        return [(action, changes, True)]
    own = type(instance).publication_path == "publication_status"
    if action != ObjectChange.Action.UPDATE or not own or before is None or "publication_status" not in changes:
        return [(action, changes, bool(published))]
    was_published = before.get("publication_status") == PUBLISHED
    if was_published == published:
        return [(action, changes, published)]
    if published:
        return [(action, changes, False), (ObjectChange.Action.PUBLISH, snapshot(instance), True)]
    return [(action, changes, False), (action, {"publication_status": changes["publication_status"]}, True)]


def record(instance, action, changes, before=None):
    context = _context.get()
    user = _user_of(context)
    countries = _countries_of(instance) if action != ObjectChange.Action.DELETE else instance._changelog_countries
    recorded = []
    for entry_action, entry_changes, public in public_entries(instance, action, changes, before):
        change = ObjectChange.objects.create(
            user=user,
            user_name=user.get_username() if user else "",
            request_id=context.request_id,
            action=entry_action,
            content_type_id=_content_type_id(type(instance)),
            object_id=str(instance.pk),
            object_repr=str(instance)[:300],
            changes=entry_changes,
            reason=context.reason[:500],
            public=public,
        )
        if countries:
            change.countries.set(countries)
        recorded.append(change)
    return recorded[0]


def _content_type_id(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model, for_concrete_model=False).pk


def _on_pre_save(sender, instance, raw, **kwargs):
    if raw or not issubclass(sender, TrackedModel):
        return
    instance._changelog_before = None
    if instance.pk is not None:
        old = sender._base_manager.filter(pk=instance.pk).first()
        if old is not None:
            instance._changelog_before = snapshot(old)


def _on_post_save(sender, instance, created, raw, **kwargs):
    if raw or not issubclass(sender, TrackedModel):
        return
    after = snapshot(instance)
    before = getattr(instance, "_changelog_before", None)
    if created or before is None:
        record(instance, ObjectChange.Action.CREATE, after)
        return
    diff = real_changes(before, after)
    if diff:
        record(instance, ObjectChange.Action.UPDATE, diff, before=before)


def _comparable(value):
    # An empty text and no text are the same fact; so are a browser's CRLF and LF line breaks.
    if value == "":
        return None
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    return value


def real_changes(before, after):
    """{field: [before, after]} for the fields whose value really changed.

    Not a change: "" against empty, a line-ending difference, and the untranslated column of a
    translated field (`name` beside `name_en`, which django-modeltranslation keeps equal): the
    change is logged once, under the language it was made in.
    """
    diff = {
        name: [before.get(name), value]
        for name, value in after.items()
        if _comparable(before.get(name)) != _comparable(value)
    }
    mirror = f"_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}"
    return {name: values for name, values in diff.items() if diff.get(f"{name}{mirror}") != values}


def _on_pre_delete_countries(sender, instance, **kwargs):
    if issubclass(sender, TrackedModel):
        instance._changelog_countries = _countries_of(instance)


def _on_post_delete(sender, instance, **kwargs):
    if not issubclass(sender, TrackedModel):
        return
    if not hasattr(instance, "_changelog_countries"):
        instance._changelog_countries = []
    record(instance, ObjectChange.Action.DELETE, snapshot(instance))


def _on_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if reverse or not isinstance(instance, TrackedModel):
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    field = next(
        (f for f in instance._meta.many_to_many if f.remote_field.through is sender),
        None,
    )
    if field is None:
        return
    if action != "post_clear" and not pk_set:
        return  # nothing was added or removed
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    record(
        instance,
        ObjectChange.Action.UPDATE,
        {field.name: {verb: sorted(str(pk) for pk in (pk_set or []))}},
    )


def connect_signals():
    pre_save.connect(_on_pre_save, dispatch_uid="changelog_pre_save")
    post_save.connect(_on_post_save, dispatch_uid="changelog_post_save")
    pre_delete.connect(_on_pre_delete_countries, dispatch_uid="changelog_pre_delete")
    post_delete.connect(_on_post_delete, dispatch_uid="changelog_post_delete")
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="changelog_m2m")


__all__ = ["change_context", "connect_signals", "record", "snapshot"]


def record_bulk(instances, *, created, fields=()):
    """Log rows written with bulk_create / bulk_update, which send no signals.

    For changed rows, `instance._changelog_before` holds the old values of `fields`.
    """
    if not instances:
        return
    context = _context.get()
    user = _user_of(context)
    model = type(instances[0])
    content_type_id = _content_type_id(model)
    direct_paths = [
        model._meta.get_field(path).attname
        for path in country_paths(model)
        if "__" not in path and not model._meta.get_field(path).many_to_many
    ]
    changes, owners = [], []
    for instance in instances:
        before = None
        if created:
            data, action = snapshot(instance), ObjectChange.Action.CREATE
        else:
            after = snapshot(instance)
            before = instance._changelog_before
            data = {field: [before.get(field), after.get(field)] for field in fields}
            action = ObjectChange.Action.UPDATE
        for entry_action, entry_changes, public in public_entries(instance, action, data, before):
            changes.append(
                ObjectChange(
                    user=user,
                    user_name=user.get_username() if user else "",
                    request_id=context.request_id,
                    action=entry_action,
                    content_type_id=content_type_id,
                    object_id=str(instance.pk),
                    object_repr=str(instance)[:300],
                    changes=entry_changes,
                    reason=context.reason[:500],
                    public=public,
                )
            )
            owners.append(instance)
    ObjectChange.objects.bulk_create(changes, batch_size=2000)
    through = ObjectChange.countries.through
    links = [
        through(objectchange_id=change.pk, country_id=getattr(instance, attname))
        for change, instance in zip(changes, owners, strict=True)
        for attname in direct_paths
        if getattr(instance, attname)
    ]
    through.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
    records_bulk(instances)  # the texts' kinds (core.translations), kept by the same writes
