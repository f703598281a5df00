"""Reference data the register needs: administrative units and sectors of activity.

The CSV is the national statistics office's list of the 2025 two-level scheme (province and
commune), copied into the project from the Union's shared reference data.
"""

import csv
from pathlib import Path

from django.db import transaction

ADMIN_UNITS_2025_CSV = Path(__file__).parent / "data" / "admin_units_2025.csv"

SECTORS = [
    ("agriculture", "Nông nghiệp", "Agriculture"),
    ("aquaculture", "Nuôi trồng thủy sản", "Aquaculture"),
    ("handicrafts", "Thủ công mỹ nghệ", "Handicrafts"),
    ("processing", "Chế biến", "Processing"),
    ("trade_services", "Thương mại, dịch vụ", "Trade and services"),
    ("tourism", "Du lịch", "Tourism"),
    ("credit", "Tín dụng", "Credit"),
    ("other", "Khác", "Other"),
]


class UnknownProvince(ValueError):
    pass


def province_rows(province_code, path=ADMIN_UNITS_2025_CSV):
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["province_code"] == province_code]
    if not rows:
        raise UnknownProvince(province_code)
    return rows


@transaction.atomic
def load_province(province_code, unit_model):
    """Create or update a province and its communes in the 2025 scheme; returns (province, communes)."""
    rows = province_rows(province_code)
    first = rows[0]
    province, _ = unit_model.objects.update_or_create(
        scheme="2025",
        level="province",
        code=province_code,
        defaults={"name": first["province_name"], "unit_type": first["province_type"], "parent": None},
    )
    for row in rows:
        unit_model.objects.update_or_create(
            scheme="2025",
            level="commune",
            code=row["commune_code"],
            defaults={
                "name": row["commune_name"],
                "unit_type": row["commune_type"],
                "parent": province,
                "legacy_codes": row["legacy_commune_codes"],
            },
        )
    return province, len(rows)


def load_sectors(sector_model):
    for position, (code, name_vi, name_en) in enumerate(SECTORS):
        sector_model.objects.update_or_create(
            code=code, defaults={"name_vi": name_vi, "name_en": name_en, "position": position}
        )
