"""The access log (issue 12): every view of an individual's page and every download, who, when, what; append-only."""

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from coopportal.accounts.models import AccessKind, AccessLogEntry, AppendOnlyError, Role
from members.models import Person
from reports.selectors import ReportFilters
from reports.services import report_issue

from .factories import PersonFactory, UserFactory
from .test_security import both_communes_rows

pytestmark = pytest.mark.django_db

# Every URL that writes an entry: (name, its arguments from the rows, who opens it, format, logged object's model).
LOGGED = [
    ("members:detail", lambda rows, report: {"pk": rows.chair}, "staff", "", "members.Person"),
    ("members:update", lambda rows, report: {"pk": rows.chair}, "staff", "", "members.Person"),
    ("cooperatives:export", lambda rows, report: {"file_format": "xlsx"}, "official", "xlsx", ""),
    ("cooperatives:export", lambda rows, report: {"file_format": "csv"}, "official", "csv", ""),
    ("reports:summary_pdf", lambda rows, report: {}, "official", "pdf", ""),
    ("reports:stats_json", lambda rows, report: {}, "official", "json", ""),
    ("reports:download", lambda rows, report: {"table": "all", "file_format": "xlsx"}, "official", "xlsx", ""),
    ("reports:download", lambda rows, report: {"table": "headline", "file_format": "csv"}, "official", "csv", ""),
    ("reports:organisations_download", lambda rows, report: {"file_format": "xlsx"}, "official", "xlsx", ""),
    ("reports:organisations_download", lambda rows, report: {"file_format": "csv"}, "official", "csv", ""),
    ("reports:members_download", lambda rows, report: {"file_format": "xlsx"}, "staff", "xlsx", ""),
    ("reports:members_download", lambda rows, report: {"file_format": "csv"}, "staff", "csv", ""),
    ("reports:issued_download", lambda rows, report: {"pk": report}, "official", "pdf", "reports.IssuedReport"),
    ("workshops:report_pdf", lambda rows, report: {"pk": rows.workshop}, "official", "pdf", "workshops.Workshop"),
    (
        "imports:refused_rows",
        lambda rows, report: {"pk": rows.register_import},
        "staff",
        "xlsx",
        "imports.RegisterImport",
    ),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Both communes' rows of the security walk and an issued report, made once and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        inside, _outside = both_communes_rows()
        issuer = UserFactory(username="log-issuer", role=Role.ADMINISTRATOR)
        report = report_issue(issued_by=issuer, as_of=date.today(), filters=ReportFilters())
        yield inside, report.pk
        transaction.set_rollback(True)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def an_entry(user):
    """One entry written as a view would write it."""
    return AccessLogEntry.objects.create(user=user, kind=AccessKind.VIEW, path="/members/1/")


def test_an_officials_download_of_the_summary_pdf_is_logged(official):
    response = logged_in(official).get(reverse("reports:summary_pdf"), {"as_of": "2024-09-26"})
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.kind, entry.file_format) == (official, AccessKind.DOWNLOAD, "pdf")
    assert (entry.path, entry.query) == (reverse("reports:summary_pdf"), "as_of=2024-09-26")
    assert entry.ip_address == "127.0.0.1" and entry.at is not None


def test_a_staff_members_view_of_a_person_is_logged(provincial_staff):
    person = PersonFactory(full_name="Trần Thị Mai")
    assert logged_in(provincial_staff).get(reverse("members:detail", args=[person.pk])).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.kind) == (provincial_staff, AccessKind.VIEW)
    assert (entry.object_model, entry.object_pk, entry.file_format) == ("members.Person", str(person.pk), "")
    assert entry.path == reverse("members:detail", args=[person.pk])


@pytest.mark.parametrize(("name", "kwargs", "role", "file_format", "model"), LOGGED, ids=lambda v: str(v))
def test_each_logged_url_writes_exactly_one_entry(world, name, kwargs, role, file_format, model):
    rows, report = world
    user = UserFactory(role=Role.STAFF if role == "staff" else Role.OFFICIAL, province_wide=True)
    url = reverse(name, kwargs=kwargs(rows, report))
    response = logged_in(user).get(url, {"as_of": "2024-09-26"} if name.startswith("reports:") else {})
    assert response.status_code == 200, url
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.path, entry.file_format, entry.object_model) == (user, url, file_format, model)
    assert entry.kind == (AccessKind.VIEW if name.startswith("members:") else AccessKind.DOWNLOAD)
    if model:
        assert entry.object_pk


def test_a_refused_download_and_a_page_of_no_one_write_nothing(official, provincial_staff):
    """Filters that cannot be read make no file; lists and the dashboard are not individuals' pages."""
    client = logged_in(official)
    assert client.get(reverse("reports:summary_pdf"), {"as_of": "2024-13-45"}).status_code == 400
    assert client.get(reverse("reports:dashboard")).status_code == 200
    assert logged_in(provincial_staff).get(reverse("members:list")).status_code == 200
    assert not AccessLogEntry.objects.exists()


def test_the_model_refuses_to_change_or_delete_an_entry(official):
    entry = an_entry(official)
    entry.path = "/elsewhere/"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(path="/elsewhere/")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():  # bulk_update's own block is marked for rollback
        AccessLogEntry.objects.bulk_update([entry], ["path"])
    assert AccessLogEntry.objects.get().path == "/members/1/"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE accounts_accesslogentry SET path = '/elsewhere/'",
        "UPDATE accounts_accesslogentry SET user_id = user_id",
        "DELETE FROM accounts_accesslogentry",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_entry(official, sql):
    """Triggers, on SQLite and PostgreSQL alike: raw SQL past the model is refused too."""
    an_entry(official)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AccessLogEntry.objects.get().path == "/members/1/"


def test_the_database_accepts_new_entries_by_raw_sql(official):
    """The triggers refuse changes, not additions: the log goes on being written."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_accesslogentry"
            " (user_id, at, kind, object_model, object_pk, path, query, file_format)"
            " VALUES (%s, %s, 'view', '', '', '/x/', '', '')",
            [official.pk, "2026-01-01 00:00:00+00:00"],
        )
    assert AccessLogEntry.objects.count() == 1


def test_an_account_in_the_log_cannot_be_deleted(official):
    an_entry(official)
    with pytest.raises(Exception, match="protected|Protected"), transaction.atomic():
        official.delete()
    assert AccessLogEntry.objects.filter(user=official).exists()


class TestAdmin:
    def test_the_list_shows_entries_and_offers_no_add_change_or_delete(self, administrator, official):
        entry = an_entry(official)
        client = logged_in(administrator)
        page = client.get(reverse("admin:accounts_accesslogentry_changelist"))
        assert page.status_code == 200
        assert "/members/1/" in page.content.decode()
        actions = [value for value, _label in page.context["action_form"].fields["action"].choices]
        assert "delete_selected" not in actions and "export_csv" in actions
        assert not page.context["has_add_permission"]
        assert client.get(reverse("admin:accounts_accesslogentry_add")).status_code == 403
        assert client.get(reverse("admin:accounts_accesslogentry_delete", args=[entry.pk])).status_code == 403
        assert (
            client.post(reverse("admin:accounts_accesslogentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
            == 403
        )
        change = client.post(reverse("admin:accounts_accesslogentry_change", args=[entry.pk]), {"path": "/elsewhere/"})
        assert change.status_code == 403
        assert AccessLogEntry.objects.get().path == "/members/1/"

    def test_the_list_filters_by_user_kind_and_date_and_searches(self, administrator, official, provincial_staff):
        an_entry(official)
        AccessLogEntry.objects.create(user=provincial_staff, kind=AccessKind.DOWNLOAD, path="/reports/summary.pdf")
        client = logged_in(administrator)
        url = reverse("admin:accounts_accesslogentry_changelist")

        def listed(query):
            return [entry.path for entry in client.get(url, query).context["cl"].result_list]

        assert listed({"kind__exact": "download"}) == ["/reports/summary.pdf"]
        assert listed({"user__id__exact": official.pk}) == ["/members/1/"]
        assert listed({"q": "summary"}) == ["/reports/summary.pdf"]
        assert len(listed({"at__year": date.today().year, "at__month": date.today().month})) == 2

    def test_the_selected_entries_export_as_csv(self, administrator, official):
        entry = an_entry(official)
        AccessLogEntry.objects.create(user=official, kind=AccessKind.DOWNLOAD, path="/x/", query="q==SUM(1)")
        response = logged_in(administrator).post(
            reverse("admin:accounts_accesslogentry_changelist"),
            {"action": "export_csv", "_selected_action": [entry.pk, entry.pk + 1]},
        )
        assert response["Content-Type"].startswith("text/csv")
        text = response.content.decode("utf-8-sig")
        assert "official1" in text and "/members/1/" in text and "q==SUM(1)" in text
        assert AccessLogEntry.objects.count() == 2

    def test_only_administrators_read_the_log(self, provincial_staff, official):
        for user in (provincial_staff, official):
            response = logged_in(user).get(reverse("admin:accounts_accesslogentry_changelist"))
            assert response.status_code == 302


def test_the_person_page_costs_one_more_query(provincial_staff, django_assert_max_num_queries):
    """The entry is one INSERT in the request's transaction (the pinned count is in tests/members)."""
    person = PersonFactory(full_name="Trần Thị Mai")
    client = logged_in(provincial_staff)
    with django_assert_max_num_queries(12):
        client.get(reverse("members:detail", args=[person.pk]))
    assert Person.objects.filter(pk=person.pk).exists()
