"""The heading of the Union's documents (issuing body, place, date) that every PDF prints."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class DocumentHeading:
    parent_body: str
    issuer: str
    place: str
    date: date

    @property
    def place_and_date(self):
        """'Quảng Ngãi, ngày 05 tháng 02 năm 2025': days below 10 and the months January and February
        take a leading zero, as administrative documents write them (Decree 30/2020/NĐ-CP)."""
        month = f"{self.date.month:02d}" if self.date.month < 3 else str(self.date.month)
        return _("%(place)s, %(day)s/%(month)s/%(year)s") % {
            "place": self.place,
            "day": f"{self.date.day:02d}",
            "month": month,
            "year": self.date.year,
        }


def provincial_heading(day, province_name=None) -> DocumentHeading:
    """Issued by the provincial Women's Union, under the provincial Fatherland Front committee."""
    from cooperatives.models import AdministrativeUnit  # noqa: PLC0415 - settings-time import order

    if province_name is None:
        province = AdministrativeUnit.objects.filter(level="province", code=settings.PORTAL_PROVINCE_CODE).first()
        province_name = province.name.removeprefix("Tỉnh ").removeprefix("Thành phố ") if province else ""
    return DocumentHeading(
        parent_body=_("Vietnam Fatherland Front Committee of %(province)s") % {"province": province_name},
        issuer=_("Women's Union of %(province)s") % {"province": province_name},
        place=province_name,
        date=day,
    )
