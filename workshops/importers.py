"""Reading a sign-in sheet (CSV, XLSX or text pasted from a spreadsheet) into participants' fields.

Headers and values may be written in Vietnamese or English, with or without diacritics: the sheets
come from the communes as they are. Nothing is stored here; ``services.participants_import`` saves
the rows, all or none.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coopportal.text import fold
from members.models import Gender

from .models import OrganisationKind

MAX_ROWS = 1000
MAX_BYTES = 2 * 1024 * 1024
# A title line or two often sits above the header row of a printed sign-in sheet.
HEADER_SEARCH_ROWS = 10

COLUMNS = {
    "full_name": {"name", "full name", "ho va ten", "ho ten", "ten dai bieu", "ho va ten dai bieu"},
    "gender": {"gender", "sex", "gioi tinh", "gioi"},
    "organisation_name": {
        "organisation",
        "organization",
        "don vi",
        "co quan",
        "to chuc",
        "co quan don vi",
        "don vi cong tac",
    },
    "organisation_kind": {
        "kind",
        "organisation kind",
        "organization kind",
        "type",
        "loai don vi",
        "loai",
        "loai co quan",
    },
    "position": {"position", "chuc vu", "chuc danh"},
}
REQUIRED_COLUMNS = ("full_name", "gender")

GENDERS = {
    "nu": Gender.FEMALE,
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
    "ba": Gender.FEMALE,
    "nam": Gender.MALE,
    "male": Gender.MALE,
    "m": Gender.MALE,
    "ong": Gender.MALE,
}

KINDS = {
    OrganisationKind.DEPARTMENT: {
        "so ban nganh tinh",
        "so ban nganh",
        "so nganh",
        "so",
        "ban nganh",
        "co quan tinh",
        "provincial department or agency",
        "department",
    },
    OrganisationKind.LOCAL_GOVERNMENT: {
        "chinh quyen dia phuong",
        "chinh quyen",
        "ubnd",
        "uy ban nhan dan",
        "local government",
    },
    OrganisationKind.COOPERATIVE_ALLIANCE: {
        "lien minh hop tac xa tinh",
        "lien minh hop tac xa",
        "lien minh htx",
        "lien minh htx tinh",
        "provincial cooperative alliance",
        "cooperative alliance",
    },
    OrganisationKind.UNION_PROVINCE: {
        "hoi lhpn tinh",
        "hoi lien hiep phu nu tinh",
        "hoi phu nu tinh",
        "phu nu tinh",
        "women s union provincial level",
        "provincial women s union",
    },
    OrganisationKind.UNION_COMMUNE: {
        "hoi lhpn cap xa",
        "hoi lhpn xa",
        "hoi lhpn phuong",
        "hoi lien hiep phu nu xa",
        "hoi phu nu xa",
        "hoi phu nu co so",
        "phu nu xa",
        "women s union commune level",
        "commune women s union",
    },
    OrganisationKind.COOPERATIVE: {
        "hop tac xa to hop tac",
        "hop tac xa",
        "to hop tac",
        "htx",
        "tht",
        "htx tht",
        "cooperative or cooperative group",
        "cooperative",
        "cooperative group",
    },
    OrganisationKind.OTHER: {"khac", "other"},
}
KIND_BY_TEXT = {text: kind for kind, texts in KINDS.items() for text in texts | {kind.value.replace("_", " ")}}


def _key(text):
    """'Sở, ban, ngành tỉnh' -> 'so ban nganh tinh': folded, punctuation as spaces."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(str(text))).split())


@dataclass
class SheetRow:
    """A row of the sheet as the person sees it numbered, with the problems found in its values."""

    number: int
    fields: dict
    problems: dict = field(default_factory=dict)


def read_sign_in_sheet(*, upload=None, text="") -> list[SheetRow]:
    """The rows of an uploaded file or of pasted text; a sheet that cannot be read raises ValidationError."""
    if upload is not None:
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."), code="sheet_too_large")
        content = upload.read()
        # A workbook is a zip archive; one named .xlsx that is not is a broken workbook, not a CSV.
        if content.startswith(b"PK") or upload.name.lower().endswith((".xlsx", ".xlsm")):
            cells = _xlsx_cells(content)
        else:
            cells = _csv_cells(_decode(content))
    elif text.strip():
        cells = _csv_cells(text)
    else:
        raise ValidationError(_("Choose a file or paste the sign-in sheet."), code="sheet_missing")
    return _rows(cells)


def _decode(content: bytes) -> str:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise ValidationError(
            _("This file cannot be read: upload an Excel workbook (.xlsx) or a CSV file saved as UTF-8."),
            code="sheet_unreadable",
        )
    return text


def _xlsx_cells(content: bytes):
    from openpyxl import load_workbook  # noqa: PLC0415 - only needed for an upload
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, IndexError) as error:
        raise ValidationError(
            _("This file cannot be read: upload an Excel workbook (.xlsx) or a CSV file saved as UTF-8."),
            code="sheet_unreadable",
        ) from error
    return rows


def _csv_cells(text: str):
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel_tab if "\t" in sample else csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header(cells):
    """The first row that names the required columns, and the column index of each field."""
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        columns = {}
        for position, value in enumerate(row):
            key = _key(_cell_text(value))
            for field_name, names in COLUMNS.items():
                if key in names and field_name not in columns:
                    columns[field_name] = position
        if all(name in columns for name in REQUIRED_COLUMNS):
            return index, columns
    raise ValidationError(
        _(
            "No header row with the columns name and gender was found. The columns are: name, gender, "
            "organisation, kind, position (or: Họ và tên, Giới tính, Đơn vị, Loại đơn vị, Chức vụ)."
        ),
        code="sheet_without_header",
    )


def _rows(cells) -> list[SheetRow]:
    header_index, columns = _header(cells)
    rows = []
    for index, raw in enumerate(cells[header_index + 1 :], start=header_index + 2):
        values = {name: _cell_text(raw[position]) if position < len(raw) else "" for name, position in columns.items()}
        if not any(values.values()):
            continue
        rows.append(_row(index, values))
    if not rows:
        raise ValidationError(_("The sign-in sheet has no participants below its header."), code="sheet_empty")
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("A sign-in sheet can hold at most %(max)s participants.") % {"max": MAX_ROWS}, code="sheet_too_long"
        )
    return rows


def _row(number, values) -> SheetRow:
    row = SheetRow(
        number=number,
        fields={
            "full_name": " ".join(values["full_name"].split()),
            "organisation_name": values.get("organisation_name", ""),
            "position": values.get("position", ""),
        },
    )
    gender = GENDERS.get(_key(values["gender"]))
    if not values["gender"]:
        row.problems["gender"] = _("gender is missing; write Female or Male (Nữ or Nam)")
    elif gender is None:
        row.problems["gender"] = _("gender “%(value)s” is not valid; write Female or Male (Nữ or Nam)") % {
            "value": values["gender"]
        }
    row.fields["gender"] = gender or ""
    kind_text = values.get("organisation_kind", "")
    kind = KIND_BY_TEXT.get(_key(kind_text)) if kind_text else OrganisationKind.OTHER
    if kind is None:
        row.problems["organisation_kind"] = _(
            "kind of organisation “%(value)s” is not recognised; use one of: %(kinds)s"
        ) % {
            "value": kind_text,
            "kinds": "; ".join(str(label) for label in OrganisationKind.labels),
        }
    row.fields["organisation_kind"] = kind or OrganisationKind.OTHER
    return row
