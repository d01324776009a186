"""The one settings file. Everything that differs between machines comes from the environment.

Every environment variable the platform reads, with its default (tests/site/test_environment_documented.py
fails when one read anywhere under src/ is missing here; docs/deployment.md has the same list):

TUOYU_DATA        data directory (SQLite file, uploads, generated secret key); default ./var
DATABASE_URL      postgres://user:password@host:port/name for PostgreSQL; SQLite in TUOYU_DATA when unset
TUOYU_SECRET_KEY  secret key; generated once and kept in TUOYU_DATA when unset
TUOYU_DEBUG       1 to show Django's debug pages (never in production); default off
TUOYU_ALLOWED_HOSTS  comma-separated host names; default localhost,127.0.0.1,[::1]
TUOYU_PLAIN_HTTP  1 when the platform is reached over plain HTTP on this machine only (the demo):
                  cookies are then not marked Secure and no HSTS is sent. Never in production. Default off
TUOYU_SECURE_COOKIES  force Secure cookies on (1) or off (0); default: on unless DEBUG or PLAIN_HTTP
TUOYU_TRUSTED_PROXY_HOPS  reverse proxies in front that append to X-Forwarded-For; default 0 (none)
REDIS_URL         redis://host:port/db for the shared cache (login throttling across servers);
                  default: each process keeps its own counts in memory
TUOYU_LOGIN_MAX_FAILURES, TUOYU_LOGIN_LOCK_MINUTES  wrong passwords for one account from one address
                  before a lock, and the first lock's minutes; default 5 and 15 (kernel/accounts/throttle.py)
TUOYU_LOGIN_ADDRESS_RATE, TUOYU_LOGIN_ACCOUNT_RATE  failures allowed per address across accounts, and
                  per account from addresses it never signed in from; default 100/h and 10/10m
TUOYU_UPLOAD_MAX_MB  largest filing scan accepted, in MB; default 10
TUOYU_NOTIFY_CHANNELS  outbound channels for notices: log, email, sms (docs/notifications.md); default log
TUOYU_SMS_GATEWAY_URL, TUOYU_SMS_GATEWAY_SECRET  the provincial SMS gateway, when sms is a channel;
                  default none
TUOYU_SMS_GATEWAY_TIMEOUT  seconds to wait for the SMS gateway's answer; default 5
TUOYU_PUBLIC_URL  the address people reach the platform at (links in SMS and email);
                  default http://127.0.0.1:8000 (`tuoyu demo` sets it to the address it serves)
TUOYU_WORKER_INTERVAL  seconds between the background worker's rounds inside `tuoyu serve`; 0 runs none
                  there (run `tuoyu worker` instead); default 10
TUOYU_TILE_URL    map tile URL template for production (e.g. 天地图); unset = no outside tiles
TUOYU_WALK_METRES_PER_MINUTE  walking pace turning the care circle's minutes into metres; default 80
TUOYU_PLANNING_CIRCLE_MINUTES  care circle where the locality's policy sets none; default 15
TUOYU_LOG_LEVEL   level of the console log; default INFO
TUOYU_GROWTH_TABLES  directory of growth references loaded as data, <code>.csv each (docs/growth.md);
                  default TUOYU_DATA/growth; the WHO 2006 standards need none
TUOYU_DEMO_LOGINS  set by `tuoyu demo` only: the demo accounts (JSON) shown on the sign-in page; unset
                  anywhere else, so no password is ever shown, whatever the data is flagged

Read outside this file:
TUOYU_ADMIN_PASSWORD  `tuoyu createadmin` takes the first administrator's password from it instead
                  of asking (for scripted installs); default: asked at the terminal
DJANGO_SETTINGS_MODULE  this module, tuoyu.site.settings; the tuoyu command, wsgi.py and asgi.py set
                  it when it is unset
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tuoyu import clock

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("TUOYU_DATA", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("TUOYU_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _database(url: str | None) -> dict:
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "tuoyu.sqlite3",
            # IMMEDIATE transactions take the write lock at BEGIN, so two concurrent writers queue
            # instead of one failing half-way with "database is locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL;",
            },
            # A file, not memory, so that tests with threads lock and wait as production does.
            "TEST": {"NAME": DATA_DIR / f"test-{os.getpid()}.sqlite3"},
        }
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise RuntimeError(f"DATABASE_URL must be postgres://…, got scheme {parts.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "tuoyu",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


SECRET_KEY = _secret_key()
DEBUG = _env_flag("TUOYU_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("TUOYU_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "leaflet",  # only for the Leaflet files it ships; maps are drawn by our own script
    "tuoyu.site",
    "tuoyu.kernel.regions",
    "tuoyu.kernel.accounts",
    "tuoyu.kernel.audit",
    "tuoyu.kernel.messaging",
    "tuoyu.kernel.registry",
    "tuoyu.kernel.people",
    "tuoyu.domains.filings",
    "tuoyu.domains.enrollment",
    "tuoyu.domains.planning",
    "tuoyu.domains.health",
    "tuoyu.domains.attendance",
    "tuoyu.domains.growth",
    "tuoyu.domains.cameras",
    "tuoyu.domains.disclosure",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "tuoyu.site.middleware.PrivatePagesMiddleware",
    "tuoyu.site.middleware.BadInputMiddleware",
    "tuoyu.kernel.accounts.middleware.ActorMiddleware",
    "tuoyu.kernel.accounts.middleware.TemporaryPasswordMiddleware",
    # Last: it turns a lockout recorded during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tuoyu.site.urls"
WSGI_APPLICATION = "tuoyu.site.wsgi.application"

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
                "tuoyu.site.context.platform",
            ],
            "builtins": ["tuoyu.site.templatetags.tuoyu"],
        },
    }
]

DATABASES = {"default": _database(os.environ.get("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

if redis_url := os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tuoyu"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "tuoyu.kernel.accounts.passwords.ChineseMinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (kernel/accounts/throttle.py): an account locks from one address after this many wrong
# passwords, for LOGIN_LOCK_MINUTES, doubled for each further round that day; one address may fail
# LOGIN_ADDRESS_RATE times across all accounts; one account LOGIN_ACCOUNT_RATE times from addresses
# it has never signed in from.
LOGIN_MAX_FAILURES = int(os.environ.get("TUOYU_LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCK_MINUTES = int(os.environ.get("TUOYU_LOGIN_LOCK_MINUTES", "15"))
LOGIN_ADDRESS_RATE = os.environ.get("TUOYU_LOGIN_ADDRESS_RATE", "100/h")
LOGIN_ACCOUNT_RATE = os.environ.get("TUOYU_LOGIN_ACCOUNT_RATE", "10/10m")
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = LOGIN_MAX_FAILURES
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = "tuoyu.kernel.accounts.throttle.cool_off"
AXES_USERNAME_CALLABLE = "tuoyu.kernel.accounts.throttle.username_of"
AXES_CLIENT_IP_CALLABLE = "tuoyu.kernel.accounts.throttle.address_of"
AXES_LOCKOUT_CALLABLE = "tuoyu.kernel.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Trying again while locked does not extend the wait: a person retrying is not a new attack.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_VERBOSE = False

# Plain HTTP only where the platform is reached on this machine (the demo); everywhere else the
# cookies are Secure and browsers are told to use HTTPS.
PLAIN_HTTP = _env_flag("TUOYU_PLAIN_HTTP")
SECURE_TRANSPORT = not DEBUG and not PLAIN_HTTP
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600  # one working day
SESSION_COOKIE_SECURE = _env_flag("TUOYU_SECURE_COOKIES", SECURE_TRANSPORT)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if SECURE_TRANSPORT else 0
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# The platform's own clock (tuoyu.clock) is China Standard Time; Django's must be the same.
TIME_ZONE = clock.ZONE_NAME
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
GROWTH_TABLES_DIR = os.environ.get("TUOYU_GROWTH_TABLES", str(DATA_DIR / "growth"))
# Static files are served by the platform itself (WhiteNoise), straight from the installed
# packages when no collectstatic has run: government intranets have no CDN.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Filing materials: one scan at most this size (PDF, JPEG or PNG, checked by content).
TUOYU_UPLOAD_MAX_BYTES = int(os.environ.get("TUOYU_UPLOAD_MAX_MB", "10")) * 1024 * 1024
# Notices leave the platform through these channels (messaging/channels.py): log, email, sms.
TUOYU_NOTIFY_CHANNELS = [
    c.strip() for c in os.environ.get("TUOYU_NOTIFY_CHANNELS", "log").split(",") if c.strip()
]
TUOYU_SMS_GATEWAY_URL = os.environ.get("TUOYU_SMS_GATEWAY_URL", "")
TUOYU_SMS_GATEWAY_SECRET = os.environ.get("TUOYU_SMS_GATEWAY_SECRET", "")
TUOYU_SMS_GATEWAY_TIMEOUT = int(os.environ.get("TUOYU_SMS_GATEWAY_TIMEOUT", "5"))
# The address people reach the platform at, for links in SMS and email.
TUOYU_PUBLIC_URL = os.environ.get("TUOYU_PUBLIC_URL", "http://127.0.0.1:8000")
# The outbox worker that `tuoyu serve` runs in a thread (0 turns it off: run `tuoyu worker` instead).
TUOYU_WORKER_INTERVAL = int(os.environ.get("TUOYU_WORKER_INTERVAL", "10"))

TUOYU_TILE_URL = os.environ.get("TUOYU_TILE_URL", "")

# Content-Security-Policy: every script, style, image and font from the platform itself; no inline
# script or style attribute runs, so text a user typed can never become code in another's browser.
_TILE_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(TUOYU_TILE_URL)) if TUOYU_TILE_URL else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Turning the care circle's minutes into a catchment distance: a walking pace (an assumption of the
# planning model, not a policy number; 80 m a minute is an adult's pace with a pushchair).
TUOYU_WALK_METRES_PER_MINUTE = int(os.environ.get("TUOYU_WALK_METRES_PER_MINUTE", "80"))
# The care circle's minutes where the locality's policy sets none (P41 binds only where a document
# says so, e.g. Ouhai's 001 §一): an assumption of the planning model, labelled as such on the page.
TUOYU_PLANNING_CIRCLE_MINUTES = int(os.environ.get("TUOYU_PLANNING_CIRCLE_MINUTES", "15"))
# How many reverse proxies in front append to X-Forwarded-For (0: use the socket's address).
TUOYU_TRUSTED_PROXY_HOPS = int(os.environ.get("TUOYU_TRUSTED_PROXY_HOPS", "0"))
if TUOYU_TRUSTED_PROXY_HOPS:
    # The proxy terminates TLS and says so; without this the Secure cookies would never be sent back.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal": {"()": "tuoyu.site.logmask.MaskPersonalNumbers"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal"], "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("TUOYU_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}


def _demo_logins(value: str | None) -> dict | None:
    """The demo's accounts and password for the sign-in page: {"password": …, "accounts": [[name, post], …]}."""
    if not value:
        return None
    data = json.loads(value)
    return {"password": str(data["password"]), "accounts": [(str(u), str(d)) for u, d in data["accounts"]]}


TUOYU_DEMO_LOGINS = _demo_logins(os.environ.get("TUOYU_DEMO_LOGINS"))
