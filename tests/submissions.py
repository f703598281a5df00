"""Forms that add rows carry a one-time token (``coopportal.submissions``): tests that post by hand send it too."""

from coopportal.submissions import TOKEN_FIELD


def with_token(client, url, data, *, page=None):
    """``data`` plus the one-time token of the form on the page at ``page`` (default ``url``), as now.

    What a browser sends back with a form it has just opened; without it nothing is saved, and a
    second POST of the same token saves nothing either.
    """
    response = client.get(page or url)
    assert response.status_code == 200, response.status_code
    return {**data, TOKEN_FIELD: response.context[TOKEN_FIELD]}


def post_new(client, url, data=None, *, page=None, **extra):
    """POST ``data`` to ``url`` as a browser does from the form page it has just opened: with its token."""
    return client.post(url, with_token(client, url, data or {}, page=page), **extra)
