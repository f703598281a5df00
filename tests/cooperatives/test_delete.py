"""Deleting an organisation registered by mistake: only while nothing depends on it, never a 500 (issue 9)."""

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from cooperatives.models import Organisation
from cooperatives.services import organisation_delete
from members.models import ManagementPosition, Membership
from members.roles import Role
from members.services import position_appoint
from tests.factories import OrganisationFactory, PersonFactory, member
from tests.workshops.factories import add_participant, make_workshop
from workshops.models import Participant

pytestmark = pytest.mark.django_db


def every_row():
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for app in ("cooperatives", "members", "workshops")
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }


def delete_url(organisation):
    return reverse("cooperatives:delete", args=[organisation.pk])


def test_an_organisation_nothing_depends_on_is_deleted_and_its_history_stays(client, provincial_staff):
    mistake = OrganisationFactory(name="Hợp tác xã nhập nhầm")
    client.force_login(provincial_staff)
    assert delete_url(mistake) in client.get(mistake.get_absolute_url()).content.decode()
    confirm = client.get(delete_url(mistake))
    assert confirm.context["dependents"] == "" and "Hợp tác xã nhập nhầm" in confirm.content.decode()
    response = client.post(delete_url(mistake))
    assert response.status_code == 302 and response.url == reverse("cooperatives:list")
    assert not Organisation.objects.filter(pk=mistake.pk).exists()
    history = Organisation.history.filter(id=mistake.pk).order_by("history_id")
    assert [record.history_type for record in history] == ["+", "-"]
    assert history.last().history_user == provincial_staff


@pytest.mark.parametrize("depends", ["membership", "term", "participant"])
def test_an_organisation_something_depends_on_is_kept_with_a_message(client, provincial_staff, depends):
    organisation = OrganisationFactory(name="Hợp tác xã có hồ sơ")
    if depends == "membership":
        member(organisation)
    elif depends == "term":
        position_appoint(
            person=PersonFactory(), organisation=organisation, role=Role.DIRECTOR, started_on=date(2020, 1, 1)
        )
    else:
        add_participant(make_workshop(), full_name="Đại biểu", organisation=organisation)
    client.force_login(provincial_staff)
    assert delete_url(organisation) not in client.get(organisation.get_absolute_url()).content.decode()
    assert client.get(delete_url(organisation)).context["dependents"]
    before = every_row()
    response = client.post(delete_url(organisation), follow=True)
    assert response.status_code == 200
    [message] = [str(m) for m in response.context["messages"]]
    relation = {"membership": Membership, "term": ManagementPosition, "participant": Participant}[depends]
    assert f"{relation._meta.verbose_name_plural}: 1" in message
    assert every_row() == before
    with pytest.raises(ValidationError) as refusal:
        organisation_delete(organisation=organisation, user=provincial_staff)
    assert refusal.value.code == "has_dependents"


def test_commune_staff_cannot_delete_outside_their_scope(client, commune_staff, commune_b, official):
    elsewhere = OrganisationFactory(name="Hợp tác xã Sơn Hà", commune=commune_b)
    before = every_row()
    client.force_login(commune_staff)
    assert client.get(delete_url(elsewhere)).status_code == 404
    assert client.post(delete_url(elsewhere)).status_code == 404
    assert client.post(reverse("cooperatives:delete", args=[999_999])).status_code == 404
    with pytest.raises(Organisation.DoesNotExist):
        organisation_delete(organisation=elsewhere, user=commune_staff)
    client.force_login(official)
    assert client.post(delete_url(elsewhere)).status_code == 403
    assert every_row() == before
