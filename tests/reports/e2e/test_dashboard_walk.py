import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from coopportal.demo.accounts import DEMO_ACCOUNTS
from members.demo import DEMO_WORKSHOP_DATE
from tests.conftest import log_in

pytestmark = pytest.mark.e2e

SENTENCE = (
    "Tính đến ngày 26/09/2024, tỉnh có 16 hợp tác xã do phụ nữ quản lý với {members} thành viên, trong đó "
    "145 thành viên nữ, 48 nữ tham gia ban quản lý; 6/16 hợp tác xã có thành viên là người dân tộc thiểu số."
)


def test_an_official_reads_the_workshop_days_sentence_and_downloads_the_pdf(page):
    """The official opens the dashboard, sets the workshop's date, reads the sentence, downloads the summary."""
    call_command("seed_demo", stdout=io.StringIO())
    username, password = next((name, secret) for name, secret, role, *_rest in DEMO_ACCOUNTS if role == "official")
    log_in(page, username, password)

    page.get_by_role("link", name="Báo cáo", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Số liệu hợp tác xã do phụ nữ quản lý")
    page.get_by_label("Tính đến ngày").fill(DEMO_WORKSHOP_DATE.isoformat())
    page.get_by_role("button", name="Xem số liệu").click()
    # Today's sentence is on the page before the click: wait for the chosen day's page.
    expect(page.locator("#headline-sentence")).to_contain_text("Tính đến ngày 26/09/2024")

    sentence = " ".join(page.locator("#headline-sentence").inner_text().split())
    members = page.locator('[data-figure="members"]').inner_text()
    assert 380 <= int(members) <= 399
    assert sentence == SENTENCE.format(members=members)

    with page.expect_download() as download:
        page.get_by_role("link", name="Báo cáo tổng hợp (PDF)").click()
    pdf = PdfReader(download.value.path())
    text = " ".join(" ".join(each.extract_text() for each in pdf.pages).split())
    assert SENTENCE.format(members=members) in text
