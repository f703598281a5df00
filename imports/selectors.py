"""Reads of register imports that are more than a get()."""

from .models import RegisterImport


def import_log(user):
    """The imports ``user`` may read, newest first, with who uploaded them: one query, whatever their files.

    The file and the preview's lists can be megabytes each; the log shows none of them.
    """
    return (
        RegisterImport.objects.for_user(user)
        .select_related("created_by")
        .defer("content", "mapping", "sheets", "notes", "organisations")
    )
