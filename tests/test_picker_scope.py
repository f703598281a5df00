"""Pickers never offer, and forms never accept, a record outside the user's scope.

Commune staff of Phường Cẩm Thành could move a resident to another commune (the person form offered
every commune of the province), after which she was out of their reach. Every form field and filter
that picks a commune, an organisation or a person is walked here as those staff see it: the page
offers nothing of Xã Sơn Hà, and a forged POST naming Sơn Hà's commune, organisation or person is
answered with a message, never saved.
"""

from datetime import date

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from cooperatives.models import AdministrativeUnit, Organisation
from cooperatives.selectors import communes_for, province_communes
from coopportal.accounts.models import Role
from members.models import Membership, Person
from members.services import membership_add
from workshops.models import Participant, Workshop

from .factories import PersonFactory, UserFactory
from .test_fuzz import FormsParser, page_form
from .test_security import both_communes_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One of everything in Cẩm Thành (the staff's commune) and in Sơn Hà (outside it), made once."""
    with django_db_blocker.unblock(), transaction.atomic():
        inside, outside = both_communes_rows()
        yield inside, outside
        transaction.set_rollback(True)


@pytest.fixture
def staff(world):
    """Commune staff of Cẩm Thành, logged in."""
    inside, _outside = world
    client = Client()
    client.force_login(
        UserFactory(username="picker-commune", role=Role.STAFF, province_wide=False, scope_communes=[inside.commune])
    )
    return client


def offered(client, url, name):
    """The values the page at ``url`` offers in field ``name`` (every form of the page)."""
    parser = FormsParser()
    parser.feed(client.get(url).content.decode())
    return {value for form in parser.forms if name in form.fields for value in form.fields[name].options} - {""}


def test_the_communes_a_user_may_pick_are_her_scope():
    """Province-wide users pick any commune of the province; commune staff theirs, and a record's own."""
    commune_a = AdministrativeUnit.objects.get(level="commune", scheme="2025", code="21025")
    commune_b = AdministrativeUnit.objects.get(level="commune", scheme="2025", code="21289")
    everyone = set(province_communes())
    assert len(everyone) > 2
    for role in (Role.ADMINISTRATOR, Role.OFFICIAL):
        assert set(communes_for(UserFactory(role=role))) == everyone
    assert set(communes_for(UserFactory(role=Role.STAFF, province_wide=True))) == everyone
    scoped = UserFactory(role=Role.STAFF, province_wide=False, scope_communes=[commune_a])
    assert list(communes_for(scoped)) == [commune_a]
    assert set(communes_for(scoped, keep=commune_b.pk)) == {commune_a, commune_b}


# Every page with a picker of communes, organisations or people, with the field and what it may list.
PICKERS = [
    ("cooperatives:create", {}, "commune", "commune"),
    ("cooperatives:list", {}, "commune", "commune"),
    ("members:update", {"pk": "chair"}, "commune", "commune"),
    ("members:membership_add", {"pk": "organisation"}, "new-commune", "commune"),
    ("members:list", {}, "commune", "commune"),
    ("members:list", {}, "organisation", "organisation"),
    ("workshops:create", {}, "commune", "commune"),
    ("workshops:update", {"workshop_pk": "workshop"}, "commune", "commune"),
    ("reports:dashboard", {}, "commune", "commune_code"),
]


@pytest.mark.parametrize(("url_name", "kwargs", "field", "kind"), PICKERS, ids=[f"{p[0]}-{p[2]}" for p in PICKERS])
def test_pickers_offer_only_the_scope(url_name, kwargs, field, kind, world, staff):
    """Each picker lists the staff's commune and its rows, and nothing of the other commune."""
    inside, outside = world
    url = reverse(url_name, kwargs={name: getattr(inside, row) for name, row in kwargs.items()})
    values = offered(staff, url, field)
    assert str(getattr(inside, kind)) in values, (url, field, values)
    assert str(getattr(outside, kind)) not in values
    if kind in ("commune", "commune_code"):
        assert len(values) == 1, values


def test_the_person_pickers_and_lookups_find_only_people_in_scope(world, staff):
    """The membership and appointment pickers, and the lookups behind them, never list Sơn Hà's people."""
    inside, outside = world
    for url_name in ("members:membership_add", "members:position_appoint"):
        url = reverse(url_name, kwargs={"pk": inside.organisation})
        values = offered(staff, f"{url}?q=Thị", "person")
        assert str(inside.chair) in values and str(outside.chair) not in values
    found = staff.get(reverse("members:people_search"), {"q": "Thị"}).json()["results"]
    assert {row["id"] for row in found} >= {inside.chair} and outside.chair not in {row["id"] for row in found}
    found = staff.get(reverse("workshops:person_lookup"), {"q": "Thị"}).json()["results"]
    assert outside.chair not in {row["id"] for row in found}
    found = staff.get(reverse("workshops:organisation_lookup"), {"q": "Hợp tác xã"}).json()["results"]
    assert {row["id"] for row in found} == {inside.organisation}


def post_form(client, url, form_page=None, **changes):
    """POST the form as its page shows it (edit tokens included), with ``changes``."""
    form = page_form(client, form_page or url, url)
    return client.post(url, {**form.data(), **changes})


def assert_refused(response):
    """The form is shown again with its message."""
    assert response.status_code == 200, response.status_code
    assert b"is-invalid" in response.content or b"alert-danger" in response.content, (
        response.context["form"].errors if response.context and "form" in response.context else None
    )


def test_a_resident_cannot_be_moved_out_of_the_scope(world, staff):
    """The issue's case: the person form refuses another commune, and her record stays where it was."""
    inside, outside = world
    url = reverse("members:update", kwargs={"pk": inside.chair})
    assert_refused(post_form(staff, url, commune=str(outside.commune)))
    assert Person.objects.get(pk=inside.chair).commune_id == inside.commune
    # Nor can her commune be emptied, which would take her out of reach just the same.
    assert_refused(post_form(staff, url, commune=""))
    assert Person.objects.get(pk=inside.chair).commune_id == inside.commune


def test_a_member_living_elsewhere_is_edited_without_moving_her(world, staff):
    """Someone living in Sơn Hà but a member in Cẩm Thành: her own commune stays pickable, and only it."""
    inside, outside = world
    other_commune = province_communes().exclude(pk__in=[inside.commune, outside.commune]).first()
    person = PersonFactory(full_name="Phan Thị Nhàn", commune=AdministrativeUnit.objects.get(pk=outside.commune))
    membership_add(
        person=person,
        organisation=Organisation.objects.get(pk=inside.organisation),
        member_type="official",
        joined_on=date(2020, 1, 1),
    )
    url = reverse("members:update", kwargs={"pk": person.pk})
    assert offered(staff, url, "commune") == {str(inside.commune), str(outside.commune)}
    response = post_form(staff, url, phone="0905123456")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Person.objects.get(pk=person.pk).commune_id == outside.commune
    assert_refused(post_form(staff, url, commune=str(other_commune.pk)))
    assert Person.objects.get(pk=person.pk).commune_id == outside.commune


def test_forged_posts_naming_other_communes_rows_save_nothing(world, staff):
    """Organisation, new member, workshop, participant, membership and appointment: each refuses Sơn Hà."""
    inside, outside = world
    counts = (Organisation.objects.count(), Person.objects.count(), Workshop.objects.count())
    assert_refused(
        post_form(
            staff,
            reverse("cooperatives:create"),
            name="Hợp tác xã Giả mạo",
            legal_form="cooperative",
            governance="full",
            status="active",
            commune=str(outside.commune),
        )
    )
    add_url = reverse("members:membership_add", kwargs={"pk": inside.organisation})
    new_person = {
        "who": "new",
        "member_type": "official",
        "joined_on": "2024-01-01",
        "new-full_name": "Người Giả Mạo",
        "new-gender": "female",
        "new-birth_year": "1980",
        "new-commune": str(outside.commune),
    }
    assert_refused(post_form(staff, add_url, **new_person))
    assert_refused(
        post_form(
            staff,
            add_url,
            who="existing",
            person=str(outside.neighbour),
            member_type="official",
            joined_on="2024-01-01",
        )
    )
    appoint_url = reverse("members:position_appoint", kwargs={"pk": inside.organisation})
    assert_refused(post_form(staff, appoint_url, person=str(outside.chair), started_on="2024-01-01"))
    assert_refused(
        post_form(
            staff,
            reverse("workshops:create"),
            title="Hội thảo giả mạo",
            organiser_level="commune",
            commune=str(outside.commune),
            start_date="2024-09-26",
            end_date="2024-09-26",
            status="held",
        )
    )
    participants = Participant.objects.count()
    participant_url = reverse("workshops:participant_add", kwargs={"workshop_pk": inside.workshop})
    for forged in ({"person": str(outside.chair)}, {"organisation": str(outside.organisation)}):
        assert_refused(post_form(staff, participant_url, full_name="Đại biểu giả mạo", gender="female", **forged))
    assert (Organisation.objects.count(), Person.objects.count(), Workshop.objects.count()) == counts
    assert Participant.objects.count() == participants
    assert not Membership.objects.filter(person=outside.neighbour, organisation=inside.organisation).exists()


def test_a_report_of_another_commune_is_refused(world, staff):
    """The report filters take only the staff's communes: another's code is a message, not its figures."""
    inside, outside = world
    response = staff.get(reverse("reports:stats_json"), {"commune": outside.commune_code})
    assert response.status_code == 400 and "commune" in response.json()["fields"]
    assert staff.get(reverse("reports:stats_json"), {"commune": inside.commune_code}).status_code == 200
