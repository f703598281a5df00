"""Behind the reverse proxy, failed logins are counted per client address and user name, not per the proxy.

django-axes takes the client's address with django-ipware from X-Forwarded-For, trusting as many
proxies as TRUSTED_PROXY_COUNT says (1 in production): a client that writes its own
X-Forwarded-For only adds addresses on the left, which are not read.
"""

import json

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory, override_settings

from coopportal.settings.base import client_address_settings
from tests.factories import PASSWORD
from tests.test_settings import run_django

from .test_views import LOGIN_URL

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def behind(trusted_proxies):
    count, order = client_address_settings(trusted_proxies)
    return override_settings(
        AXES_IPWARE_PROXY_COUNT=count, AXES_IPWARE_META_PRECEDENCE_ORDER=order, AXES_FAILURE_LIMIT=5
    )


def address_of(forwarded_for, remote=PROXY):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded_for)
    return get_client_ip_address(request)


def test_production_trusts_one_proxy_and_the_local_settings_none():
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.AXES_IPWARE_PROXY_COUNT, list(settings.AXES_IPWARE_META_PRECEDENCE_ORDER)]))"
    )
    production = run_django(
        code, "coopportal.settings.production", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="portal.example.vn"
    )
    assert production.returncode == 0, production.stderr
    assert json.loads(production.stdout) == [0, ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]]
    local = run_django(code, "coopportal.settings.local")
    assert local.returncode == 0, local.stderr
    assert json.loads(local.stdout) == [None, ["REMOTE_ADDR"]]


def test_behind_one_proxy_the_right_most_address_is_the_client_whatever_it_wrote():
    with behind(1):
        assert address_of("203.0.113.7") == "203.0.113.7"
        # The client sent "X-Forwarded-For: 6.6.6.6, 198.51.100.1"; the proxy appended its real address.
        assert address_of("6.6.6.6, 198.51.100.1, 203.0.113.7") == "203.0.113.7"
        assert address_of("not an address, 203.0.113.7") == "203.0.113.7"
        # An office network behind the proxy is told apart from the proxy too.
        assert address_of("10.0.0.9, 192.168.1.20") == "192.168.1.20"


def test_behind_two_proxies_the_second_address_from_the_right_is_the_client():
    with behind(2):
        assert address_of("6.6.6.6, 203.0.113.7, 10.0.0.3") == "203.0.113.7"


def test_without_a_proxy_the_header_is_ignored():
    with behind(0):
        assert address_of("6.6.6.6", remote="203.0.113.7") == "203.0.113.7"


def log_in_from(client, address, username, password="sai-mat-khau", spoofed=""):
    chain = f"{spoofed}, {address}" if spoofed else address
    return client.post(
        LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain
    )


def test_five_failures_from_one_address_do_not_lock_the_name_from_another(client, provincial_staff):
    name = provincial_staff.username
    with behind(1):
        for attempt in range(5):
            # Each try forges a different left part: the count is still the one of the real address.
            response = log_in_from(client, "203.0.113.7", name, spoofed=f"198.51.100.{attempt}")
        assert response.status_code == 429
        assert log_in_from(client, "203.0.113.7", name, password=PASSWORD).status_code == 429

        # The same user name from her own office, through the same proxy, still logs in.
        assert log_in_from(client, "192.0.2.44", name, password=PASSWORD).status_code == 302
