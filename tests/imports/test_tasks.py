"""The worker that `make run` starts runs an import's check and save from the database queue."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from cooperatives.models import Organisation
from imports.models import ImportStatus, RegisterImport
from imports.services import import_queue_save, import_upload
from imports.tasks import check_register_import, save_register_import

from .workbooks import demo_rows, register_workbook

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def work_off_the_queue():
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO(), stderr=io.StringIO()
    )


@override_settings(TASKS=DATABASE_QUEUE)
def test_db_worker_checks_then_saves_an_import_that_waited_in_the_queue(administrator, reference_data):
    """Enqueued work waits (nothing happens in the request) until the worker takes it."""
    organisations, members = demo_rows()
    register_import = import_upload(
        user=administrator, file_name="so.xlsx", content=register_workbook(organisations=organisations, members=members)
    )
    check_register_import.enqueue(register_import.pk)
    assert RegisterImport.objects.get(pk=register_import.pk).status == ImportStatus.QUEUED
    work_off_the_queue()
    register_import.refresh_from_db()
    assert register_import.status == ImportStatus.CHECKED and register_import.errors == []

    import_queue_save(register_import=register_import)
    save_register_import.enqueue(register_import.pk, administrator.pk)
    assert not Organisation.objects.exists()
    work_off_the_queue()
    register_import.refresh_from_db()
    assert register_import.status == ImportStatus.SAVED
    assert Organisation.objects.count() == len(organisations)
