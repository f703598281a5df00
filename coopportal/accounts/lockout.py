"""How django-axes names the user of a failed login, for the lockout rule and its record."""

from axes.models import AccessAttempt

USERNAME_COLUMN_LENGTH = AccessAttempt._meta.get_field("username").max_length


def lockout_username(request, credentials):
    """The user name tried (``AXES_USERNAME_CALLABLE``), cut to the length axes can store.

    The login form refuses longer names, but the admin's login form and any other caller of
    ``authenticate()`` do not: no account has a name that long, so its first 255 characters name
    the same attempts.
    """
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return username[:USERNAME_COLUMN_LENGTH] if username else username
