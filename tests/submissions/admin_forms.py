"""The admin's change forms posted as a browser would: every field with the value it shows."""

import datetime

from django import forms


def _value(bound):
    value = bound.value()
    widget = bound.field.widget
    if isinstance(bound.field, forms.NullBooleanField):
        return {True: "true", False: "false"}.get(value, "unknown")
    if isinstance(bound.field, forms.BooleanField):
        return "on" if value else None
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return widget.format_value(value)
    return str(value)


def _add(data, form):
    for name in form.fields:
        bound = form[name]
        value = _value(bound)
        if value is not None:
            data[bound.html_name] = value


def change_form_data(response, **changes):
    """The POST of the admin form `response` shows (its inlines included), with `changes` applied
    (a value None leaves the field out, as an unticked box)."""
    data = {}
    _add(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add(data, formset.management_form)
        for form in formset.forms:
            _add(data, form)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
