import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperatives.models import AdministrativeUnit, Level, Scheme, Sector
from coopportal.accounts.models import Role, User
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "admin:index",
    "admin:accounts_user_changelist",
    "admin:accounts_user_add",
    "admin:cooperatives_administrativeunit_changelist",
    "admin:cooperatives_sector_changelist",
    "admin:cooperatives_organisation_changelist",
    "admin:members_person_changelist",
    "admin:members_membership_changelist",
    "admin:members_managementposition_changelist",
    "admin:members_ethnicgroup_changelist",
]


@pytest.mark.parametrize("role", [Role.STAFF, Role.OFFICIAL])
def test_save_keeps_is_staff_equal_to_being_an_administrator(role):
    """Only administrators get the admin flag, whatever is set by hand before saving."""
    user = UserFactory(role=role, province_wide=True)
    user.is_staff = True
    user.save()
    user.refresh_from_db()
    assert user.is_staff is False

    user.role = Role.ADMINISTRATOR
    user.save()
    user.refresh_from_db()
    assert user.is_staff is True


@pytest.mark.parametrize("fixture", ["provincial_staff", "commune_staff", "official"])
@pytest.mark.parametrize("url_name", ADMIN_PAGES)
def test_staff_and_officials_are_sent_to_the_admin_login(client, request, fixture, url_name):
    """The Django admin is the administrators' alone: others never see a page of it."""
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_cannot_change_data_through_the_admin(client, provincial_staff):
    """A forged POST to the admin by a staff member changes nothing."""
    sector = Sector.objects.get(code="credit")
    client.force_login(provincial_staff)
    response = client.post(
        reverse("admin:cooperatives_sector_change", args=[sector.pk]),
        {"code": "credit", "name_vi": "Đổi tên", "name_en": "Renamed", "position": 1},
    )
    assert response.status_code == 302
    sector.refresh_from_db()
    assert sector.name_vi == "Tín dụng"


@pytest.mark.parametrize("url_name", ADMIN_PAGES)
def test_an_administrator_without_superuser_flag_uses_every_admin_page(client, administrator, url_name):
    """The administrator role alone opens the admin: no per-model permissions to hand out."""
    assert not administrator.is_superuser
    client.force_login(administrator)
    response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_admin_index_is_in_vietnamese_and_lists_the_registers(client, administrator):
    client.force_login(administrator)
    content = client.get(reverse("admin:index")).content.decode()
    assert "Cổng thông tin Hội Phụ nữ: quản trị" in content
    for label in ("Người dùng", "Lĩnh vực", "Đơn vị hành chính", "Dân tộc", "Tư cách thành viên", "Chức vụ quản lý"):
        assert label in content
    # Groups are not used: roles replace them.
    assert reverse("admin:accounts_user_changelist") in content
    assert "/admin/auth/group/" not in content


def test_user_list_shows_role_and_scope_in_vietnamese(client, administrator, commune_staff, official):
    client.force_login(administrator)
    content = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "Phường Cẩm Thành" in content  # the commune staff's scope
    assert "Toàn tỉnh" in content  # the official's
    assert "Cán bộ Hội" in content
    assert "Lãnh đạo" in content


def test_user_list_query_count_does_not_grow_with_accounts(client, administrator, commune_a, commune_b):
    """Scopes are prefetched: ten commune staff cost the same queries as one (no query per row)."""
    client.force_login(administrator)
    url = reverse("admin:accounts_user_changelist")
    UserFactory(role=Role.STAFF, scope_communes=[commune_a])
    client.get(url)  # the first request also loads content types; count the ones after it
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for _ in range(9):
        UserFactory(role=Role.STAFF, scope_communes=[commune_a, commune_b])
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def add_account(client, **fields):
    data = {
        "username": "canbo.moi",
        "usable_password": "true",
        "password1": "mat-khau-du-dai-2025",
        "password2": "mat-khau-du-dai-2025",
        "last_name": "Lê Thị",
        "first_name": "Thu",
        "email": "",
        "role": Role.STAFF,
        **fields,
    }
    return client.post(reverse("admin:accounts_user_add"), data)


def test_administrator_adds_a_commune_staff_account_with_its_scope(client, administrator, commune_a, commune_b):
    client.force_login(administrator)
    response = add_account(client, scope_communes=[commune_a.pk, commune_b.pk])
    assert response.status_code == 302
    user = User.objects.get(username="canbo.moi")
    assert user.role == Role.STAFF
    assert not user.is_staff  # no way into the admin for staff
    assert set(user.scope_communes.all()) == {commune_a, commune_b}
    assert user.check_password("mat-khau-du-dai-2025")


def test_a_staff_account_without_communes_or_whole_province_is_refused(client, administrator):
    """Such an account would see nothing: the form says what to do, in Vietnamese, and stores nothing."""
    client.force_login(administrator)
    response = add_account(client)
    assert response.status_code == 200
    assert "Đánh dấu “toàn tỉnh” hoặc chọn các xã, phường mà cán bộ này phụ trách." in response.content.decode()
    assert not User.objects.filter(username="canbo.moi").exists()


def test_an_official_needs_no_communes(client, administrator):
    client.force_login(administrator)
    assert add_account(client, role=Role.OFFICIAL).status_code == 302
    assert User.objects.get(username="canbo.moi").sees_whole_province


def test_scope_picker_offers_only_communes_of_the_two_level_scheme(client, administrator, province):
    # The same code named another place before the 2025 reform.
    AdministrativeUnit.objects.create(
        scheme=Scheme.LEGACY, level=Level.COMMUNE, code="21025", name="Phường Nguyễn Nghiêm", unit_type="Phường"
    )
    client.force_login(administrator)
    form = client.get(reverse("admin:accounts_user_add")).context["adminform"].form
    choices = form.fields["scope_communes"].queryset
    assert choices.count() == AdministrativeUnit.objects.filter(parent=province).count() == 96
    assert not choices.filter(scheme=Scheme.LEGACY).exists()


def test_organisation_admin_finds_names_without_diacritics_and_keeps_history(client, administrator):
    organisation = OrganisationFactory(name="Hợp tác xã Dệt thổ cẩm Làng Teng")
    OrganisationFactory(name="Tổ hợp tác Nuôi ong")
    client.force_login(administrator)
    response = client.get(reverse("admin:cooperatives_organisation_changelist"), {"q": "det tho cam"})
    assert list(response.context["cl"].result_list) == [organisation]
    history = client.get(reverse("admin:cooperatives_organisation_history", args=[organisation.pk]))
    assert history.status_code == 200


def test_administrator_edits_a_sector(client, administrator):
    """Sectors are reference data the administrators keep."""
    sector = Sector.objects.get(code="other")
    client.force_login(administrator)
    response = client.post(
        reverse("admin:cooperatives_sector_change", args=[sector.pk]),
        {"code": "other", "name_vi": "Lĩnh vực khác", "name_en": "Other sectors", "position": 9},
    )
    assert response.status_code == 302
    sector.refresh_from_db()
    assert (sector.name_vi, sector.position) == ("Lĩnh vực khác", 9)


@pytest.mark.parametrize("page", [name for name in ADMIN_PAGES if name.endswith("_changelist")])
def test_a_search_of_hundreds_of_words_uses_the_first_ten_and_says_so(client, administrator, page):
    """Each word is matched against every search field: hundreds made a query SQLite refused (a 500)."""
    client.force_login(administrator)
    response = client.get(reverse(page), {"q": " ".join(f"từ{number}" for number in range(400))})
    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] == [
        "Chỉ dùng 10 từ đầu tiên của nội dung tìm kiếm."
    ]
