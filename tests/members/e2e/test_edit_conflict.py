import pytest
from playwright.sync_api import expect

from coopportal.accounts.models import Role
from members.models import Person
from tests.conftest import log_in
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_two_staff_edit_one_person_and_neither_change_is_lost(browser, page, live_server):
    """Hồng saves a new phone; Lan, in the form she opened before, saves a citizen ID: she is told what
    Hồng changed, sees the new phone in her form, and saving again keeps both."""
    person = PersonFactory(full_name="Nguyễn Thị Mai", birth_year=1985)
    UserFactory(username="hong", role=Role.STAFF, province_wide=True)
    UserFactory(username="lan", role=Role.STAFF, province_wide=True)
    other = browser.new_context(locale="vi-VN", base_url=live_server.url).new_page()
    log_in(page, "hong")
    log_in(other, "lan")
    url = f"/members/{person.pk}/edit/"
    page.goto(url)
    other.goto(url)

    page.locator("[name=phone]").fill("0905123456")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_have_text("Nguyễn Thị Mai")

    other.locator("[name=citizen_id]").fill("051185000123")
    other.get_by_role("button", name="Lưu").click()
    expect(other.locator(".alert")).to_contain_text("hong")
    expect(other.locator("[name=phone]")).to_have_value(Person.objects.get(pk=person.pk).phone)
    expect(other.locator("[name=citizen_id]")).to_have_value("051185000123")
    assert Person.objects.get(pk=person.pk).citizen_id is None

    other.get_by_role("button", name="Lưu").click()
    expect(other.locator("h1")).to_have_text("Nguyễn Thị Mai")
    person.refresh_from_db()
    assert (person.phone, person.citizen_id) == ("0905123456", "051185000123")
    other.context.close()
