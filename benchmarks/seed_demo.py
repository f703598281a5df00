"""How long `seed_demo` takes on an empty database, and a second run on top (target: under 5 seconds).

The tests load the demo several times, and `make run` once per fresh database.

The registers are written through the services, row by row with full_clean() and history, so the time
grows with the rows: it is printed next to them. Builds a throwaway test database (SQLite by default,
or the one DATABASE_URL names).
"""

import io
import time

from ._database import throwaway_database

TARGET_SECONDS = 5


def main():
    with throwaway_database() as connection:
        from django.core.management import call_command

        call_command("load_admin_units", stdout=io.StringIO())
        from django.db import transaction

        from cooperatives.models import Organisation
        from members.demo import seed_registers
        from members.models import ManagementPosition, Membership, Person

        with transaction.atomic():
            started = time.perf_counter()
            seed_registers()
            registers = time.perf_counter() - started
            transaction.set_rollback(True)
        started = time.perf_counter()
        call_command("seed_demo", stdout=io.StringIO())
        first = time.perf_counter() - started
        started = time.perf_counter()
        call_command("seed_demo", stdout=io.StringIO())
        second = time.perf_counter() - started
        print(
            f"seed_demo on {connection.vendor}: {Organisation.objects.count()} organisations, "
            f"{Person.objects.count()} people, {Membership.objects.count()} memberships, "
            f"{ManagementPosition.objects.count()} positions"
        )
        verdict = "met" if first < TARGET_SECONDS else "NOT met"
        print(f"  registers alone (members.demo.seed_registers): {registers:.2f} s")
        print(f"  first run, accounts and workshops too: {first:.2f} s (target under {TARGET_SECONDS} s -> {verdict})")
        print(f"  second run (finds the demo, writes nothing of the registers): {second:.2f} s")


if __name__ == "__main__":
    main()
