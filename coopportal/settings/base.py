"""Settings shared by every environment; each value that differs comes from the environment."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file is only read when asked for, so a stray file never changes a deployment silently.
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two requests that read, then write (two clicks on Save) would otherwise fail with "database is locked":
    # SQLite cannot turn a read into a write while another writes. Each transaction therefore takes the write
    # lock when it begins and waits its turn (timeout, in seconds). In WAL mode, reads outside a transaction
    # (the import's progress) go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 60,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "coopportal.accounts",
    "coopportal.demo",
    "cooperatives",
    "members",
    "workshops",
    "reports",
    "imports",
]

# Background work (register imports): the database backend of django-tasks, run by `manage.py db_worker`,
# which `make run` starts beside the web server. It needs no other server, on SQLite as on PostgreSQL.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Shared by the web server and the worker (an import's progress): files on this machine by default,
# any cache Django supports through CACHE_URL (redis://…) when the portal runs on several machines.
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{BASE_DIR / 'var' / 'cache'}")}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, so that static files carry the policies too; no-store is only for signed-in users.
    "csp.middleware.CSPMiddleware",
    "coopportal.middleware.PermissionsPolicyMiddleware",
    "coopportal.middleware.NoStoreWhenSignedInMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "coopportal.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "coopportal.middleware.RefuseNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of every login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coopportal.urls"
WSGI_APPLICATION = "coopportal.wsgi.application"

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
                "coopportal.accounts.context_processors.portal",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed logins are throttled per user name and address: five tries, then one hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]


def client_address_settings(trusted_proxies):
    """How django-axes (through django-ipware) finds the client's address behind ``trusted_proxies`` proxies.

    Each proxy appends the address it was reached from to X-Forwarded-For, and the last one is
    REMOTE_ADDR. Whatever a client writes in the header itself stays on the left: the client is
    the ``trusted_proxies``-th address from the right of X-Forwarded-For (with no proxy, REMOTE_ADDR).
    In django-ipware's terms that is the left-most order with a proxy count of one less, since
    the last proxy is not in the header. Returns ``(proxy count, META keys)``.
    """
    if trusted_proxies <= 0:
        return None, ("REMOTE_ADDR",)
    return trusted_proxies - 1, ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")


# Reverse proxies in front of the portal (production: one by default; locally: none).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_ORDER = "left-most"
AXES_IPWARE_PROXY_COUNT, AXES_IPWARE_META_PRECEDENCE_ORDER = client_address_settings(TRUSTED_PROXY_COUNT)
# A chain longer than the proxies (a client's own X-Forwarded-For) is read, not thrown away for REMOTE_ADDR.
IPWARE_STRICT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# A user name longer than axes' column (the admin's login does not refuse it) is cut, not a server error.
AXES_USERNAME_CALLABLE = "coopportal.accounts.lockout.lockout_username"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
# Number and date formats follow the active language (vi: 1.234 and dd/mm/yyyy).
FORMAT_MODULE_PATH = ["coopportal.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# An empty filter choice reads "All" in the user's language rather than "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The province this installation serves (General Statistics Office code; 51 is Quảng Ngãi).
PORTAL_PROVINCE_CODE = env("PORTAL_PROVINCE_CODE", default="51")
# `seed_demo` may run: its accounts have passwords printed in the README (off in production).
PORTAL_DEMO_DATA = True

SESSION_COOKIE_HTTPONLY = True
# Union offices share computers: a session ends with the browser, and after a working day at most.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 60 * 60 * 10
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): everything from the portal itself, no inline script or style,
# no plugins, no framing, forms post only here. Bootstrap's CSS draws its small icons (a select's
# arrow, a check mark) as data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}
