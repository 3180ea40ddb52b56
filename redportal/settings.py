"""Settings for the RED portal, read entirely from the environment.

Every value has a default that works on a laptop (SQLite file, Celery tasks run
eagerly); production sets the variables listed in README.md and DESIGN §3.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# A staging site: the sandbox bank and development SMS run with DEBUG off,
# and every page says "test site — no real money" (redportal/deployment.py).
ALLOW_SANDBOX = env.bool("ALLOW_SANDBOX", default=False)
# The fallback key only ever serves a laptop: with DEBUG off the portal
# refuses to start with it (redportal/deployment.py).
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="django-insecure-redportal-development-key-change-me-0123456789",
)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "django_celery_beat",
    "simple_history",
    "axes",
    "organization",
    "messaging",
    "consumers",
    "theft_cases",
    "ots_scheme",
    "payments",
    "defaulters",
    "dashboard",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    # Last: the project's own system checks (redportal/deployment.py).
    "redportal.apps.RedportalConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the session cookie or a form (DESIGN §7).
    "redportal.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Consumer sessions end 30 min after the last request (shared computers).
    "redportal.sessions.ConsumerSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "redportal.middleware.SecurityHeadersMiddleware",
    "redportal.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "redportal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Django's cached loader, one compiled copy per language with its
            # fixed translations drawn in (redportal/template_loaders.py).
            "loaders": [("redportal.template_loaders.Loader", [
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ])],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "redportal.context_processors.portal",
            ],
            "builtins": ["redportal.templatetags.money"],
            "libraries": {"public_forms": "redportal.templatetags.public_forms"},
        },
    },
]

WSGI_APPLICATION = "redportal.wsgi.application"

DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if env("DATABASE_TEST_NAME", default=""):
    # Lets several test runs share one PostgreSQL server side by side.
    DATABASES["default"]["TEST"] = {"NAME": env("DATABASE_TEST_NAME")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff_home"
LOGOUT_REDIRECT_URL = "home"

# Staff login lockout (DESIGN §7) for 30 min: 5 failures for an account from
# one address, or 10 across all addresses (redportal/login.py).
LOGIN_FAILURES_PER_ADDRESS = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=10)
AXES_FAILURE_LIMIT = "redportal.login.failure_limit"
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# Internationalisation: Hindi first (DESIGN §1), English second.
LANGUAGE_CODE = "hi"
LANGUAGES = [("hi", _("Hindi")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True
# Indian digit grouping (1,23,45,678) in both languages; see redportal/formats.
FORMAT_MODULE_PATH = ["redportal.formats"]
USE_THOUSAND_SEPARATOR = True
NUMBER_GROUPING = (3, 2, 0)

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages installed from the npm registry by `make` (no CDN).
    ("vendor/bootstrap", BASE_DIR / "node_modules/bootstrap/dist"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules/chart.js/dist"),
    ("vendor/font", BASE_DIR / "node_modules/@fontsource/noto-sans-devanagari"),
]
# TTF used when PDFs are drawn (fpdf2 needs TrueType, not woff2).
PDF_FONT_DIR = BASE_DIR / "node_modules/@expo-google-fonts/noto-sans-devanagari"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))

# Uploads (DESIGN §7): request bodies and import files are bounded.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
# A CSV at least this large is parsed in a child process beside the worker's
# database work, on PostgreSQL (theft_cases.importing); smaller ones in a thread.
IMPORT_PARSE_IN_CHILD_BYTES = env.int("IMPORT_PARSE_IN_CHILD_BYTES", default=1024 * 1024)
ID_DOCUMENT_MAX_BYTES = 2 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

# How long each process keeps the active schemes and phases for the public
# pages (ots_scheme/catalogue.py); a change made elsewhere shows within this.
SCHEME_CATALOGUE_SECONDS = env.int("SCHEME_CATALOGUE_SECONDS", default=30)
# The same for the organisation's units, the offices of the public pages
# (organization/catalogue.py).
ORG_CATALOGUE_SECONDS = env.int("ORG_CATALOGUE_SECONDS", default=30)

# Cache: Redis when configured (rate limits shared by every web process),
# local memory otherwise. Nothing in it is the record: with Redis down every
# cache call fails open, quickly (redportal/cache.py).
CACHE_URL = env("CACHE_URL", default=env("REDIS_URL", default=""))
if CACHE_URL:
    from redportal.cache import redis_cache  # noqa: E402

    CACHES = {"default": redis_cache(CACHE_URL,
                                     key_prefix=env("CACHE_KEY_PREFIX", default="redportal"))}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
RATELIMIT_USE_CACHE = "default"
# Sessions: PostgreSQL is the record, read through the cache (redportal/sessions.py).
SESSION_ENGINE = "redportal.sessions"
SESSION_CACHE_SECONDS = env.int("SESSION_CACHE_SECONDS", default=600)
# A consumer's session (no login) ends this long after the last request.
CONSUMER_SESSION_IDLE_SECONDS = env.int("CONSUMER_SESSION_IDLE_SECONDS", default=30 * 60)
RATELIMIT_VIEW = "common.throttling.ratelimited"
# The client address behind a proxy, resolved once (common/clientip.py):
# the header nginx overwrites with the real address, e.g. HTTP_X_REAL_IP.
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", default="")
AXES_CLIENT_IP_CALLABLE = "common.clientip.client_ip"

# Celery: a real broker when CELERY_BROKER_URL is set, eager otherwise.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_RESULT_EXPIRES = 3600
# Two queues (DESIGN §6): interactive work (OTPs and other SMS, payment
# notices and status queries) on `fast`, bulk work (imports, recomputation,
# the sweeps, reminders, the dashboard refresh, the ledger audit) on `bulk`,
# so an OTP never waits behind a 100,000-row import. `make worker` runs a
# worker for each; give both the same name to run one shared queue.
CELERY_QUEUE_FAST = env("CELERY_QUEUE", default="fast")
CELERY_QUEUE_BULK = env("CELERY_QUEUE_BULK", default="bulk")
CELERY_TASK_DEFAULT_QUEUE = CELERY_QUEUE_FAST
BULK_TASKS = [
    "theft_cases.tasks.validate_case_import", "theft_cases.tasks.apply_case_import",
    "theft_cases.tasks.resume_stalled_imports", "theft_cases.tasks.lapse_overdue_registrations",
    "theft_cases.tasks.flag_defaulters", "theft_cases.tasks.escalate_overdue_actions",
    "theft_cases.tasks.send_phase_reminders", "ots_scheme.tasks.recompute_case_quotes",
    "ots_scheme.tasks.recompute_scheme_quotes", "ots_scheme.tasks.expire_unpaid_registrations",
    "payments.tasks.reconcile_days_payments", "dashboard.tasks.refresh_dashboard_summary",
    "*.audit_ledger", "defaulters.tasks.*",
]
FAST_TASKS = [
    "messaging.tasks.*", "payments.tasks.query_payment_status",
    "payments.tasks.reconcile_pending_payments", "payments.tasks.deliver_sandbox_callback",
    "payments.tasks.*", "ots_scheme.tasks.freeze_registration_settlement", "redportal.ping",
]
CELERY_TASK_ROUTES = [
    {name: {"queue": CELERY_QUEUE_BULK} for name in BULK_TASKS},
    {name: {"queue": CELERY_QUEUE_FAST} for name in FAST_TASKS},
]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Above the longest task (a 100,000-row import), so it is never redelivered
# while still running (celery/celery#5935).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4 * 3600}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Fail fast when the broker is down, so a page is never held for long; the
# work stays in the database and a sweep queues it later (common/queueing.py).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2,
}
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2

# Outside services.
SMS_BACKEND = env("SMS_BACKEND", default="messaging.backends.OutboxBackend")
# The real provider (messaging/msg91.py, docs/deploy.md) and the DLT
# registration: entity id, header, and one template id per registered
# template name (`manage.py sms_templates`), e.g.
# SMS_DLT_TEMPLATE_IDS=ots_otp.hi=1107...,ots_otp.en=1107...
SMS_PROVIDER_API_BASE = env("SMS_PROVIDER_API_BASE", default="https://api.msg91.com")
SMS_PROVIDER_AUTH_KEY = env("SMS_PROVIDER_AUTH_KEY", default="")
SMS_PROVIDER_SENDER = env("SMS_PROVIDER_SENDER", default="MVVNLS")
SMS_PROVIDER_ROUTE = env("SMS_PROVIDER_ROUTE", default="4")
SMS_PROVIDER_TIMEOUT = env.float("SMS_PROVIDER_TIMEOUT", default=10.0)
SMS_PROVIDER_DLR_TOKEN = env("SMS_PROVIDER_DLR_TOKEN", default="")
SMS_DLT_ENTITY_ID = env("SMS_DLT_ENTITY_ID", default="")
SMS_DLT_TEMPLATE_IDS = env.dict("SMS_DLT_TEMPLATE_IDS", default={})
# Hosts a {#url#} variable may point to (registered with the templates).
SMS_URL_HOSTS = env.list("SMS_URL_HOSTS", default=[])
PAYMENT_GATEWAY = env("PAYMENT_GATEWAY", default="payments.gateways.sandbox.SandboxGateway")
PAYMENT_GATEWAY_SECRET = env(
    "PAYMENT_GATEWAY_SECRET", default="sandbox-secret-change-me"
)
# Razorpay adapter (payments.gateways.razorpay; docs/deploy.md). The key
# secret signs checkout returns, the webhook secret signs webhooks.
RAZORPAY_KEY_ID = env("RAZORPAY_KEY_ID", default="")
RAZORPAY_KEY_SECRET = env("RAZORPAY_KEY_SECRET", default="")
RAZORPAY_WEBHOOK_SECRET = env("RAZORPAY_WEBHOOK_SECRET", default="")
RAZORPAY_API_BASE = env("RAZORPAY_API_BASE", default="https://api.razorpay.com")
RAZORPAY_MERCHANT_NAME = env("RAZORPAY_MERCHANT_NAME", default="MVVNL")
DEMO_PASSWORD = env("DEMO_PASSWORD", default="redportal-demo")

# Security (DESIGN §7); strict values apply when DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Secure by default (DESIGN §7): with DEBUG off HTTPS redirect, secure
# cookies and HSTS are on unless the environment turns them off.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# A health check may talk to gunicorn directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The refusal page in the person's language (Django's own is English).
CSRF_FAILURE_VIEW = "redportal.views.csrf_failure"
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"

# Integration API (DESIGN §8): machine clients with bearer tokens, JSON only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.access.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.access.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.access.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.DecimalJSONParser"],
    "DEFAULT_METADATA_CLASS": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per client (the bench pages 10⁶ entries at 1,000 a page).
API_CLIENT_THROTTLE_RATE = env("API_CLIENT_THROTTLE_RATE", default="1200/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "RED portal integration API",
    "DESCRIPTION": "Cases in, money ledger and dues out, for billing (RMS) and the "
                   "raid-management system. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}

from redportal.schedules import BEAT_SCHEDULE as CELERY_BEAT_SCHEDULE  # noqa: E402, F401
