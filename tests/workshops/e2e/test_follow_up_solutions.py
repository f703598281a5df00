from datetime import date

import pytest
from playwright.sync_api import expect

from coopportal.accounts.models import Role
from tests.conftest import log_in
from tests.factories import UserFactory
from tests.workshops.factories import make_workshop, propose

pytestmark = pytest.mark.e2e


def test_staff_follow_up_an_overdue_solution_on_a_phone(page):
    """On a 390 px screen the follow-up table fits without sideways scrolling; staff keep only the
    overdue proposals, open one, move it on with a note and see who did it in its follow-up."""
    workshop = make_workshop()
    propose(workshop, text="Mở lớp bồi dưỡng kế toán cho nữ cán bộ quản lý", due_on=date(2025, 3, 31))
    propose(workshop, text="Xây dựng sổ tay quản trị hợp tác xã", due_on=date(date.today().year + 5, 12, 31))
    UserFactory(username="canbo", role=Role.STAFF, province_wide=True, first_name="Hồng", last_name="Nguyễn Thị")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "canbo")

    page.goto("/workshops/solutions/")
    expect(page.get_by_text("2 giải pháp")).to_be_visible()
    table = page.locator(".table-responsive")
    assert table.evaluate("element => element.scrollWidth <= element.clientWidth")

    page.get_by_label("Chỉ giải pháp quá hạn").check()
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_text("1 giải pháp")).to_be_visible()
    page.get_by_role("link", name="Mở lớp bồi dưỡng kế toán cho nữ cán bộ quản lý").click()

    page.get_by_label("Tình trạng mới").select_option(label="Đã thống nhất")
    page.get_by_label("Ghi chú").fill("Thống nhất giao Liên minh HTX tỉnh chủ trì")
    page.get_by_role("button", name="Ghi nhận").click()
    expect(page.get_by_text("Tình trạng hiện tại: Đã thống nhất.")).to_be_visible()
    history = page.locator("#status-history")
    expect(history).to_contain_text("Thống nhất giao Liên minh HTX tỉnh chủ trì")
    expect(history).to_contain_text("Nguyễn Thị Hồng")
