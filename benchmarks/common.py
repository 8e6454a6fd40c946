"""What the benchmarks share: the project's paths, the benchmark database, `manage.py` in a subprocess."""

import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_hub")


def manage(*args, env=None, capture=False):
    return subprocess.run(
        [str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=capture
    )


def count(model, env, where=""):
    """How many rows of `model` ("app.Model") match `where` (a filter's keyword arguments, as text)."""
    app, name = model.split(".")
    code = f"from {app}.models import {name} as M; print(M.objects.filter({where}).count())"
    return int(manage("shell", "-c", code, env=env, capture=True).stdout.strip().splitlines()[-1])


def database_create(env):
    """Create the benchmark database (DATABASE_URL) if it does not exist, and migrate it."""
    import psycopg2

    url = urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = psycopg2.connect(
        host=url.hostname, port=url.port or 5432, user=url.username, password=url.password, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    manage("migrate", "--noinput", "-v", "0", env=env)


def database_vacuum():
    """VACUUM the benchmark database, as autovacuum does a database in service after a load.

    Rows loaded into a table with a GIN index (the trigram index of the occupation labels, the full-text
    indexes) wait in the index's pending list until a VACUUM merges them, and every query using the index
    reads the whole list: on a fresh database each scan of the labels' trigram index took about 2 ms, and
    the planner, which counts the list, preferred to read the whole table (25–40 ms). ANALYZE does not merge it; on
    a database already vacuumed, VACUUM takes a fraction of a second.
    """
    import psycopg2

    url = urlsplit(DATABASE_URL)
    connection = psycopg2.connect(
        host=url.hostname, port=url.port or 5432, user=url.username, password=url.password, dbname=url.path.lstrip("/")
    )
    connection.autocommit = True  # VACUUM runs outside a transaction
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
    connection.close()


def scale_data_generate(env):
    """Fill the benchmark database with the scale data, once."""
    if count("permits.PermitCategory", env, "code__startswith='scale-'") == 0:
        print("Generating the scale data (once per database)…", flush=True)
        manage("generate_scale_data", env=env)
