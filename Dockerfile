FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Every Python package pyproject.toml lists ([tool.setuptools.packages.find]), for `pip install .`.
COPY pyproject.toml README.md ./
COPY mobility_hub ./mobility_hub
COPY core ./core
COPY guidance ./guidance
COPY submissions ./submissions
COPY countries ./countries
COPY permits ./permits
COPY recruiters ./recruiters
RUN pip install .

# The rest of the checkout the hub reads at run time: reference_data/ (the public datasets load_all
# reads, so `docker compose run --rm web python manage.py load_all` needs no mounted folder), demo_data/,
# templates/, static/, locale/ and manage.py. .dockerignore leaves out only local state.
COPY . .
# The image holds the reference data as shipped and the other data folders (else the build fails).
RUN (cd reference_data && sha256sum --check --quiet SHA256SUMS) \
    && for folder in demo_data templates static locale; do test -d "$folder" || exit 1; done
# collectstatic needs settings that import; a throwaway key is enough for the build step only.
RUN DEBUG=0 SECRET_KEY=build-only-not-used-at-run-time-0123456789-abcdefghijklmnop ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 hub && chown -R hub /app
USER hub
EXPOSE 8000
CMD ["gunicorn", "mobility_hub.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
