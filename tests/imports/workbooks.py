"""Register workbooks as Union offices keep them, built in the tests (DOMAIN.md; issue 8's description)."""

import io
import unicodedata
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def nfd(text):
    return unicodedata.normalize("NFD", text)


def xlsx(sheets):
    """``{title: rows}`` with optional ``merged`` ranges per sheet: ``{title: (rows, ["A1:F1", …])}``."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, spec in sheets.items():
        rows, merged = spec if isinstance(spec, tuple) else (spec, [])
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cell_range in merged:
            sheet.merge_cells(cell_range)
        sheet["A1"].font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ORGANISATION_HEADER = [
    [
        "STT",
        "Tên HTX/THT",
        "Loại hình",
        "Xã, phường",
        "Ngành nghề",
        "Ngày thành lập",
        "Số đăng ký",
        "Người quản lý",
        None,
        "Số thành viên",
    ],
    [None, None, None, None, None, None, None, "Họ tên", "Chức vụ", None],
]
ORGANISATION_MERGES = [
    "A1:J1",
    "A2:J2",
    "A4:A5",
    "B4:B5",
    "C4:C5",
    "D4:D5",
    "E4:E5",
    "F4:F5",
    "G4:G5",
    "H4:I4",
    "J4:J5",
]
MEMBER_HEADER = [
    "STT",
    "Họ và tên",
    "Năm sinh",
    "Giới tính",
    "Dân tộc",
    "Nơi cư trú",
    "Tên HTX/THT",
    "Loại thành viên",
    "Ngày vào",
    "Chức vụ",
]


def register_workbook(*, organisations, members, title="DANH SÁCH HỢP TÁC XÃ, TỔ HỢP TÁC DO PHỤ NỮ QUẢN LÝ"):
    """An office's workbook: title rows, a two-row merged header, a blank row, a totals row with =SUM."""
    organisation_rows = [
        [NATIONAL_TITLE],
        ["HỘI LHPN TỈNH QUẢNG NGÃI"],
        [title],
        *ORGANISATION_HEADER,
        *[[number, *row] for number, row in enumerate(organisations, start=1)],
        [],
        [None, "Tổng cộng", None, None, None, None, None, None, None, f"=SUM(J6:J{5 + len(organisations)})"],
    ]
    member_rows = [
        ["HỘI LHPN TỈNH QUẢNG NGÃI"],
        ["DANH SÁCH THÀNH VIÊN"],
        MEMBER_HEADER,
        *[[number, *row] for number, row in enumerate(members, start=1)],
    ]
    return xlsx(
        {
            "Tổ chức": (organisation_rows, ORGANISATION_MERGES),
            "Thành viên": (member_rows, ["A1:J1", "A2:J2"]),
        }
    )


def demo_rows():
    """Two cooperatives and a group, written as many hands write: NFD names, aliases, mixed dates."""
    organisations = [
        [
            "HTX Nông nghiệp Tịnh Khê ",
            "HTX",
            "Xã Tịnh Khê",
            "Nông nghiệp",
            date(2019, 3, 15),
            "4300123456",
            nfd("Nguyễn Thị Hoa"),
            "Chủ tịch HĐQT kiêm Giám đốc",
            6,
        ],
        [
            "HTX Dệt thổ cẩm Sơn Hà",
            "hợp tác xã",
            "Sơn Hà",
            "Thủ công mỹ nghệ",
            "2/1/2016",
            "0043001234",
            "Đinh Thị Lài",
            "Giám đốc",
            4,
        ],
        [
            "Tổ hợp tác rau sạch Sa Huỳnh",
            "THT",
            "P. Sa Huỳnh",
            "Nông nghiệp",
            "2020",
            None,
            "Lê Thị Mai",
            "Tổ trưởng",
            3,
        ],
    ]
    members = [
        [
            nfd("Nguyễn Thị Hoa"),
            1975,
            "Nữ",
            "Kinh",
            "Tịnh Khê",
            "HTX Nông nghiệp Tịnh Khê",
            "Thành viên chính thức",
            "15/03/2019",
            "Chủ tịch HĐQT kiêm Giám đốc",
        ],
        [
            "Trần Văn Nam",
            1970,
            "Nam",
            None,
            "Tịnh Khê",
            "HTX Nông nghiệp Tịnh Khê",
            "chính thức",
            date(2019, 3, 15),
            "Thành viên HĐQT",
        ],
        [
            "Phạm Thị Thu ",
            "1982",
            "nữ",
            None,
            "Xã Tịnh Khê",
            "HTX Nông nghiệp Tịnh Khê",
            "Chính thức",
            "15/03/2019",
            "Kế toán",
        ],
        [
            "Võ Thị Lan",
            1990,
            "NỮ",
            None,
            "Tịnh Khê",
            "htx nông nghiệp tịnh khê",
            "Thành viên chính thức",
            "1/6/2020",
            "Kiểm soát viên",
        ],
        ["Huỳnh Thị Cúc", 1988, "Nữ ", None, "Tịnh Khê", "HTX Nông nghiệp Tịnh Khê", "Liên kết góp vốn", "2021", None],
        [
            "Đinh Thị Lài",
            1980,
            "Nữ",
            "H're",
            "Sơn Hà",
            "HTX Dệt thổ cẩm Sơn Hà",
            "Thành viên chính thức",
            "2/1/2016",
            "Giám đốc",
        ],
        [
            "Đinh Văn Pố",
            1978,
            "Nam",
            "Hrê",
            "Sơn Hà",
            "HTX Dệt thổ cẩm Sơn Hà",
            "Thành viên chính thức",
            "2/1/2016",
            "Kiểm soát viên",
        ],
        [
            "Đinh Thị Nga",
            1995,
            "Nữ",
            "Ca Dong",
            "Sơn Hà",
            "HTX Dệt thổ cẩm Sơn Hà",
            "Thành viên chính thức",
            "10/10/2018",
            None,
        ],
        [
            "Lê Thị Mai",
            1985,
            "Nữ",
            "Kinh",
            "P. Sa Huỳnh",
            "Tổ hợp tác rau sạch Sa Huỳnh",
            "Thành viên",
            "2020",
            "Tổ trưởng",
        ],
        ["Nguyễn Thị Bé", 1992, "Nữ", None, "Sa Huỳnh", "Tổ hợp tác rau sạch Sa Huỳnh", None, "5/5/2020", None],
    ]
    return organisations, members
