"""The text of a search (``?q=``), read the same way by every picker, lookup and search page.

A search box sends what was typed, or pasted: a control character (NUL, which PostgreSQL cannot
take in a query at all) or a book-length paste is refused with a message rather than reaching the
database, and the text is normalised as the register stores names.
"""

from dataclasses import dataclass

from django import forms
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _

from .fields import TextLineFormField

# Longer than any name the register keeps (organisations: 255 characters).
MAX_SEARCH_LENGTH = 255


class SearchForm(forms.Form):
    """``q``: optional, normalised (NFC, trimmed, single spaces), no control characters, bounded length."""

    q = TextLineFormField(label=_("Search"), required=False, max_length=MAX_SEARCH_LENGTH)


@dataclass(frozen=True)
class Search:
    """What a request asks to search for: ``text`` ('' when nothing, or nothing usable) and ``error``."""

    text: str
    error: str = ""

    def refused_as_json(self):
        """The answer of a JSON lookup to a refused search: no results, the reason, status 400."""
        return JsonResponse({"results": [], "error": self.error}, status=400)


def search_of(request, name="q"):
    """The search in ``request``'s query parameter ``name``, read through ``SearchForm``."""
    form = SearchForm({"q": request.GET.get(name, "")})
    if form.is_valid():
        return Search(text=form.cleaned_data["q"])
    return Search(text="", error=" ".join(form.errors["q"]))
