"""The demo province's registers, written through the services."""

from datetime import date

# The day of the Union's workshop in the article; the registers' figures are built around it.
DEMO_WORKSHOP_DATE = date(2024, 9, 26)


def seed_registers():
    """Filled in by the registers issue."""
