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
