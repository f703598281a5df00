"""The access log: who read an individual's page or downloaded personal data or a report, when, and what.

Each view that shows an individual's page or sends a file calls ``log_access`` once, just before it
answers. The entry is written in the request's transaction (ATOMIC_REQUESTS): a request that fails
afterwards sent nothing, and its entry goes with the rest of its writes.
"""

import ipaddress

from axes.helpers import get_client_ip_address

from coopportal.accounts.models import AccessKind, AccessLogEntry

VIEW = AccessKind.VIEW
DOWNLOAD = AccessKind.DOWNLOAD


def client_address(request):
    """The client's address as the login throttle (django-axes) reads it, behind the configured proxies."""
    address = get_client_ip_address(request)
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:  # not an address (a test client's, a misconfigured proxy's): the log keeps the rest
        return None


def log_access(request, kind, obj=None, file_format=""):
    """Write one entry for ``request``: its user, path and query string, ``obj`` (if any) and the file's format."""
    return AccessLogEntry.objects.create(
        user=request.user,
        kind=kind,
        object_model=obj._meta.label if obj is not None else "",
        object_pk=str(obj.pk) if obj is not None else "",
        path=request.path[:500],
        query=request.META.get("QUERY_STRING", ""),
        file_format=file_format,
        ip_address=client_address(request),
    )
