"""The base layout: nothing is fetched from outside the portal, and each vendored library keeps its licence."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""", re.I)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", sorted(BASE_DIR.glob("templates/**/*.html")) + sorted(BASE_DIR.glob("static/css/*.css")), ids=str
)
def test_no_template_or_stylesheet_loads_anything_from_another_site(path):
    """No CDN, no web font, no tracker: the browser only ever talks to the portal."""
    assert not EXTERNAL.search(path.read_text(encoding="utf-8"))


def test_the_pattern_above_finds_a_cdn():
    assert EXTERNAL.search('<script src="https://cdn.jsdelivr.net/npm/bootstrap.js"></script>')
    assert EXTERNAL.search("<link href=//fonts.googleapis.com/css>")
    assert not EXTERNAL.search('<link rel="stylesheet" href="/static/css/portal.css">')


def test_each_vendored_library_carries_its_licence():
    libraries = [folder for folder in (BASE_DIR / "static" / "vendor").iterdir() if folder.is_dir()]
    assert libraries
    for folder in libraries:
        assert any(name.name.upper().startswith(("LICENSE", "LICENCE")) for name in folder.iterdir()), folder


@pytest.mark.parametrize("fixture", ["commune_staff", "official"])
def test_the_layout_loads_bootstrap_from_the_portal_itself(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    page = client.get(reverse("home")).content.decode()
    assert '<link rel="stylesheet" href="/static/vendor/bootstrap/css/bootstrap.min.css">' in page
    assert '<script src="/static/vendor/bootstrap/js/bootstrap.bundle.min.js"></script>' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
