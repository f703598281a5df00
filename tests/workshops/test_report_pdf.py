"""The workshop report as a printed document: fonts, Vietnamese text read back, tables across pages."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from workshops.models import OrganiserLevel

from .factories import add_participant, make_workshop, propose

pytestmark = pytest.mark.django_db

# Every Vietnamese letter with a diacritic, in both cases: each must come back out of the PDF as it went in.
VIETNAMESE_LOWER = "àáảãạ ăằắẳẵặ âầấẩẫậ đ èéẻẽẹ êềếểễệ ìíỉĩị òóỏõọ ôồốổỗộ ơờớởỡợ ùúủũụ ưừứửữự ỳýỷỹỵ"
VIETNAMESE_UPPER = VIETNAMESE_LOWER.upper()


def pdf_pages(client, workshop):
    response = client.get(reverse("workshops:report_pdf", args=[workshop.pk]))
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def page_texts(reader):
    """Each page's text with line breaks and runs of spaces made single spaces."""
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_every_vietnamese_diacritic_is_copied_out_of_the_pdf_as_typed(client, official):
    """Text pulled from the PDF is the same Unicode (precomposed) that was typed: nothing lost or decomposed."""
    workshop = make_workshop(title=f"Hội thảo {VIETNAMESE_LOWER}", purpose=VIETNAMESE_UPPER)
    client.force_login(official)
    text = " ".join(page_texts(pdf_pages(client, workshop)))
    assert f"Hội thảo {VIETNAMESE_LOWER}" in text
    assert VIETNAMESE_UPPER in text


def test_every_font_the_pdf_uses_is_embedded(client, official):
    """A reader without DejaVu installed still sees the same letters: each font carries its glyphs."""
    workshop = make_workshop()
    add_participant(workshop)
    propose(workshop)
    client.force_login(official)
    reader = pdf_pages(client, workshop)
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")] + [
                descendant.get_object().get("/FontDescriptor") for descendant in font.get("/DescendantFonts", [])
            ]
            fonts[font["/BaseFont"]] = any(
                descriptor is not None
                and any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                for descriptor in descriptors
            )
    assert fonts and all(fonts.values()), fonts


def test_a_long_solutions_table_repeats_its_header_on_every_page_and_never_splits_a_row(client, official):
    """Thirty long proposals run over several pages: each page of the table starts with its header,
    and each proposal is printed whole on one page."""
    workshop = make_workshop()
    texts = [
        f"Giải pháp số {index:02d}: hỗ trợ hợp tác xã do phụ nữ quản lý tiếp cận vốn vay ưu đãi, đào tạo kế toán, "
        f"xây dựng thương hiệu và đưa sản phẩm lên sàn thương mại điện tử trong năm {2025 + index % 3}"
        for index in range(30)
    ]
    for text in texts:
        propose(workshop, text=text, due_on=date(2025, 6, 30), responsible_body="Sở Công Thương tỉnh Quảng Ngãi")
    client.force_login(official)
    pages = page_texts(pdf_pages(client, workshop))

    assert "6. Giải pháp đề xuất Đề xuất: 30. STT" in " ".join(pages)  # the count of each status present, no more
    pages_with_rows = [page for page in pages if "Giải pháp số" in page]
    assert len(pages_with_rows) >= 3
    for page in pages_with_rows:
        assert re.search(r"STT Giải pháp đề xuất Người/ ?đơn vị đề xuất Cơ quan chủ trì Thời hạn Tình trạng", page), (
            page
        )
        assert page.index("STT Giải pháp đề xuất") < page.index("Giải pháp số")
    for text in texts:
        assert sum(text in page for page in pages) == 1, text


def test_a_commune_unions_report_is_issued_by_that_union_and_dated_from_its_commune(client, commune_staff, commune_a):
    """Top left the provincial Union over the commune's; top right the national title; then place and date."""
    workshop = make_workshop(organiser_level=OrganiserLevel.COMMUNE, commune=commune_a)
    client.force_login(commune_staff)
    first_page = page_texts(pdf_pages(client, workshop))[0]
    today = timezone.localdate()
    month = f"{today.month:02d}" if today.month < 3 else str(today.month)
    today = f"{today.day:02d} tháng {month} năm {today.year}"
    assert re.search(
        r"^Hội LHPN tỉnh Quảng Ngãi .*HỘI LHPN PHƯỜNG CẨM THÀNH.*Độc lập - Tự do - Hạnh phúc "
        rf"Cẩm Thành, ngày {today} BÁO CÁO KẾT QUẢ HỘI THẢO",
        first_page,
    ), first_page[:300]
