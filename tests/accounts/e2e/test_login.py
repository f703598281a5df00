import pytest

from coopportal.accounts.models import Role
from tests.conftest import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_staff_logs_in_sees_the_vietnamese_home_page_and_switches_to_english(page):
    """A staff member logs in, lands on the home page in Vietnamese, and can read it in English."""
    UserFactory(username="canbo", role=Role.STAFF, province_wide=True, first_name="Hoa", last_name="Nguyễn Thị")
    log_in(page, "canbo")
    assert page.locator("h1").inner_text() == "Xin chào, Nguyễn Thị Hoa"
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Welcome, Nguyễn Thị Hoa"
