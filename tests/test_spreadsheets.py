"""Downloads as XLSX and CSV: what was typed into the registers comes out as text, never as a formula."""

import csv
import io
from datetime import date

from openpyxl import load_workbook

from coopportal.spreadsheets import Table, download

TYPED = ['=HYPERLINK("http://example.com","Bấm vào đây")', "+84 905 123 456", "-giảm", "@SUM(A1)", "Hợp tác xã"]


def table():
    return Table(title="Danh sách", headers=["Tên", "Ngày", "Số"], rows=[[text, date(2025, 7, 1), 3] for text in TYPED])


def test_xlsx_keeps_typed_text_as_text():
    """A name typed as =HYPERLINK(...) is stored as that text: no cell of the sheet is a formula."""
    response = download([table()], "xlsx", "danh-sach")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3))
    assert [row[0].value for row in rows[1:]] == TYPED
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert [(row[1].value, row[2].value) for row in rows[1:2]] == [("01/07/2025", 3)]


def test_csv_marks_text_that_a_spreadsheet_would_run():
    """Cells starting with = + - @ get the apostrophe that makes them text; others are unchanged."""
    response = download([table()], "csv", "danh-sach")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[3:]] == ["'" + text for text in TYPED[:4]] + ["Hợp tác xã"]
    assert rows[3][1:] == ["01/07/2025", "3"]
