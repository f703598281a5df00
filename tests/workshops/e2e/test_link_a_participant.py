import pytest
from playwright.sync_api import expect

from coopportal.accounts.models import Role
from members.roles import Role as PositionRole
from tests.conftest import log_in
from tests.factories import OrganisationFactory, UserFactory, appoint, member
from tests.workshops.factories import make_workshop
from workshops.models import Participant

pytestmark = pytest.mark.e2e


def test_staff_find_a_chair_without_typing_diacritics_and_she_counts_as_a_manager_present(page):
    """The register search fills the participant's form from the chosen person and her cooperative,
    and the saved participant is linked to both, so the page counts her as a cooperative manager."""
    cooperative = OrganisationFactory(name="Hợp tác xã Chế biến Hải sản Tịnh Khê")
    chair = member(cooperative, full_name="Đoàn Thị Thu")
    appoint(chair, PositionRole.CHAIR)
    workshop = make_workshop()
    UserFactory(username="canbo", role=Role.STAFF, province_wide=True)
    log_in(page, "canbo")

    page.goto(f"/workshops/{workshop.pk}/participants/add/")
    page.get_by_label("Tìm người theo họ tên").fill("doan thi thu")
    page.get_by_role("button", name="Đoàn Thị Thu — Hợp tác xã Chế biến Hải sản Tịnh Khê").click()
    expect(page.get_by_label("Họ và tên")).to_have_value("Đoàn Thị Thu")
    expect(page.get_by_label("Đơn vị công tác")).to_have_value("Hợp tác xã Chế biến Hải sản Tịnh Khê")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_text("Đã thêm Đoàn Thị Thu.")).to_be_visible()

    participant = Participant.objects.get()
    assert (participant.person_id, participant.organisation_id) == (chair.person_id, cooperative.pk)
    assert (participant.gender, participant.organisation_kind) == ("female", "cooperative")
    expect(page.locator("#attendance-figures .col").nth(3).locator(".display-6")).to_have_text("1")
