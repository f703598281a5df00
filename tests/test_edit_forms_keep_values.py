"""An edit form opened and saved without a change leaves its record exactly as it was.

Each edit form of the portal is read from its page as a browser would send it (``form_on``) and
posted back untouched: every stored field, and every many-to-many link, stays as it was, and the
history gains at most the one version a save records. A default meant for an add form (the next
free place in a list, today's date, a zero amount) that reaches an edit form fails here: it would
be shown instead of the stored value and written on the next save.
"""

from datetime import date

import pytest
from django.urls import URLResolver, get_resolver, reverse

from cooperatives.models import Governance, LegalForm, Sector, Status
from members.models import EthnicGroup, Gender, ManagementPosition, MemberType
from members.roles import Role
from members.services import membership_correct
from tests.factories import OrganisationFactory, PersonFactory, appoint, member
from tests.versions import form_on
from tests.workshops.factories import add_participant, make_workshop, propose, theme
from workshops import services as workshop_services
from workshops.models import OrganisationKind, OrganiserLevel, Priority

pytestmark = pytest.mark.django_db


def stored(record):
    """Every stored value of ``record`` as the database holds it now: its columns and many-to-many links."""
    record = type(record)._default_manager.get(pk=record.pk)
    values = {field.attname: getattr(record, field.attname) for field in record._meta.concrete_fields}
    for field in record._meta.many_to_many:
        values[field.name] = sorted(getattr(record, field.name).values_list("pk", flat=True))
    return values


def history_count(record):
    return record.history.count() if hasattr(record, "history") else 0


def organisation(commune):
    """An organisation with every field of its form filled, none of them at the add form's default."""
    found = OrganisationFactory(
        name="Hợp tác xã Dịch vụ Nông nghiệp Tịnh Phong",
        legal_form=LegalForm.COOPERATIVE,
        governance=Governance.SIMPLIFIED,
        registration_number="4300123456",
        registration_date=date(2016, 3, 2),
        founded_on=date(2016, 1, 15),
        commune=commune,
        address="Thôn 3",
        main_products="Gạo, rau an toàn",
        status=Status.SUSPENDED,
        status_changed_on=date(2023, 7, 1),
        supported_since=date(2019, 5, 20),
        phone="0905123456",
        notes="Tạm ngừng để sắp xếp lại.\nHội viên vẫn góp vốn.",
    )
    found.sectors.set(Sector.objects.order_by("pk")[:2])
    return found


def edit_organisation(commune):
    record = organisation(commune)
    return record, reverse("cooperatives:update", args=[record.pk]), [record]


def edit_person(commune):
    record = PersonFactory(
        full_name="Đinh Thị Hoa",
        gender=Gender.FEMALE,
        birth_year=1982,
        birth_date=date(1982, 4, 9),
        commune=commune,
        phone="0905654321",
        citizen_id="051182000123",
        ethnic_group=EthnicGroup.objects.exclude(code="01").order_by("code").first(),
        ethnicity_consent_on=date(2024, 1, 5),
        ethnicity_consent_informed=True,
    )
    return record, reverse("members:update", args=[record.pk]), [record]


def ended_membership(commune):
    """A membership corrected to a capital and an end, as the correction form itself would save them."""
    membership = member(
        OrganisationFactory(commune=commune, founded_on=date(2015, 1, 1)),
        joined_on=date(2018, 6, 1),
        member_type=MemberType.ASSOCIATE_CAPITAL,
        commune=commune,
    )
    return membership_correct(
        membership=membership,
        member_type=MemberType.ASSOCIATE_CAPITAL,
        joined_on=date(2018, 6, 1),
        left_on=date(2022, 12, 31),
        capital_contributed=12_500_000,
    )


def correct_membership(commune):
    record = ended_membership(commune)
    return record, reverse("members:membership_correct", args=[record.pk]), [record]


def correct_term(commune):
    membership = member(OrganisationFactory(commune=commune, founded_on=date(2015, 1, 1)), joined_on=date(2016, 1, 1))
    record = appoint(membership, Role.CHAIR, started_on=date(2017, 2, 1))
    ManagementPosition.objects.filter(pk=record.pk).update(ended_on=date(2021, 3, 31))
    return record, reverse("members:position_correct", args=[record.pk]), [record]


def a_workshop(commune):
    workshop = make_workshop(
        title="Hội thảo chuyển đổi số cho hợp tác xã",
        purpose="Chia sẻ kinh nghiệm bán hàng trực tuyến.",
        organiser_level=OrganiserLevel.COMMUNE,
        commune=commune,
        venue="Hội trường UBND phường",
        start_date=date(2024, 9, 26),
        end_date=date(2024, 9, 27),
        outcome_summary="Thống nhất ba giải pháp.",
        themes=[theme()],
    )
    return workshop


def edit_workshop(commune):
    record = a_workshop(commune)
    return record, reverse("workshops:update", args=[record.pk]), [record]


def edit_participant(commune):
    workshop = a_workshop(commune)
    membership = member(OrganisationFactory(commune=commune), full_name="Trần Thị Thu", commune=commune)
    record = add_participant(
        workshop,
        full_name="Trần Thị Thu",
        organisation_name=membership.organisation.name,
        organisation_kind=OrganisationKind.COOPERATIVE,
        position="Giám đốc",
        attended=False,
        person=membership.person,
        organisation=membership.organisation,
    )
    return record, reverse("workshops:participant_update", args=[workshop.pk, record.pk]), [record]


def edit_presentation(commune):
    """The tester's case: the first of four presentations, placed 1, 2, 3, 4."""
    workshop = a_workshop(commune)
    presentations = [
        workshop_services.presentation_add(
            workshop=workshop, title=f"Tham luận {n}", presenter=f"Báo cáo viên {n}", summary=f"Tóm tắt {n}."
        )
        for n in range(1, 5)
    ]
    assert [p.position for p in presentations] == [1, 2, 3, 4]
    record = presentations[0]
    return record, reverse("workshops:presentation_update", args=[workshop.pk, record.pk]), presentations


def edit_solution(commune):
    workshop = a_workshop(commune)
    participant = add_participant(workshop, full_name="Lê Thị Mai")
    record = propose(workshop, proposed_by=participant, priority=Priority.HIGH, due_on=date(2025, 3, 31))
    return record, reverse("workshops:solution_update", args=[workshop.pk, record.pk]), [record]


# By the URL name of each edit form's page.
EDIT_FORMS = {
    "cooperatives:update": edit_organisation,
    "members:update": edit_person,
    "members:membership_correct": correct_membership,
    "members:position_correct": correct_term,
    "workshops:update": edit_workshop,
    "workshops:participant_update": edit_participant,
    "workshops:presentation_update": edit_presentation,
    "workshops:solution_update": edit_solution,
}


@pytest.mark.parametrize("editor", ["provincial_staff", "commune_staff"])
@pytest.mark.parametrize("make", EDIT_FORMS.values(), ids=EDIT_FORMS.keys())
def test_an_edit_form_saved_unchanged_keeps_every_value(request, client, commune_a, make, editor):
    """Opened and saved as it is, the form writes back what was stored: nothing moves, nothing is reset.

    By staff of the whole province and by staff of the record's commune, whose forms offer fewer choices.
    """
    record, url, affected = make(commune_a)
    before = [stored(row) for row in affected]
    versions = history_count(record)
    client.force_login(request.getfixturevalue(editor))

    page = client.get(url)
    assert page.status_code == 200
    saved = client.post(url, form_on(page))

    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved.status_code
    assert [stored(row) for row in affected] == before
    assert history_count(record) - versions in (0, 1)


def test_editing_a_presentation_keeps_the_order_of_all_four(client, provincial_staff, commune_a):
    """The tester's sequence: the edit form shows the stored place (1), not the next free one (5)."""
    record, url, presentations = edit_presentation(commune_a)
    client.force_login(provincial_staff)

    form = form_on(client.get(url))
    client.post(url, form)

    assert form["position"] == "1"
    assert list(record.workshop.presentations.order_by("pk").values_list("position", flat=True)) == [1, 2, 3, 4]


def test_the_add_form_still_offers_the_next_free_place(client, provincial_staff, commune_a):
    """A new presentation goes last by default: after four, the add form proposes 5."""
    record, _url, _presentations = edit_presentation(commune_a)
    client.force_login(provincial_staff)

    page = client.get(reverse("workshops:presentation_add", args=[record.workshop_id]))

    assert form_on(page)["position"] == "5"


def url_names(resolver=None, namespace=""):
    """Every named URL pattern of the portal, with its namespace."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif pattern.name:
            yield namespace + pattern.name


def test_every_edit_form_of_the_portal_is_tried():
    """A new page that edits a saved record (its URL named ``…update`` or ``…correct``) needs a case above."""
    edit_pages = {
        name
        for name in url_names()
        if not name.startswith("admin:") and name.rsplit(":", 1)[-1].endswith(("update", "correct"))
    }
    assert edit_pages == set(EDIT_FORMS)
