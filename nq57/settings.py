"""The one settings module. Every deployment difference comes from the environment (see README)."""

import secrets
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from nq57.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("NQ57_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)


def _secret_key() -> str:
    """Production must pass SECRET_KEY; a developer gets one generated once and kept in var/."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "simple_history",
    "axes",
    "django_htmx",
    # nq57 before django_tasks_db: its `db_worker` (retries, heartbeat, stuck jobs) replaces
    # the library's command of the same name.
    "nq57",
    "django_tasks",
    "django_tasks_db",
    "org",
    "periods",
    "tasks",
    "reporting",
    "indicators",
    "notifications",
    "directives",
    "products",
    "scoring",
    "documents",
    "dashboard",
    "demo",
    "bench",
]

MIDDLEWARE = [
    # Refuses an oversized body before reading it, and query strings the database cannot take.
    "nq57.middleware.RequestLimitsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses HTML (static files come pre-compressed from WhiteNoise). CSRF tokens are masked
    # per response, so the compressed pages do not leak them (BREACH).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "nq57.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Idle timeout and absolute cap of a session; CSP, no-store on signed-in pages.
    "nq57.middleware.SessionLifetimeMiddleware",
    "nq57.middleware.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "org.middleware.ForcePasswordChangeMiddleware",
    # django-axes must come last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nq57.urls"
WSGI_APPLICATION = "nq57.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project's shared templates first: its registration/ pages (password change and
        # reset) must win over django.contrib.admin's of the same names.
        "DIRS": [BASE_DIR / "nq57" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "org.context_processors.navigation",
                "notifications.context_processors.unread",
                "dashboard.navigation.menu",
            ],
        },
    }
]


def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    )
    # A connection that died with the database (a restart) is replaced at the next request
    # instead of failing it.
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # The web server and the worker write to the same file: wait for locks, use WAL.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# --- Sessions, cookies, headers (issue 18; ASVS L2) -------------------------------------------
# A session ends after SESSION_IDLE_MINUTES without activity, SESSION_MAX_HOURS after sign-in
# whatever the activity (nq57.middleware.SessionLifetimeMiddleware), and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "nq57.errors.csrf_failure"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The monitoring probe may ask over plain HTTP on the server itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # only names under the system's own host name
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# No inline script anywhere (scripts are static files); style attributes stay allowed (progress
# bars, chart heights), <style> elements do not. Sent by nq57.middleware.SecurityHeadersMiddleware.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# --- Sign-in throttling (issue 18; org.throttle) ------------------------------------------------
# Failed sign-ins within AXES_COOLOFF_TIME lock, each for AXES_COOLOFF_TIME after the last
# failure counted (attempts during a lockout are not counted, so a lockout never extends
# itself): one account from one address after LOGIN_LIMIT_ACCOUNT_IP, one account from anywhere
# after LOGIN_LIMIT_ACCOUNT (its owner is told by e-mail), one address over all accounts after
# LOGIN_LIMIT_IP. Above LOGIN_LIMIT_GLOBAL failures system-wide (a spray from many addresses)
# every client that has failed at all in the window is held until it passes.
AXES_HANDLER = "org.throttle.LoginThrottle"
AXES_FAILURE_LIMIT = 1  # org.throttle counts per kind of limit; 1 = one limit reached
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCK_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
LOGIN_LIMIT_ACCOUNT_IP = env_int("LOGIN_LIMIT_ACCOUNT_IP", 5)
LOGIN_LIMIT_ACCOUNT = env_int("LOGIN_LIMIT_ACCOUNT", 10)
LOGIN_LIMIT_IP = env_int("LOGIN_LIMIT_IP", 30)
LOGIN_LIMIT_GLOBAL = env_int("LOGIN_LIMIT_GLOBAL", 300)
# Old-password guesses on the password change page, and reset e-mails (per address asked for
# and per client address), per hour.
PASSWORD_CHANGE_LIMIT = env_int("PASSWORD_CHANGE_LIMIT", 5)
PASSWORD_RESET_LIMIT = env_int("PASSWORD_RESET_LIMIT", 3)
# Behind a reverse proxy, name the header that carries the client address (e.g. HTTP_X_REAL_IP).
AXES_IPWARE_META_PRECEDENCE_ORDER = env_list("CLIENT_IP_HEADERS", ["REMOTE_ADDR"])

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["nq57.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages come from npm (node_modules), served by Django/WhiteNoise, never from a CDN.
STATICFILES_DIRS = [
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # Only the one ECharts build the dashboard loads: nq57/vendor/echarts holds a symlink to
    # node_modules/echarts/dist/echarts.common.min.js (dist/ is 52 MB of builds and maps that
    # collectstatic would otherwise copy and compress).
    ("vendor/echarts", BASE_DIR / "nq57" / "vendor" / "echarts"),
]
MEDIA_ROOT = VAR_DIR / "media"
# Outside DEBUG, static files get content-hashed names (`collectstatic` writes them and the
# manifest), so WhiteNoise serves them as immutable for ten years: the 715 KB chart library is
# downloaded once per version, and a new version is a new name.
STORAGES = {
    "default": {"BACKEND": "nq57.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_MB * 1024 * 1024
# A request body larger than one file plus its form is refused before it is read
# (nq57.middleware.RequestLimitsMiddleware); nginx's client_max_body_size says the same.
MAX_REQUEST_BYTES = (MAX_UPLOAD_MB + 1) * 1024 * 1024
# What an Office file (XLSX, DOCX) may unpack to, part by part and in all, and the rows an
# import reads: a small zip cannot hold a worker's memory or time (nq57.uploads, nq57.xlsx).
OFFICE_MAX_UNPACKED_MB = env_int("OFFICE_MAX_UNPACKED_MB", 100)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20_000)

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "NQ57 Nghệ An <nq57@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# A task is "at risk" (yellow) when, still on time, its deadline is within `days` and progress
# is below `min_progress` %, or progress lags the straight line start→deadline by `max_lag` points.
TASK_RISK_RULES = {
    "days": env_int("TASK_RISK_DAYS", 30),
    "min_progress": env_int("TASK_RISK_MIN_PROGRESS", 50),
    "max_lag": env_int("TASK_RISK_MAX_LAG", 25),
}

# Report reminders: days before the due date, on the day, then every N days while late.
REPORT_REMINDER_DAYS_BEFORE = [int(d) for d in env_list("REPORT_REMINDER_DAYS_BEFORE", ["3", "1"])]
REPORT_REMINDER_LATE_EVERY_DAYS = env_int("REPORT_REMINDER_LATE_EVERY_DAYS", 2)
# An e-mail digest waits this long after its first item for more (notifications.digest).
NOTIFICATION_DIGEST_MINUTES = env_int("NOTIFICATION_DIGEST_MINUTES", 10)

TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- Served stack (issue 18: `make serve`, deploy/) ---------------------------------------------
# One cache for every app server: Redis when CACHE_URL is set (redis://host:6379/N), else the
# in-process cache (`make run`, one process). The dashboard's cache keys carry the data version,
# so a shared cache never serves stale figures.
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "nq57"),
            "TIMEOUT": 3600,
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# /healthz: the worker counts as alive while its last heartbeat is this recent, the disk as
# healthy while this much is free where uploads and reports are written.
WORKER_HEARTBEAT_SECONDS = 15
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 120)
HEALTH_MIN_FREE_MB = env_int("HEALTH_MIN_FREE_MB", 500)
# A background job still "running" after its worker stopped beating this long is retried (at
# most JOB_MAX_ATTEMPTS runs in all), then failed.
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
# Periodic jobs the worker queues itself, (task, every N seconds), once for all workers; each
# is idempotent, so a catch-up run changes nothing twice. Replaces cron/systemd timers.
WORKER_SCHEDULE = [
    ("documents.jobs.sweep_reports", 10 * 60),
    ("reporting.jobs.send_due_reminders_task", 60 * 60),
    ("reporting.jobs.create_due_periods_task", 60 * 60),
]

# Errors: mailed to ADMINS ("Name <address>, ..."; none by default) without the request's
# form data, cookies or session (nq57.errors.PrivateExceptionReporterFilter); every page that
# fails shows a Vietnamese page without a trace.
ADMINS = getaddresses(env_list("ADMINS", []))
DEFAULT_EXCEPTION_REPORTER_FILTER = "nq57.errors.PrivateExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "nq57.errors.PrivateExceptionReporter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false"],
            "include_html": False,
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "ERROR",
            "propagate": False,
        },
    },
}
