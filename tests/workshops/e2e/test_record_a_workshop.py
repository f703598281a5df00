import io

import pytest
from pypdf import PdfReader

from coopportal.accounts.models import Role
from tests.conftest import log_in
from tests.factories import UserFactory
from workshops.models import DiscussionTheme
from workshops.reference import load_themes

pytestmark = pytest.mark.e2e


def test_staff_record_a_workshop_with_participants_and_a_solution_and_download_its_report(page, tmp_path):
    """A provincial staff member records the workshop, its participants (one by one and from a pasted
    sheet) and a proposed solution, then downloads the report and finds them in it."""
    load_themes(DiscussionTheme)  # the browser test's database was flushed: put the themes back
    UserFactory(username="canbo", role=Role.STAFF, province_wide=True)
    log_in(page, "canbo")

    page.goto("/workshops/")
    page.get_by_role("link", name="Hội thảo mới").click()
    page.get_by_label("Tên hội thảo").fill("Hội thảo phát triển hợp tác xã do phụ nữ quản lý")
    page.get_by_label("Ngày bắt đầu").fill("2024-09-26")
    page.get_by_label("Ngày kết thúc").fill("2024-09-26")
    page.get_by_label("Tình trạng").select_option("held")
    page.get_by_label("Tìm kiếm thị trường tiêu thụ sản phẩm").check()
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã ghi nhận hội thảo.").wait_for()

    page.get_by_role("link", name="Thêm đại biểu").click()
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    page.get_by_label("Giới tính").select_option("female")
    page.get_by_label("Đơn vị công tác").fill("Hợp tác xã Nông nghiệp Tịnh Khê")
    page.get_by_label("Loại đơn vị").select_option("cooperative")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_text("Đã thêm Nguyễn Thị Hoa.").wait_for()

    page.get_by_role("link", name="Thêm từ danh sách ký tên").click()
    page.get_by_label("hoặc dán các dòng vào đây").fill(
        "Họ và tên\tGiới tính\tĐơn vị\tLoại đơn vị\tChức vụ\n"
        "Lê Văn Hùng\tNam\tSở Công Thương\tSở, ban, ngành tỉnh\tPhó Giám đốc\n"
        "Trần Thị Lan\tNữ\tHội LHPN xã Sơn Hà\tHội LHPN cấp xã\tChủ tịch\n"
    )
    page.get_by_role("button", name="Thêm đại biểu").click()
    page.get_by_text("Đã thêm 2 đại biểu.").wait_for()
    assert page.locator("#participants tbody tr").count() == 3

    page.get_by_role("link", name="Thêm giải pháp đề xuất").click()
    page.get_by_label("Giải pháp đề xuất").fill("Đưa sản phẩm của hợp tác xã lên sàn thương mại điện tử")
    page.get_by_label("Chủ đề").select_option(label="Tìm kiếm thị trường tiêu thụ sản phẩm")
    page.get_by_label("Người đề xuất (đại biểu)").select_option(label="Nguyễn Thị Hoa")
    page.get_by_label("Cơ quan chủ trì").fill("Sở Công Thương")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_text("Đã lưu giải pháp đề xuất.").wait_for()
    page.get_by_role("link", name="Hội thảo phát triển hợp tác xã do phụ nữ quản lý").first.click()

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải báo cáo (PDF)").click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages).split())
    assert "Hội thảo phát triển hợp tác xã do phụ nữ quản lý" in text
    assert "26/09/2024" in text
    assert "số đại biểu tham dự: 3, trong đó nữ: 2." in text
    assert "Đưa sản phẩm của hợp tác xã lên sàn thương mại điện tử" in text
