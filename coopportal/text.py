"""Text folding for searches that ignore case and Vietnamese diacritics on every database."""

import unicodedata


def fold(text):
    """'Đồng Xuân' -> 'dong xuan': lower case, no diacritics, đ as d, single spaces."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
