"""Reading a sign-in sheet (CSV, XLSX or text pasted from a spreadsheet) into participants' fields.

Headers and values may be written in Vietnamese or English, with or without diacritics: the sheets
come from the communes as they are. ``coopportal.uploads`` reads the file (encodings, separators,
title lines, totals rows, bounds); this module knows the columns and what their values mean. Nothing
is stored here; ``services.participants_import`` saves the rows, all or none.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coopportal.uploads import find_header, header_key, read_text, read_upload, records
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


@dataclass
class SheetRow:
    """A row of the sheet as the person sees it numbered, with the problems found in its values."""

    number: int
    fields: dict
    problems: dict = field(default_factory=dict)


def read_sign_in_sheet(*, upload=None, text="") -> list[SheetRow]:
    """The rows of an uploaded file or of pasted text; a sheet that cannot be read raises ValidationError.

    The participants come from the first sheet whose header names the full name and the gender.
    Codes: ``sheet_missing``, ``sheet_too_large``, ``sheet_unreadable``, ``sheet_without_header``,
    ``sheet_empty``, ``sheet_too_long``, or one of ``coopportal.uploads``' refusals.
    """
    if upload is not None:
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."), code="sheet_too_large")
        sheets = _read(read_upload, upload.read(), upload.name)
    elif text.strip():
        sheets = _read(read_text, text)
    else:
        raise ValidationError(_("Choose a file or paste the sign-in sheet."), code="sheet_missing")
    for sheet in sheets:
        header = find_header(sheet, COLUMNS, required=REQUIRED_COLUMNS, search_rows=HEADER_SEARCH_ROWS)
        if header is not None:
            return _rows(sheet, header)
    raise ValidationError(
        _(
            "No header row with the columns name and gender was found. The columns are: name, gender, "
            "organisation, kind, position (or: Họ và tên, Giới tính, Đơn vị, Loại đơn vị, Chức vụ)."
        ),
        code="sheet_without_header",
    )


def _read(reader, *source):
    """The sheets, with the reader's refusals under the sign-in sheet's codes where callers know them."""
    try:
        return reader(*source)
    except ValidationError as error:
        code = {"upload_unreadable": "sheet_unreadable", "upload_empty": "sheet_empty"}.get(error.code)
        if code is None:
            raise
        raise ValidationError(error.message, code=code, params=error.params) from error


def _cell_text(value) -> str:
    return "" if value is None else str(value)


def _rows(sheet, header) -> list[SheetRow]:
    rows = [
        _row(row.number, {name: _cell_text(value) for name, value in values.items()})
        for row, values in records(sheet, header)
    ]
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
            "full_name": values["full_name"],
            "organisation_name": values.get("organisation_name", ""),
            "position": values.get("position", ""),
        },
    )
    gender = GENDERS.get(header_key(values["gender"]))
    if not values["gender"]:
        row.problems["gender"] = _("gender is missing; write Female or Male (Nữ or Nam)")
    elif gender is None:
        row.problems["gender"] = _("gender “%(value)s” is not valid; write Female or Male (Nữ or Nam)") % {
            "value": values["gender"]
        }
    row.fields["gender"] = gender or ""
    kind_text = values.get("organisation_kind", "")
    kind = KIND_BY_TEXT.get(header_key(kind_text)) if kind_text else OrganisationKind.OTHER
    if kind is None:
        row.problems["organisation_kind"] = _(
            "kind of organisation “%(value)s” is not recognised; use one of: %(kinds)s"
        ) % {
            "value": kind_text,
            "kinds": "; ".join(str(label) for label in OrganisationKind.labels),
        }
    row.fields["organisation_kind"] = kind or OrganisationKind.OTHER
    return row
