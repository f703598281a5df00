"""Deleting a membership or a term entered by mistake, and then the person entered by mistake with it (issue 9).

People are created only with a membership or a term, which are ended rather than deleted when
someone leaves; a row that should never have been entered is deleted instead, by staff whose scope
holds it, after confirmation. Its history records the deletion, by whom and why; the figures no
longer count it on any day; the person it leaves with nothing is then deleted in turn.
"""

from datetime import date

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from coopportal.records import dependent_relations
from members.deleting import membership_delete, position_delete
from members.models import ManagementPosition, Membership, Person
from members.roles import Role
from members.selectors import members_count_by_organisation
from tests.factories import OrganisationFactory, appoint, member

pytestmark = pytest.mark.django_db


def every_row():
    """Every row of the registers' tables, history included (accounts aside: a login stamps its time)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for app in ("cooperatives", "members", "workshops", "reports", "imports")
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }


@pytest.fixture
def dong_xuan(commune_a):
    return OrganisationFactory(name="Hợp tác xã Nông nghiệp Đồng Xuân", commune=commune_a, founded_on=date(2015, 1, 1))


@pytest.fixture
def mistake(dong_xuan):
    """A person entered by mistake, with the membership and the term she was entered with."""
    membership = member(dong_xuan, full_name="Người nhập nhầm", joined_on=date(2020, 1, 1))
    return membership, appoint(membership, Role.DIRECTOR, started_on=date(2021, 1, 1))


def membership_url(membership, **query):
    return reverse("members:membership_delete", args=[membership.pk]) + ("?back=person" if query else "")


def position_url(position):
    return reverse("members:position_delete", args=[position.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_membership_entered_by_mistake_is_deleted_after_confirmation_and_its_history_stays(
    client, provincial_staff, dong_xuan, mistake
):
    membership, _position = mistake
    client.force_login(provincial_staff)
    page = client.get(dong_xuan.get_absolute_url()).content.decode()
    assert membership_url(membership) in page
    confirm = client.get(membership_url(membership))
    assert confirm.status_code == 200 and "Người nhập nhầm" in confirm.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()

    response = client.post(membership_url(membership))
    assert response.status_code == 302 and response["Location"] == dong_xuan.get_absolute_url() + "#members"
    assert not Membership.objects.filter(pk=membership.pk).exists()
    deletion = Membership.history.filter(id=membership.pk).latest("history_id")
    assert (deletion.history_type, deletion.history_user) == ("-", provincial_staff)
    assert deletion.history_change_reason == _("Entered by mistake")
    assert Membership.history.filter(id=membership.pk).count() == 2
    # Deleted, not ended: she counts on no day, not even those her membership claimed.
    assert members_count_by_organisation(date(2020, 6, 1), [dong_xuan]).get(dong_xuan.pk, 0) == 0


def test_a_term_entered_by_mistake_is_deleted_and_its_history_stays(client, provincial_staff, dong_xuan, mistake):
    _membership, position = mistake
    client.force_login(provincial_staff)
    assert position_url(position) in client.get(dong_xuan.get_absolute_url()).content.decode()
    assert client.get(position_url(position)).status_code == 200
    response = client.post(position_url(position))
    assert response.status_code == 302 and response["Location"] == dong_xuan.get_absolute_url() + "#management"
    assert not ManagementPosition.objects.filter(pk=position.pk).exists()
    deletion = ManagementPosition.history.filter(id=position.pk).latest("history_id")
    assert (deletion.history_type, deletion.history_user) == ("-", provincial_staff)


def test_once_her_rows_are_deleted_from_her_page_the_person_entered_by_mistake_is_deleted(
    client, provincial_staff, mistake
):
    """The issue's case: her page offers to delete each row, then herself; all three histories stay."""
    membership, position = mistake
    person = membership.person
    client.force_login(provincial_staff)
    page = client.get(person.get_absolute_url()).content.decode()
    assert reverse("members:delete", args=[person.pk]) not in page
    assert membership_url(membership, back="person") in page
    assert reverse("members:position_delete", args=[position.pk]) + "?back=person" in page

    refused = client.post(reverse("members:delete", args=[person.pk]))
    assert Person.objects.filter(pk=person.pk).exists() and refused.status_code == 302

    for url in (membership_url(membership, back="person"), position_url(position) + "?back=person"):
        assert 'name="back" value="person"' in client.get(url).content.decode()
        response = client.post(url, {"back": "person"})
        assert response["Location"] == person.get_absolute_url()
    page = client.get(person.get_absolute_url()).content.decode()
    assert reverse("members:delete", args=[person.pk]) in page

    assert client.post(reverse("members:delete", args=[person.pk]))["Location"] == reverse("members:list")
    assert not Person.objects.filter(pk=person.pk).exists()
    assert Person.history.filter(id=person.pk).latest("history_id").history_type == "-"
    assert Membership.history.filter(id=membership.pk).exists()
    assert ManagementPosition.history.filter(id=position.pk).exists()


def test_nothing_depends_on_a_membership_or_a_term(mistake):
    """No table points to them today; one added later would be counted by the check the deletion makes."""
    assert dependent_relations(Membership) == []
    assert dependent_relations(ManagementPosition) == []


def test_a_row_something_depends_on_is_not_deleted_and_the_page_says_why(
    client, provincial_staff, dong_xuan, mistake, monkeypatch
):
    membership, _position = mistake

    def depended_on(record, *, user):
        raise ValidationError("This record cannot be deleted: other records depend on it.", code="has_dependents")

    monkeypatch.setattr("members.deleting.delete_unless_depended_on", depended_on)
    client.force_login(provincial_staff)
    before = every_row()
    response = client.post(membership_url(membership))
    assert response.status_code == 302
    assert "This record cannot be deleted: other records depend on it." in messages_of(response)
    assert every_row() == before


def test_commune_staff_reach_only_their_communes_rows_and_officials_none(
    client, commune_staff, official, commune_b, dong_xuan, mistake
):
    elsewhere = OrganisationFactory(name="Hợp tác xã Sơn Hà", commune=commune_b)
    other = member(elsewhere, full_name="Người xã khác", joined_on=date(2020, 1, 1))
    other_term = appoint(other, Role.DIRECTOR)
    before = every_row()
    client.force_login(commune_staff)
    for url in (membership_url(other), position_url(other_term)):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    client.force_login(official)
    membership, position = mistake
    for url in (membership_url(membership), position_url(position)):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert every_row() == before
    # Their own commune's rows they may delete.
    client.force_login(commune_staff)
    assert client.post(membership_url(membership)).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_services_refuse_a_row_outside_the_users_scope(commune_staff, commune_b):
    elsewhere = OrganisationFactory(name="Hợp tác xã Sơn Hà", commune=commune_b)
    other = member(elsewhere, joined_on=date(2020, 1, 1))
    other_term = appoint(other, Role.DIRECTOR)
    with pytest.raises(PermissionDenied):
        membership_delete(membership=other, user=commune_staff)
    with pytest.raises(PermissionDenied):
        position_delete(position=other_term, user=commune_staff)
    assert Membership.objects.filter(pk=other.pk).exists()
    assert ManagementPosition.objects.filter(pk=other_term.pk).exists()


def test_a_second_post_of_a_deletion_is_a_404_not_a_server_error(client, provincial_staff, mistake):
    membership, _position = mistake
    client.force_login(provincial_staff)
    assert client.post(membership_url(membership)).status_code == 302
    assert client.post(membership_url(membership)).status_code == 404
