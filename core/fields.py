"""Typed fields and choices shared by the apps."""

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_currency(value):
    if value and pycountry.currencies.get(alpha_3=value) is None:
        raise ValidationError(_("%(value)s is not an ISO 4217 currency code."), params={"value": value})


class CurrencyField(models.CharField):
    """An ISO 4217 currency code (EUR, MAD, SAR…)."""

    default_validators = [validate_currency]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("verbose_name", _("currency"))
        kwargs.setdefault("help_text", _("ISO 4217 code, e.g. EUR, MAD, SAR."))
        super().__init__(*args, **kwargs)


class AmountField(models.DecimalField):
    """A non-negative money amount; its currency is a CurrencyField beside it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("validators", [MinValueValidator(0)])
        super().__init__(*args, **kwargs)


class TriStateField(models.BooleanField):
    """Yes, no, or not known (NULL). Unknown is never read as no."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", None)
        super().__init__(*args, **kwargs)


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


class LanguageLevel(models.TextChoices):
    """CEFR levels; NONE means the permit asks for no language, blank means the hub does not know."""

    NONE = "none", _("no requirement")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


class Period(models.TextChoices):
    YEAR = "year", _("per year")
    MONTH = "month", _("per month")
    HOUR = "hour", _("per hour")


def validate_min_max(errors, low, high, *, low_field, high_field, label):
    """Add an error to `errors` when both bounds are set and low > high."""
    if low is not None and high is not None and low > high:
        errors[high_field] = _("The maximum %(label)s must not be less than the minimum.") % {"label": label}
    return errors


def require_currency(errors, amount, currency, *, currency_field):
    """Add an error to `errors` when an amount is given without its currency."""
    if amount is not None and not currency:
        errors[currency_field] = _("Give the currency of the amount.")
    return errors


def raise_if(errors):
    if errors:
        raise ValidationError(errors)
