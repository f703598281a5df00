import re

import pytest
from playwright.sync_api import expect

from cooperatives.models import Organisation
from coopportal.accounts.models import Role
from tests.conftest import log_in
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.e2e


class Searches:
    """The picker's searches still in flight, so that the test posts only once they have answered.

    Typing starts a search of its own after a pause; on SQLite the live server's request threads
    share one in-memory connection, and a search answered during a post ends its transaction.
    """

    def __init__(self, page):
        self.page = page
        self.pending = set()
        page.on("request", self.started)
        page.on("requestfinished", self.ended)
        page.on("requestfailed", self.ended)

    def started(self, request):
        if "/members/search/" in request.url:
            self.pending.add(request)

    def ended(self, request):
        self.pending.discard(request)

    def wait_until_answered(self):
        self.page.wait_for_timeout(PICKER_TYPING_PAUSE_MS)
        for _attempt in range(300):
            if not self.pending:
                return
            self.page.wait_for_timeout(50)
        raise AssertionError("a person search did not answer within 15 s")


# static/js/person_picker.js searches this long after the last key, plus a margin.
PICKER_TYPING_PAUSE_MS = 250 + 100


def add_new_member(page, full_name, gender, birth_year):
    page.get_by_role("link", name="Thêm thành viên").click()
    page.get_by_label("Người mới", exact=True).check()
    page.locator("[name=new-full_name]").fill(full_name)
    page.locator("[name=new-gender]").select_option(label=gender)
    page.locator("[name=new-birth_year]").fill(str(birth_year))
    page.locator("[name=member_type]").select_option(label="Thành viên chính thức")
    page.locator("[name=joined_on]").fill("2024-03-01")
    page.get_by_role("button", name="Thêm thành viên").click()
    expect(page.get_by_text("Đã thêm thành viên.")).to_be_visible()


def test_staff_register_a_cooperative_its_members_and_its_chair_and_see_it_women_managed(page):
    """Staff create a cooperative, add three members (one found without diacritics), make a woman chair."""
    UserFactory(username="canbo", role=Role.STAFF, province_wide=True)
    PersonFactory(full_name="Đinh Thị Hoa", birth_year=1979)
    log_in(page, "canbo")
    searches = Searches(page)

    page.goto("/cooperatives/")
    page.get_by_role("link", name="Thêm tổ chức mới").click()
    page.locator("[name=name]").fill("Hợp tác xã Dệt thổ cẩm Đồng Xuân")
    page.locator("[name=commune]").select_option(label="Phường Cẩm Thành")
    page.locator("[name=founded_on]").fill("2018-06-15")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_have_text("Hợp tác xã Dệt thổ cẩm Đồng Xuân")
    expect(page.locator("#women-managed")).to_have_count(0)

    # A person already in the register, found by typing her name without diacritics.
    page.get_by_role("link", name="Thêm thành viên").click()
    page.locator("#person-search").fill("dinh thi hoa")
    # Enter searches either way: through the script, or, if the click above returned before the
    # script ran, by reloading the page with the people found (the form works without JavaScript).
    page.locator("#person-search").press("Enter")
    expect(page.locator("#id_person option", has_text="Đinh Thị Hoa (1979)")).to_have_count(1)
    searches.wait_until_answered()
    page.locator("#id_person").select_option(label="Đinh Thị Hoa (1979)")
    page.locator("[name=member_type]").select_option(label="Thành viên chính thức")
    page.locator("[name=joined_on]").fill("2024-03-01")
    page.get_by_role("button", name="Thêm thành viên").click()
    expect(page.get_by_text("Đã thêm thành viên.")).to_be_visible()

    add_new_member(page, "Phạm Văn Nam", "Nam", 1975)
    add_new_member(page, "Hồ Thị Nga", "Nữ", 1990)
    expect(page.locator("#figure-members")).to_have_text("3")
    expect(page.locator("#figure-women")).to_have_text("2")

    page.get_by_role("link", name="Bổ nhiệm chức vụ").click()
    page.locator("#id_person").select_option(label="Đinh Thị Hoa (1979)")
    page.locator("[name=role]").select_option(label="Chủ tịch Hội đồng quản trị")
    page.locator("[name=started_on]").fill("2024-03-01")
    page.get_by_role("button", name="Bổ nhiệm", exact=True).click()

    expect(page.locator("#women-managed")).to_have_text("Do phụ nữ quản lý")
    expect(page.locator("#figure-women-managed")).to_have_text("Có")
    expect(page.locator("#figure-women-in-management")).to_have_text("1")
    expect(page.locator("#management")).to_contain_text("Đinh Thị Hoa")

    # The list counts it among today's women-managed organisations.
    page.goto("/cooperatives/?women_managed=yes")
    expect(page.locator("#result-count")).to_have_text(re.compile("Tìm thấy 1 tổ chức"))
    expect(page.get_by_role("link", name="Hợp tác xã Dệt thổ cẩm Đồng Xuân")).to_be_visible()
    assert Organisation.objects.get().memberships.count() == 3
