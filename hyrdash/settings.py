"""Settings for hyrdash: one module, configured through environment variables.

DATABASE_URL     database (default: SQLite file db.sqlite3 in the project folder)
SECRET_KEY       required when DEBUG is off: at least 50 characters, not a placeholder
DEBUG            "1"/"true" to enable debug mode (default off)
ALLOWED_HOSTS    comma-separated host names (default: localhost, 127.0.0.1)
TRUSTED_PROXIES  comma-separated proxy addresses or networks whose X-Forwarded-For is
                 believed (default: none, the client address is REMOTE_ADDR)
(README.md, "Environment variables", lists the rest.)
"""

import datetime as dt
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Published keys: the compose file's fallback, common examples, the development key.
PLACEHOLDER_SECRET_KEYS = {
    "change-me",
    "changeme",
    "insecure-development-key-only-used-with-debug",
}
SECRET_KEY_MIN_LENGTH = 50  # as Django's own check (security.W009)


def check_secret_key(key: str) -> None:
    """Refuse a key that is missing, a known placeholder, or too short to be random.

    The message never repeats the key.
    """
    if not key:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for local development)."
        )
    if key.strip().lower() in PLACEHOLDER_SECRET_KEYS or key.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY is a published placeholder; set a random key, e.g. "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < 5:
        raise ImproperlyConfigured(
            f"SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} random characters when "
            "DEBUG is off, e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )


def env_networks(name: str) -> list[str]:
    """Comma-separated IP addresses or networks ("10.0.0.5", "172.18.0.0/16"); default none."""
    entries = env_list(name, [])
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks, got {entry!r}"
            ) from exc
    return entries


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not DEBUG:
    check_secret_key(SECRET_KEY)
elif not SECRET_KEY:
    SECRET_KEY = "insecure-development-key-only-used-with-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

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
    "axes",
    "kpis",
    "survey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hyrdash.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "hyrdash.middleware.page_cache_header",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "hyrdash.urls"

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
                "kpis.context_processors.roles",
                "survey.context_processors.survey",
            ],
        },
    },
]

WSGI_APPLICATION = "hyrdash.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (runserver, a command) may write: wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one
# user name, from any addresses, that user name is locked out for the cool-off time,
# counted from the lockout (failures during it do not extend it). Per user name, not
# per (user name, address): a spray from many addresses is counted against each
# account, and one address (a proxy, a hospital's NAT) never locks out everyone
# behind it. Anyone who knows a user name can still lock it, each time for the cool-off.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15)
if AXES_FAILURE_LIMIT < 1 or LOGIN_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT and LOGIN_COOLOFF_MINUTES must be at least 1")
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# The address axes records: REMOTE_ADDR, or X-Forwarded-For as seen through
# TRUSTED_PROXIES (hyrdash/client_ip.py): for axes' records and log; locks are per user name.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "hyrdash.client_ip.client_ip"
# axes.W006 asks for 'ip_address' among the lockout parameters, against rotating
# user agents or cookies; with the user name alone neither changes the count.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Content Security Policy: no inline script (chart data travels through json_script).
# Plotly writes style attributes and <style> elements, hence 'unsafe-inline' for styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"  # hyrdash.views.start: each role's first page
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Our region in SKR's national comparison table (highlighted on the dashboard).
HYRDASH_REGION = os.environ.get("REGION_NAME", "Västerbotten")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploads: extracts are read in memory; anything above the limit is refused.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 50 * 1024 * 1024)

# An extract is measured before it is read (hyrdash.lib.sheet_size): at most this many
# rows (the header row too; a CSV's lines) and, for a workbook's first sheet, this many
# cells from A1 to its last row and column. A file that compresses a thousandfold
# would otherwise be read whole first (README, "Importing data").
MAX_EXTRACT_ROWS = env_int("MAX_EXTRACT_ROWS", 2_000_000)
MAX_EXTRACT_CELLS = env_int("MAX_EXTRACT_CELLS", 20_000_000)
if MAX_EXTRACT_ROWS < 2 or MAX_EXTRACT_CELLS < MAX_EXTRACT_ROWS:
    raise ImproperlyConfigured(
        "MAX_EXTRACT_ROWS must be at least 2 and MAX_EXTRACT_CELLS at least MAX_EXTRACT_ROWS, "
        f"got {MAX_EXTRACT_ROWS} and {MAX_EXTRACT_CELLS}"
    )

# The cache every worker shares: computed figures and their disclosure decisions
# (kpis.sick_leave.disclosure), keyed by what they depend on. A folder by default, so
# gunicorn's workers on one server share it with no extra service; CACHE_URL=redis://...
# where several app servers run, locmem:// for one process only.
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif CACHE_URL in ("", "file://") or CACHE_URL.startswith("file://"):
    CACHES = {
        "default": {
            "BACKEND": "hyrdash.lib.filecache.FileBasedCache",
            "LOCATION": CACHE_URL.removeprefix("file://") or str(BASE_DIR / ".cache" / "django"),
            "TIMEOUT": None,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
else:
    raise ImproperlyConfigured(
        f"CACHE_URL must be redis://..., file:///folder or locmem://, got {CACHE_URL!r}"
    )

# The folders (of BASE_DIR) whose code, templates and translations make the pages: their
# digest is part of every page cache key (hyrdash.lib.pagecache.release), so a new
# release never reads a page an older one kept.
PAGE_CACHE_CODE = ["hyrdash", "kpis", "survey", "templates", "locale"]

# After an import from the site has committed, compute the pages most asked for (the
# newest month for the administration, each care type and area) before the uploader's
# next page answers (kpis.registry, each kind's `warm`).
PAGE_CACHE_WARM = env_bool("PAGE_CACHE_WARM", True)
# ... for at most this many seconds (the first language's pages first): a busy server
# must not keep the uploader waiting past gunicorn's timeout; the pages left are computed
# when first asked for.
PAGE_CACHE_WARM_SECONDS = env_int("PAGE_CACHE_WARM_SECONDS", 10)
# ... in these languages: Swedish, which the steering group reads; an English page is
# computed when first asked for. Each language warmed costs the uploader's request as
# much CPU again (bench/load.py).
PAGE_CACHE_WARM_LANGUAGES = env_list("PAGE_CACHE_WARM_LANGUAGES", [LANGUAGE_CODE])
if not set(PAGE_CACHE_WARM_LANGUAGES) <= {code for code, _name in LANGUAGES}:
    raise ImproperlyConfigured(
        f"PAGE_CACHE_WARM_LANGUAGES: {PAGE_CACHE_WARM_LANGUAGES} are not all in LANGUAGES"
    )

# Sick leave is health data: ÅRL 5 kap. 18 a § forbids any figure for a group of at most
# ten employees. This names the largest group size that is never shown (pages, CSV,
# exports, the steering pack: kpis.sick_leave.disclosure); a region may hide more, never
# less, so a value under the law's 10 stops the start.
SICK_LEAVE_MAX_HIDDEN_GROUP = env_int("SICK_LEAVE_MAX_HIDDEN_GROUP", 10)
if SICK_LEAVE_MAX_HIDDEN_GROUP < 10:
    raise ImproperlyConfigured(
        "SICK_LEAVE_MAX_HIDDEN_GROUP must be at least 10 (ÅRL 5 kap. 18 a §: no sick-leave "
        f"figure for a group of at most ten employees), got {SICK_LEAVE_MAX_HIDDEN_GROUP}"
    )
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
