import hashlib
import io
import json
import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse, reverse_lazy
from openpyxl import load_workbook
from pypdf import PdfReader

from members.models import Gender
from members.roles import Role
from reports.charts import Series, bar_chart
from reports.models import IssuedReport
from tests.factories import OrganisationFactory, appoint, member
from tests.submissions import post_new

pytestmark = pytest.mark.django_db

DAY = "2024-09-26"
# Where the button that issues a report is, with its one-time token.
DASHBOARD = reverse_lazy("reports:dashboard")


def women_managed_cooperative(commune, members=3):
    cooperative = OrganisationFactory(commune=commune)
    appoint(member(cooperative, joined_on=date(2018, 1, 1)), Role.CHAIR, started_on=date(2018, 1, 1))
    for _index in range(members - 1):
        member(cooperative, joined_on=date(2019, 1, 1), gender=Gender.MALE)
    return cooperative


@pytest.fixture
def two_communes(commune_a, commune_b):
    women_managed_cooperative(commune_a, members=3)
    women_managed_cooperative(commune_b, members=5)


def test_every_report_url_asks_for_a_login(client):
    """Figures are not public."""
    response = client.get(reverse("reports:stats_json"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_commune_staff_get_their_communes_figures_everywhere(client, commune_staff, two_communes):
    """Dashboard and JSON count only the staff member's communes; a commune outside them is refused."""
    client.force_login(commune_staff)
    figures = client.get(reverse("reports:stats_json"), {"as_of": DAY}).json()
    assert (figures["women_managed_cooperatives"], figures["members"]) == (1, 3)
    page = client.get(reverse("reports:dashboard"), {"as_of": DAY}).content.decode()
    assert 'data-figure="members">3<' in page
    assert "Xã Sơn Hà" not in page

    refused = client.get(reverse("reports:stats_json"), {"as_of": DAY, "commune": "21289"})
    assert refused.status_code == 400
    assert "21289" in refused.json()["error"]


def test_commune_staff_downloads_hold_only_their_communes(client, commune_staff, official, two_communes):
    """PDF, every spreadsheet and both registers count Cẩm Thành's 3 members, never Sơn Hà's 5; issued reports stay provincial."""
    client.force_login(official)
    post_new(client, reverse("reports:issue"), {"as_of": DAY}, page=DASHBOARD)
    client.force_login(commune_staff)
    query = {"as_of": DAY}

    pdf = client.get(reverse("reports:summary_pdf"), query)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "1 hợp tác xã do phụ nữ quản lý với 3 thành viên" in text and "Sơn Hà" not in text

    workbook = load_workbook(io.BytesIO(client.get(reverse("reports:download", args=["all", "xlsx"]), query).content))
    cells = [str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Phường Cẩm Thành" in cells and not any("Sơn Hà" in cell for cell in cells)
    commune_csv = client.get(reverse("reports:download", args=["commune", "csv"]), query).content.decode("utf-8-sig")
    assert "Phường Cẩm Thành,1,1,3,1,33.3" in commune_csv and "Sơn Hà" not in commune_csv

    for name in ("organisations_download", "members_download"):
        register = client.get(reverse(f"reports:{name}", args=["csv"]), query).content.decode("utf-8-sig")
        assert "Phường Cẩm Thành" in register and "Sơn Hà" not in register, name
    members = client.get(reverse("reports:members_download", args=["csv"]), query).content.decode("utf-8-sig")
    assert len([line for line in members.splitlines() if "Phường Cẩm Thành" in line]) == 3

    forged = {"as_of": DAY, "commune": "21289"}
    for url in (
        reverse("reports:summary_pdf"),
        reverse("reports:download", args=["commune", "xlsx"]),
        reverse("reports:organisations_download", args=["csv"]),
        reverse("reports:members_download", args=["xlsx"]),
    ):
        assert client.get(url, forged).status_code == 400, url
    assert "Sơn Hà" not in client.get(reverse("reports:dashboard"), forged).content.decode()
    assert IssuedReport.objects.get().pk not in [
        report.pk for report in client.get(reverse("reports:issued_list")).context["object_list"]
    ]
    assert client.post(reverse("reports:issue"), query).status_code == 403


def test_officials_see_the_whole_province_and_can_filter(client, official, two_communes):
    client.force_login(official)
    assert client.get(reverse("reports:stats_json"), {"as_of": DAY}).json()["members"] == 8
    only_b = client.get(reverse("reports:stats_json"), {"as_of": DAY, "commune": "21289"}).json()
    assert (only_b["members"], only_b["filters"]["communes"]) == (5, ["21289"])


def test_a_bad_date_is_a_clear_400_not_a_traceback(client, official):
    """The PDF, JSON and downloads answer a malformed date with the form's message in Vietnamese."""
    client.force_login(official)
    pdf = client.get(reverse("reports:summary_pdf"), {"as_of": "2024-13-45"})
    data = client.get(reverse("reports:stats_json"), {"as_of": "hôm qua"})
    sheet = client.get(reverse("reports:download", args=["commune", "xlsx"]), {"as_of": "31/02/2024"})
    assert (pdf.status_code, data.status_code, sheet.status_code) == (400, 400, 400)
    assert data.json()["error"] == "Nhập một ngày hợp lệ."
    assert "Nhập một ngày hợp lệ." in pdf.content.decode()
    page = client.get(reverse("reports:dashboard"), {"as_of": "2024-13-45"})
    assert page.status_code == 200
    assert "Nhập một ngày hợp lệ." in page.content.decode()


def test_the_date_accepts_the_vietnamese_writing(client, official, two_communes):
    client.force_login(official)
    assert client.get(reverse("reports:stats_json"), {"as_of": "26/09/2024"}).json()["as_of"] == DAY


def test_an_issued_report_is_served_byte_for_byte_after_the_data_changes(client, official, commune_b, two_communes):
    """Issuing keeps date, filters, figures and the PDF; later changes to the registers do not touch it."""
    client.force_login(official)
    response = post_new(client, reverse("reports:issue"), {"as_of": DAY, "commune": "21289"}, page=DASHBOARD)
    report = IssuedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    first = client.get(reverse("reports:issued_download", args=[report.pk])).content
    assert first.startswith(b"%PDF")
    assert hashlib.sha256(first).hexdigest() == report.sha256
    assert (report.as_of, report.filters["communes"], report.figures["members"]) == (date(2024, 9, 26), ["21289"], 5)
    assert report.issued_by == official

    women_managed_cooperative(commune_b, members=7)
    again = client.get(reverse("reports:issued_download", args=[report.pk])).content
    fresh = client.get(reverse("reports:stats_json"), {"as_of": DAY, "commune": "21289"}).json()

    assert again == first
    assert fresh["members"] == 12
    detail = client.get(report.get_absolute_url()).content.decode()
    assert report.sha256 in detail
    listing = client.get(reverse("reports:issued_list")).content.decode()
    assert report.get_absolute_url() in listing and "Xã Sơn Hà" in listing


def test_only_officials_and_administrators_issue_and_commune_staff_do_not_read_provincial_reports(
    client, official, provincial_staff, commune_staff, two_communes
):
    client.force_login(provincial_staff)
    assert client.post(reverse("reports:issue"), {"as_of": DAY}).status_code == 403
    client.force_login(official)
    post_new(client, reverse("reports:issue"), {"as_of": DAY}, page=DASHBOARD)
    report = IssuedReport.objects.get()
    client.force_login(commune_staff)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:issued_download", args=[report.pk])).status_code == 404
    client.force_login(provincial_staff)
    assert client.get(reverse("reports:issued_download", args=[report.pk])).status_code == 200


def test_registers_download_as_they_stood_on_the_day(client, provincial_staff, official, two_communes):
    """The organisations' and members' lists as XLSX with Vietnamese headers; the members' list is not for officials."""
    client.force_login(provincial_staff)
    organisations = load_workbook(
        io.BytesIO(client.get(reverse("reports:organisations_download", args=["xlsx"]), {"as_of": DAY}).content)
    ).active
    rows = list(organisations.iter_rows(values_only=True))
    assert rows[0][0] == "Danh sách tổ chức"
    assert rows[1][0] == "Số liệu tính đến ngày 26/09/2024"
    header = rows.index(next(row for row in rows if row[0] == "Tên"))
    assert len(rows) - header - 1 == 2
    members_csv = client.get(reverse("reports:members_download", args=["csv"]), {"as_of": DAY}).content
    assert members_csv.startswith("\ufeff".encode()) and members_csv.decode("utf-8-sig").count("Hợp tác xã") >= 8
    assert "Chủ tịch HĐQT" in members_csv.decode("utf-8-sig") or "Chủ tịch Hội đồng quản trị" in members_csv.decode(
        "utf-8-sig"
    )

    client.force_login(official)
    assert client.get(reverse("reports:members_download", args=["csv"])).status_code == 403
    assert client.get(reverse("reports:download", args=["all", "csv"])).status_code == 404


def test_the_stats_command_refuses_a_bad_date_or_commune_with_a_message():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("stats", "--as-of", "26-09-2024")
    with pytest.raises(CommandError, match="99999"):
        call_command("stats", "--commune", "99999")


def test_the_stats_command_limits_to_communes(two_communes):
    out = io.StringIO()
    call_command("stats", "--as-of", DAY, "--commune", "21025", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert (figures["members"], figures["cooperatives"], figures["filters"]["communes"]) == (3, 1, ["21025"])
    text = io.StringIO()
    call_command("stats", "--as-of", DAY, stdout=text)
    assert "26/09/2024" in text.getvalue() and ": 8" in text.getvalue()


def test_charts_print_every_value_on_its_bar():
    """A chart reads without hovering: each value is written next to its bar, protected ones as text."""
    svg = bar_chart("Thử", ["Xã A", "Xã B"], [Series("Thành viên", [1234, "<3"]), Series("Nữ", [0, 7])])
    assert (
        svg.startswith("<svg")
        and "<script" not in svg
        and "http://" not in svg.replace("http://www.w3.org/2000/svg", "")
    )
    for text in (">1.234<", "&lt;3", ">0<", ">7<", ">Xã A<", ">Thành viên<"):
        assert text in svg


def test_a_long_name_on_a_chart_is_written_out_not_cut():
    """On paper nobody can hover: an organisation's whole name and commune show, over two lines if needed."""
    name = "Hợp tác xã Chế biến Hải sản Tịnh Khê (Xã Tịnh Khê)"
    svg = bar_chart("Thử", [name, "Xã B"], [Series("Thành viên", [30, 7]), Series("Nữ", [10, 5])])
    shown = re.sub(r"<title>.*?</title>", "", svg)
    assert "…" not in shown
    assert " ".join(re.findall(r">([^<>]+)</tspan>", shown)).startswith(name)


def make_register(size, commune_a, commune_b):
    for index in range(size):
        women_managed_cooperative(commune_a if index % 2 else commune_b, members=4)


@pytest.mark.parametrize("size", [1, 8])
def test_the_dashboard_queries_do_not_grow_with_the_data(
    size, client, official, commune_a, commune_b, django_assert_num_queries
):
    """27 queries for any amount of data.

    2 for the session and the user, 2 for the savepoint ATOMIC_REQUESTS opens and releases, 21 for
    the statistics (see the selector's test), and 2 for the form's choices of communes and sectors.
    """
    make_register(size, commune_a, commune_b)
    client.force_login(official)
    with django_assert_num_queries(27):
        response = client.get(reverse("reports:dashboard"), {"as_of": DAY})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 3])
def test_the_issued_reports_list_queries_do_not_grow(size, client, official, two_communes, django_assert_num_queries):
    """6 queries: session, user, the request's savepoint and its release, the count for pagination and
    the page of reports with who issued them (the stored PDFs are not read)."""
    client.force_login(official)
    for _index in range(size):
        post_new(client, reverse("reports:issue"), {"as_of": DAY}, page=DASHBOARD)
    with django_assert_num_queries(6):
        response = client.get(reverse("reports:issued_list"))
    assert len(response.context["object_list"]) == size


def test_officials_see_small_ethnic_counts_protected_on_screen_staff_see_them_exactly(
    client, official, provincial_staff, commune_a
):
    """One Hrê member: "<3" for the official, 1 for staff who may see the register anyway."""
    cooperative = women_managed_cooperative(commune_a, members=3)
    from members.models import EthnicGroup  # noqa: PLC0415

    member(
        cooperative,
        ethnic_group=EthnicGroup.objects.get(code="19"),
        ethnicity_consent_on=date(2019, 1, 1),
        ethnicity_consent_informed=True,
        joined_on=date(2019, 1, 1),
    )

    def hre_row(user):
        client.force_login(user)
        page = client.get(reverse("reports:dashboard"), {"as_of": DAY}).content.decode()
        table = page[page.index('id="table-ethnic_group"') :]
        row = table[table.index(">Hrê<") :]
        return row[: row.index("</tr>")]

    assert '<td class="num">&lt;3</td>' in hre_row(official)
    assert '<td class="num">1</td>' in hre_row(provincial_staff)


def test_the_sentence_is_in_english_when_english_is_chosen(client, official, two_communes):
    client.force_login(official)
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(reverse("reports:dashboard"), {"as_of": DAY}).content.decode()
    assert (
        "As of 26/09/2024, the province has 2 women-managed cooperatives with 8 members, of whom 2 are women and "
        "2 women are in management; 0/2 cooperatives have members from ethnic minorities."
    ) in " ".join(page.split())


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "9999-12-31", "2999-01-01"])
def test_a_date_outside_the_registers_years_is_refused_everywhere_with_a_message(client, official, day):
    """A day before 1900 or after today has no figures: every report URL and the command say so."""
    client.force_login(official)
    data = client.get(reverse("reports:stats_json"), {"as_of": day})
    pdf = client.get(reverse("reports:summary_pdf"), {"as_of": day})
    sheet = client.get(reverse("reports:download", args=["commune", "csv"]), {"as_of": day})
    register = client.get(reverse("reports:organisations_download", args=["xlsx"]), {"as_of": day})
    page = client.get(reverse("reports:dashboard"), {"as_of": day})
    issued = post_new(client, reverse("reports:issue"), {"as_of": day}, page=DASHBOARD)

    assert [response.status_code for response in (data, pdf, sheet, register)] == [400] * 4
    assert "01/01/1900" in data.json()["error"] or "hôm nay" in data.json()["error"]
    assert page.status_code == 200 and data.json()["error"] in page.content.decode()
    assert issued.status_code == 302 and not IssuedReport.objects.exists()
    with pytest.raises(CommandError, match="01/01/1900|hôm nay"):
        call_command("stats", "--as-of", day)
