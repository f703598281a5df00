"""`seed_demo` loads the same demo province every time, and a second run changes nothing."""

import io

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings

from cooperatives.models import Organisation
from members.models import ManagementPosition, Membership, Person

from .test_settings import run_django

pytestmark = pytest.mark.django_db


def row_counts():
    """Rows in every table the project's models have, history tables included."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: model._base_manager.count() for model in apps.get_models() if model._meta.db_table in tables
    }


def registers():
    """The registers by their natural values (primary keys differ from one database to the next)."""
    return (
        sorted(
            Organisation.objects.values_list("name", "registration_number", "commune__code", "founded_on", "status")
        ),
        sorted(Person.objects.values_list("full_name", "gender", "birth_year", "ethnic_group__code", "citizen_id")),
        sorted(
            Membership.objects.values_list(
                "person__full_name", "organisation__name", "member_type", "joined_on", "left_on", "capital_contributed"
            )
        ),
        sorted(
            ManagementPosition.objects.values_list(
                "person__full_name", "organisation__name", "role", "started_on", "ended_on"
            )
        ),
    )


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def test_seeding_twice_changes_nothing_and_writes_the_same_registers():
    """Two loads on empty databases write the same rows; a second load on top adds and changes none."""
    with transaction.atomic():
        seed()
        first_load = registers()
        transaction.set_rollback(True)
    assert not Organisation.objects.exists()

    seed()
    counts = row_counts()
    assert registers() == first_load
    seed()
    assert row_counts() == counts
    assert registers() == first_load
    assert counts["members.Person"] > 400
    assert counts["members.HistoricalPerson"] >= counts["members.Person"]


@override_settings(PORTAL_DEMO_DATA=False)
def test_settings_without_demo_data_refuse_it_and_write_nothing():
    """The demo's passwords are printed in the README: a deployment must never have those accounts."""
    before = row_counts()
    with pytest.raises(CommandError, match="tài khoản mẫu là công khai"):
        seed()
    assert row_counts() == before


def test_the_production_settings_do_not_allow_the_demo_data():
    completed = run_django(
        "import django; django.setup(); from django.conf import settings; print(settings.PORTAL_DEMO_DATA)",
        "coopportal.settings.production",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="portal.example.vn",
    )
    assert completed.stdout.split() == ["False"], completed.stderr
    assert settings.PORTAL_DEMO_DATA is True  # the test settings, like `make run`'s, allow it
