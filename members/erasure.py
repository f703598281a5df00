"""Erasing a deleted person's personal data from her change history (issue 12, "Erasure on every path").

A person deleted by mistake (the portal's delete, or the admin's) leaves her history, so that the
deletion itself, by whom and when, stays on record; her ethnic group (sensitive data, Law
91/2025/QH15), phone, citizen ID and date of birth are removed from every row of it. A merge does
not come here: it keeps the merged record's history so that the merge can be undone.
"""

from django.db import transaction

from .models import Person

# What a historical row of hers keeps no more once she is deleted, and what it holds instead.
ERASED = {"ethnic_group": None, "phone": "", "citizen_id": None, "birth_date": None}


@transaction.atomic
def erase_personal_history(*person_ids) -> int:
    """Erase the ethnic group, phone, citizen ID and date of birth from every historical row of these people.

    Called in the transaction that deletes them; returns how many historical rows were written.
    """
    return Person.history.filter(id__in=person_ids).update(**ERASED)
