"""The register workbook an office may start from: the headers the import reads, an example row, the allowed values.

The workbook is a Vietnamese register like the ones offices keep, whatever the language of the
page it is downloaded from: its headers are the words the import's mapping recognises
(``vocabulary.py``), and the allowed values are the portal's labels in Vietnamese, which the
import reads too. The example rows pass the import's check as they are, so that an office sees
what a row that goes through looks like.
"""

import io
from datetime import date

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from cooperatives.models import AdministrativeUnit, Governance, LegalForm, Level, Scheme, Sector
from members.models import EthnicGroup, Gender, MemberType
from members.roles import Role

ORGANISATIONS_SHEET = "Tổ chức"
MEMBERS_SHEET = "Thành viên"
VALUES_SHEET = "Giá trị hợp lệ"

# Each header with the field the import maps it to; the test of this module checks that it does.
ORGANISATION_HEADERS = [
    ("Tên HTX/THT", "name"),
    ("Loại hình", "legal_form"),
    ("Xã, phường", "commune"),
    ("Ngành nghề", "sectors"),
    ("Ngày thành lập", "founded_on"),
    ("Số đăng ký", "registration_number"),
    ("Mô hình quản trị", "governance"),
    ("Người quản lý / Họ tên", "manager_name"),
    ("Người quản lý / Chức vụ", "manager_role"),
    ("Địa chỉ", "address"),
    ("Điện thoại", "phone"),
]
MEMBER_HEADERS = [
    ("Họ và tên", "full_name"),
    ("Năm sinh", "birth_year"),
    ("Giới tính", "gender"),
    ("Dân tộc", "ethnic_group"),
    ("Ngày đồng ý ghi dân tộc", "consent_on"),
    ("Nơi cư trú", "commune"),
    ("Tên HTX/THT", "organisation"),
    ("Loại thành viên", "member_type"),
    ("Ngày vào", "joined_on"),
    ("Ngày ra", "left_on"),
    ("Chức vụ", "role"),
    ("Số CCCD", "citizen_id"),
    ("Điện thoại", "phone"),
    ("Vốn góp", "capital_contributed"),
]

EXAMPLE_ORGANISATION = "HTX Nông nghiệp Hoa Sen"
EXAMPLE_MANAGER = "Nguyễn Thị Hoa"
EXAMPLE_ROLES = "Chủ tịch HĐQT kiêm Giám đốc"
EXAMPLE_FOUNDED = date(2019, 3, 15)
EXAMPLE_PHONE = "0905000000"
DATE_FORMAT = "DD/MM/YYYY"
HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="595959")
# Rows of a register the drop-down lists cover; a longer register can copy them further down.
VALIDATED_ROWS = 2000


def build_template() -> bytes:
    """The template workbook (.xlsx): sheets "Tổ chức", "Thành viên" and "Giá trị hợp lệ"."""
    with translation.override("vi"):
        values = _allowed_values()
        commune = values["Xã, phường"][0] if values["Xã, phường"] else None
        sector = values["Ngành nghề"][0] if values["Ngành nghề"] else None
        workbook = Workbook()
        organisations = workbook.active
        organisations.title = ORGANISATIONS_SHEET
        _write(
            organisations,
            [header for header, _field in ORGANISATION_HEADERS],
            [
                EXAMPLE_ORGANISATION,
                "Hợp tác xã",
                commune,
                sector,
                EXAMPLE_FOUNDED,
                "4300000001",
                "Đầy đủ",
                EXAMPLE_MANAGER,
                EXAMPLE_ROLES,
                "Thôn 1",
                EXAMPLE_PHONE,
            ],
        )
        members = workbook.create_sheet(MEMBERS_SHEET)
        _write(
            members,
            [header for header, _field in MEMBER_HEADERS],
            [
                EXAMPLE_MANAGER,
                1980,
                "Nữ",
                "Kinh",
                date(2025, 3, 1),
                commune,
                EXAMPLE_ORGANISATION,
                "Chính thức",
                EXAMPLE_FOUNDED,
                None,
                EXAMPLE_ROLES,
                "051180000001",
                EXAMPLE_PHONE,
                10_000_000,
            ],
        )
        allowed = workbook.create_sheet(VALUES_SHEET)
        for column, (header, words) in enumerate(values.items(), start=1):
            allowed.cell(row=1, column=column, value=header).font = Font(bold=True)
            allowed.cell(row=1, column=column).fill = HEADER_FILL
            for row, word in enumerate(words, start=2):
                allowed.cell(row=row, column=column, value=word)
            allowed.column_dimensions[get_column_letter(column)].width = min(
                max((len(word) for word in [header, *words]), default=10) + 2, 45
            )
        allowed.freeze_panes = "A2"
        lists = {header: (column, len(words)) for column, (header, words) in enumerate(values.items(), start=1)}
        _drop_down(
            organisations,
            ORGANISATION_HEADERS,
            lists,
            {"legal_form": "Loại hình", "commune": "Xã, phường", "governance": "Mô hình quản trị"},
        )
        _drop_down(
            members,
            MEMBER_HEADERS,
            lists,
            {
                "gender": "Giới tính",
                "ethnic_group": "Dân tộc",
                "commune": "Xã, phường",
                "member_type": "Loại thành viên",
            },
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _allowed_values():
    """The lists of the "Giá trị hợp lệ" sheet, by header; labels in the active language (Vietnamese)."""
    return {
        "Loại hình": [str(label) for label in LegalForm.labels],
        "Mô hình quản trị": [str(label) for label in Governance.labels],
        "Loại thành viên": [str(label) for label in MemberType.labels],
        "Giới tính": [str(label) for label in Gender.labels],
        "Chức vụ quản lý": [str(label) for label in Role.labels],
        "Xã, phường": list(
            AdministrativeUnit.objects.filter(level=Level.COMMUNE, scheme=Scheme.TWO_LEVEL_2025)
            .order_by("code")
            .values_list("name", flat=True)
        ),
        "Dân tộc": list(EthnicGroup.objects.order_by("code").values_list("name_vi", flat=True)),
        "Ngành nghề": list(Sector.objects.order_by("position", "code").values_list("name_vi", flat=True)),
    }


def _write(sheet, headers, example):
    sheet.append(headers)
    sheet.append(example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for cell in sheet[2]:
        cell.font = EXAMPLE_FONT
        if isinstance(cell.value, date):
            cell.number_format = DATE_FORMAT
        elif isinstance(cell.value, str) and cell.value.isdigit():
            # Phone numbers and ID numbers keep their leading zero as text.
            cell.number_format = "@"
    for column, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = max(len(header) + 4, 14)
    sheet.freeze_panes = "A2"


def _drop_down(sheet, headers, lists, fields):
    """A list to pick from in each column of ``fields``; a warning only, since registers' own words are read too."""
    columns = {field: index for index, (_header, field) in enumerate(headers, start=1)}
    for field, list_header in fields.items():
        list_column, count = lists[list_header]
        if not count:
            continue
        letter = get_column_letter(list_column)
        validation = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(VALUES_SHEET)}!${letter}$2:${letter}${count + 1}",
            allow_blank=True,
            errorStyle="warning",
            showErrorMessage=True,
        )
        sheet.add_data_validation(validation)
        column_letter = get_column_letter(columns[field])
        validation.add(f"{column_letter}2:{column_letter}{VALIDATED_ROWS}")
