"""Every spreadsheet upload is read by one reader: registers as the Union's offices keep them.

Each workbook or CSV is built here, as Excel, LibreOffice or WPS would write it, with the XML inside
the zip patched where openpyxl cannot write the shape itself.
"""

import io
import random
import struct
import time
import tracemalloc
import unicodedata
import zipfile
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook

from coopportal import uploads
from coopportal.uploads import Header, Row, Sheet, find_header, header_key, read_text, read_upload, records

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
VOCABULARY = {
    "full_name": {"ho va ten", "ho ten", "full name"},
    "gender": {"gioi tinh", "gender"},
    "birth_date": {"ngay sinh", "ngay thang nam sinh"},
    "position": {"chuc vu"},
    "manager_name": {"nguoi quan ly ho ten", "nguoi quan ly ho va ten", "manager name"},
    "manager_position": {"nguoi quan ly chuc vu"},
}
# What the bounds promise: refused with a message in under 2 s and 200 MB.
SECONDS, MEGABYTES = 2.0, 200


def xlsx(*sheets, merges=(), hidden=()) -> bytes:
    """A workbook written by openpyxl: ``sheets`` are (title, rows); ``merges`` apply to the first."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
        if title in hidden:
            worksheet.sheet_state = "hidden"
    for cells in merges:
        workbook.worksheets[0].merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def patch(content: bytes, edit=None, member=SHEET, add=None) -> bytes:
    """The workbook with ``edit(xml) -> xml`` applied to ``member`` and the parts of ``add`` added."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if edit is not None and info.filename == member:
                data = edit(data.decode()).encode()
            target.writestr(info.filename, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return buffer.getvalue()


def rows_of(sheet: Sheet):
    return [(row.number, row.values) for row in sheet.rows]


def refused_quickly(content: bytes, filename="so-thanh-vien.xlsx") -> ValidationError:
    """The refusal, checked to come in time (a plain run) and within memory (a traced run)."""
    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        read_upload(content, filename)
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError):
            read_upload(content, filename)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < SECONDS, f"refused after {elapsed:.2f} s"
    assert peak < MEGABYTES * 2**20, f"{peak / 2**20:.0f} MB used"
    return refused.value


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in their English source text; their Vietnamese comes with the catalogue."""
    with translation.override("en"):
        yield


def message(error: ValidationError) -> str:
    return " ".join(error.messages)


# A register as a Union office keeps it --------------------------------------------------------------

REGISTER = [
    ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    ["Độc lập - Tự do - Hạnh phúc"],
    ["HỘI LHPN TỈNH QUẢNG NGÃI"],
    ["DANH SÁCH THÀNH VIÊN"],
    ["STT", "Họ và tên", "Giới tính", "Người quản lý", None, "Ngày sinh"],
    [None, None, None, "Họ tên", "Chức vụ", None],
    [1, "Nguyễn Thị Hoa", "Nữ", "Lê Văn Nam", "Giám đốc", date(1980, 3, 4)],
    [None, None, None, None, None, None],
    [2, "Trần Văn Công", "Nam", None, None, datetime(1975, 12, 1, 8, 30)],
    ["Tổng cộng", None, None, None, None, "=COUNTA(F7:F9)"],
]
REGISTER_MERGES = ["A1:F1", "A2:F2", "A3:F3", "A4:F4", "A5:A6", "B5:B6", "C5:C6", "D5:E5", "F5:F6"]


def register() -> Sheet:
    # Excel keeps the last computed value of a formula next to it; openpyxl writes none.
    content = patch(
        xlsx(("Thành viên", REGISTER), merges=REGISTER_MERGES), lambda xml: xml.replace("<v />", "<v>2</v>")
    )
    return read_upload(content, "so-thanh-vien.xlsx")[0]


class TestWorkbookLayout:
    def test_title_rows_and_a_two_row_merged_header_are_found_under_the_national_title(self):
        """The national title, the Union's name and the list's title recognise nothing: the header is rows 5-6."""
        header = find_header(register(), VOCABULARY, required=("full_name",))
        assert (header.first_row, header.last_row) == (5, 6)
        assert header.columns == {
            "full_name": 1,
            "gender": 2,
            "manager_name": 3,
            "manager_position": 4,
            "birth_date": 5,
        }

    def test_a_two_row_merged_header_names_each_column_by_both_rows(self):
        """ "Người quản lý" merged over "Họ tên" | "Chức vụ" labels both; a column merged down both rows keeps its text."""
        header = find_header(register(), VOCABULARY)
        assert header.labels == [
            "STT",
            "Họ và tên",
            "Giới tính",
            "Người quản lý / Họ tên",
            "Người quản lý / Chức vụ",
            "Ngày sinh",
        ]

    def test_records_skip_blank_and_totals_rows_and_keep_excel_row_numbers(self):
        """Row 8 is blank and row 10 is "Tổng cộng" with its =COUNTA result: neither is a member."""
        sheet = register()
        found = records(sheet, find_header(sheet, VOCABULARY))
        assert [(row.number, values["full_name"], values["manager_name"]) for row, values in found] == [
            (7, "Nguyễn Thị Hoa", "Lê Văn Nam"),
            (9, "Trần Văn Công", None),
        ]
        assert rows_of(sheet)[-1] == (10, ["Tổng cộng", None, None, None, None, 2])

    def test_dates_stay_dates_and_integral_numbers_are_integers(self):
        sheet = read_upload(xlsx(("S", [[date(2024, 9, 26), datetime(2024, 9, 26, 14, 5), 3.0, 2.5, True, 7]])))[0]
        assert sheet.rows[0].values == [datetime(2024, 9, 26), datetime(2024, 9, 26, 14, 5), 3, 2.5, True, 7]
        assert type(sheet.rows[0].values[2]) is int

    def test_a_number_too_large_for_its_date_format_stays_a_number(self):
        """A phone number formatted as a date by mistake is no reason to refuse the file."""
        workbook = Workbook()
        workbook.active.append([905123456789, date(2024, 9, 26)])
        workbook.active["A1"].number_format = "dd/mm/yyyy"
        buffer = io.BytesIO()
        workbook.save(buffer)
        assert read_upload(buffer.getvalue())[0].rows[0].values == [905123456789, datetime(2024, 9, 26)]

    def test_text_comes_back_nfc_trimmed_with_single_spaces(self):
        """A name typed in NFD (as macOS and some Vietnamese keyboards do), with non-breaking and trailing spaces."""
        typed = unicodedata.normalize("NFD", "  Nguyễn\u00a0 Thị   Hoa \t") + "\u200b"
        sheet = read_upload(xlsx(("S", [[typed, "   ", "Hà\nNội"]])))[0]
        assert sheet.rows[0].values == ["Nguyễn Thị Hoa", None, "Hà Nội"]
        assert unicodedata.is_normalized("NFC", sheet.rows[0].values[0])

    def test_every_sheet_is_returned_hidden_and_empty_ones_too(self):
        content = xlsx(
            ("Tổ chức", [["Tên HTX"], ["HTX Tịnh Khê"]]),
            ("Ẩn", [["Họ và tên"], ["Lê Thị Mai"]]),
            ("Trống", []),
            hidden=("Ẩn",),
        )
        sheets = read_upload(content, "register.xlsx")
        assert [(sheet.name, len(sheet.rows)) for sheet in sheets] == [("Tổ chức", 2), ("Ẩn", 2), ("Trống", 0)]

    def test_a_workbook_is_read_by_its_content_whatever_its_name(self):
        content = xlsx(("S", [["Họ và tên"], ["Lê Thị Mai"]]))
        for name in ("", "danh-sach.csv", "danh-sach.XLSM", "tai-xuong"):
            assert rows_of(read_upload(content, name)[0]) == [(1, ["Họ và tên"]), (2, ["Lê Thị Mai"])]


class TestWhatProgramsWrite:
    def test_a_wps_sheet_declaring_a1_as_its_dimension_is_read_whole(self):
        """WPS writes <dimension ref="A1"/> whatever the sheet holds; the dimension is not believed."""
        content = xlsx(("S", [["Họ và tên", "Giới tính", "Đơn vị"], ["Lê Thị Mai", "Nữ", "HTX"], ["Võ Văn Ba", "Nam"]]))
        wps = patch(content, lambda xml: xml.replace('<dimension ref="A1:C3" />', '<dimension ref="A1"/>'))
        assert wps != content
        assert rows_of(read_upload(wps)[0]) == [
            (1, ["Họ và tên", "Giới tính", "Đơn vị"]),
            (2, ["Lê Thị Mai", "Nữ", "HTX"]),
            (3, ["Võ Văn Ba", "Nam"]),
        ]

    def test_a_sheet_formatted_down_to_row_1048576_reads_fast(self):
        """Excel's dimension A1:J1048576 and styled empty cells at the very bottom: a few rows, read quickly."""
        content = xlsx(("S", [["Họ và tên", "Giới tính"], ["Lê Thị Mai", "Nữ"]]))
        bottom = '<row r="1048576" s="1" customFormat="1">' + "".join(
            f'<c r="{column}1048576" s="1"/>' for column in "ABCDEFGHIJ"
        )
        formatted = patch(
            content,
            lambda xml: xml.replace('<dimension ref="A1:B2" />', '<dimension ref="A1:J1048576"/>').replace(
                "</sheetData>",
                '<row r="5" s="1" customFormat="1"><c r="J5" s="1"/></row>' + bottom + "</row></sheetData>",
            ),
        )
        started = time.perf_counter()
        sheet = read_upload(formatted)[0]
        assert time.perf_counter() - started < SECONDS
        assert rows_of(sheet) == [(1, ["Họ và tên", "Giới tính"]), (2, ["Lê Thị Mai", "Nữ"])]

    def test_empty_formatted_rows_cost_no_memory(self):
        """LibreOffice writes a row element for every row of a styled column; none of them is kept.

        50,000 such rows held about 24 MB in openpyxl's own row iterator.
        """
        formatted = patch(
            xlsx(("S", [["Họ và tên"], ["Lê Thị Mai"]])),
            lambda xml: xml.replace(
                "</sheetData>",
                "".join(f'<row r="{n}" s="1" customFormat="true" ht="12.8"/>' for n in range(3, 50_003))
                + "</sheetData>",
            ),
        )
        tracemalloc.start()
        try:
            sheet = read_upload(formatted)[0]
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert rows_of(sheet) == [(1, ["Họ và tên"]), (2, ["Lê Thị Mai"])]
        assert peak < 8 * 2**20, f"{peak / 2**20:.0f} MB"

    def test_a_libreoffice_style_sheet_with_shared_strings_is_read(self):
        """Written by hand as LibreOffice Calc writes it (no LibreOffice here): shared strings, one of
        them in rich-text runs, a boolean, a formula's text and number results, verbose row attributes,
        and a styled row at the bottom."""
        strings = [
            "Họ và tên",
            "Giới tính",
            '<r><rPr><b val="true"/></rPr><t xml:space="preserve">Nguyễn </t></r><r><t>Thị Hoa</t></r>',
            "Nữ",
            "Tổng cộng",
        ]
        shared = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN}" count="5" uniqueCount="5">'
            + "".join(f"<si>{text}</si>" if text.startswith("<r>") else f"<si><t>{text}</t></si>" for text in strings)
            + "</sst>"
        )
        attributes = (
            'customFormat="false" ht="12.8" hidden="false" customHeight="false" outlineLevel="0" collapsed="false"'
        )
        sheet_xml = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
            '<dimension ref="A1:D1048576"/><sheetData>'
            f'<row r="1" {attributes}><c r="A1" s="0" t="s"><v>0</v></c><c r="B1" s="0" t="s"><v>1</v></c></row>'
            f'<row r="2" {attributes}><c r="A2" s="0" t="s"><v>2</v></c><c r="B2" s="0" t="s"><v>3</v></c>'
            '<c r="C2" s="0" t="b"><v>1</v></c><c r="D2" s="0" t="str"><f aca="false">B2&amp;"!"</f><v>Nữ!</v></c></row>'
            f'<row r="3" {attributes}><c r="A3" s="0" t="s"><v>4</v></c><c r="B3" s="0" t="n">'
            '<f aca="false">COUNTA(A2:A2)</f><v>1</v></c></row>'
            f'<row r="1048576" {attributes}><c r="A1048576" s="0"/></row>'
            "</sheetData></worksheet>"
        )
        content = patch(
            patch(xlsx(("Sheet1", [["x"]])), lambda _: sheet_xml, add={"xl/sharedStrings.xml": shared}),
            lambda xml: xml.replace(
                "</Types>",
                '<Override PartName="/xl/sharedStrings.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            ),
            member="[Content_Types].xml",
        )
        assert rows_of(read_upload(content, "calc.xlsx")[0]) == [
            (1, ["Họ và tên", "Giới tính"]),
            (2, ["Nguyễn Thị Hoa", "Nữ", True, "Nữ!"]),
            (3, ["Tổng cộng", 1]),
        ]

    def test_an_inline_string_leaves_out_its_phonetic_reading(self):
        content = patch(
            xlsx(("S", [["x"]])),
            lambda xml: xml.replace(
                '<c r="A1" t="inlineStr"><is><t>x</t></is></c>',
                '<c r="A1" t="inlineStr"><is><r><t>Lê </t></r><r><t>Thị</t></r><rPh sb="0" eb="1"><t>レ</t></rPh></is></c>'
                '<c r="C1" t="inlineStr"><is><t xml:space="preserve">  </t></is></c>',
            ),
        )
        assert rows_of(read_upload(content)[0]) == [(1, ["Lê Thị"])]


# CSV and pasted text ---------------------------------------------------------------------------------

MEMBERS_TEXT = "Họ và tên;Giới tính;Đơn vị\nNguyễn Thị Hoa;Nữ;Sở, ban, ngành\nLê Văn Nam;Nam;1,5\n"
MEMBERS_ROWS = [
    (1, ["Họ và tên", "Giới tính", "Đơn vị"]),
    (2, ["Nguyễn Thị Hoa", "Nữ", "Sở, ban, ngành"]),
    (3, ["Lê Văn Nam", "Nam", "1,5"]),
]


class TestCsv:
    @pytest.mark.parametrize(
        "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"], ids=lambda encoding: encoding
    )
    def test_utf8_and_utf16_with_or_without_bom_read_alike(self, encoding):
        """Excel's "CSV UTF-8" has a BOM, its "Unicode text" is UTF-16 with one; other tools write neither."""
        content = MEMBERS_TEXT.replace(";", "\t").replace("\n", "\r\n").encode(encoding)
        sheets = read_upload(content, "danh-sach.txt")
        assert [sheet.name for sheet in sheets] == ["CSV"]
        assert rows_of(sheets[0]) == MEMBERS_ROWS

    @pytest.mark.parametrize("separator", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
    @pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "cr"])
    def test_any_separator_and_any_line_ending(self, separator, line_end):
        """A quoted cell may hold the separator and a line break; the mac's lone CR ends lines too."""
        lines = [["Họ và tên", "Đơn vị", "Ghi chú"], ["Nguyễn Thị Hoa", "Sở, ban; ngành", "dòng một\ndòng hai"]]
        text = line_end.join(separator.join(f'"{value}"' for value in line) for line in lines) + line_end
        assert rows_of(read_upload(text.encode(), "ds.csv")[0]) == [
            (1, ["Họ và tên", "Đơn vị", "Ghi chú"]),
            (2, ["Nguyễn Thị Hoa", "Sở, ban; ngành", "dòng một dòng hai"]),
        ]

    def test_semicolons_win_over_the_commas_inside_vietnamese_values(self):
        """Excel in Vietnamese separates with semicolons and writes decimal commas, unquoted."""
        assert rows_of(read_upload(MEMBERS_TEXT.encode(), "ds.csv")[0]) == MEMBERS_ROWS
        titled = "DANH SÁCH HỘI VIÊN\n" + MEMBERS_TEXT.replace("\n", ";8,5\n")
        assert rows_of(read_upload(titled.encode(), "ds.csv")[0])[1:] == [
            (number + 1, [*values, "8,5"]) for number, values in MEMBERS_ROWS
        ]

    def test_blank_lines_keep_their_numbers_and_values_stay_text(self):
        text = "DANH SÁCH\n\n,,\nHọ và tên,Năm sinh\n  Lê Thị Mai  ,1980\n"
        assert rows_of(read_upload(text.encode(), "ds.csv")[0]) == [
            (1, ["DANH SÁCH"]),
            (4, ["Họ và tên", "Năm sinh"]),
            (5, ["Lê Thị Mai", "1980"]),
        ]

    def test_text_pasted_from_a_spreadsheet_is_read_as_tab_separated(self):
        sheets = read_text("Họ tên\tGiới tính\r\nPhạm Văn An\tNam\r\n")
        assert [(sheet.name, rows_of(sheet)) for sheet in sheets] == [
            ("CSV", [(1, ["Họ tên", "Giới tính"]), (2, ["Phạm Văn An", "Nam"])])
        ]
        assert rows_of(read_text("Lê Thị Mai\nVõ Văn Ba")[0]) == [(1, ["Lê Thị Mai"]), (2, ["Võ Văn Ba"])]

    @pytest.mark.parametrize(
        "content",
        [
            # Windows-1258 writes the tone as a combining mark: "Nguyễn" is Nguy, ê, U+0303, n.
            "Ho\u0323 va\u0300 tên,\u0110\u01a1n vi\u0323\nNguy\u00ea\u0303n Thi\u0323 Hoa,Ba\u0300 Ri\u0323a\n".encode(
                "cp1258"
            ),
            # TCVN3 (ABC): one byte per accented letter, e.g. 0xD6 for "ễ" in "Nguyễn".
            b"H\xe4 v\xb5 t\xaan,\xae\xabn v\xfb\nNguy\xd6n Th\xfe Hoa,S\xe8 T\xb5i ch\xddnh\n",
        ],
        ids=["windows-1258", "tcvn3"],
    )
    def test_a_file_in_an_old_vietnamese_encoding_is_explained(self, content):
        with pytest.raises(ValidationError) as refused:
            read_upload(content, "danh-sach.csv")
        assert refused.value.code == "upload_legacy_encoding"
        explained = message(refused.value)
        assert "TCVN3" in explained and "CSV UTF-8" in explained and ".xlsx" in explained

    def test_utf16_that_does_not_read_as_vietnamese_text_is_unreadable(self):
        """Any even run of bytes decodes as UTF-16; these decode to Chinese characters, so they are not a register."""
        with pytest.raises(ValidationError) as refused:
            read_upload(b"\xff\xfe\x00garbage", "ds.csv")
        assert refused.value.code == "upload_unreadable"


class TestRefused:
    def test_an_old_xls_file_is_asked_for_as_xlsx(self):
        old = uploads.OLE_SIGNATURE + b"\x00" * 504 + "Workbook".encode("utf-16-le")
        for name in ("so-thanh-vien.xls", "so-thanh-vien.xlsx", ""):
            with pytest.raises(ValidationError) as refused:
                read_upload(old, name)
            assert refused.value.code == "upload_old_excel"
            assert "Save it as an Excel workbook (.xlsx) first" in message(refused.value)

    def test_a_password_protected_workbook_says_so(self):
        """An encrypted .xlsx is an OLE container with EncryptionInfo and EncryptedPackage streams (shape only)."""
        encrypted = uploads.OLE_SIGNATURE + b"\x00" * 504 + "EncryptionInfo\x00EncryptedPackage".encode("utf-16-le")
        with pytest.raises(ValidationError) as refused:
            read_upload(encrypted, "so-thanh-vien.xlsx")
        assert refused.value.code == "upload_unreadable"
        assert "password" in message(refused.value)

    @pytest.mark.parametrize(
        "name, content",
        [
            ("so.xlsx", b"PK\x03\x04 not a zip at all"),
            ("so.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
            ("so.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
            ("so.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
            ("so.xlsx", patch(xlsx(("S", [["x"]])), lambda xml: xml[:-40])),
            ("so.xlsx", patch(xlsx(("S", [["x"]])), lambda xml: "<not-a-workbook/>", member="xl/workbook.xml")),
            ("so.xlsx", patch(xlsx(("S", [["x"]])), lambda xml: xml.replace('r="A1"', 'r="1A"'))),
            (
                "so.xlsx",
                patch(
                    xlsx(("S", [["x"]])),
                    lambda xml: xml.replace(
                        "<worksheet", '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]><worksheet'
                    ).replace("<t>x</t>", "<t>&a;</t>"),
                ),
            ),
        ],
        ids=["not-a-zip", "pdf-named-xlsx", "pdf-named-csv", "png", "broken-xml", "no-workbook", "bad-cell-ref", "dtd"],
    )
    def test_a_malformed_file_is_unreadable(self, name, content):
        with pytest.raises(ValidationError) as refused:
            read_upload(content, name)
        assert refused.value.code == "upload_unreadable"

    def test_a_zip_without_a_workbook_is_unreadable(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "not a workbook")
        with pytest.raises(ValidationError) as refused:
            read_upload(buffer.getvalue(), "so.xlsx")
        assert refused.value.code == "upload_unreadable"

    def test_a_damaged_workbook_never_raises_anything_but_a_validation_error(self):
        """Every part cut short, and bytes flipped across the file: each read either works or is refused."""
        content = xlsx(("S", [["Họ và tên", "Ngày sinh"], ["Lê Thị Mai", date(1980, 1, 2)]]))
        damaged = []
        for name in zipfile.ZipFile(io.BytesIO(content)).namelist():
            damaged += [patch(content, lambda xml, cut=cut: xml[: len(xml) * cut // 4], member=name) for cut in (1, 3)]
        chance = random.Random(2024)
        for _ in range(120):
            flipped = bytearray(content)
            for _ in range(3):
                flipped[chance.randrange(len(flipped))] = chance.randrange(256)
            damaged.append(bytes(flipped))
        outcomes = set()
        for broken in damaged:
            try:
                read_upload(broken, "so.xlsx")
                outcomes.add("read")
            except ValidationError as error:
                outcomes.add(error.code)
        assert "upload_unreadable" in outcomes

    @pytest.mark.parametrize(
        "content",
        [b"", b"\xef\xbb\xbf", b",,,\r\n\r\n , \t\n"],
        ids=["nothing", "bom-only", "separators-only"],
    )
    def test_an_empty_file_is_refused_as_empty(self, content):
        with pytest.raises(ValidationError) as refused:
            read_upload(content, "so.csv")
        assert refused.value.code == "upload_empty"

    def test_a_workbook_with_no_values_is_refused_as_empty(self):
        with pytest.raises(ValidationError) as refused:
            read_upload(xlsx(("Sheet1", []), ("Sheet2", [[None, "  "]])))
        assert refused.value.code == "upload_empty"
        with pytest.raises(ValidationError):
            read_text(" \n\t\n")


class TestBounds:
    def test_a_file_over_10_mb_is_refused_before_reading(self):
        error = refused_quickly(b"a" * (uploads.MAX_BYTES + 1), "so.csv")
        assert error.code == "upload_too_large"
        assert "10 MB" in message(error)

    def test_a_compressed_bomb_is_refused_before_opening(self):
        """30 MB of spaces in the sheet packs into some 30 KB: a ratio no register has."""
        bomb = patch(xlsx(("S", [["x"]])), lambda xml: xml.replace("</sheetData>", "</sheetData>" + " " * 30_000_000))
        assert len(bomb) < 100_000
        error = refused_quickly(bomb)
        assert error.code == "upload_compressed_bomb"
        assert "compressed bomb" in message(error)

    def test_a_zip_declaring_more_than_200_mb_unpacked_is_refused(self):
        """The declared size is what zipfile would read up to, so a lying directory is refused on its word."""
        content = xlsx(("S", [["x"]]))
        directory = content.index(b"PK\x01\x02")
        declared = bytearray(content)
        declared[directory + 24 : directory + 28] = struct.pack("<I", uploads.MAX_UNZIPPED_BYTES + 1)
        error = refused_quickly(bytes(declared))
        assert error.code == "upload_unzipped_too_large"

    def test_a_5_kb_file_declaring_a_million_rows_is_refused(self):
        """Dimension A1:XFD1048576 and a value on row 1,048,576: data below row 200,000."""
        content = patch(
            xlsx(("S", [["Họ và tên"], ["Lê Thị Mai"]])),
            lambda xml: xml.replace('<dimension ref="A1:A2" />', '<dimension ref="A1:XFD1048576"/>').replace(
                "</sheetData>", '<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>'
            ),
        )
        assert len(content) < 6_000
        error = refused_quickly(content)
        assert error.code == "upload_data_too_far_down"
        assert error.params["sheet"] == "S"
        assert "data below row 200,000 (on row 1,048,576)" in message(error)

    def test_a_value_at_xfd1048576_is_refused(self):
        content = patch(
            xlsx(("S", [["Họ và tên"]])),
            lambda xml: xml.replace(
                "</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
            ),
        )
        error = refused_quickly(content)
        assert error.code == "upload_too_many_columns"
        assert error.params["cell"] == "XFD1048576"

    def test_a_200000_character_cell_is_refused_naming_sheet_row_and_column(self):
        error = refused_quickly(xlsx(("Thành viên", [["Họ và tên", "Ghi chú"], ["Lê Thị Mai", "x" * 200_000]])))
        assert error.code == "upload_cell_too_long"
        assert message(error) == "Sheet “Thành viên”, cell B2 holds more than 2,000 characters."

    def test_a_200000_character_csv_field_is_refused_naming_row_and_column(self):
        """The csv module stops at 131,072 characters before the reader's own check."""
        content = ("Họ và tên,Ghi chú\nLê Thị Mai," + "x" * 200_000 + "\n").encode()
        error = refused_quickly(content, "so.csv")
        assert error.code == "upload_cell_too_long"
        assert error.params["cell"] == "B2"

    def test_a_cell_just_over_2000_characters_is_refused_and_one_at_2000_is_read(self):
        limit = uploads.MAX_CELL_CHARS
        assert read_upload(f"Ghi chú\n{'ă' * limit}\n".encode(), "so.csv")[0].rows[1].values == ["ă" * limit]
        with pytest.raises(ValidationError) as refused:
            read_upload(f"Ghi chú\n{'ă' * (limit + 1)}\n".encode(), "so.csv")
        assert refused.value.code == "upload_cell_too_long"
        assert refused.value.params == {"sheet": "CSV", "cell": "A2", "max": "2,000"}

    def test_a_value_beyond_column_100_is_refused_but_empty_formatted_cells_there_are_not(self):
        wide = [None] * uploads.MAX_COLUMNS + ["x"]
        with pytest.raises(ValidationError) as refused:
            read_upload(xlsx(("S", [["Họ và tên"], wide])))
        assert refused.value.code == "upload_too_many_columns"
        assert refused.value.params["cell"] == "CW2"
        formatted = patch(
            xlsx(("S", [["Họ và tên"]])),
            lambda xml: xml.replace("</row>", '<c r="CW1" s="1"/><c r="XFD1" s="1"/></row>'),
        )
        assert rows_of(read_upload(formatted)[0]) == [(1, ["Họ và tên"])]
        with pytest.raises(ValidationError) as refused:
            read_upload(("," * uploads.MAX_COLUMNS + "x\n").encode(), "so.csv")
        assert refused.value.code == "upload_too_many_columns"
        assert rows_of(read_upload(("x" + "," * 500 + "\n").encode(), "so.csv")[0]) == [(1, ["x"])]

    def test_more_than_60000_rows_in_a_file_are_refused_across_its_sheets(self):
        def filled(count):
            return lambda xml: xml.replace(
                "</sheetData>",
                "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, count + 1)) + "</sheetData>",
            )

        half = uploads.MAX_ROWS // 2
        content = patch(xlsx(("A", [[1]]), ("B", [[1]])), filled(half), member="xl/worksheets/sheet1.xml")
        assert (
            sum(
                len(sheet.rows)
                for sheet in read_upload(patch(content, filled(half), member="xl/worksheets/sheet2.xml"))
            )
            == uploads.MAX_ROWS
        )
        with pytest.raises(ValidationError) as refused:
            read_upload(patch(content, filled(half + 1), member="xl/worksheets/sheet2.xml"))
        assert refused.value.code == "upload_too_many_rows"
        with pytest.raises(ValidationError) as refused:
            read_upload(b"x\n" * (uploads.MAX_ROWS + 1), "so.csv")
        assert refused.value.code == "upload_too_many_rows"

    def test_a_value_below_row_200000_is_refused_in_a_csv_too(self):
        with pytest.raises(ValidationError) as refused:
            read_upload(b"x" + b"\n" * uploads.MAX_ROW_NUMBER + b"y\n", "so.csv")
        assert refused.value.code == "upload_data_too_far_down"

    def test_a_sheet_of_more_than_1100000_row_elements_is_refused(self):
        """Past Excel's 1,048,576 rows nothing is a sheet; scanning stops there, after some 2.5 to 4.5 s of parsing."""
        content = patch(
            xlsx(("S", [["Họ và tên"]])),
            lambda xml: xml.replace(
                "</sheetData>",
                "".join(f'<row r="{n}"/>' for n in range(2, uploads.MAX_ROW_ELEMENTS + 10)) + "</sheetData>",
            ),
        )
        started = time.perf_counter()
        with pytest.raises(ValidationError) as refused:
            read_upload(content)
        assert time.perf_counter() - started < 10 * SECONDS  # a regression guard, not the 2 s promise
        assert refused.value.code == "upload_too_many_rows"


# Headers and records ----------------------------------------------------------------------------------


def sheet_of(*lines, start=1) -> Sheet:
    return Sheet(name="S", rows=[Row(number=number, values=list(line)) for number, line in enumerate(lines, start)])


class TestHeaders:
    @pytest.mark.parametrize(
        "text, key",
        [
            ("Sở, ban, ngành tỉnh", "so ban nganh tinh"),
            ("H're", "h re"),
            ("  ĐƠN VỊ (công tác)  ", "don vi cong tac"),
            ("Họ_và_tên", "ho va ten"),
            (2024, "2024"),
            (None, ""),
        ],
    )
    def test_header_key_folds_case_diacritics_and_punctuation(self, text, key):
        assert header_key(text) == key

    def test_the_header_with_the_required_fields_and_the_most_recognised_wins(self):
        sheet = sheet_of(
            ["Họ và tên", "Ghi chú"],
            ["DANH SÁCH"],
            ["Họ và tên", "Giới tính", "Chức vụ"],
            ["Lê Thị Mai", "Nữ", "Xã viên"],
        )
        header = find_header(sheet, VOCABULARY, required=("full_name", "gender"))
        assert header == Header(
            first_row=3,
            last_row=3,
            labels=["Họ và tên", "Giới tính", "Chức vụ"],
            columns={"full_name": 0, "gender": 1, "position": 2},
        )
        assert find_header(sheet, VOCABULARY, required=("birth_date",)) is None
        assert find_header(sheet, VOCABULARY, search_rows=2).last_row == 1
        assert find_header(sheet_of(["DANH SÁCH THÀNH VIÊN"], ["HỘI LHPN TỈNH QUẢNG NGÃI"]), VOCABULARY) is None

    def test_a_field_goes_to_its_first_column_and_a_column_names_one_field(self):
        vocabulary = {"full_name": {"ho ten"}, "manager_name": {"ho ten"}}
        header = find_header(sheet_of(["Họ tên", "Họ tên", "Họ tên"]), vocabulary)
        assert header.columns == {"full_name": 0, "manager_name": 1}

    def test_a_first_data_row_is_never_taken_for_a_second_header_row(self):
        """ "Nam" sits under "Giới tính" but recognises no more than the header alone does."""
        header = find_header(sheet_of(["Họ tên", "Giới tính"], ["Nam", "Nam"]), {**VOCABULARY, "other": {"nam"}})
        assert (header.first_row, header.last_row) == (1, 1)

    def test_a_two_row_header_matches_the_joined_text_then_the_bottom_then_the_top(self):
        sheet = sheet_of(
            ["Họ và tên", "Người quản lý", None, None, "Ghi chú"],
            [None, "Họ tên", "Chức vụ", "Điện thoại", None],
        )
        header = find_header(sheet, VOCABULARY | {"note": {"ghi chu"}, "manager": {"nguoi quan ly"}})
        assert header.columns == {
            "full_name": 0,
            "manager_name": 1,
            "manager_position": 2,
            "manager": 3,
            "note": 4,
        }
        assert header.labels[3] == "Người quản lý / Điện thoại"

    def test_rows_not_one_under_the_other_are_not_a_two_row_header(self):
        sheet = Sheet("S", [Row(3, ["Người quản lý"]), Row(5, ["Họ tên"])])
        assert find_header(sheet, VOCABULARY).first_row == 5


class TestRecords:
    HEADER = ["STT", "Họ và tên", "Giới tính", "Chức vụ"]

    def found(self, *lines):
        sheet = sheet_of(self.HEADER, *lines)
        return [(row.number, values) for row, values in records(sheet, find_header(sheet, VOCABULARY))]

    @pytest.mark.parametrize(
        "totals",
        [
            ["Tổng cộng", None, 2],
            [None, "TỔNG CỘNG:", 2],
            [None, None, "Cộng"],
            ["Tổng số", None, "2 nam"],
            ["Tổng", None, 3],
            [None, "Total (3)", 3],
            [None, "Tổng cộng có 3 người", None, 3],
        ],
    )
    def test_a_totals_row_is_left_out(self, totals):
        assert self.found([1, "Lê Thị Mai", "Nữ"], totals) == [
            (2, {"full_name": "Lê Thị Mai", "gender": "Nữ", "position": None})
        ]

    def test_a_person_called_cong_and_a_position_starting_with_cong_are_kept(self):
        kept = self.found([1, "Nguyễn Văn Công", "Nam", "Cộng tác viên"], [2, "Tống Thị Cúc", "Nữ", "Tổng"])
        assert [values["full_name"] for _, values in kept] == ["Nguyễn Văn Công", "Tống Thị Cúc"]

    def test_the_header_repeated_on_a_later_page_and_rows_empty_in_the_mapped_columns_are_left_out(self):
        found = self.found(
            [1, "Lê Thị Mai", "Nữ"],
            ["STT", "HỌ VÀ TÊN", "Giới tính", "Chức vụ"],
            [99, None, None, None],
            [2, "Võ Văn Ba", "Nam"],
        )
        assert [number for number, _ in found] == [2, 5]

    def test_a_two_row_header_repeated_further_down_is_left_out(self):
        sheet = sheet_of(
            ["Họ và tên", "Người quản lý", None],
            [None, "Họ tên", "Chức vụ"],
            ["Lê Thị Mai", "Võ Văn Ba", "Giám đốc"],
            ["Họ và tên", "Người quản lý", None],
            [None, "Họ tên", "Chức vụ"],
            ["Đinh Thị H're", None, None],
        )
        found = records(sheet, find_header(sheet, VOCABULARY))
        assert [(row.number, values["full_name"]) for row, values in found] == [(3, "Lê Thị Mai"), (6, "Đinh Thị H're")]

    def test_a_header_built_by_hand_without_labels_still_gives_records(self):
        """An importer may keep a mapping and build the Header back from it."""
        sheet = sheet_of(["Họ và tên"], ["Lê Thị Mai"])
        header = Header(first_row=1, last_row=1, labels=[], columns={"full_name": 0})
        assert [values for _, values in records(sheet, header)] == [{"full_name": "Lê Thị Mai"}]
