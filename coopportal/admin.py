"""What every admin page of the portal shares."""

from django.contrib import messages
from django.utils.text import smart_split
from django.utils.translation import gettext as _

# The admin matches each word of a search against every search field: hundreds of words make a
# query SQLite refuses ("Expression tree is too large"). Nobody searches with more than a few.
MAX_SEARCH_WORDS = 10


class BoundedSearchMixin:
    """For a ``ModelAdmin``: a search of more than ``MAX_SEARCH_WORDS`` words uses the first ones, and says so."""

    def get_search_results(self, request, queryset, search_term):
        words = list(smart_split(search_term))
        if len(words) > MAX_SEARCH_WORDS:
            messages.warning(
                request, _("Only the first %(count)s words of the search were used.") % {"count": MAX_SEARCH_WORDS}
            )
            search_term = " ".join(words[:MAX_SEARCH_WORDS])
        return super().get_search_results(request, queryset, search_term)
