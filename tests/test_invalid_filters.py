"""A download whose filters are not valid is refused with the filters' page, never made as an empty file.

An export of ``?commune=abc`` used to be a file of "0 organisations", which reads as a fact about the
register. Every download that takes filters (the organisation export, the report's PDF, tables and
registers) now answers 400 with the page of its filters: each wrong filter's error under it, in
Vietnamese, and a message that no file was made. The page's form searches the page, not the download.
"""

from datetime import date, timedelta
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db

NO_FILE = "No file was made: some filters are not valid (see below). Correct them, then download again."
# Django's own messages, in the portal's language.
NOT_A_CHOICE = "Hãy chọn một lựa chọn hợp lệ."
NOT_A_DATE = "Nhập một ngày hợp lệ."

ORGANISATION_EXPORTS = [reverse("cooperatives:export", args=[file_format]) for file_format in ("csv", "xlsx")]

REPORT_DOWNLOADS = [
    reverse("reports:summary_pdf"),
    reverse("reports:download", args=["all", "xlsx"]),
    reverse("reports:download", args=["commune", "csv"]),
    reverse("reports:organisations_download", args=["csv"]),
    reverse("reports:organisations_download", args=["xlsx"]),
    reverse("reports:members_download", args=["csv"]),
    reverse("reports:members_download", args=["xlsx"]),
]


@pytest.fixture
def register(commune_a):
    """One organisation with one member: a valid filter finds it, so a file of it is not empty."""
    organisation = OrganisationFactory(name="Hợp tác xã Nông nghiệp Tịnh Phong", commune=commune_a)
    member(organisation, full_name="Đinh Thị Hoa", commune=commune_a)
    return organisation


@pytest.fixture
def staff(client, provincial_staff, register):
    client.force_login(provincial_staff)
    return client


def assert_refused(response, field, error):
    """No file: the filters' page, status 400, saying so, with ``error`` under ``field``."""
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert not response.has_header("Content-Disposition")
    page = response.content.decode()
    assert escape(gettext(NO_FILE)) in page
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert error in " ".join(form.errors[field])
    assert escape(form.errors[field][0]) in page


class TestOrganisationExport:
    @pytest.mark.parametrize("url", ORGANISATION_EXPORTS)
    @pytest.mark.parametrize(
        "field, value, error",
        [
            ("commune", "abc", NOT_A_CHOICE),
            ("commune", "999999999", NOT_A_CHOICE),
            ("legal_form", "xyz", NOT_A_CHOICE),
            ("sector", "abc", NOT_A_CHOICE),
            ("status", "closed-ish", NOT_A_CHOICE),
            ("women_managed", "maybe", NOT_A_CHOICE),
            ("ordering", "password", NOT_A_CHOICE),
        ],
    )
    def test_an_invalid_filter_gives_the_list_with_its_error_not_an_empty_file(self, staff, url, field, value, error):
        assert_refused(staff.get(url, {field: value}), field, error)

    def test_the_refused_page_searches_the_list_not_the_download(self, staff):
        """Correcting the filter and searching shows the list; "Clear" opens the whole list."""
        response = staff.get(ORGANISATION_EXPORTS[0], {"commune": "abc", "q": "Tịnh Phong"})

        page = response.content.decode()
        list_url = reverse("cooperatives:list")
        assert f'<form method="get" class="card card-body mb-3" action="{list_url}">' in page
        assert f'href="{list_url}">' in page
        assert "0 tổ chức" not in page

    def test_a_valid_filter_still_downloads_its_rows(self, staff, commune_a, register):
        response = staff.get(ORGANISATION_EXPORTS[0], {"commune": commune_a.pk})

        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert register.name in response.content.decode("utf-8-sig")

    def test_the_list_itself_does_not_say_zero_organisations_for_an_invalid_filter(self, staff):
        page = staff.get(reverse("cooperatives:list"), {"commune": "abc"}).content.decode()

        assert NOT_A_CHOICE in page
        assert "0 tổ chức" not in page


class TestReportDownloads:
    @pytest.mark.parametrize("url", REPORT_DOWNLOADS)
    @pytest.mark.parametrize(
        "field, value, error",
        [
            ("commune", "abc", NOT_A_CHOICE),
            ("legal_form", "xyz", NOT_A_CHOICE),
            ("sector", "abc", NOT_A_CHOICE),
            ("as_of", "abc", NOT_A_DATE),
        ],
    )
    def test_an_invalid_filter_gives_the_dashboard_with_its_error_not_a_file(self, staff, url, field, value, error):
        assert_refused(staff.get(url, {field: value}), field, error)

    @pytest.mark.parametrize("url", REPORT_DOWNLOADS)
    def test_a_day_after_today_is_refused_too(self, staff, url):
        """Figures of a day to come would be today's, labelled with that day."""
        tomorrow = timezone.localdate() + timedelta(days=1)
        response = staff.get(url, {"as_of": tomorrow.isoformat()})

        assert_refused(response, "as_of", gettext("Figures are known up to today: choose today or an earlier date."))

    def test_the_refused_page_searches_the_dashboard_not_the_download(self, staff):
        response = staff.get(REPORT_DOWNLOADS[0], {"commune": "abc"})

        assert f'action="{reverse("reports:dashboard")}"' in response.content.decode()

    def test_a_valid_filter_still_downloads(self, staff, commune_a):
        query = {"as_of": date(2024, 9, 26).isoformat(), "commune": commune_a.code}
        for url in REPORT_DOWNLOADS:
            response = staff.get(url, query)
            assert response.status_code == 200, url
            assert response["Content-Type"].split(";")[0] in (
                "application/pdf",
                "text/csv",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ), url

    def test_the_figures_as_json_answer_their_errors_as_json(self, staff):
        """A program asks for JSON: it gets the errors as JSON, with the same status."""
        response = staff.get(reverse("reports:stats_json"), {"commune": "abc"})

        assert response.status_code == 400
        assert "commune" in response.json()["fields"]
