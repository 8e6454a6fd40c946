"""GIN indexes for full-text search (guidance/search.py), on PostgreSQL only.

Expression indexes: each is the very tsvector expression guidance.search.search_vector() builds,
so that PostgreSQL uses it. Written with RunPython because a GIN index cannot be created on SQLite
(the embedded mode) and an index in the models' Meta would be created there too.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

LANGUAGES = {"en": "english", "fr": "french", "de": "german", "ar": "arabic"}
# (model, index name, fields, configuration)
INDEXES = [
    ("Agreement", f"agreement_search_{code}", (f"title_{code}", f"summary_{code}"), config)
    for code, config in LANGUAGES.items()
]


def _indexes(apps):
    for model_name, index_name, fields, config in INDEXES:
        yield apps.get_model("countries", model_name), GinIndex(SearchVector(*fields, config=config), name=index_name)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.execute(index.create_sql(model, schema_editor))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.execute(index.remove_sql(model, schema_editor))


class Migration(migrations.Migration):
    dependencies = [("countries", "0005_consulate_visa_statistics")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
