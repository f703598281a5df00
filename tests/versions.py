"""Edit forms carry the version of the record they were opened on: tests that post by hand send it too."""

from coopportal.concurrency import TOKEN_FIELD


def with_version(client, url, data, *, page=None, form="form"):
    """``data`` plus the hidden record version of ``form`` on the page at ``page`` (default ``url``), as now.

    What a browser sends back with a form it has just opened; without it the save is refused as an
    edit conflict.
    """
    response = client.get(page or url)
    assert response.status_code == 200, response.status_code
    return {**data, TOKEN_FIELD: response.context[form][TOKEN_FIELD].value()}
