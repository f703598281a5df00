"""Reading an uploaded register (Excel workbook, CSV, or text pasted from a spreadsheet) into rows.

Union offices send their registers as they keep them: workbooks from Excel, LibreOffice or WPS,
CSV in UTF-8 or Excel's UTF-16 "Unicode text", title lines above a one- or two-row header, totals at
the bottom. ``read_upload`` and ``read_text`` turn any of them into ``Sheet``s of non-empty ``Row``s
with cleaned values, and refuse, with a ``ValidationError`` carrying a ``code``, what cannot be read
or is too large to read safely. ``find_header`` and ``records`` then find the columns an importer
knows and give its rows by field. Nothing here interprets a value (dates written as text, genders,
kinds): that belongs to each importer.
"""

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.utils.exceptions import InvalidFileException

from coopportal.text import fold

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 60_000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 2_000
# The furthest row a value may sit on; empty formatted rows further down are read past.
MAX_ROW_NUMBER = 200_000
# A sheet formatted down to Excel's last row (1,048,576) has that many row elements; more is not a sheet.
MAX_ROW_ELEMENTS = 1_100_000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
# Registers compress about 5 to 20 times; a part squeezed further is built to exhaust the server.
MAX_COMPRESSION_RATIO = 200
RATIO_CHECKED_FROM_BYTES = 1024 * 1024

CSV_SHEET_NAME = "CSV"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SNIFF_CHARS = 4_096
TOTAL_WORDS = {"tong cong", "cong", "tong so", "tong", "total"}
TOTAL_STARTS = ("tong cong", "total")
# Columns A to C hold the STT and the name, where a totals row writes "Tổng cộng".
TOTAL_COLUMNS = 3

# openpyxl and the zip and XML layers below it raise all of these on a malformed file.
_BROKEN_FILE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    InvalidFileException,
    ParseError,
    expat.ExpatError,
    zlib.error,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    OverflowError,
    NotImplementedError,
    RuntimeError,
    EOFError,
    OSError,
)
_WHITESPACE = re.compile(r"[\s\u200b\ufeff]+")
_PUNCTUATION = re.compile(r"[\W_]+")


@dataclass
class Row:
    """A non-empty row: its number as the spreadsheet shows it, and its cleaned values from column A."""

    number: int
    values: list


@dataclass
class Sheet:
    """A sheet's title ("CSV" for a CSV file or pasted text) and its non-empty rows in order."""

    name: str
    rows: list[Row]


@dataclass
class Header:
    """Where a header sits, the label of each column and the column of each recognised field."""

    first_row: int
    last_row: int
    labels: list[str]
    columns: dict[str, int]


def read_upload(content: bytes, filename: str = "") -> list[Sheet]:
    """Every sheet of an uploaded workbook (.xlsx, .xlsm), or the one sheet of a CSV file.

    A content starting with ``PK`` is read as a workbook whatever its name; anything else as CSV
    (UTF-8 with or without BOM, UTF-16; comma, semicolon or tab separated). Returns a list of
    ``Sheet`` whose ``Row.values`` hold ``str`` (NFC, trimmed, single spaces), ``int``, ``float``,
    ``bool``, ``datetime.date``/``datetime`` (``time``/``timedelta`` for time formats) or ``None``;
    a row's values stop at its last non-empty cell. Hidden and empty sheets are included.

    Raises ``ValidationError`` with code ``upload_too_large``, ``upload_unzipped_too_large``,
    ``upload_compressed_bomb``, ``upload_old_excel`` (.xls), ``upload_unreadable``,
    ``upload_legacy_encoding``, ``upload_too_many_rows``, ``upload_too_many_columns``,
    ``upload_data_too_far_down``, ``upload_cell_too_long`` or ``upload_empty``. Check the upload's
    size against ``MAX_BYTES`` before reading it into memory.
    """
    if len(content) > MAX_BYTES:
        raise _too_large()
    name = filename.lower()
    if content.startswith(b"PK"):
        sheets = _read_workbook(content)
    elif content.startswith(OLE_SIGNATURE) or name.endswith(".xls"):
        raise _old_or_encrypted(content)
    elif name.endswith((".xlsx", ".xlsm")):
        raise _unreadable()
    else:
        sheets = [_read_csv(_decode(content))]
    return _not_empty(sheets)


def read_text(text: str) -> list[Sheet]:
    """The one sheet (named "CSV") of text pasted from a spreadsheet: tab, semicolon or comma separated.

    Values are cleaned as ``read_upload`` cleans them and stay text. Raises ``ValidationError``
    with code ``upload_too_large``, ``upload_too_many_rows``, ``upload_too_many_columns``,
    ``upload_data_too_far_down``, ``upload_cell_too_long`` or ``upload_empty``.
    """
    if len(text) > MAX_BYTES:
        raise _too_large()
    return _not_empty([_read_csv(text)])


def header_key(text) -> str:
    """How a header or a listed word is compared: 'Sở, ban, ngành tỉnh' -> 'so ban nganh tinh'.

    Folded (lower case, no diacritics, đ as d), punctuation as spaces, single spaces; None -> ''.
    """
    if text is None:
        return ""
    return " ".join(_PUNCTUATION.sub(" ", fold(str(text))).split())


def find_header(sheet: Sheet, vocabulary: dict[str, set[str]], required=(), search_rows: int = 15) -> Header | None:
    """The header among the first ``search_rows`` rows of ``sheet`` that recognises the most fields.

    ``vocabulary`` maps a field name to the ``header_key`` forms of the headers that name it. Each
    row is tried alone and, when the next row follows it directly, as the top of a two-row header,
    where a column is named by "top bottom", then by its bottom, then by its top; a top label merged
    across columns is carried rightwards over the columns with only a bottom label. A field goes to
    the first column naming it; a column names at most one field. Among the candidates holding every
    field of ``required``, the one recognising most fields wins, a single row on a tie (so a first
    data row is never swallowed). Returns None when none holds them all or none recognises a field.
    """
    rows = sheet.rows[:search_rows]
    best, best_rank = None, None
    for index, top in enumerate(rows):
        following = rows[index + 1] if index + 1 < len(rows) else None
        pairs = [(top, None)]
        if following is not None and following.number == top.number + 1:
            pairs.append((top, following))
        for top_row, bottom_row in pairs:
            header = _header_candidate(top_row, bottom_row, vocabulary)
            if not header.columns or any(name not in header.columns for name in required):
                continue
            rank = (-len(header.columns), header.last_row - header.first_row)
            if best_rank is None or rank < best_rank:
                best, best_rank = header, rank
    return best


def records(sheet: Sheet, header: Header) -> list[tuple[Row, dict]]:
    """The rows below ``header`` as ``(row, {field: value})`` for the fields of ``header.columns``.

    Left out: rows with nothing in the mapped columns, totals rows ("Tổng cộng", "Cộng", "Tổng số",
    "Tổng", "Total" as the whole text of a cell in columns A to C or in the column of a field whose
    name ends in "name", or a cell there starting with "Tổng cộng" or "Total"), and the header
    written again further down (every filled mapped cell holding its column's label).
    """
    name_columns = {index for name, index in header.columns.items() if name.endswith("name")}
    total_columns = set(range(TOTAL_COLUMNS)) | name_columns
    found = []
    for row in sheet.rows:
        if row.number <= header.last_row:
            continue
        values = {
            name: row.values[index] if index < len(row.values) else None for name, index in header.columns.items()
        }
        if all(value is None for value in values.values()):
            continue
        if _is_totals_row(row, total_columns) or _repeats_header(values, header):
            continue
        found.append((row, values))
    return found


# Workbooks ---------------------------------------------------------------------------------------


def _read_workbook(content: bytes) -> list[Sheet]:
    _refuse_bombs(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except _BROKEN_FILE_ERRORS as error:
        raise _unreadable() from error
    try:
        if not book.worksheets:  # Excel cannot save a workbook without one
            raise _unreadable()
        counter = _RowCounter()
        return [_read_worksheet(book, worksheet, counter) for worksheet in book.worksheets]
    except _BROKEN_FILE_ERRORS as error:
        raise _unreadable() from error
    finally:
        book.close()


def _refuse_bombs(content: bytes):
    """Refuse, from the zip's directory alone, a workbook that would unpack to an unreasonable size.

    zipfile stops reading a member at its declared size, so the declared sizes bound the work.
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except _BROKEN_FILE_ERRORS as error:
        raise _unreadable() from error
    if sum(member.file_size for member in members) > MAX_UNZIPPED_BYTES:
        raise ValidationError(
            _("This workbook unpacks to more than %(max)s MB; a register is far smaller. Save it again from Excel."),
            code="upload_unzipped_too_large",
            params={"max": MAX_UNZIPPED_BYTES // 2**20},
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECKED_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise ValidationError(
                _("This workbook is compressed %(ratio)s times over, as a compressed bomb is, not a register."),
                code="upload_compressed_bomb",
                params={"ratio": int(ratio)},
            )


def _old_or_encrypted(content: bytes) -> ValidationError:
    # An encrypted .xlsx is wrapped in the same container as an old .xls, with these streams inside.
    if "EncryptedPackage".encode("utf-16-le") in content:
        return ValidationError(
            _("This workbook is protected by a password: open it in Excel, remove the password and save it again."),
            code="upload_unreadable",
        )
    return ValidationError(
        _("This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) first, then upload that."),
        code="upload_old_excel",
    )


class _RowCounter:
    """The non-empty rows read so far in the whole file, refused past ``MAX_ROWS``."""

    def __init__(self):
        self.count = 0

    def add(self, sheet_name):
        self.count += 1
        if self.count > MAX_ROWS:
            raise ValidationError(
                _("The file holds more than %(max)s rows (stopped on sheet “%(sheet)s”). Split it into smaller files."),
                code="upload_too_many_rows",
                params={"max": number_format(MAX_ROWS, force_grouping=True), "sheet": sheet_name},
            )


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _TEXT, _PHONETIC = (_MAIN + tag for tag in ("row", "c", "v", "t", "rPh"))


def _read_worksheet(book, worksheet, counter: _RowCounter) -> Sheet:
    """The non-empty rows of one worksheet, read straight from its XML with expat.

    openpyxl's own row iterator keeps a record of every formatted row and turns the declared
    dimension into padding: a LibreOffice sheet with a styled column has 1,048,576 row elements,
    which costs it ~500 MB, and WPS declares ``A1`` whatever the sheet holds. Reading the XML here
    keeps nothing but the values, ignores the dimension, and lets every bound be checked as the
    elements go by. openpyxl still opens the workbook: sheet list, shared strings, date styles.
    """
    title = worksheet.title
    shared_strings = worksheet._shared_strings
    date_styles, duration_styles = book._date_formats, book._timedelta_formats
    epoch = book.epoch
    rows = []
    row_elements = 0
    row_number = 0
    values = []
    cell = None  # [position in row, reference, type, style, text parts] while inside a <c>
    position = 0
    text = None  # the list collecting the current <v> or <t> text
    phonetic = False

    def start(tag, attributes):
        nonlocal row_elements, row_number, values, cell, position, text, phonetic
        if tag == _CELL:
            position += 1
            cell = [position, attributes.get("r"), attributes.get("t", "n"), attributes.get("s"), None]
        elif tag == _ROW:
            row_elements += 1
            if row_elements > MAX_ROW_ELEMENTS:
                raise _too_many_row_elements(title)
            number = attributes.get("r")
            row_number = int(number) if number else row_number + 1
            values, position = [], 0
        elif cell is not None and (tag == _VALUE or (tag == _TEXT and not phonetic)):
            if cell[4] is None:
                cell[4] = []
            text = cell[4]
        elif tag == _PHONETIC:
            phonetic = True

    def end(tag):
        nonlocal cell, text, phonetic
        if tag == _CELL:
            if cell[4] is not None:
                place(cell)
            cell = None
        elif tag == _ROW:
            if values:
                counter.add(title)
                rows.append(Row(number=row_number, values=values))
        elif tag == _VALUE or tag == _TEXT:
            text = None
        elif tag == _PHONETIC:
            phonetic = False

    def characters(data):
        if text is not None:
            text.append(data)

    def place(cell):
        position, reference, kind, style, parts = cell
        value = _clean(cell_value(kind, "".join(parts), style))
        if value is None:
            return
        column = column_index_from_string(reference.rstrip("0123456789")) if reference else position
        _check_cell(title, row_number, column, value)
        while len(values) < column - 1:
            values.append(None)
        if len(values) >= column:
            values[column - 1] = value
        else:
            values.append(value)

    def cell_value(kind, raw, style):
        if kind == "inlineStr" or kind == "str" or kind == "e":
            return raw
        raw = raw.strip()
        if not raw:
            return None
        if kind == "s":
            return shared_strings[int(raw)]
        if kind == "b":
            return raw in ("1", "true")
        if kind == "d":
            return from_ISO8601(raw)
        number = float(raw) if any(sign in raw for sign in ".eE") else int(raw)
        style = int(style) if style else 0
        if style in date_styles:
            try:
                return from_excel(number, epoch, timedelta=style in duration_styles)
            except (OverflowError, ValueError):
                return number  # a phone number formatted as a date, say: the importer names the cell
        return number

    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    # A worksheet has no DTD; one is there to expand entities, so the file is refused.
    parser.StartDoctypeDeclHandler = _refuse_doctype
    with worksheet._get_source() as source:
        parser.ParseFile(source)
    return Sheet(name=title, rows=rows)


def _refuse_doctype(*_arguments):
    raise ValueError("a worksheet with a DTD")


def _too_many_row_elements(sheet_name):
    return ValidationError(
        _(
            "Sheet “%(sheet)s” has more than %(max)s rows, most of them empty: delete the empty rows "
            "below the data and save the file again."
        ),
        code="upload_too_many_rows",
        params={"sheet": sheet_name, "max": number_format(MAX_ROW_ELEMENTS, force_grouping=True)},
    )


def _check_cell(sheet_name, row_number, column, value):
    """Refuse a non-empty value beyond the bounds: too far right, too far down or too long."""
    if column > MAX_COLUMNS:
        raise ValidationError(
            _("Sheet “%(sheet)s”, cell %(cell)s: data beyond column %(last)s; a sheet may have %(max)s columns."),
            code="upload_too_many_columns",
            params={
                "sheet": sheet_name,
                "cell": f"{get_column_letter(min(column, 18_278))}{row_number}",
                "last": get_column_letter(MAX_COLUMNS),
                "max": MAX_COLUMNS,
            },
        )
    if row_number > MAX_ROW_NUMBER:
        raise ValidationError(
            _("Sheet “%(sheet)s” has data below row %(max)s (on row %(row)s). Delete it or split the file."),
            code="upload_data_too_far_down",
            params={
                "sheet": sheet_name,
                "max": number_format(MAX_ROW_NUMBER, force_grouping=True),
                "row": number_format(row_number, force_grouping=True),
            },
        )
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise _cell_too_long(sheet_name, row_number, column)


def _cell_too_long(sheet_name, row_number, column):
    return ValidationError(
        _("Sheet “%(sheet)s”, cell %(cell)s holds more than %(max)s characters."),
        code="upload_cell_too_long",
        params={
            "sheet": sheet_name,
            "cell": f"{get_column_letter(min(column, 18_278))}{row_number}",
            "max": number_format(MAX_CELL_CHARS, force_grouping=True),
        },
    )


# CSV and pasted text ------------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    """The text of a CSV file: UTF-8 (BOM or not), or UTF-16 marked by a BOM or by its zero bytes."""
    if content.startswith(b"\xff\xfe") or content.startswith(b"\xfe\xff"):
        return _plausible(_decode_as(content, "utf-16"))
    utf16 = _utf16_without_bom(content)
    if utf16:
        return _plausible(_decode_as(content, utf16))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if content.startswith(b"\xef\xbb\xbf") or b"\x00" in content or content.startswith(b"%PDF"):
            raise _unreadable() from error
        raise ValidationError(
            _(
                "This file seems to be in an old Vietnamese encoding (TCVN3/ABC, VNI or Windows-1258). "
                "Open it in Excel and save it as “CSV UTF-8” or as an Excel workbook (.xlsx)."
            ),
            code="upload_legacy_encoding",
        ) from error
    if "\x00" in text:
        raise _unreadable()
    return text


def _decode_as(content: bytes, encoding: str) -> str:
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError as error:
        raise _unreadable() from error
    if "\x00" in text:
        raise _unreadable()
    return text


def _utf16_without_bom(content: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when zero bytes fill one side of the pairs, as ASCII in UTF-16 does."""
    sample = content[:4096]
    sample = sample[: len(sample) - len(sample) % 2]
    pairs = len(sample) // 2
    if not pairs:
        return None
    zeros_even, zeros_odd = sample[0::2].count(0), sample[1::2].count(0)
    if zeros_odd * 4 >= pairs and zeros_even * 10 <= zeros_odd:
        return "utf-16-le"
    if zeros_even * 4 >= pairs and zeros_odd * 10 <= zeros_even:
        return "utf-16-be"
    return None


def _plausible(text: str) -> str:
    """Any even run of bytes decodes as UTF-16; a register's text is Latin script, Vietnamese included."""
    letters = [char for char in text[:4096] if not char.isspace()]
    latin = sum(
        1
        for char in letters
        if char < "\u0250"
        or "\u1e00" <= char <= "\u1eff"
        or "\u0300" <= char <= "\u036f"
        or "\u2000" <= char <= "\u20cf"
    )
    if letters and latin < 0.9 * len(letters):
        raise _unreadable()
    return text


def _read_csv(text: str) -> Sheet:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text), dialect="excel", delimiter=_delimiter(text))
    counter = _RowCounter()
    rows = []
    number = 0
    try:
        for number, fields in enumerate(reader, start=1):  # noqa: B007 - number also names a failing record
            values = [_clean(field) for field in fields]
            while values and values[-1] is None:
                values.pop()
            if not values:
                continue
            for column, value in enumerate(values, start=1):
                if value is not None:
                    _check_cell(CSV_SHEET_NAME, number, column, value)
            counter.add(CSV_SHEET_NAME)
            rows.append(Row(number=number, values=values))
    except csv.Error as error:
        # The csv module refuses a field over 131,072 characters before the check above sees it.
        if "field larger than field limit" not in str(error):
            raise _unreadable() from error
        line = text.split("\n")[reader.line_num - 1]
        fields = line.split(reader.dialect.delimiter)
        column = next((index for index, field in enumerate(fields, start=1) if len(field) > MAX_CELL_CHARS), 1)
        raise _cell_too_long(CSV_SHEET_NAME, number + 1, column) from error
    return Sheet(name=CSV_SHEET_NAME, rows=rows)


def _delimiter(text: str) -> str:
    """Tab, semicolon or comma, as csv.Sniffer finds it in the first lines.

    Sniffer gives up when a title line sits above the table (it looks for the same count on every
    line); the separator written most often in the sample is then taken.
    """
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters="\t;,").delimiter
    except csv.Error:
        return max(("\t", ";", ","), key=sample.count)


# Values, headers, rows ----------------------------------------------------------------------------


def _clean(value):
    """A cell's value as the importers get it: text NFC, trimmed, single spaces; '' as None; 3.0 as 3."""
    if isinstance(value, str):
        return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", value)).strip() or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _not_empty(sheets: list[Sheet]) -> list[Sheet]:
    if not any(sheet.rows for sheet in sheets):
        raise ValidationError(_("The file is empty: it holds no rows."), code="upload_empty")
    return sheets


def _label(value) -> str:
    return "" if value is None else str(value)


def _header_candidate(top: Row, bottom: Row | None, vocabulary) -> Header:
    width = max(len(top.values), len(bottom.values) if bottom else 0)
    tops = [_label(top.values[index]) if index < len(top.values) else "" for index in range(width)]
    bottoms = [""] * width
    if bottom is not None:
        bottoms = [_label(bottom.values[index]) if index < len(bottom.values) else "" for index in range(width)]
        # Read-only openpyxl knows no merged cells: a top label merged over several columns sits in
        # the first one only.
        carried = ""
        for index in range(width):
            if tops[index]:
                carried = tops[index]
            elif bottoms[index] and carried:
                tops[index] = carried
            else:
                carried = ""
    labels, columns = [], {}
    for index in range(width):
        top_text, bottom_text = tops[index], bottoms[index]
        if top_text and bottom_text:
            labels.append(f"{top_text} / {bottom_text}")
            keys = [header_key(f"{top_text} {bottom_text}"), header_key(bottom_text), header_key(top_text)]
        else:
            labels.append(top_text or bottom_text)
            keys = [header_key(top_text or bottom_text)]
        for key in filter(None, keys):
            name = next((name for name, names in vocabulary.items() if key in names and name not in columns), None)
            if name is not None:
                columns[name] = index
                break
    return Header(first_row=top.number, last_row=(bottom or top).number, labels=labels, columns=columns)


def _is_totals_row(row: Row, columns) -> bool:
    for index in columns:
        value = row.values[index] if index < len(row.values) else None
        if isinstance(value, str):
            key = header_key(value)
            if key in TOTAL_WORDS or key.startswith(TOTAL_STARTS):
                return True
    return False


def _repeats_header(values: dict, header: Header) -> bool:
    """The header written again: each filled mapped cell holds its column's label (or, under a
    two-row header, the top or bottom part of it), two at least when two columns are mapped."""
    matched = 0
    for name, value in values.items():
        if value is None:
            continue
        index = header.columns[name]
        label = header.labels[index] if index < len(header.labels) else ""
        if not label:
            return False
        if header_key(value) not in {header_key(label), *(header_key(part) for part in label.split(" / "))}:
            return False
        matched += 1
    return matched >= min(2, len(values))


def _too_large() -> ValidationError:
    return ValidationError(
        _("The file is larger than %(max)s MB."), code="upload_too_large", params={"max": MAX_BYTES // 2**20}
    )


def _unreadable() -> ValidationError:
    return ValidationError(
        _("This file cannot be read: upload an Excel workbook (.xlsx) or a CSV file saved as UTF-8."),
        code="upload_unreadable",
    )
