"""Writes to permits. Every change goes through here (or the admin, which applies the same rules)."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.changelog import change_context
from core.fields import PublicationStatus
from countries.services import country_data_version_bump

from .models import PermitCategory


class PublicationError(Exception):
    def __init__(self, errors):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


def permit_publication_errors(*, publication_status, legal_sources):
    """The rule every published permit obeys: it cites at least one legal source."""
    if publication_status == PublicationStatus.PUBLISHED and not list(legal_sources):
        return {"legal_sources": _("A published permit must cite at least one legal source.")}
    return {}


def permit_publish(*, permit: PermitCategory, user, reason=""):
    """Publish a permit after checking it in full; the change is logged under `user`."""
    with transaction.atomic(), change_context(user=user, reason=reason or "published"):
        permit = PermitCategory.objects.select_for_update().get(pk=permit.pk)
        permit.full_clean()
        errors = permit_publication_errors(
            publication_status=PublicationStatus.PUBLISHED, legal_sources=permit.legal_sources.all()
        )
        if errors:
            raise PublicationError(errors)
        permit.publication_status = PublicationStatus.PUBLISHED
        permit.save(update_fields=["publication_status", "last_updated"])
        country_data_version_bump(country_codes=[permit.country_id])
    return permit
