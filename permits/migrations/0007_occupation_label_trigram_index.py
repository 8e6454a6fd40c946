"""A trigram index on the normalised occupation labels, on PostgreSQL only.

permits.selectors.occupation_matching_list (the occupation picker, the permit filter, the site search)
finds labels with LIKE '%word%' on OccupationLabel.search_text, which a B-tree index cannot serve: on
the 70,000 labels of ESCO/ISCO-08 in four languages every search read the whole table. pg_trgm's GIN
operator class serves LIKE with a pattern anywhere in the string. The index is on the plain column,
the very operand of the query's `"search_text"::text LIKE ...` (the cast of a varchar to text is no
expression of its own for the planner). The rest of the search reads full-text indexes (0004) and the
250 countries in Python, so no other column is scanned with LIKE.

Written with RunPython, as 0004, because SQLite (the embedded mode) has neither the extension nor GIN
indexes, and an index in the model's Meta would be created there too. pg_trgm ships with PostgreSQL
and is a trusted extension (PostgreSQL 13+): the owner of the database may create it.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

INDEX = GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="occupation_label_search_trgm")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(INDEX.create_sql(apps.get_model("permits", "OccupationLabel"), schema_editor))


def drop(apps, schema_editor):
    # The extension stays: it may serve other indexes, and it holds no data.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(INDEX.remove_sql(apps.get_model("permits", "OccupationLabel"), schema_editor))


class Migration(migrations.Migration):
    dependencies = [("permits", "0006_eligibility_conditions")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
