"""Tables as XLSX and CSV downloads: headers in the user's language, title lines on top.

A ``Table`` is what a selector hands over: a title, lines describing it (date, filters), column
headers and rows of plain values. The same table renders to both formats.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.http import HttpResponse
from django.utils.text import slugify

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]
    description: list[str] = field(default_factory=list)


# A text starting with one of these is run as a formula by spreadsheet programs: a name typed as
# =HYPERLINK(...) would otherwise become a live link or command in the reader's Excel.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # The apostrophe is how spreadsheet programs mark a cell as text.
        return "'" + value
    return "" if value is None else value


def table_to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads the diacritics."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([table.title])
    for line in table.description:
        writer.writerow([line])
    writer.writerow([])
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_to_xlsx(tables: list[Table]) -> bytes:
    """One sheet per table: title and description lines, then a bold header row and the rows."""
    from openpyxl import Workbook  # noqa: PLC0415 - only needed for a download
    from openpyxl.styles import Font  # noqa: PLC0415

    workbook = Workbook()
    workbook.remove(workbook.active)
    used_titles = set()
    for table in tables:
        sheet_title = (table.title[:28] or "Sheet").replace("/", "-")
        while sheet_title in used_titles:
            sheet_title = sheet_title[:26] + f"~{len(used_titles)}"
        used_titles.add(sheet_title)
        sheet = workbook.create_sheet(sheet_title)
        _append_as_text(sheet, [table.title])
        sheet["A1"].font = Font(bold=True, size=13)
        for line in table.description:
            _append_as_text(sheet, [line])
        sheet.append([])
        _append_as_text(sheet, table.headers)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in table.rows:
            _append_as_text(sheet, [value.strftime("%d/%m/%Y") if isinstance(value, date) else value for value in row])
        for column in sheet.columns:
            width = max(
                (len(str(cell.value)) for cell in column[len(table.description) + 2 :] if cell.value), default=8
            )
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append_as_text(sheet, values):
    """Append a row whose texts stay texts: openpyxl takes any text starting with "=" for a formula."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def download(tables: list[Table], file_format: str, filename: str) -> HttpResponse:
    """An HTTP response with the tables as ``xlsx`` or ``csv`` (the first table only)."""
    base = slugify(filename) or "export"
    if file_format == "csv":
        response = HttpResponse(table_to_csv(tables[0]), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{base}.csv"'
    else:
        response = HttpResponse(table_to_xlsx(tables), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{base}.xlsx"'
    return response
