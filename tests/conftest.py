import importlib
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import translation

from cooperatives.models import AdministrativeUnit
from coopportal.accounts.models import Role

from .factories import PASSWORD, UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds the configured province's communes, as after `make run`."""
    with django_db_blocker.unblock():
        call_command("load_admin_units", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def access_log_flushable_on_sqlite():
    """The test runner empties every table after a transactional test (live server, threads).

    PostgreSQL empties them by TRUNCATE, which the access log's row triggers let through; SQLite by
    DELETE, which they refuse. For the runner's flush alone, the SQLite triggers are dropped and made
    again in the same transaction (migration 0004 holds their SQL).
    """
    if connection.vendor != "sqlite":
        yield
        return
    operations = type(connection.ops)
    triggers = importlib.import_module("coopportal.accounts.migrations.0004_access_log").TRIGGERS["sqlite"]
    flush = operations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with transaction.atomic(using=self.connection.alias):
            with self.connection.cursor() as cursor:
                for statement in triggers[1]:
                    cursor.execute(statement)
            flush(self, sql_list)
            with self.connection.cursor() as cursor:
                for statement in triggers[0]:
                    cursor.execute(statement)

    operations.execute_sql_flush = execute_sql_flush
    yield
    operations.execute_sql_flush = flush


@pytest.fixture(autouse=True)
def vietnamese():
    """Each test starts in the portal's default language, whatever an earlier one activated."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo province (`seed_demo`), loaded once per test module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def province():
    return AdministrativeUnit.objects.get(level="province", code=settings.PORTAL_PROVINCE_CODE)


@pytest.fixture
def commune_a():
    return AdministrativeUnit.objects.get(level="commune", scheme="2025", code="21025")  # Phường Cẩm Thành


@pytest.fixture
def commune_b():
    return AdministrativeUnit.objects.get(level="commune", scheme="2025", code="21289")  # Xã Sơn Hà


@pytest.fixture
def administrator(db):
    return UserFactory(role=Role.ADMINISTRATOR, username="admin1")


@pytest.fixture
def provincial_staff(db):
    return UserFactory(role=Role.STAFF, province_wide=True, username="province1")


@pytest.fixture
def commune_staff(db, commune_a):
    return UserFactory(role=Role.STAFF, province_wide=False, username="commune1", scope_communes=[commune_a])


@pytest.fixture
def official(db):
    return UserFactory(role=Role.OFFICIAL, username="official1")


CHROMIUM = "/usr/bin/chromium"
# Without these flags Chromium keeps calling home, and this machine's closed network refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (Playwright's own browser download is not available)."""
    import os  # noqa: PLC0415

    from playwright.sync_api import expect, sync_playwright  # noqa: PLC0415

    # Playwright runs an event loop in this thread; the test's own ORM calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # CI shares two cores between the browser, the live server and the database: be patient.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, reference_data):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    # A script or style the Content-Security-Policy blocks is reported on the console: no walk may meet one.
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    yield page
    context.close()
    assert not refused, refused


@pytest.fixture
def reference_data(transactional_db):
    """Browser tests run on a flushed database: put back what migrations and `make run` load."""
    from cooperatives.models import Sector  # noqa: PLC0415
    from cooperatives.reference import load_sectors  # noqa: PLC0415
    from members.models import EthnicGroup  # noqa: PLC0415
    from members.reference import load_ethnic_groups  # noqa: PLC0415
    from workshops.models import DiscussionTheme  # noqa: PLC0415
    from workshops.reference import load_themes  # noqa: PLC0415

    load_sectors(Sector)
    load_ethnic_groups(EthnicGroup)
    load_themes(DiscussionTheme)
    call_command("load_admin_units", verbosity=0)


def log_in(page, username, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.fixture(autouse=True)
def no_missing_template_variables(monkeypatch):
    """Every page a test fetches is checked for a template variable that was not there.

    The test settings print such a variable as <<MISSING name>>; a page showing it has a typo
    or a view that forgot part of its context.
    """
    from django.test.client import Client  # noqa: PLC0415

    request = Client.request

    def checked_request(self, **kwargs):
        response = request(self, **kwargs)
        if response.get("Content-Type", "").startswith("text/html") and not getattr(response, "streaming", False):
            assert b"&lt;&lt;MISSING" not in response.content and b"<<MISSING" not in response.content, (
                kwargs.get("PATH_INFO"),
                response.content.decode()[:2000],
            )
        return response

    monkeypatch.setattr(Client, "request", checked_request)
