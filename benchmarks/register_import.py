"""How long a register import's check (preview) and save take, and the memory they need.

A generated workbook of 500 organisations and 10,000 members, as an office would send it (title
rows, a two-row header, managers on the organisations sheet): targets under 15 seconds each and
under 300 MB of peak memory (the whole process, Django included). Also how fast the reader refuses
a dimension bomb (target under 2 seconds). Builds a throwaway test database (SQLite by default, or
the one DATABASE_URL names).
"""

import io
import random
import resource
import time
import zipfile
from datetime import date, timedelta

from ._database import throwaway_database

ORGANISATIONS = 500
MEMBERS = 10_000
TARGET_SECONDS = 15
TARGET_MB = 300
BOMB_TARGET_SECONDS = 2


def register_workbook(communes, seed=1):
    """Bytes of an office-style workbook: organisations with their chair or leader, then their members."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    organisations = workbook.create_sheet("Tổ chức")
    organisations.append(["HỘI LHPN TỈNH QUẢNG NGÃI"])
    organisations.append(["DANH SÁCH HỢP TÁC XÃ, TỔ HỢP TÁC"])
    organisations.append(["STT", "Tên HTX/THT", "Loại hình", "Xã, phường", "Ngày thành lập", "Người quản lý", None])
    organisations.append([None, None, None, None, None, "Họ tên", "Chức vụ"])
    members = workbook.create_sheet("Thành viên")
    members.append(["DANH SÁCH THÀNH VIÊN"])
    members.append(
        ["STT", "Họ và tên", "Năm sinh", "Giới tính", "Tên HTX/THT", "Loại thành viên", "Ngày vào", "Chức vụ"]
    )
    per_organisation = MEMBERS // ORGANISATIONS
    number = 0
    for index in range(ORGANISATIONS):
        group = index % 5 == 0
        name = f"{'Tổ hợp tác' if group else 'HTX'} số {index + 1}"
        founded = date(2005, 1, 1) + timedelta(days=rng.randrange(3650))
        top_role = "Tổ trưởng" if group else "Chủ tịch HĐQT kiêm Giám đốc"
        manager = f"Nguyễn Thị Quản Lý {index + 1}"
        organisations.append(
            [index + 1, name, "THT" if group else "HTX", rng.choice(communes), founded, manager, top_role]
        )
        for member in range(per_organisation):
            number += 1
            role = top_role if member == 0 else ("Kế toán" if member == 1 else None)
            full_name = manager if member == 0 else f"Trần Thị Thành Viên {number}"
            members.append(
                [
                    number,
                    full_name,
                    rng.randint(1950, 1985),
                    "Nữ" if rng.random() < 0.6 else "Nam",
                    name,
                    "Thành viên" if group else "Thành viên chính thức",
                    (founded + timedelta(days=rng.randrange(3000))).strftime("%d/%m/%Y"),
                    role,
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dimension_bomb():
    """A few kilobytes that declare the whole sheet and put a value in its last cell."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Họ và tên", "Giới tính"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (
                    data.decode()
                    .replace('<dimension ref="A1:B1"/>', '<dimension ref="A1:XFD1048576"/>')
                    .replace("</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
                    .encode()
                )
            target.writestr(item, data)
    return patched.getvalue()


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    with throwaway_database() as connection:
        from django.core.exceptions import ValidationError
        from django.core.management import call_command

        call_command("load_admin_units", stdout=io.StringIO())
        from cooperatives.models import AdministrativeUnit
        from coopportal.accounts.services import user_save
        from coopportal.uploads import read_upload
        from imports.services import import_check, import_save, import_upload

        communes = list(AdministrativeUnit.objects.filter(level="commune").values_list("name", flat=True))
        content = register_workbook(communes)
        user = user_save(username="benchmark", password="a-long-benchmark-password", role="administrator")
        print(
            f"register import on {connection.vendor}: {ORGANISATIONS} organisations, {MEMBERS} members, "
            f"{len(content) // 1024} KB workbook"
        )
        register_import = import_upload(user=user, file_name="register.xlsx", content=content)
        started = time.perf_counter()
        import_check(register_import=register_import)
        check = time.perf_counter() - started
        assert not register_import.errors, register_import.errors[:5]
        print(
            f"  check (preview): {check:.1f} s, peak {peak_mb():.0f} MB "
            f"(targets under {TARGET_SECONDS} s, {TARGET_MB} MB -> "
            f"{'met' if check < TARGET_SECONDS and peak_mb() < TARGET_MB else 'NOT met'})"
        )
        started = time.perf_counter()
        import_save(register_import=register_import, user=user)
        save = time.perf_counter() - started
        print(
            f"  save: {save:.1f} s, peak {peak_mb():.0f} MB, {register_import.counts['people']['create']} people "
            f"-> {'met' if save < TARGET_SECONDS and peak_mb() < TARGET_MB else 'NOT met'}"
        )
        started = time.perf_counter()
        try:
            read_upload(dimension_bomb(), "bomb.xlsx")
            refused = "NOT refused"
        except ValidationError as error:
            refused = f"refused ({error.messages[0][:60]}…)"
        bomb = time.perf_counter() - started
        print(
            f"  dimension bomb: {refused} in {bomb:.2f} s "
            f"(target under {BOMB_TARGET_SECONDS} s -> {'met' if bomb < BOMB_TARGET_SECONDS else 'NOT met'})"
        )


if __name__ == "__main__":
    main()
