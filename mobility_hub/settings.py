"""Settings, read from the environment (django-environ).

With nothing set, the hub runs embedded: SQLite, Celery tasks run eagerly in the web process,
a local-memory cache. `DATABASE_URL` and `REDIS_URL` switch it to PostgreSQL, a Redis broker and
a Redis cache; `DEBUG=0` switches on production mode (secret key and hosts required).
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    # Only for the embedded mode; production refuses to start without its own key.
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-embedded-mode-only")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("Production mode (DEBUG=0) needs SECRET_KEY: at least 50 random characters.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    "mobility_hub.apps.HubAdminConfig",  # django.contrib.admin, with the dashboard as its home
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    # The layers, from the ground floor up (a lower one never imports a higher one).
    "core",
    "countries",
    "permits",
    "recruiters",
    "submissions",
    "guidance",
]

# The model every row's country points at: the ground floor (core) names it only by this label.
HUB_COUNTRY_MODEL = "countries.Country"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Gzip, but not where a CSRF token or a session is (BREACH): above the middlewares that set those cookies.
    "core.compression.PublicGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A NUL character in the address is refused with 400 (PostgreSQL text cannot hold one).
    "core.middleware.NulCharacterMiddleware",
    "core.middleware.ChangeContextMiddleware",
    # Pages, search, feeds and the licence check: a generous rate per client (the API has its own);
    # after the security headers' middlewares, so that a 429 page carries them too.
    "core.middleware.PageThrottleMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mobility_hub.urls"
WSGI_APPLICATION = "mobility_hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    # core.cache.FailSoftRedisCache: while Redis is down it answers like an empty cache (pages and API
    # answer uncached, throttles let requests through) and logs once; short timeouts keep requests quick.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Admin login lockout (django-axes): a username from one address is locked after
# AXES_FAILURE_LIMIT failures for AXES_COOLOFF_HOURS.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address comes from the one trusted-proxy setting below (NUM_PROXIES), as for the throttles.
AXES_CLIENT_IP_CALLABLE = "core.throttling.client_address"

# How many proxies in front of the hub append to X-Forwarded-For: 0 (the default) trusts no forwarded
# header and uses the connection's address; 1 behind one proxy (docker-compose.yml: the proxy in front
# of gunicorn). The throttles and the admin lockout use the same address.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("ar", _("Arabic")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# One date format per language, day first, and grouped amounts (core/formats/__init__.py says which).
FORMAT_MODULE_PATH = "core.formats"

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr", "ar", "de")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

# Celery: eager in the embedded mode, a Redis broker when REDIS_URL is set.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Time limits stay well below the broker's visibility timeout, so that a task still running
# is never handed to a second worker.
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# With the broker down, sending a task gives up after about a second (an upload then waits for the
# outbox sweep) instead of holding the request.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "expire-agency-licences": {"task": "recruiters.tasks.agency_licences_expire", "schedule": 60 * 60 * 24},
    "pull-country-feeds": {"task": "submissions.tasks.feeds_pull", "schedule": 60 * 60},
    "sweep-stuck-submissions": {"task": "submissions.tasks.submissions_sweep", "schedule": 5 * 60},
    "count-stale-data": {"task": "submissions.tasks.stale_data_count", "schedule": 60 * 60 * 24},
    "email-focal-point-digests": {"task": "submissions.tasks.digests_send", "schedule": 60 * 60 * 24},
}

# Focal-point submissions: uploads are bounded, XLSX workbooks too once unpacked; work stuck in a
# state for longer than SUBMISSION_STUCK_AFTER_MINUTES is enqueued again, at most
# SUBMISSION_MAX_ATTEMPTS times per step, then marked failed.
SUBMISSION_MAX_BYTES = env.int("SUBMISSION_MAX_BYTES", default=10 * 1024 * 1024)
SUBMISSION_MAX_UNZIPPED_BYTES = env.int("SUBMISSION_MAX_UNZIPPED_BYTES", default=50 * 1024 * 1024)
SUBMISSION_STUCK_AFTER_MINUTES = env.int("SUBMISSION_STUCK_AFTER_MINUTES", default=15)
SUBMISSION_MAX_ATTEMPTS = env.int("SUBMISSION_MAX_ATTEMPTS", default=3)
# An attempt still "started" after this many minutes died with its worker (the task time limit is
# 5 minutes): the sweep marks it failed, and the step is tried again.
SUBMISSION_ATTEMPT_DEADLINE_MINUTES = env.int("SUBMISSION_ATTEMPT_DEADLINE_MINUTES", default=10)
# A file that would withdraw more than this share (in %) of a country's published rows of a table is
# held: the submitter and the reviewer must both confirm that they mean to withdraw them.
SUBMISSION_WITHDRAWAL_HOLD_PERCENT = env.float("SUBMISSION_WITHDRAWAL_HOLD_PERCENT", default=20.0)
# Feeds: https only (FEED_ALLOW_HTTP is for tests), public addresses only, bounded in time and size.
FEED_ALLOW_HTTP = env.bool("FEED_ALLOW_HTTP", default=False)
FEED_TIMEOUT_SECONDS = env.float("FEED_TIMEOUT_SECONDS", default=30.0)
# In the embedded mode (eager Celery), the pipeline's tasks run in one background thread of the web
# process, after the response (submissions/background.py); 0 runs them inside the request.
SUBMISSION_EMBEDDED_BACKGROUND = env.bool("SUBMISSION_EMBEDDED_BACKGROUND", default=True)
# Test-only: seconds the publish step sleeps inside its transaction (to kill a worker mid-publish).
SUBMISSION_TEST_PUBLISH_PAUSE = env.float("SUBMISSION_TEST_PUBLISH_PAUSE", default=0.0)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mobility Hub <noreply@localhost>")
# The hub's own address for reports of a wrong fact, shown on the About page.
HUB_CONTACT_EMAIL = env.str("HUB_CONTACT_EMAIL", default="contact@mobility-hub.example")

REST_FRAMEWORK = {
    # Sessions only (the browsable API of a signed-in editor); tokens only on the submission endpoints
    # (submissions/api/views.py). No HTTP Basic: its failures would lock accounts out of the admin.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # JSON bodies bounded in size and depth (core/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.AnonymousThrottle", "core.throttling.SignedInThrottle"],
    # Requests per client (core/throttling.py): the API's anonymous clients (by address) and signed-in
    # users, and the same for the pages and feeds (core.middleware.PageThrottleMiddleware); empty = no limit.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_THROTTLE_RATE", default="120/min") or None,
        "user": env.str("API_USER_THROTTLE_RATE", default="600/min") or None,
        "page_anon": env.str("PAGE_ANON_THROTTLE_RATE", default="300/min") or None,
        "page_user": env.str("PAGE_USER_THROTTLE_RATE", default="1200/min") or None,
        # Reports of a wrong fact sent per client address (guidance/reports.py), signed in or not.
        "report": env.str("REPORT_THROTTLE_RATE", default="5/hour") or None,
    },
    "NUM_PROXIES": NUM_PROXIES,
}

# The public API's response cache, keyed on the data version (core/api/versioning.py).
API_CACHE_ENABLED = env.bool("API_CACHE_ENABLED", default=True)

SPECTACULAR_SETTINGS = {
    "TITLE": "Mobility Hub API",
    "DESCRIPTION": "Read-only access to the published rules of labour mobility: permits, agreements, "
    "recruitment agencies and their licences, visa requirements, occupations, legal sources.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from drf-spectacular-sidecar's static files: nothing from outside.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "AgreementStatusEnum": "countries.models.Agreement.Status",
        "LicenceStatusEnum": "recruiters.models.RecruitmentAgency.Status",
        "ContactPointKindEnum": "countries.models.ContactPoint.Kind",
        "LegalSourceKindEnum": "countries.models.LegalSource.Kind",
    },
    # drf-spectacular's own enum hook, then the hub's: the error answers (400/401/403/404/429) with
    # their JSON bodies, IRIs for URLs, the patterns and bounds of parameters (core/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.postprocess_api_errors",
    ],
}

# Data not confirmed for this many months is shown as possibly out of date.
STALE_AFTER_MONTHS = env.int("STALE_AFTER_MONTHS", default=12)

# Content-Security-Policy (django-csp): no third-party origin anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

if not DEBUG:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Open data (issue 23): the bulk downloads, built after each publish, and the mirror mode.
# The packages are files of the data, kept out of the checkout in tests (a settings override).
DATA_PACKAGE_ROOT = env.path("DATA_PACKAGE_ROOT", default=str(Path(str(MEDIA_ROOT)) / "var" / "datapackages"))
DATA_PACKAGE_KEEP = env.int("DATA_PACKAGE_KEEP", default=5)
DATA_PACKAGE_DEBOUNCE_SECONDS = env.int("DATA_PACKAGE_DEBOUNCE_SECONDS", default=180)
DATA_PACKAGE_ON_PUBLISH = env.bool("DATA_PACKAGE_ON_PUBLISH", default=True)
# The URL of the hub this one mirrors; set, this hub is read-only (no admin writes, no uploads).
MIRROR_OF = env.str("MIRROR_OF", default="")

# Admin-form edits are proposals that a second person approves, as uploads are (submissions/proposals.py).
# When True, hub editors (and superusers) publish their own edits in the admin directly; off by default.
HUB_EDITORS_PUBLISH_OWN_EDITS = env.bool("HUB_EDITORS_PUBLISH_OWN_EDITS", default=False)
# Refuses admin writes and uploads when MIRROR_OF is set (a no-op otherwise).
MIDDLEWARE = [*MIDDLEWARE, "submissions.mirror.ReadOnlyMirrorMiddleware"]
