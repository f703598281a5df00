"""Reference data loaded by migrations and by `load_admin_units`, checked against the facts in DOMAIN.md."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cooperatives.models import AdministrativeUnit, Level, Scheme, Sector
from members.models import EthnicGroup

pytestmark = pytest.mark.django_db


def test_the_54_ethnic_groups_carry_their_1979_codes():
    groups = EthnicGroup.objects.all()
    assert groups.count() == 54
    assert sorted(groups.values_list("code", flat=True)) == [f"{number:02d}" for number in range(1, 55)]
    # Codes of Decision 121-TCTK/PPCĐ (1979), not the 2008 numbering.
    expected = {"01": "Kinh", "02": "Tày", "14": "Xơ-đăng", "19": "Hrê", "30": "Co", "54": "Rơ-măm"}
    assert dict(groups.filter(code__in=expected).values_list("code", "name_vi")) == expected


def test_only_the_kinh_are_not_a_minority():
    assert list(EthnicGroup.objects.filter(is_minority=False).values_list("code", flat=True)) == ["01"]
    assert EthnicGroup.objects.get(code="19").is_minority


def test_local_names_are_kept_as_aliases():
    """Ca Dong is a local group of the Xơ-đăng; Cor/Kor is the Co; H're is the Hrê."""
    assert "Ca Dong" in EthnicGroup.objects.get(code="14").aliases
    assert "Kor" in EthnicGroup.objects.get(code="30").aliases
    assert "H're" in EthnicGroup.objects.get(code="19").aliases


def test_the_eight_sectors_are_loaded_in_order():
    assert list(Sector.objects.values_list("code", flat=True)) == [
        "agriculture",
        "aquaculture",
        "handicrafts",
        "processing",
        "trade_services",
        "tourism",
        "credit",
        "other",
    ]
    assert Sector.objects.get(code="handicrafts").name_vi == "Thủ công mỹ nghệ"


def test_quang_ngai_has_96_communes_in_the_2025_scheme(province):
    """86 xã, 9 phường and 1 đặc khu (Lý Sơn), as after `make run`."""
    assert province.name == "Tỉnh Quảng Ngãi"
    communes = AdministrativeUnit.objects.filter(parent=province, level=Level.COMMUNE, scheme=Scheme.TWO_LEVEL_2025)
    assert communes.count() == 96
    by_type = {unit_type: communes.filter(unit_type=unit_type).count() for unit_type in ("xã", "phường", "đặc khu")}
    assert by_type == {"xã": 86, "phường": 9, "đặc khu": 1}
    assert communes.get(unit_type="đặc khu").name == "Đặc khu Lý Sơn"
    assert communes.get(code="21025").name == "Phường Cẩm Thành"


def test_loading_again_changes_nothing(province):
    before = list(AdministrativeUnit.objects.order_by("pk").values())
    call_command("load_admin_units", stdout=StringIO())
    assert list(AdministrativeUnit.objects.order_by("pk").values()) == before


def test_another_province_loads_from_the_national_list():
    output = StringIO()
    call_command("load_admin_units", "--province", "1", stdout=output)
    hanoi = AdministrativeUnit.objects.get(level=Level.PROVINCE, code="01")
    assert hanoi.name == "Thành phố Hà Nội"
    # Hà Nội has 126 communes in the 2025 scheme (51 phường, 75 xã).
    assert hanoi.children.count() == 126
    assert hanoi.children.filter(unit_type="phường").count() == 51
    assert "Thành phố Hà Nội: đã nạp 126 xã, phường, đặc khu." in output.getvalue()
    # Quảng Ngãi is untouched.
    assert AdministrativeUnit.objects.get(level=Level.PROVINCE, code="51").children.count() == 96


def test_an_unknown_province_is_a_clear_error():
    with pytest.raises(CommandError, match="Không có tỉnh nào mang mã 99 trong danh mục quốc gia."):
        call_command("load_admin_units", "--province", "99", stdout=StringIO())
    assert not AdministrativeUnit.objects.filter(code="99").exists()
