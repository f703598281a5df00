"""The one scope rule (coopportal/accounts/scope.py), for each role, at the queryset and at the URL."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from cooperatives.models import Organisation
from coopportal.accounts.models import Role
from coopportal.accounts.scope import commune_ids_in_scope, restrict_to_scope
from members.models import ManagementPosition, Membership, Person
from members.roles import Role as ManagementRole
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, appoint, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_communes(commune_a, commune_b):
    """One organisation with a member and a chair in each commune."""
    inside = OrganisationFactory(name="Hợp tác xã Cẩm Thành", commune=commune_a)
    outside = OrganisationFactory(name="Hợp tác xã Sơn Hà", commune=commune_b)
    for organisation in (inside, outside):
        appoint(member(organisation), ManagementRole.CHAIR)
    return inside, outside


@pytest.mark.parametrize("fixture", ["administrator", "provincial_staff", "official"])
def test_administrators_officials_and_province_wide_staff_see_the_whole_province(request, fixture, two_communes):
    user = request.getfixturevalue(fixture)
    assert commune_ids_in_scope(user) is None
    assert set(restrict_to_scope(Organisation.objects.all(), user, "commune")) == set(two_communes)
    assert set(Organisation.objects.for_user(user)) == set(two_communes)
    assert Person.objects.for_user(user).count() == 2


def test_commune_staff_see_only_their_communes(commune_staff, commune_a, two_communes):
    inside, outside = two_communes
    assert commune_ids_in_scope(commune_staff) == {commune_a.pk}
    assert list(Organisation.objects.for_user(commune_staff)) == [inside]
    assert list(Membership.objects.for_user(commune_staff)) == list(inside.memberships.all())
    assert list(ManagementPosition.objects.for_user(commune_staff)) == list(inside.positions.all())
    assert list(Person.objects.for_user(commune_staff)) == [inside.memberships.get().person]


def test_people_living_in_the_commune_are_in_scope_without_a_membership(commune_staff, commune_a, commune_b):
    neighbour = PersonFactory(full_name="Võ Thị Hạnh", commune=commune_a)
    PersonFactory(full_name="Đinh Thị Sương", commune=commune_b)
    assert list(Person.objects.for_user(commune_staff)) == [neighbour]


def test_staff_without_communes_or_whole_province_see_nothing(two_communes):
    lost = UserFactory(role=Role.STAFF, province_wide=False)
    assert not Organisation.objects.for_user(lost).exists()
    assert not Person.objects.for_user(lost).exists()


def test_anonymous_visitors_see_nothing(two_communes):
    assert not Organisation.objects.for_user(AnonymousUser()).exists()


def test_the_scope_is_read_once_per_request(commune_staff, django_assert_num_queries):
    """One query for the user's communes, then none: every list on a page shares it."""
    with django_assert_num_queries(1):
        commune_ids_in_scope(commune_staff)
        commune_ids_in_scope(commune_staff)


def test_a_new_scope_takes_effect_on_the_next_request(commune_staff, commune_b, two_communes):
    """The scope is cached on the user object of one request only, so a change applies at once."""
    commune_staff.scope_communes.add(commune_b)
    reloaded = type(commune_staff).objects.get(pk=commune_staff.pk)
    assert set(Organisation.objects.for_user(reloaded)) == set(two_communes)


def test_commune_staff_cannot_open_an_organisation_outside_their_communes_by_forged_url(
    client, commune_staff, two_communes
):
    inside, outside = two_communes
    client.force_login(commune_staff)
    assert client.get(reverse("cooperatives:detail", args=[inside.pk])).status_code == 200
    assert client.get(reverse("cooperatives:detail", args=[outside.pk])).status_code == 404
    assert client.get(reverse("cooperatives:update", args=[outside.pk])).status_code == 404


def test_commune_staff_cannot_change_an_organisation_outside_their_communes_by_forged_post(
    client, commune_staff, two_communes
):
    _, outside = two_communes
    client.force_login(commune_staff)
    response = client.post(
        reverse("cooperatives:update", args=[outside.pk]),
        {"name": "Tên bị đổi", "legal_form": outside.legal_form, "commune": outside.commune_id},
    )
    assert response.status_code == 404
    outside.refresh_from_db()
    assert outside.name == "Hợp tác xã Sơn Hà"
    assert outside.history.count() == 1


def test_officials_cannot_open_the_edit_page_of_any_organisation(client, official, two_communes):
    inside, _ = two_communes
    client.force_login(official)
    assert client.get(reverse("cooperatives:detail", args=[inside.pk])).status_code == 200
    assert client.get(reverse("cooperatives:update", args=[inside.pk])).status_code == 403
