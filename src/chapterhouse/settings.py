"""Django settings, read from the environment so one code base serves a laptop demo and a press's server.

Development (the default) keeps everything under the data folder (``var/`` or ``$CHAPTERHOUSE_DATA``):
the SQLite database, a generated secret key, uploaded files and sent mail. Production
(``CHAPTERHOUSE_ENV=production``) refuses to start without an explicit ``SECRET_KEY`` and allowed hosts.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from chapterhouse.call.files import default_call_path
from chapterhouse.ops.places import data_dir, database_url, project_dir
from chapterhouse.ops.storage import default_storage_setting
from chapterhouse.web.secretkey import weak_secret_key_problem

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = project_dir()


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("CHAPTERHOUSE_ENV", "development").lower() == "production"
DATA_DIR = data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if PRODUCTION:
        if not key:
            raise ImproperlyConfigured("SECRET_KEY must be set in the environment when CHAPTERHOUSE_ENV=production.")
        problem = weak_secret_key_problem(key)
        if problem:
            raise ImproperlyConfigured(f"SECRET_KEY is too weak for production: {problem} "
                                       "Make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_flag("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment when CHAPTERHOUSE_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "chapterhouse.web",
    "chapterhouse.accounts",
    "chapterhouse.workflow",
    "chapterhouse.outbox",
    "chapterhouse.call",
    "chapterhouse.proposals",
    "chapterhouse.chapters",
    "chapterhouse.progress",
    "chapterhouse.production",
    "chapterhouse.launch",
    "chapterhouse.ops",
    "chapterhouse.review",
    "chapterhouse.selection",
    "chapterhouse.clearance",
    "chapterhouse.production.lineedit",
    "chapterhouse.production.proofs",
    "chapterhouse.production.publication",
    "chapterhouse.site",
]

MIDDLEWARE = [
    "chapterhouse.web.limits.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "chapterhouse.web.privatecache.PrivatePageMiddleware",
    # Last, so it sees a view's exception first: a full disk is a 507 page, not a 500 (web/storagefull.py).
    "chapterhouse.web.storagefull.StorageFullMiddleware",
]

ROOT_URLCONF = "chapterhouse.urls"
WSGI_APPLICATION = "chapterhouse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chapterhouse.web.context_processors.site",
            ],
        },
    },
]

# Each server thread keeps its connection between requests (a new one costs 2 ms on SQLite with its PRAGMAs and
# 11 ms on PostgreSQL); the health check replaces one the database dropped before a request uses it.
# DATABASE_CONN_MAX_AGE=0 opens one per request again.
DATABASES = {
    "default": dj_database_url.parse(
        database_url(),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many writers at once: WAL lets readers go on while one writes; IMMEDIATE takes the write lock when a
    # transaction begins (a deferred one upgrading mid-way fails at once with "database is locked"), and the
    # busy timeout makes the next writer wait its turn instead of failing. Django runs ``init_command`` on every
    # new connection, so a kept connection has them too.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A database cache, shared by every server process. (The rate limits keep their own table, web/models.RateCount:
# this cache counts its whole table on every write.)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "chapterhouse_cache",
    }
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Lock-out after repeated failed log-ins (django-axes): per user name and address, for a cool-off period.
AXES_FAILURE_LIMIT = int(os.environ.get("CHAPTERHOUSE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CHAPTERHOUSE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The same client address as the submission rate limit: REMOTE_ADDR, which waitress sets from the trusted
# proxy's X-Forwarded-For (and from the connection otherwise), never from headers a client could forge.
AXES_CLIENT_IP_CALLABLE = "chapterhouse.web.ratelimit.client_ip"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from the finders in place; it only needs the folder to exist
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "files"
STORAGES = {
    # A local folder, or one S3-compatible store shared by every process (CHAPTERHOUSE_STORAGE=s3://…).
    "default": default_storage_setting(os.environ.get("CHAPTERHOUSE_STORAGE")),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Galley pages are shown as images on the build page and in author proofs. At 144 dpi a 6 × 9 in page is 864 × 1296
# pixels: sharp at full column width and when opened full size. Rendering them is most of a rebuild's time
# (pdftoppm, about 0.3 s a page here), so the test suite lowers it; a press may too.
CHAPTERHOUSE_PAGE_IMAGE_DPI = int(os.environ.get("CHAPTERHOUSE_PAGE_IMAGE_DPI", "144"))

# Pages behind log-in are kept per process and served again until anything on the site changes
# (web/privatecache.py): at most this many bytes of them per process; 0 turns the cache off.
CHAPTERHOUSE_PRIVATE_PAGE_BYTES = int(os.environ.get("CHAPTERHOUSE_PRIVATE_PAGE_BYTES", str(32 * 1024 * 1024)))

# Uploads stay in memory until screened: a file that carries classification markings must never reach disk.
CHAPTERHOUSE_MAX_UPLOAD_MB = int(os.environ.get("CHAPTERHOUSE_MAX_UPLOAD_MB", "20"))
FILE_UPLOAD_HANDLERS = ["chapterhouse.web.uploads.CappedMemoryUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 1  # the form has one attachment; more file parts are a 400, never read

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "chapterhouse <no-reply@chapterhouse.localhost>")
# Where links in e-mails point; the request's own host is used when a request is at hand.
CHAPTERHOUSE_BASE_URL = os.environ.get(
    "CHAPTERHOUSE_BASE_URL", f"http://127.0.0.1:{os.environ.get('CHAPTERHOUSE_PORT', '8000')}"
)

# The portable copy of a SQLite backup keeps times to the microsecond (Django's JSON stops at the millisecond).
SERIALIZATION_MODULES = {"exactjson": "chapterhouse.ops.exactjson"}

# Background work (mail, reminders, galley builds) waits in the database for `chapterhouse worker`.
# The test suite sets the immediate backend, which runs a task as soon as it is enqueued.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("CHAPTERHOUSE_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A worker not heard from for this many seconds is down: /healthz says so, and a long job it held (a galley
# build, a clearance package) is taken back and run again, at most CHAPTERHOUSE_JOB_ATTEMPTS times in all.
CHAPTERHOUSE_WORKER_TIMEOUT = float(os.environ.get("CHAPTERHOUSE_WORKER_TIMEOUT", "60"))
CHAPTERHOUSE_JOB_ATTEMPTS = int(os.environ.get("CHAPTERHOUSE_JOB_ATTEMPTS", "3"))

# Registering DOIs with Crossref (``launch/registration.py``): where the worker sends deposits and the press's
# Crossref login. The default is Crossref's test system, so nothing is registered for real until a press sets
# https://doi.crossref.org here; without a login the "Register DOIs" button says what to set.
CHAPTERHOUSE_CROSSREF_URL = os.environ.get("CHAPTERHOUSE_CROSSREF_URL", "https://test.crossref.org")
CHAPTERHOUSE_CROSSREF_LOGIN = os.environ.get("CHAPTERHOUSE_CROSSREF_LOGIN", "")
CHAPTERHOUSE_CROSSREF_PASSWORD = os.environ.get("CHAPTERHOUSE_CROSSREF_PASSWORD", "")

# Whether the local part of an e-mail address (before the @) is compared without case. Nearly every mail
# server ignores case there; a press whose server does not sets this to false.
CHAPTERHOUSE_EMAIL_FOLD_LOCAL_CASE = env_flag("CHAPTERHOUSE_EMAIL_FOLD_LOCAL_CASE", True)

# Proposal submissions allowed per address per hour before the form asks the sender to wait.
CHAPTERHOUSE_SUBMISSION_RATE = os.environ.get("CHAPTERHOUSE_SUBMISSION_RATE", "10/h")
# Public forms that send mail (password links, proposal receipts): requests per client per hour for each form,
# and mails to one address per hour over all of them together, so none can be used to flood an inbox.
CHAPTERHOUSE_MAIL_RATE_PER_CLIENT = os.environ.get("CHAPTERHOUSE_MAIL_RATE_PER_CLIENT", "10/h")
CHAPTERHOUSE_MAIL_RATE_PER_ADDRESS = os.environ.get("CHAPTERHOUSE_MAIL_RATE_PER_ADDRESS", "5/h")

# /healthz warns ("status": "warning") when a disk the site writes to has less free space than this (MB).
CHAPTERHOUSE_MIN_FREE_DISK_MB = int(os.environ.get("CHAPTERHOUSE_MIN_FREE_DISK_MB", "1024"))


CHAPTERHOUSE_DEFAULT_CALL = default_call_path()

# Content-Security-Policy on every response: only the site's own files, no inline script or style at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_flag("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "3600"))
    # The scheme behind a TLS proxy comes from waitress (`chapterhouse serve --trusted-proxy`), which believes
    # X-Forwarded-Proto only from that proxy; Django is not told to trust the header from anyone.
    # A monitor asks for /healthz over plain http on the loopback address.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Production logs one JSON object per line (time, level, logger, message, and method/path/client for request
# errors); development keeps plain lines. CHAPTERHOUSE_LOG_FORMAT=json|text overrides either.
LOG_FORMAT = os.environ.get("CHAPTERHOUSE_LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "chapterhouse.ops.logs.RequestJsonFormatter", "fmt": "%(levelname)s %(name)s %(message)s"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "filters": {"one_line_refusals": {"()": "chapterhouse.web.logfilters.OneLineForRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_refusals"],
                             "formatter": "json" if LOG_FORMAT == "json" else "text"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
}
