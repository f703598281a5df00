"""Background work of an import (django-tasks; the database backend's `db_worker` runs it).

A check or a save of a large register takes longer than a page may wait, so the page enqueues
it and shows its progress. Each task takes the import's id, so that a task enqueued with a request
runs on the rows that request committed.
"""

import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_tasks import task

from coopportal.accounts.models import User

from .models import ImportStatus, RegisterImport
from .services import import_check, import_save

logger = logging.getLogger(__name__)


def _failed(register_import_pk):
    logger.exception("Register import %s failed", register_import_pk)
    RegisterImport.objects.filter(pk=register_import_pk).update(
        status=ImportStatus.FAILED, failure=_("The import stopped on an unexpected error; nothing was saved.")
    )


@task()
def check_register_import(register_import_pk: int) -> None:
    """Run the check of an import (the preview)."""
    try:
        import_check(register_import=RegisterImport.objects.get(pk=register_import_pk))
    except Exception:
        _failed(register_import_pk)


@task()
def save_register_import(register_import_pk: int, user_pk: int) -> None:
    """Save an import that was checked with no refused row."""
    try:
        import_save(
            register_import=RegisterImport.objects.get(pk=register_import_pk), user=User.objects.get(pk=user_pk)
        )
    except ValidationError:
        # Not ready (a second save of the same import): it stays as it was, saved or checked.
        logger.warning("Register import %s was not ready to be saved; left as it was", register_import_pk)
    except Exception:
        _failed(register_import_pk)
