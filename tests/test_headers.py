"""Every answer of the portal carries a Content-Security-Policy and a Permissions-Policy; every answer
to a signed-in user, pages and downloads with personal data among them, carries ``Cache-Control: no-store``
(offices share computers). The URL walk is the one of the security tests: every URL pattern, with
the rows of both communes."""

import pytest
from django.test import Client
from django.urls import reverse

from .factories import PASSWORD
from .test_security import OBJECT_URLS, PORTAL_URLS, collection_urls, logged_in, object_url
from .test_security import world as world  # the rows of both communes, made once for the module

pytestmark = pytest.mark.django_db

STRICT_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {name: value for name, _, value in (part.strip().partition(" ") for part in header.split(";"))}


def assert_policies(response):
    directives = csp_directives(response)
    for name, value in STRICT_CSP.items():
        assert directives.get(name) == value, (name, response["Content-Security-Policy"])
    assert "unsafe" not in response["Content-Security-Policy"]
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def assert_no_store(response):
    assert "no-store" in response.get("Cache-Control", ""), response.get("Cache-Control")


def urls_of(name, world):
    if name in OBJECT_URLS:
        return [object_url(name, world, world.inside)]
    return collection_urls(name)


@pytest.mark.parametrize("name", sorted(PORTAL_URLS))
def test_every_url_carries_the_policies_and_no_store_for_a_signed_in_user(world, name, provincial_staff):
    client = logged_in(provincial_staff)
    for url in urls_of(name, world):
        response = client.get(url)
        assert response.status_code < 500, url
        assert_policies(response)
        assert_no_store(response)


def test_downloads_with_personal_data_are_not_stored(world, provincial_staff):
    client = logged_in(provincial_staff)
    for url in collection_urls("cooperatives:export") + [object_url("workshops:report_pdf", world, world.inside)]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response["Content-Type"].startswith("text/html")
        assert_policies(response)
        assert_no_store(response)


def test_the_admin_carries_the_policies_and_no_store(administrator):
    response = logged_in(administrator).get(reverse("admin:index"))
    assert response.status_code == 200
    assert_policies(response)
    assert_no_store(response)


def test_the_login_page_carries_the_policies():
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 200
    assert_policies(response)


def test_the_answer_to_a_login_is_not_stored(provincial_staff):
    response = Client().post(reverse("accounts:login"), {"username": provincial_staff.username, "password": PASSWORD})
    assert response.status_code == 302
    assert_no_store(response)


def test_static_files_keep_their_cache_and_carry_the_policies(provincial_staff):
    response = logged_in(provincial_staff).get("/static/css/portal.css")
    assert response.status_code == 200
    assert_policies(response)
    assert "no-store" not in response.get("Cache-Control", "")
