"""Communes and ethnic groups as registers write them.

A commune is found by its full name ("Xã Tịnh Khê"), its name without the prefix ("Tịnh Khê"), an
abbreviated prefix ("P. Sa Huỳnh"), its 2025 code, or a pre-2025 commune's name or code that was
merged into it on 1 July 2025 (the 2025 register lists each commune's legacy codes; DOMAIN.md,
"Administrative units"). Codes are reused across the two schemes, so a code or a name that fits
more than one commune is ambiguous and the row is refused with the candidates named.
"""

import csv
import re
from functools import cached_property
from pathlib import Path

from django.utils.translation import gettext as _

from cooperatives.models import AdministrativeUnit, Level, Scheme
from coopportal.text import fold
from members.models import EthnicGroup

from .vocabulary import ValueProblem, name_key

LEGACY_UNITS_CSV = (
    Path(__file__).resolve().parent.parent / "cooperatives" / "data" / "admin_units_legacy_2025-01-04.csv"
)
PREFIXES = re.compile(r"^(xã|xa|phường|phuong|đặc khu|dac khu|thị trấn|thi tran|x|p|tt|đk|dk|f)\s+")


def _bare(text):
    """'P. Sa Huỳnh' -> 'sa huỳnh': lower case, punctuation as spaces, the unit's prefix dropped."""
    return PREFIXES.sub("", " ".join(re.sub(r"[^\w]+", " ", name_key(text)).split()))


def _folded(text):
    """'Sa Huynh' -> 'sa huynh': ``_bare`` without diacritics, for registers typed without them."""
    return _bare(fold(text))


class CommuneIndex:
    """The province's 2025 communes, found by any name or code a register may use for them."""

    def __init__(self, communes=None):
        self.communes = list(
            communes
            if communes is not None
            else AdministrativeUnit.objects.filter(level=Level.COMMUNE, scheme=Scheme.TWO_LEVEL_2025)
        )
        self.by_code = {commune.code: commune for commune in self.communes}
        self.by_name = {}
        self.by_bare = {}
        self.by_folded = {}
        self.by_legacy_code = {}
        for commune in self.communes:
            self.by_name.setdefault(name_key(commune.name), []).append(commune)
            self.by_bare.setdefault(_bare(commune.name), []).append(commune)
            self.by_folded.setdefault(_folded(commune.name), []).append(commune)
            for code in filter(None, commune.legacy_codes.split(";")):
                self.by_legacy_code.setdefault(code, []).append(commune)

    @cached_property
    def by_legacy_name(self):
        """Pre-2025 communes of this province's legacy codes, by bare name, with the 2025 communes they went into."""
        names = {}
        with open(LEGACY_UNITS_CSV, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                successors = self.by_legacy_code.get(row["commune_code"])
                if successors:
                    keys = {("full", name_key(row["commune_name"])), ("exact", _bare(row["commune_name"]))}
                    for key in keys | {("folded", _folded(row["commune_name"]))}:
                        names.setdefault(key, {}).update({commune.pk: commune for commune in successors})
        return {key: list(found.values()) for key, found in names.items()}

    def find(self, value):
        """The 2025 commune ``value`` names; raises ``ValueProblem`` when none or several fit."""
        text = str(value).strip()
        if text.isdigit():
            code = text.zfill(5)
            candidates = {c.pk: c for c in [self.by_code.get(code), *self.by_legacy_code.get(code, [])] if c}
        else:
            # A full name, prefix included, names one unit of its scheme ("Phường Nguyễn Nghiêm" is the old ward,
            # not today's Xã Nguyễn Nghiêm); a bare name may be today's or a merged one's, and must be only one.
            found = self.by_name.get(name_key(text)) or self.by_legacy_name.get(("full", name_key(text)))
            if not found:
                found = self.by_bare.get(_bare(text), []) + self.by_legacy_name.get(("exact", _bare(text)), [])
            if not found:
                found = self.by_folded.get(_folded(text), []) + self.by_legacy_name.get(("folded", _folded(text)), [])
            candidates = {c.pk: c for c in found}
        if len(candidates) == 1:
            return next(iter(candidates.values()))
        if not candidates:
            raise ValueProblem(_("commune “%(value)s” is not a commune of the province") % {"value": text})
        raise ValueProblem(
            _("commune “%(value)s” could be any of: %(candidates)s; write the commune's 2025 name")
            % {"value": text, "candidates": ", ".join(sorted(f"{c.name} ({c.code})" for c in candidates.values()))}
        )


def ethnic_key(text):
    """'H're', 'Hrê' and 'HRE' -> 'hre'; 'Xơ Đăng' and 'Xơ-đăng' -> 'xodang'."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


class EthnicGroupIndex:
    """The 54 groups by their Vietnamese and English names and every alias (DOMAIN.md, "Ethnic groups")."""

    def __init__(self):
        self.by_key = {}
        for group in EthnicGroup.objects.all():
            for text in [group.code, group.name_vi, group.name_en, *group.aliases.split(";")]:
                if text.strip():
                    self.by_key.setdefault(ethnic_key(text), group)

    def find(self, value):
        """The group ``value`` names; raises ``ValueProblem`` for a name none has."""
        group = self.by_key.get(ethnic_key(str(value)))
        if group is None:
            raise ValueProblem(_("ethnic group “%(value)s” is not one of Vietnam's 54 groups") % {"value": value})
        return group
