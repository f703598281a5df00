"""One holder at a time of a single-holder role, and no overlapping memberships, enforced by PostgreSQL.

``Membership.clean()`` and ``ManagementPosition.clean()`` check these rules, but two requests at once
can both pass the check under READ COMMITTED; these exclusion constraints are the backstop. Periods
are [start, end), an end of NULL being open, as ``members.models.overlapping_periods`` reads them.
SQLite has no exclusion constraints: there the check and the write run in one IMMEDIATE transaction
(``coopportal/settings/base.py``), which serialises them. ``coopportal/validation.py`` maps a violation
to the same message as the check, by the constraint names below.

The roles are written out rather than imported from ``members.roles``: a migration keeps the rule
as it stood when it ran.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

MEMBERSHIP_CONSTRAINT = "membership_no_overlapping_periods"
POSITION_CONSTRAINT = "position_single_holder_no_overlapping_terms"

CREATE = [
    f"""
    ALTER TABLE members_membership ADD CONSTRAINT {MEMBERSHIP_CONSTRAINT}
    EXCLUDE USING gist (
        person_id WITH =,
        organisation_id WITH =,
        daterange(joined_on, left_on, '[)') WITH &&
    )
    """,
    f"""
    ALTER TABLE members_managementposition ADD CONSTRAINT {POSITION_CONSTRAINT}
    EXCLUDE USING gist (
        organisation_id WITH =,
        role WITH =,
        daterange(started_on, ended_on, '[)') WITH &&
    ) WHERE (role IN ('chair', 'director', 'group_leader'))
    """,
]

DROP = [
    f"ALTER TABLE members_membership DROP CONSTRAINT IF EXISTS {MEMBERSHIP_CONSTRAINT}",
    f"ALTER TABLE members_managementposition DROP CONSTRAINT IF EXISTS {POSITION_CONSTRAINT}",
]


class BtreeGist(BtreeGistExtension):
    """``BtreeGistExtension`` whose reverse, too, does nothing outside PostgreSQL.

    Django's own reverse asks SQLite for ``pg_extension`` and fails.
    """

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("members", "0002_ethnic_groups")]
    operations = [
        BtreeGist(),
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP)),
    ]
