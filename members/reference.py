"""Vietnam's 54 ethnic groups, copied into the project from the Union's shared reference data."""

import csv
from pathlib import Path

ETHNIC_GROUPS_CSV = Path(__file__).parent / "data" / "ethnic_groups.csv"


def load_ethnic_groups(ethnic_group_model):
    with open(ETHNIC_GROUPS_CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            ethnic_group_model.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name_vi": row["name_vi"],
                    "name_en": row["name_en"],
                    "aliases": row["aliases"],
                    "is_minority": row["is_minority"] == "1",
                },
            )
