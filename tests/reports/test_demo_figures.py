"""The dashboard, the PDF, the spreadsheet, the JSON endpoint and the command line give the same demo figures."""

import csv as csv_module
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from coopportal.accounts.models import User
from members.demo import DEMO_WORKSHOP_DATE

pytestmark = pytest.mark.django_db

# The Union's article: 16 women-managed cooperatives, nearly 400 members, 145 women, 48 in management, 6 with minorities.
ARTICLE = {
    "women_managed_cooperatives": 16,
    "women_members": 145,
    "women_in_management": 48,
    "cooperatives_with_ethnic_minority_members": 6,
}
KEYS = [
    "women_managed_cooperatives",
    "members",
    "women_members",
    "women_in_management",
    "cooperatives_with_ethnic_minority_members",
    "cooperatives",
]


@pytest.fixture
def official_client(seeded, client):
    client.force_login(User.objects.get(username="lanhdao"))
    return client


def stats(*args):
    out = io.StringIO()
    call_command("stats", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_command_line_gives_the_articles_figures_on_the_workshop_day_and_others_today(seeded):
    """`stats --as-of <workshop day> --json` prints the article's figures; without a date, today's differ."""
    on_the_day = stats("--as-of", DEMO_WORKSHOP_DATE.isoformat())
    today = stats()

    assert {key: on_the_day[key] for key in ARTICLE} == ARTICLE
    assert 380 <= on_the_day["members"] <= 399
    assert on_the_day["cooperatives"] >= on_the_day["women_managed_cooperatives"]
    assert on_the_day["as_of"] == "2024-09-26"
    assert {key: today[key] for key in KEYS} != {key: on_the_day[key] for key in KEYS}


def test_every_renderer_shows_the_same_figures(official_client):
    """Dashboard, JSON endpoint, PDF text, XLSX cells and CLI agree on the workshop day."""
    query = {"as_of": DEMO_WORKSHOP_DATE.isoformat()}
    expected = stats("--as-of", DEMO_WORKSHOP_DATE.isoformat())

    endpoint = official_client.get(reverse("reports:stats_json"), query).json()
    assert {key: endpoint[key] for key in KEYS} == {key: expected[key] for key in KEYS}

    page = official_client.get(reverse("reports:dashboard"), query).content.decode()
    sentence = (
        f"Tính đến ngày 26/09/2024, tỉnh có 16 hợp tác xã do phụ nữ quản lý với {expected['members']} thành viên, "
        "trong đó 145 thành viên nữ, 48 nữ tham gia ban quản lý; 6/16 hợp tác xã có thành viên là người dân tộc thiểu số."
    )
    assert sentence in " ".join(page.split())
    for key in KEYS[:-1]:
        assert re.search(rf'data-figure="{key}">{expected[key]}<', page), key

    pdf = official_client.get(reverse("reports:summary_pdf"), query)
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert sentence in text
    assert "Số liệu tính đến ngày 26/09/2024" in text
    assert f"{len(reader.pages)} / {len(reader.pages)}" in text  # page numbers
    headline_row = re.search(r"Hợp tác xã (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", text).groups()
    assert [int(value) for value in headline_row] == [
        expected["cooperatives"],
        16,
        expected["members"],
        145,
        48,
        6,
    ]

    workbook = load_workbook(
        io.BytesIO(official_client.get(reverse("reports:download", args=["all", "xlsx"]), query).content)
    )
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Số liệu chính"
    assert "Số liệu tính đến ngày 26/09/2024" in [row[0] for row in rows]
    header = next(index for index, row in enumerate(rows) if row[0] == "Loại đơn vị")
    assert list(rows[header][:7]) == [
        "Loại đơn vị",
        "Hiện có",
        "Do phụ nữ quản lý",
        "Thành viên",
        "Thành viên nữ",
        "Nữ tham gia quản lý",
        "Có thành viên là người dân tộc thiểu số",
    ]
    assert list(rows[header + 1][:7]) == ["Hợp tác xã", expected["cooperatives"], 16, expected["members"], 145, 48, 6]
    assert len(workbook.worksheets) == 11  # headline, trend, 8 breakdowns, workshops


def test_pdf_and_spreadsheets_protect_small_ethnic_counts(official_client):
    """What an official takes away never shows 1 or 2 people of an ethnic group in a commune."""
    query = {"as_of": DEMO_WORKSHOP_DATE.isoformat()}
    by_commune = official_client.get(reverse("reports:stats_json"), query).json()["breakdowns"][
        "ethnic_group_by_commune"
    ]
    assert by_commune, "the demo has members by ethnic group"
    # "x": a larger count hidden with a "<3" so that the commune's total does not give the "<3" away.
    assert all(row["members"] in ("<3", "x") or row["members"] >= 3 for row in by_commune)
    assert any(row["members"] == "<3" for row in by_commune)
    for commune in {row["label"].split(" – ")[0] for row in by_commune}:
        cells = [row["members"] for row in by_commune if row["label"].startswith(f"{commune} – ")]
        assert len([cell for cell in cells if isinstance(cell, str)]) != 1, commune

    csv = official_client.get(reverse("reports:download", args=["ethnic_group_by_commune", "csv"]), query).content
    assert csv.startswith("\ufeff".encode())
    rows = list(csv_module.reader(io.StringIO(csv.decode("utf-8-sig"))))
    assert rows[0] == ["Thành viên theo dân tộc ở từng xã, phường, đặc khu"]
    assert ["Xã – dân tộc", "Thành viên", "Thành viên nữ"] in rows
    cells = [row[1:] for row in rows if len(row) == 3 and " – " in row[0] and row[0] != "Xã – dân tộc"]
    assert cells and all(cell in ("<3", "x", "0") or int(cell) >= 3 for row in cells for cell in row)


def test_the_summary_is_a_meeting_document_and_the_long_tables_stay_in_the_spreadsheet(official_client):
    """A few pages: charts name each organisation in full; per-organisation and per-commune ethnic rows are only in the XLSX."""
    query = {"as_of": DEMO_WORKSHOP_DATE.isoformat()}
    reader = PdfReader(io.BytesIO(official_client.get(reverse("reports:summary_pdf"), query).content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    assert len(reader.pages) <= 8
    assert "Hợp tác xã Nông nghiệp Đồng Xuân (Xã Tư Nghĩa)" in text  # a chart label, written out in full
    assert "…" not in text
    assert "Xã Sơn Hà – Hrê" not in text
    assert "Thành viên của từng tổ chức do phụ nữ quản lý Tổ chức" not in text  # that table's heading row
    assert (
        "Có trong tệp Tất cả bảng số liệu (XLSX), không in trong báo cáo này: thành viên của từng tổ chức do phụ nữ "
        "quản lý; thành viên theo dân tộc ở từng xã, phường, đặc khu." in text
    )
    workbook = load_workbook(
        io.BytesIO(official_client.get(reverse("reports:download", args=["all", "xlsx"]), query).content)
    )
    labels = [row[0] for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]
    assert "Xã Sơn Hà – Hrê" in labels
    assert "Hợp tác xã Nông nghiệp Đồng Xuân (Xã Tư Nghĩa)" in labels
