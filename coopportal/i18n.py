"""Reference data kept in both languages: which name a page shows follows the active language."""

from django.utils.translation import get_language


def localised(vi, en):
    """``en`` when English is active, ``vi`` otherwise (Vietnamese is the portal's default)."""
    return en if (get_language() or "vi").startswith("en") else vi


class BilingualNameMixin:
    """For models with ``name_vi`` and ``name_en`` fields: ``name`` in the active language."""

    @property
    def name(self):
        return localised(self.name_vi, self.name_en)
