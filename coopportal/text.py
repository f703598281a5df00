"""Text as people mean it: one normalisation for what is stored, and folding for searches.

Every text the register stores is normalised once, at the boundary (``coopportal.fields``): Unicode
NFC, so that a name typed on a Mac (NFD) and on Windows (NFC) is the same bytes; no leading or
trailing spaces; runs of spaces, tabs and other Unicode spaces as one space. Control and invisible
format characters (NUL, zero-width spaces, direction marks) are refused with a message, never
dropped silently: they are a paste gone wrong, and PostgreSQL cannot store NUL at all.
"""

import re
import unicodedata
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Spaces of every kind that people do not mean as different: tab, vertical tab, form feed, no-break
# and typographic spaces. The ASCII separators 0x1C-0x1F, which Python also counts as space, are not.
_INLINE_SPACES = "[ \t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
_LINE_BREAKS = "\r\n|\r|\n|\u0085|\u2028|\u2029"
_SPACES_ON_ONE_LINE = re.compile(f"(?:{_INLINE_SPACES}|{_LINE_BREAKS})+")
_SPACES_IN_A_LINE = re.compile(f"{_INLINE_SPACES}+")
_ANY_LINE_BREAK = re.compile(_LINE_BREAKS)
# Categories refused: control (Cc), format (Cf: zero-width and direction marks), surrogates, unassigned.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn"})


def normalise_line(text):
    """One line of text as stored: NFC, trimmed, inner spaces collapsed. ``None`` stays ``None``.

    A tab or line break pasted from a spreadsheet is a space. Other control characters are left in
    place for ``refuse_control_characters`` to name.
    """
    if text is None:
        return None
    text = unicodedata.normalize("NFC", str(text))
    return _SPACES_ON_ONE_LINE.sub(" ", text).strip(" ")


def normalise_lines(text):
    """Several lines (notes, summaries) as stored: NFC, line breaks as ``\\n``, each line trimmed and
    its inner spaces collapsed, no blank lines at either end. ``None`` stays ``None``."""
    if text is None:
        return None
    text = unicodedata.normalize("NFC", str(text))
    lines = [_SPACES_IN_A_LINE.sub(" ", line).strip(" ") for line in _ANY_LINE_BREAK.split(text)]
    return "\n".join(lines).strip("\n")


def refuse_control_characters(value):
    """Validator: refuse control and invisible format characters (a line break is allowed where the
    text has several lines, after ``normalise_lines``), and an accent with no letter under it.

    Raises ValidationError (code ``control_character``) naming the character's position, so that
    the person can find it.
    """
    previous = " "
    for position, character in enumerate(value or "", start=1):
        category = unicodedata.category(character)
        if category.startswith("M") and (
            not unicodedata.category(previous).startswith(("L", "M"))
            or character == unicodedata.normalize("NFD", previous)[-1]
        ):
            # An accent over nothing, or the same accent twice: a paste or a keyboard gone wrong. After a
            # letter a mark may stay uncomposed, as in Bahnar "ơ̆", which Unicode has no single character for.
            raise ValidationError(
                _(
                    "This text has a stray accent (over no letter, or twice over one) at position %(position)s: "
                    "type the word again."
                ),
                code="stray_accent",
                params={"position": position},
            )
        previous = character
        if character != "\n" and category in _REFUSED_CATEGORIES:
            raise ValidationError(
                _(
                    "This text contains an invisible control character (U+%(code)04X) at position %(position)s: "
                    "type it again rather than pasting it."
                ),
                code="control_character",
                params={"code": ord(character), "position": position},
            )


# The five tone marks of Vietnamese as combining characters: grave, acute, tilde, hook above, dot below.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


@lru_cache(maxsize=65_536)
def _identity_key(text):
    words = []
    for word in text.casefold().split():
        characters = list(unicodedata.normalize("NFD", word))
        tones = [ch for ch in characters if ch in _TONE_MARKS]
        letters = [ch for ch in characters if ch not in _TONE_MARKS]
        vowels = [index for index, ch in enumerate(letters) if ch in "aeiouy"]
        if tones and vowels:
            # The tone goes on the syllable's last vowel, after that vowel's own marks (â, ơ, ư…).
            after = vowels[-1] + 1
            while after < len(letters) and unicodedata.category(letters[after]) == "Mn":
                after += 1
            letters[after:after] = tones
        else:
            letters += tones
        words.append(unicodedata.normalize("NFC", "".join(letters)))
    return " ".join(words)


def identity_key(text):
    """'Nguyễn  Thị HÒA' -> the same key as 'nguyễn thị hòa': one name whatever its case, spacing or Unicode form.

    Unlike ``fold``, tone marks count: in Vietnamese, Hoa and Hòa are two different names. Where a
    syllable's tone mark sits does not: "Hoà" (the older placement) and "Hòa" are one name, as are
    "Thuỷ" and "Thủy". The key is lower case, NFC, with each word's tone mark moved to its last vowel:
    text still, so that it can be cut into words and compared as names are.
    """
    return _identity_key(text or "")


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
