"""The public change feeds (Atom and JSON), overall and per country; not translated."""

from django.urls import path

from . import feeds

urlpatterns = [
    path("feeds/changes.atom", feeds.ChangesAtomFeed(), name="changes-atom"),
    path("feeds/changes.json", feeds.changes_json, name="changes-json"),
    path("feeds/<str:country>/changes.atom", feeds.ChangesAtomFeed(), name="country-changes-atom"),
    path("feeds/<str:country>/changes.json", feeds.changes_json, name="country-changes-json"),
]
