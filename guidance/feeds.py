"""Public feeds of published changes: Atom (Django's syndication framework) and JSON Feed 1.1."""

from django.contrib.syndication.views import Feed
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from core.api.versioning import data_version_current
from countries.selectors import country_get

from .changes import published_changes

FEED_LENGTH = 50


def _country(code):
    if code is None:
        return None
    country = country_get(code)
    if country is None:
        raise Http404("Unknown country")
    return country


def _feed_changes(country):
    """The latest public changes, of one country or all (the same answer as the page and the API)."""
    changes = published_changes()
    if country is not None:
        changes = changes.filter(countries=country)
    return changes.prefetch_related("countries")[:FEED_LENGTH]


def _title(change):
    return f"{change.get_action_display()}: {change.content_type.name} {change.object_repr}"


def _summary(change):
    names = sorted(change.changes) if change.action == "update" else []
    text = ", ".join(names) if names else ""
    return f"{text} ({change.reason})" if change.reason else text


def _feed_title(country):
    return f"Mobility Hub: changes of {country.name}" if country else "Mobility Hub: changes"


class ChangesAtomFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, country=None):
        return _country(country)

    def title(self, country):
        return _feed_title(country)

    def link(self, country):
        return reverse("country-changes-atom", args=[country.pk]) if country else reverse("changes-atom")

    def subtitle(self, country):
        return (
            "Public changes of the hub's data: permits, agreements, recruiters and reference data. "
            f"Data version {data_version_current().token}."
        )

    def items(self, country):
        return _feed_changes(country)

    def item_title(self, change):
        return _title(change)

    def item_description(self, change):
        return _summary(change)

    def item_link(self, change):
        return f"{reverse('changes-atom')}#change-{change.pk}"

    def item_guid(self, change):
        return f"urn:mobility-hub:change:{change.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.time

    def item_updateddate(self, change):
        return change.time

    def item_categories(self, change):
        return [country.pk for country in change.countries.all()]


def changes_json(request, country=None):
    """The same changes as JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    country = _country(country)
    home = request.build_absolute_uri(
        reverse("country-changes-json", args=[country.pk]) if country else reverse("changes-json")
    )
    items = [
        {
            "id": f"urn:mobility-hub:change:{change.pk}",
            "title": _title(change),
            "content_text": _summary(change),
            "date_published": change.time.isoformat(),
            "tags": [item.pk for item in change.countries.all()],
            "_mobility_hub": {
                "action": change.action,
                "type": change.content_type.model,
                "object_id": change.object_id,
                "object": change.object_repr,
                "reason": change.reason,
                "changes": change.changes,
            },
        }
        for change in _feed_changes(country)
    ]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": _feed_title(country),
        "feed_url": home,
        # The data version of the whole hub when the feed was read: the token of the API's X-Data-Version
        # header and of the data packages, so a client knows which download holds these changes.
        "_mobility_hub": {"data_version": data_version_current().token},
        "items": items,
    }
    return JsonResponse(feed, json_dumps_params={"ensure_ascii": False}, content_type="application/feed+json")
