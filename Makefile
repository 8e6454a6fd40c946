# The two commands: `make run` and `make test`. Everything else is optional.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The public reference data ships in reference_data/ and load_all reads it there; DATA=PATH loads a newer
# copy laid out the same way (its CSV files gzip-compressed or not), e.g. `make demo-data DATA=../shared/data`.
DATA ?=
# The stack mode: PostgreSQL, Redis broker and cache, a real Celery worker.
STACK_ENV := DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 REQUIRE_STACK=1

.PHONY: run test install serve demo-data accounts test-stack lint format check-deploy clean golden bench

run: install demo-data serve

test: install
	$(BIN)/pytest

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

demo-data: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_all $(if $(DATA),--data $(DATA))

serve: install
	$(BIN)/python manage.py runserver 127.0.0.1:8000

accounts: install
	$(BIN)/python manage.py create_accounts

# Regenerate tests/golden/eligibility.json (verdicts of fixed profiles on the demo data); review the diff.
golden: install
	ELIGIBILITY_GOLDEN_WRITE=1 $(BIN)/pytest -q tests/golden

test-stack: install
	$(STACK_ENV) $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-deploy: install
	DEBUG=0 SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))") \
	ALLOWED_HOSTS=hub.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

# The benchmarks: benchmarks/bench_api.py (gunicorn on PostgreSQL, database BENCH_DATABASE_URL,
# default bench_hub, ports 8100-8199), then every other benchmarks/bench_*.py.
bench: install
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
