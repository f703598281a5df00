"""Deleting a person erases her personal data from her change history (issue 12, "Erasure on every path").

Whether she is deleted from the portal (a record entered by mistake) or in the Django admin, no
historical row of hers keeps an ethnic group, a phone, a citizen ID or a date of birth; the deletion
itself, by whom, stays in the history. A merge keeps the merged record's history, so it can be undone.
"""

from datetime import date

import pytest
from django.urls import reverse

from members.erasure import erase_personal_history
from members.merging import person_merge
from members.models import EthnicGroup, Person
from members.services import person_update
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def personal_person(citizen_id="051185000111", **fields):
    """A person with every field the deletion must erase, edited once so that she has two historical rows."""
    person = PersonFactory(
        birth_year=1985,
        birth_date=date(1985, 11, 8),
        ethnic_group=EthnicGroup.objects.get(code="19"),
        ethnicity_consent_on=date(2024, 1, 5),
        ethnicity_consent_informed=True,
        citizen_id=citizen_id,
        **fields,
    )
    person_update(person=person, phone="0905123456")
    assert person.history.count() == 2
    return person


def personal_rows(person_id):
    """Her historical rows that still hold any of the erased fields."""
    rows = Person.history.filter(id=person_id)
    return [
        row
        for row in rows
        if row.ethnic_group_id is not None or row.phone or row.citizen_id is not None or row.birth_date is not None
    ]


def assert_erased_and_deletion_kept(person_id, user):
    assert not Person.objects.filter(pk=person_id).exists()
    history = Person.history.filter(id=person_id)
    assert history.count() == 3
    assert personal_rows(person_id) == []
    deletion = history.latest("history_id")
    assert (deletion.history_type, deletion.history_user) == ("-", user)
    # What is not personal data in the register's sense stays, so the history still says who was deleted.
    assert {row.full_name for row in history} == {deletion.full_name}


def test_the_portal_delete_erases_her_personal_data_from_the_history(client, provincial_staff):
    person = personal_person()
    neighbour = personal_person(full_name="Đinh Thị Sun", citizen_id="051185000112")
    client.force_login(provincial_staff)
    response = client.post(reverse("members:delete", args=[person.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("members:list")
    assert_erased_and_deletion_kept(person.pk, provincial_staff)
    # Only hers: another person's history is left as it was.
    assert len(personal_rows(neighbour.pk)) == 2


def test_the_admin_delete_erases_her_personal_data_from_the_history(client, administrator):
    person = personal_person()
    client.force_login(administrator)
    url = reverse("admin:members_person_delete", args=[person.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert_erased_and_deletion_kept(person.pk, administrator)


def test_the_admin_delete_action_erases_each_persons_personal_data(client, administrator):
    people = [personal_person(), personal_person(full_name="Đinh Thị Sun", citizen_id="051185000112")]
    client.force_login(administrator)
    response = client.post(
        reverse("admin:members_person_changelist"),
        {"action": "delete_selected", "_selected_action": [person.pk for person in people], "post": "yes"},
    )
    assert response.status_code == 302
    for person in people:
        assert_erased_and_deletion_kept(person.pk, administrator)


def test_the_erasure_runs_in_the_deleting_transaction(client, provincial_staff, monkeypatch):
    """Should the erasure fail, she is not deleted either: her record and her history stay as they were."""
    person = personal_person()

    def failing(*person_ids):
        raise RuntimeError("erasure failed")

    monkeypatch.setattr("members.merging.erase_personal_history", failing)
    client.force_login(provincial_staff)
    client.raise_request_exception = False
    assert client.post(reverse("members:delete", args=[person.pk])).status_code == 500
    assert Person.objects.filter(pk=person.pk).exists()
    assert len(personal_rows(person.pk)) == 2


def test_erasing_the_history_of_no_one_writes_nothing():
    person = personal_person()
    assert erase_personal_history() == 0
    assert len(personal_rows(person.pk)) == 2


def test_a_merge_keeps_the_merged_records_history_so_that_it_can_be_undone(provincial_staff):
    """A merged record is the same woman, not a deletion: her history stays whole, for the undo."""
    kept = PersonFactory(full_name="Đinh Thị Sun", birth_year=1985)
    merged = personal_person(full_name="Đinh Thị Sun")
    person_merge(kept=kept, merged=merged, user=provincial_staff)
    assert not Person.objects.filter(pk=merged.pk).exists()
    assert len(personal_rows(merged.pk)) == 3
