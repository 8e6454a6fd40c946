FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY mobility_hub ./mobility_hub
COPY countries ./countries
COPY permits ./permits
COPY recruiters ./recruiters
RUN pip install .

COPY . .
# collectstatic needs settings that import; a throwaway key is enough for the build step only.
RUN DEBUG=0 SECRET_KEY=build-only-not-used-at-run-time-0123456789-abcdefghijklmnop ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 hub && chown -R hub /app
USER hub
EXPOSE 8000
CMD ["gunicorn", "mobility_hub.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
