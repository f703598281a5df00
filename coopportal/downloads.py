"""A download whose filters cannot be read is refused, never made: an empty file would read as "0 organisations"."""

from django.contrib import messages
from django.utils.translation import gettext as _


def refused_download(request, page):
    """``page``, the response of the page that holds the download's filters, as the answer to a refused download.

    The page's form is bound to the same query and so shows each filter's error; above it, a message
    says that no file was made. The status is 400: the request, not the register, was wrong.
    """
    messages.error(
        request, _("No file was made: some filters are not valid (see below). Correct them, then download again.")
    )
    page.status_code = 400
    return page
