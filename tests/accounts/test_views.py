"""Login, logout, password change, throttling, the language switch and each role's home page."""

import pytest
from django.test import override_settings
from django.urls import reverse

from coopportal.accounts.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"


def log_in(client, username, password=PASSWORD):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def test_the_login_page_is_in_vietnamese(client):
    response = client.get(LOGIN_URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in content
    assert '<h1 class="h3 mb-3">Đăng nhập</h1>' in content
    assert "Tên đăng nhập" in content
    assert "Mật khẩu" in content


def test_a_wrong_password_is_explained_in_vietnamese(client, provincial_staff):
    response = log_in(client, provincial_staff.username, "sai-mat-khau")
    assert response.status_code == 200
    assert "Vui lòng điền vào" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logging_in_leads_home_and_logging_out_back_to_the_login_page(client, provincial_staff):
    response = log_in(client, provincial_staff.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert int(client.session["_auth_user_id"]) == provincial_staff.pk

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home"))["Location"].startswith(LOGIN_URL)


def test_password_change_in_vietnamese(client, provincial_staff):
    client.force_login(provincial_staff)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "Đổi mật khẩu" in page
    assert "Mật khẩu cũ" in page

    wrong = client.post(
        reverse("accounts:password_change"),
        {"old_password": "khong-dung", "new_password1": "mat-khau-moi-2025", "new_password2": "mat-khau-moi-2025"},
    )
    assert "Mật khẩu cũ không chính xác" in wrong.content.decode()

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "mat-khau-moi-2025", "new_password2": "mat-khau-moi-2025"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:password_change_done")
    assert "Đã đổi mật khẩu" in response.content.decode()
    provincial_staff.refresh_from_db()
    assert provincial_staff.check_password("mat-khau-moi-2025")


@override_settings(AXES_FAILURE_LIMIT=5)
def test_five_failed_logins_lock_the_account_with_a_vietnamese_message(client, provincial_staff):
    """The fifth failure locks; then even the right password is refused, for this name from this address."""
    for _ in range(4):
        assert log_in(client, provincial_staff.username, "sai-mat-khau").status_code == 200
    locked = log_in(client, provincial_staff.username, "sai-mat-khau")
    assert locked.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in locked.content.decode()

    again = log_in(client, provincial_staff.username)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session

    # Another account from the same address is not locked with it.
    assert log_in(client, UserFactory(role=Role.OFFICIAL).username).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=5)
def test_a_successful_login_resets_the_failure_count(client, provincial_staff):
    for _ in range(4):
        log_in(client, provincial_staff.username, "sai-mat-khau")
    assert log_in(client, provincial_staff.username).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        assert log_in(client, provincial_staff.username, "sai-mat-khau").status_code == 200


def test_the_portal_speaks_vietnamese_by_default_and_english_when_asked(client, provincial_staff):
    client.force_login(provincial_staff)
    home = client.get(reverse("home")).content.decode()
    assert '<html lang="vi">' in home
    assert "Xin chào" in home

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in home
    assert "Welcome" in home

    client.post(reverse("set_language"), {"language": "vi", "next": reverse("home")})
    assert "Xin chào" in client.get(reverse("home")).content.decode()


def test_the_language_switch_works_before_logging_in(client):
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN_URL})
    content = client.get(LOGIN_URL).content.decode()
    assert '<html lang="en">' in content
    assert "Log in" in content


def test_an_unknown_language_keeps_vietnamese(client):
    client.post(reverse("set_language"), {"language": "fr", "next": LOGIN_URL})
    assert '<html lang="vi">' in client.get(LOGIN_URL).content.decode()


def home_links(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("fixture", ["provincial_staff", "commune_staff"])
def test_staff_start_from_the_registers(client, request, fixture):
    content = home_links(client, request.getfixturevalue(fixture))
    assert "Cập nhật sổ đăng ký" in content
    for url_name in ("cooperatives:list", "members:list", "workshops:list", "reports:dashboard"):
        assert f'href="{reverse(url_name)}"' in content
    assert reverse("admin:index") not in content


def test_officials_start_from_the_figures_and_never_see_the_members_register(client, official):
    content = home_links(client, official)
    assert "Xem số liệu" in content
    assert "Cập nhật sổ đăng ký" not in content
    for url_name in ("reports:dashboard", "cooperatives:list", "workshops:list"):
        assert f'href="{reverse(url_name)}"' in content
    assert f'href="{reverse("members:list")}"' not in content
    assert reverse("admin:index") not in content


def test_administrators_also_find_the_administration(client, administrator):
    content = home_links(client, administrator)
    assert f'href="{reverse("admin:index")}"' in content
    assert f'href="{reverse("members:list")}"' in content


def test_the_home_page_tells_each_account_what_it_covers(client, commune_staff, provincial_staff, official, commune_b):
    """Commune staff see their communes by name; a staff account with none is told whom to ask."""
    commune_staff.scope_communes.add(commune_b)
    assert "Tài khoản của bạn phụ trách: Phường Cẩm Thành, Xã Sơn Hà." in " ".join(
        home_links(client, commune_staff).split()
    )
    for user in (provincial_staff, official):
        assert "Tài khoản của bạn làm việc trên toàn tỉnh." in home_links(client, user)
    unassigned = UserFactory(role=Role.STAFF, province_wide=False)
    assert "chưa được giao xã, phường nào" in home_links(client, unassigned)


def test_pages_stay_vietnamese_for_a_browser_set_to_english(client):
    """An English browser still gets Vietnamese until the user chooses English with the switch."""
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "<title>Đăng nhập" in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="vi")
    assert "<title>Log in" in response.content.decode()


def test_refusals_and_missing_pages_are_explained_in_vietnamese(client, official, provincial_staff):
    """An official refused the member register, and anyone at a page that is not there, read why in Vietnamese."""
    client.force_login(official)
    refused = client.get(reverse("members:list"))
    assert refused.status_code == 403
    assert "Tài khoản của bạn không được mở trang này" in refused.content.decode()
    client.force_login(provincial_staff)
    missing = client.get(reverse("cooperatives:detail", args=[999_999]))
    assert missing.status_code == 404
    assert "Không tìm thấy trang" in missing.content.decode()
