"""Every page but the login pages asks for a login: walked over every URL pattern, those added later too."""

import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

pytestmark = pytest.mark.django_db

# Dummy values for path converters: anonymous visitors are turned away before any row is looked up.
CONVERTER_VALUES = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.UUID(int=1))}

# The only views that anyone may open without logging in, each for a reason.
PUBLIC_VIEWS = {
    "accounts:login": "the login page itself",
    "admin:login": "the admin's own login page",
    "set_language": "the language switch works on the login page too",
}


def fill_route(route):
    return re.sub(
        r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>",
        lambda match: CONVERTER_VALUES.get(match["converter"] or "str", "1"),
        route,
    )


def fill_regex(regex):
    """A path the regex matches: groups get their first alternative (``auth|accounts``) or a dummy."""

    def group_value(match):
        body = match["body"]
        if "|" in body:
            return body.split("|")[0]
        if body == ".*":
            return "x/"  # a catch-all: end with a slash so that APPEND_SLASH does not answer first
        return "1" if body in (r"\d+", "[0-9]+") else "x"

    path = re.sub(r"\((?:\?P<\w+>)?(?P<body>[^()]*)\)", group_value, regex)
    return path.lstrip("^").rstrip("$").replace("\\", "")


def walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        piece = fill_route(str(pattern._route)) if isinstance(pattern, RoutePattern) else fill_regex(pattern._regex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from walk(entry, prefix + piece, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield pytest.param("/" + prefix + piece, name, id=f"{name or 'unnamed'} /{prefix}{piece}")


ALL_PAGES = list(walk(get_resolver()))


def test_the_walk_covers_the_portal_and_the_admin():
    """The walker finds the portal's sections and the admin's pages: it cannot pass by finding nothing."""
    names = {param.values[1] for param in ALL_PAGES}
    assert {
        "home",
        "accounts:login",
        "accounts:password_change",
        "cooperatives:list",
        "members:list",
        "workshops:list",
        "reports:dashboard",
        "admin:index",
        "admin:accounts_user_changelist",
    } <= names
    assert len(ALL_PAGES) > 50


@pytest.mark.parametrize(("path", "name"), ALL_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, path, name):
    match = resolve(path)
    assert match.view_name == (name or match.view_name), f"{path} resolves to {match.view_name}, not {name}"
    response = client.get(path)
    if name in PUBLIC_VIEWS:
        # A login page answers (200) or the switch sends the visitor back (302); neither shows data.
        assert response.status_code in (200, 302)
        return
    assert response.status_code == 302, f"{path} answered {response.status_code} to an anonymous visitor"
    location = urlsplit(response["Location"])
    if path.startswith("/admin/"):
        # The admin site's own views send visitors to the admin's login; its per-model views carry no
        # login URL, so LoginRequiredMiddleware sends those to the portal's. Both are login pages.
        assert location.path in (reverse("admin:login"), reverse(settings.LOGIN_URL))
    else:
        assert location.path == reverse(settings.LOGIN_URL)
    assert "next=" in location.query


def test_no_other_view_is_open_to_anonymous_visitors():
    """A view marked login_not_required must be on the short public list above."""
    open_views = {
        name
        for param in ALL_PAGES
        for path, name in [param.values]
        if not getattr(resolve(path).func, "login_required", True)
    }
    assert open_views <= set(PUBLIC_VIEWS)
