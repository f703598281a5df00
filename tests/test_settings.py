"""Settings come from the environment; each check runs Django in a fresh process with a chosen environment."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import environ
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""), "atomic": db["ATOMIC_REQUESTS"],
    "debug": settings.DEBUG, "language": settings.LANGUAGE_CODE, "languages": [code for code, _ in settings.LANGUAGES],
    "time_zone": settings.TIME_ZONE, "province": settings.PORTAL_PROVINCE_CODE,
}))
"""

# Variables that would leak the caller's configuration into the child process; the browser tests'
# fixture sets DJANGO_ALLOW_ASYNC_UNSAFE, which a deployment must not have.
PORTAL_VARIABLES = (
    "DATABASE_URL",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "TIME_ZONE",
    "PORTAL_PROVINCE_CODE",
    "DJANGO_READ_DOT_ENV_FILE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run_django(code, settings_module, **variables):
    environment = {key: value for key, value in os.environ.items() if key not in PORTAL_VARIABLES}
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, **variables)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


def settings_under(settings_module, **variables):
    completed = run_django(PRINT_SETTINGS, settings_module, **variables)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_defaults_are_a_sqlite_file_no_debug_vietnamese_and_the_province_of_quang_ngai():
    loaded = settings_under("coopportal.settings.base")
    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert loaded["name"] == str(BASE_DIR / "db.sqlite3")
    assert loaded["atomic"] is True
    assert loaded["debug"] is False
    assert loaded["language"] == "vi"
    assert loaded["languages"] == ["vi", "en"]
    assert loaded["time_zone"] == "Asia/Ho_Chi_Minh"
    assert loaded["province"] == "51"


def test_database_url_chooses_postgresql_through_psycopg():
    loaded = settings_under(
        "coopportal.settings.base", DATABASE_URL="postgres://portal:secret@db.example.vn:5432/coopportal"
    )
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert (loaded["name"], loaded["host"]) == ("coopportal", "db.example.vn")
    assert loaded["atomic"] is True


def test_the_postgresql_url_is_read_as_django_expects():
    """The same parser the settings use: scheme, credentials, host, port and database name."""
    config = environ.Env.db_url_config("postgres://portal:secret@db.example.vn:5433/coopportal")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "portal",
        "secret",
        "db.example.vn",
        5433,
        "coopportal",
    )


def test_debug_and_province_follow_the_environment():
    loaded = settings_under("coopportal.settings.base", DJANGO_DEBUG="True", PORTAL_PROVINCE_CODE="01")
    assert loaded["debug"] is True
    assert loaded["province"] == "01"


def test_local_settings_turn_debug_on_for_make_run():
    assert settings_under("coopportal.settings.local")["debug"] is True


def test_production_refuses_to_start_without_a_secret_key():
    completed = run_django(PRINT_SETTINGS, "coopportal.settings.production", DJANGO_ALLOWED_HOSTS="portal.example.vn")
    assert completed.returncode != 0
    assert "DJANGO_SECRET_KEY" in completed.stderr


def variables_read_by_the_settings():
    """Every variable a settings module reads through django-environ, found in their source."""
    sources = "".join(path.read_text(encoding="utf-8") for path in (BASE_DIR / "coopportal" / "settings").glob("*.py"))
    return sorted(set(re.findall(r"""\benv(?:\.\w+)?\(\s*["']([A-Z_]+)["']""", sources)))


def test_the_variables_read_are_found():
    """The search below cannot pass by finding nothing."""
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOWED_HOSTS", "TIME_ZONE"} <= set(
        variables_read_by_the_settings()
    )


@pytest.mark.parametrize("variable", variables_read_by_the_settings())
def test_env_example_documents_every_variable(variable):
    documented = (BASE_DIR / ".env.example").read_text(encoding="utf-8")
    assert f"\n{variable}=" in documented or f" {variable}=" in documented


def test_production_passes_the_deployment_checklist():
    """`manage.py check --deploy` with the production variables set reports no issue at all."""
    environment = {key: value for key, value in os.environ.items() if key not in PORTAL_VARIABLES}
    environment.update(
        DJANGO_SETTINGS_MODULE="coopportal.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="portal.example.vn",
    )
    completed = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "System check identified no issues (0 silenced)." in completed.stdout
