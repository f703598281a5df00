"""The demo accounts, one per role, with passwords meant to be printed and changed."""

from django.conf import settings

from cooperatives.models import AdministrativeUnit
from coopportal.accounts.models import Role
from coopportal.accounts.services import user_save

# The commune staff account works on the communes the demo registers put most organisations in.
COMMUNE_STAFF_COMMUNES = ["Phường Cẩm Thành", "Phường Nghĩa Lộ"]

DEMO_ACCOUNTS = [
    # username, password, role, province-wide, full name
    ("admin", "demo-admin-2024", Role.ADMINISTRATOR, True, "Quản trị viên"),
    ("canbo.tinh", "demo-tinh-2024", Role.STAFF, True, "Nguyễn Thị Hồng"),
    ("canbo.xa", "demo-xa-2024", Role.STAFF, False, "Trần Thị Mai"),
    ("lanhdao", "demo-lanhdao-2024", Role.OFFICIAL, True, "Phạm Văn Bình"),
]


def seed_accounts():
    communes = AdministrativeUnit.objects.filter(
        level="commune", parent__code=settings.PORTAL_PROVINCE_CODE, name__in=COMMUNE_STAFF_COMMUNES
    )
    accounts = []
    for username, password, role, province_wide, full_name in DEMO_ACCOUNTS:
        last_name, first_name = full_name.rsplit(" ", 1)
        user = user_save(
            username=username,
            password=password,
            role=role,
            province_wide=province_wide,
            scope_communes=[] if province_wide else communes,
            first_name=first_name,
            last_name=last_name,
            is_superuser=role == Role.ADMINISTRATOR,
        )
        accounts.append((user, password))
    return accounts
