"""`seed_demo` gives one account per role, prints their passwords, and can run again."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from coopportal.accounts.models import User
from coopportal.demo.accounts import DEMO_ACCOUNTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    output = StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def test_the_four_demo_accounts_are_printed_and_can_log_in(client, seeded):
    assert "Tài khoản mẫu (tên đăng nhập / mật khẩu / vai trò):" in seeded
    for username, password, role, _, _ in DEMO_ACCOUNTS:
        assert f"  {username:<12} {password:<20} {role.label}\n" in seeded
        # django-axes watches every login, so it is given the request a browser would send.
        assert client.login(request=RequestFactory().post("/accounts/login/"), username=username, password=password)
        client.logout()

    accounts = {user.username: user for user in User.objects.all()}
    assert set(accounts) == {"admin", "canbo.tinh", "canbo.xa", "lanhdao"}
    assert accounts["admin"].is_administrator and accounts["admin"].is_staff
    assert accounts["canbo.tinh"].sees_whole_province and accounts["canbo.tinh"].can_edit
    assert not accounts["canbo.xa"].sees_whole_province
    assert set(accounts["canbo.xa"].scope_communes.values_list("name", flat=True)) == {
        "Phường Cẩm Thành",
        "Phường Nghĩa Lộ",
    }
    assert accounts["lanhdao"].is_official and not accounts["lanhdao"].can_edit
    assert not accounts["lanhdao"].is_staff


def test_running_it_again_changes_no_account(client, seeded):
    """Idempotent: the same four accounts, the printed passwords still valid, even after one was changed."""
    changed = User.objects.get(username="canbo.xa")
    changed.set_password("changed-by-hand")
    changed.save()
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.count() == 4
    assert User.objects.get(username="canbo.xa").scope_communes.count() == 2
    assert client.login(request=RequestFactory().post("/"), username="canbo.xa", password="demo-xa-2024")
