from datetime import date, timedelta

import pytest

from cooperatives.models import Governance, LegalForm, Organisation, Status
from cooperatives.services import organisation_update
from members.models import EthnicGroup, Gender, MemberType
from members.roles import Role
from members.selectors import (
    headline_on,
    in_management_on,
    members_on,
    organisations_existing_on,
    with_ethnic_minority_members_on,
    women_managed_cooperatives_headline,
    women_managed_on,
)
from members.services import membership_add, membership_end, position_appoint, position_end
from tests.factories import OrganisationFactory, PersonFactory, any_commune, appoint, member

pytestmark = pytest.mark.django_db

DAY = date(2024, 9, 26)


def test_a_cooperative_chaired_by_a_woman_is_women_managed():
    """A woman in the chair makes a full-governance cooperative women-managed."""
    cooperative = OrganisationFactory()
    appoint(member(cooperative), Role.CHAIR)
    assert list(women_managed_on(DAY)) == [cooperative]


def test_a_chair_who_hands_over_counts_up_to_the_day_before():
    """A term that ends on a day no longer counts on that day; the successor's does."""
    cooperative = OrganisationFactory()
    chair = appoint(member(cooperative), Role.CHAIR, started_on=date(2020, 1, 1))
    position_end(position=chair, on=date(2024, 6, 1))
    appoint(member(cooperative, gender=Gender.MALE), Role.CHAIR, started_on=date(2024, 6, 1))
    assert women_managed_on(date(2024, 5, 31)).count() == 1
    assert women_managed_on(date(2024, 6, 1)).count() == 0


def test_simplified_cooperative_and_group_use_director_and_group_leader():
    """Without a board the director decides; in a cooperative group the group leader."""
    simplified = OrganisationFactory(governance=Governance.SIMPLIFIED)
    group = OrganisationFactory(legal_form=LegalForm.COOPERATIVE_GROUP)
    appoint(member(simplified), Role.DIRECTOR)
    appoint(member(group), Role.GROUP_LEADER)
    assert set(women_managed_on(DAY)) == {simplified, group}
    assert women_managed_cooperatives_headline(DAY).organisations == 1


def test_headline_counts_each_person_once():
    """A woman with two roles and a membership that ended on the day are counted as the rules say."""
    cooperative = OrganisationFactory()
    chair = member(cooperative)
    appoint(chair, Role.CHAIR)
    appoint(chair, Role.DIRECTOR)
    member(
        cooperative,
        gender=Gender.MALE,
        ethnic_group=EthnicGroup.objects.get(code="19"),
        ethnicity_consent_on=date(2020, 1, 1),
        ethnicity_consent_informed=True,
    )
    leaver = member(cooperative)
    membership_end(membership=leaver, on=DAY)
    headline = headline_on(DAY, women_managed_on(DAY))
    assert (
        headline.organisations,
        headline.members,
        headline.women_members,
        headline.women_in_management,
        headline.with_ethnic_minority_members,
    ) == (1, 2, 1, 1, 1)


def test_a_membership_that_ends_on_the_day_does_not_count_that_day():
    """Member up to the day before leaving; not on the day she leaves."""
    cooperative = OrganisationFactory()
    leaver = member(cooperative)
    membership_end(membership=leaver, on=DAY)
    assert list(members_on(DAY - timedelta(days=1), Organisation.objects.all())) == [leaver.person]
    assert not members_on(DAY, Organisation.objects.all()).exists()


def test_a_membership_that_starts_on_the_day_counts_that_day():
    """A member from the day she joins, not the day before."""
    cooperative = OrganisationFactory()
    newcomer = member(cooperative, joined_on=DAY)
    assert list(members_on(DAY, Organisation.objects.all())) == [newcomer.person]
    assert not members_on(DAY - timedelta(days=1), Organisation.objects.all()).exists()


def test_a_member_of_two_organisations_counts_once():
    """Members are people, not memberships."""
    first, second = OrganisationFactory(), OrganisationFactory()
    membership = member(first)
    membership_add(
        person=membership.person, organisation=second, member_type=MemberType.OFFICIAL, joined_on=date(2021, 1, 1)
    )
    assert members_on(DAY, Organisation.objects.all()).count() == 1


def test_a_woman_with_two_roles_is_in_management_once():
    """Chair and director at once: one person in management."""
    cooperative = OrganisationFactory()
    chair = member(cooperative)
    appoint(chair, Role.CHAIR)
    appoint(chair, Role.DIRECTOR)
    assert list(in_management_on(DAY, Organisation.objects.all())) == [chair.person]


def test_a_term_that_ended_before_the_day_does_not_count():
    """A former supervisory head is an ordinary member on the day."""
    cooperative = OrganisationFactory()
    former = member(cooperative)
    position_end(position=appoint(former, Role.SUPERVISORY_HEAD), on=date(2023, 5, 1))
    assert not in_management_on(DAY, Organisation.objects.all()).exists()
    assert headline_on(DAY, Organisation.objects.all()).women_in_management == 0


def test_a_chair_who_changes_mid_year_from_a_woman_to_a_man():
    """Women-managed up to the handover, not from it, and the headline follows."""
    cooperative = OrganisationFactory()
    chair = appoint(member(cooperative), Role.CHAIR, started_on=date(2020, 1, 1))
    successor = member(cooperative, gender=Gender.MALE)
    position_end(position=chair, on=date(2024, 7, 1))
    appoint(successor, Role.CHAIR, started_on=date(2024, 7, 1))
    assert women_managed_cooperatives_headline(date(2024, 6, 30)).organisations == 1
    assert women_managed_cooperatives_headline(date(2024, 7, 1)).organisations == 0
    assert women_managed_cooperatives_headline(date(2024, 7, 1)).members == 0


def test_a_chair_who_changes_from_a_man_to_a_woman():
    """The cooperative becomes women-managed on the day her term begins."""
    cooperative = OrganisationFactory()
    chair = appoint(member(cooperative, gender=Gender.MALE), Role.CHAIR, started_on=date(2020, 1, 1))
    position_end(position=chair, on=date(2024, 3, 15))
    appoint(member(cooperative), Role.CHAIR, started_on=date(2024, 3, 15))
    assert not women_managed_on(date(2024, 3, 14)).exists()
    assert list(women_managed_on(date(2024, 3, 15))) == [cooperative]


def test_a_woman_director_under_a_male_chair_is_not_enough():
    """With a board, the chair decides; a woman director does not make the cooperative women-managed."""
    cooperative = OrganisationFactory()
    appoint(member(cooperative, gender=Gender.MALE), Role.CHAIR)
    appoint(member(cooperative), Role.DIRECTOR)
    assert not women_managed_on(DAY).exists()


def test_without_a_top_role_holder_no_one_manages():
    """A cooperative with only board members, even all women, is not women-managed."""
    cooperative = OrganisationFactory()
    appoint(member(cooperative), Role.BOARD_MEMBER)
    assert not women_managed_on(DAY).exists()


def test_a_dissolved_organisation_counts_until_its_dissolution():
    """Dissolved on a day: still there the day before, gone from that day, whatever its terms say."""
    cooperative = OrganisationFactory()
    appoint(member(cooperative), Role.CHAIR)
    organisation_update(organisation=cooperative, status=Status.DISSOLVED, status_changed_on=date(2024, 6, 1))
    assert list(women_managed_on(date(2024, 5, 31))) == [cooperative]
    assert not women_managed_on(date(2024, 6, 1)).exists()
    assert not organisations_existing_on(DAY).exists()


def test_a_suspended_organisation_still_exists():
    """Suspension is not dissolution."""
    cooperative = OrganisationFactory()
    appoint(member(cooperative), Role.CHAIR)
    organisation_update(organisation=cooperative, status=Status.SUSPENDED, status_changed_on=date(2024, 6, 1))
    assert list(women_managed_on(DAY)) == [cooperative]


def test_an_organisation_founded_after_the_day_does_not_count():
    """Founded on 1 October: not there on 26 September, even with its chair appointed in advance."""
    cooperative = OrganisationFactory(founded_on=date(2024, 10, 1))
    appoint(member(cooperative, joined_on=date(2024, 10, 1)), Role.CHAIR, started_on=date(2024, 9, 1))
    assert not women_managed_on(DAY).exists()
    assert list(women_managed_on(date(2024, 10, 1))) == [cooperative]


def test_a_woman_chair_of_a_union_is_not_a_cooperatives_figure():
    """A union of cooperatives can be women-managed; the published sentence counts cooperatives only."""
    union = OrganisationFactory(legal_form=LegalForm.UNION)
    appoint(member(union), Role.CHAIR)
    assert list(women_managed_on(DAY)) == [union]
    assert women_managed_cooperatives_headline(DAY).organisations == 0


def test_a_chair_who_is_not_a_member_manages_but_is_not_a_woman_in_management():
    """The top role makes the cooperative women-managed; the figure of women in management counts members."""
    cooperative = OrganisationFactory()
    outsider = PersonFactory()
    outcome = position_appoint(person=outsider, organisation=cooperative, role=Role.CHAIR, started_on=date(2020, 1, 1))
    assert outcome.warnings
    member(cooperative)
    headline = women_managed_cooperatives_headline(DAY)
    assert (headline.organisations, headline.members, headline.women_members, headline.women_in_management) == (
        1,
        1,
        1,
        0,
    )


def test_a_woman_in_management_whose_membership_ended_is_not_counted():
    """She still holds the role but is no longer a member: not among the women members, so not among those in it."""
    cooperative = OrganisationFactory()
    chair = member(cooperative)
    appoint(chair, Role.CHAIR)
    treasurer = member(cooperative)
    appoint(treasurer, Role.CHIEF_ACCOUNTANT)
    membership_end(membership=treasurer, on=date(2024, 1, 1))
    headline = headline_on(DAY, women_managed_on(DAY))
    assert (headline.members, headline.women_members, headline.women_in_management) == (1, 1, 1)


def consenting(code):
    return {
        "ethnic_group": EthnicGroup.objects.get(code=code),
        "ethnicity_consent_on": date(2020, 1, 1),
        "ethnicity_consent_informed": True,
    }


def test_ethnic_minority_members_are_counted_on_the_day():
    """Kinh and not stated do not count; a minority member counts while a member, not after leaving."""
    kinh_only, with_co, co_left, not_stated = (OrganisationFactory() for _ in range(4))
    member(kinh_only, **consenting("01"))
    member(with_co, **consenting("30"))
    membership_end(membership=member(co_left, **consenting("30")), on=DAY)
    member(not_stated, full_name="A Thút", gender=Gender.MALE)
    assert list(with_ethnic_minority_members_on(DAY, Organisation.objects.all())) == [with_co]
    day_before = DAY - timedelta(days=1)
    assert set(with_ethnic_minority_members_on(day_before, Organisation.objects.all())) == {with_co, co_left}


def test_the_headline_is_limited_to_the_organisations_given():
    """A scope (here one commune) narrows every figure."""
    here = OrganisationFactory()
    there = OrganisationFactory(commune=any_commune("21289"))
    for cooperative in (here, there):
        appoint(member(cooperative), Role.CHAIR)
        member(cooperative, gender=Gender.MALE)
    headline = women_managed_cooperatives_headline(DAY, Organisation.objects.filter(commune__code="21025"))
    assert headline.as_dict() == {
        "as_of": DAY,
        "organisations": 1,
        "members": 2,
        "women_members": 1,
        "women_in_management": 1,
        "with_ethnic_minority_members": 0,
    }


@pytest.mark.parametrize("size", [1, 10])
def test_the_headline_costs_the_same_queries_whatever_the_size(size, django_assert_num_queries):
    """Five counts (organisations, members, women, women in management, with minorities), each one query."""
    for _ in range(size):
        cooperative = OrganisationFactory()
        appoint(member(cooperative), Role.CHAIR)
        member(cooperative, gender=Gender.MALE, **consenting("19"))
    with django_assert_num_queries(5):
        headline = women_managed_cooperatives_headline(DAY)
    assert (headline.organisations, headline.members, headline.with_ethnic_minority_members) == (size, 2 * size, size)
