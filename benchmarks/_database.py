"""A throwaway test database for a benchmark, so that its figures never touch a real database."""

import contextlib
import os


@contextlib.contextmanager
def throwaway_database():
    """Set Django up with the test settings and yield the connection to a fresh test database.

    SQLite by default, or the server DATABASE_URL names (as `test_<name>`); destroyed afterwards.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopportal.settings.test")
    import django  # noqa: PLC0415 - settings must be chosen before Django loads

    django.setup()
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: PLC0415

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
