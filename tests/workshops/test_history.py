"""Participants, presentations and sign-in-sheet imports keep a history like the registers (issue 12, access log).

Who added, changed or removed each row, and when, through the portal's views and the admin: every
historical row names the user who made the change (simple_history's HistoryRequestMiddleware).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from tests.submissions import post_new
from tests.versions import form_on
from workshops.models import Participant, Presentation

from .factories import add_participant, make_workshop

pytestmark = pytest.mark.django_db


def edit(client, url, **changes):
    """Open the edit form and send it back as the browser would, with ``changes`` typed in."""
    data = form_on(client.get(url)) | changes
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return response


def history_of(model, pk):
    return list(model.history.filter(id=pk).order_by("history_id").values_list("history_type", "history_user"))


def test_a_participant_added_edited_and_removed_in_the_portal_has_its_history_with_the_user(client, provincial_staff):
    workshop = make_workshop()
    client.force_login(provincial_staff)
    data = {"full_name": "Nguyễn Thị Hoa", "gender": "female", "organisation_kind": "other", "attended": "on"}
    assert post_new(client, reverse("workshops:participant_add", args=[workshop.pk]), data).status_code == 302
    participant = Participant.objects.get(workshop=workshop)

    edit(client, reverse("workshops:participant_update", args=[workshop.pk, participant.pk]), position="Giám đốc")
    assert Participant.history.filter(id=participant.pk).latest("history_id").position == "Giám đốc"

    remove = reverse("workshops:participant_remove", args=[workshop.pk, participant.pk])
    assert client.post(remove).status_code == 302
    assert not Participant.objects.filter(pk=participant.pk).exists()
    assert history_of(Participant, participant.pk) == [
        ("+", provincial_staff.pk),
        ("~", provincial_staff.pk),
        ("-", provincial_staff.pk),
    ]


def test_a_presentation_added_and_edited_in_the_portal_has_its_history_with_the_user(client, provincial_staff):
    workshop = make_workshop()
    client.force_login(provincial_staff)
    data = {"title": "Kinh nghiệm tiêu thụ", "presenter": "Bà Lan", "summary": "", "position": "1"}
    assert post_new(client, reverse("workshops:presentation_add", args=[workshop.pk]), data).status_code == 302
    presentation = Presentation.objects.get(workshop=workshop)

    url = reverse("workshops:presentation_update", args=[workshop.pk, presentation.pk])
    edit(client, url, title="Kinh nghiệm tiêu thụ sản phẩm")
    latest = Presentation.history.filter(id=presentation.pk).latest("history_id")
    assert latest.title == "Kinh nghiệm tiêu thụ sản phẩm"
    assert history_of(Presentation, presentation.pk) == [("+", provincial_staff.pk), ("~", provincial_staff.pk)]


def test_a_presentation_and_a_participant_deleted_in_the_admin_keep_the_deletion_with_the_user(client, administrator):
    """The portal has no page to delete a presentation: the admin's workshop page does it, in its inline."""
    workshop = make_workshop()
    client.force_login(administrator)
    presentation = Presentation.objects.create(workshop=workshop, title="Kinh nghiệm", presenter="Bà Lan", position=1)
    participant = add_participant(workshop)
    url = reverse("admin:workshops_workshop_change", args=[workshop.pk])
    data = form_on(client.get(url)) | {"presentations-0-DELETE": "on", "participants-0-DELETE": "on"}
    assert client.post(url, data).status_code == 302
    assert not Presentation.objects.exists() and not Participant.objects.exists()
    assert history_of(Presentation, presentation.pk)[-1] == ("-", administrator.pk)
    assert history_of(Participant, participant.pk)[-1] == ("-", administrator.pk)


def test_a_sign_in_sheet_writes_each_participants_history_with_the_user_who_imported_it(client, provincial_staff):
    workshop = make_workshop()
    client.force_login(provincial_staff)
    sheet = SimpleUploadedFile(
        "ds.csv", "Họ và tên,Giới tính,Đơn vị\nNguyễn Thị Hoa,Nữ,Sở Tài chính\nLê Văn Nam,Nam,UBND xã\n".encode()
    )
    response = post_new(
        client, reverse("workshops:sign_in_sheet", args=[workshop.pk]), {"sheet": sheet, "attended": "on"}
    )
    assert response.status_code == 302
    participants = list(workshop.participants.all())
    assert len(participants) == 2
    rows = Participant.history.filter(id__in=[participant.pk for participant in participants])
    assert sorted(rows.values_list("full_name", flat=True)) == ["Lê Văn Nam", "Nguyễn Thị Hoa"]
    assert {(row.history_type, row.history_user, row.history_change_reason) for row in rows} == {
        ("+", provincial_staff, _("Sign-in sheet"))
    }


def test_a_sign_in_sheet_refused_for_a_bad_row_writes_no_history(client, provincial_staff):
    workshop = make_workshop()
    client.force_login(provincial_staff)
    sheet = SimpleUploadedFile("ds.csv", "Họ và tên,Giới tính\nNguyễn Thị Hoa,Nữ\nLê Văn Nam,không rõ\n".encode())
    response = post_new(
        client, reverse("workshops:sign_in_sheet", args=[workshop.pk]), {"sheet": sheet, "attended": "on"}
    )
    assert response.status_code == 200
    assert not Participant.history.exists()
