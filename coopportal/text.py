"""Text folding for searches that ignore case and Vietnamese diacritics on every database."""

import unicodedata
from functools import lru_cache


# Pure, and called for every name of a large import several times: remembered.
@lru_cache(maxsize=65_536)
def _fold(text):
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def fold(text):
    """'Đồng Xuân' -> 'dong xuan': lower case, no diacritics, đ as d, single spaces."""
    return _fold(text or "")
