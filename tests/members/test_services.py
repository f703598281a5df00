"""Writes to people, memberships and management positions: refusals change nothing, history is kept."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from cooperatives.models import Governance, LegalForm, Organisation
from members.models import EthnicGroup, Gender, ManagementPosition, Membership, MemberType, Person
from members.roles import Role
from members.selectors import headline_on, with_ethnic_minority_members_on
from members.services import (
    ethnicity_consent_withdraw,
    membership_add,
    membership_end,
    person_create,
    person_update,
    position_appoint,
    position_end,
)
from tests.factories import OrganisationFactory, PersonFactory, appoint, member

pytestmark = pytest.mark.django_db


def error_codes(error):
    return {e.code for errors in error.error_dict.values() for e in errors}


def test_a_second_chair_at_the_same_time_is_refused():
    """One chair at a time: appointing another while the first is in office stores nothing."""
    cooperative = OrganisationFactory()
    appoint(member(cooperative), Role.CHAIR, started_on=date(2020, 1, 1))
    second = member(cooperative)
    with pytest.raises(ValidationError) as refused:
        position_appoint(person=second.person, organisation=cooperative, role=Role.CHAIR, started_on=date(2024, 1, 1))
    assert error_codes(refused.value) == {"single_holder_role_taken"}
    assert cooperative.positions.count() == 1


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.GROUP_LEADER])
def test_one_director_and_one_group_leader_at_a_time(role):
    """The director of a cooperative and the leader of a group are single too."""
    organisation = OrganisationFactory(
        legal_form=LegalForm.COOPERATIVE_GROUP if role == Role.GROUP_LEADER else LegalForm.COOPERATIVE
    )
    appoint(member(organisation), role)
    with pytest.raises(ValidationError):
        appoint(member(organisation), role, started_on=date(2023, 6, 1))


def test_a_successor_may_start_the_day_the_predecessor_leaves():
    """Terms are half-open: one ending on 1 March and one starting on 1 March do not overlap."""
    cooperative = OrganisationFactory()
    chair = appoint(member(cooperative), Role.CHAIR)
    position_end(position=chair, on=date(2024, 3, 1))
    successor = appoint(member(cooperative), Role.CHAIR, started_on=date(2024, 3, 1))
    assert successor.pk and cooperative.positions.count() == 2


def test_a_successor_before_the_predecessor_leaves_is_refused():
    """A new chair starting while a past chair's term still ran is refused."""
    cooperative = OrganisationFactory()
    chair = appoint(member(cooperative), Role.CHAIR)
    position_end(position=chair, on=date(2024, 3, 1))
    with pytest.raises(ValidationError):
        appoint(member(cooperative), Role.CHAIR, started_on=date(2024, 2, 29))


def test_several_board_members_at_once_are_fine():
    """Only the chair, the director and the group leader are single roles."""
    cooperative = OrganisationFactory()
    appoint(member(cooperative), Role.BOARD_MEMBER)
    appoint(member(cooperative), Role.BOARD_MEMBER)
    assert cooperative.positions.filter(role=Role.BOARD_MEMBER).count() == 2


def test_a_holder_who_is_not_a_member_is_warned_not_refused():
    """The position is stored, and the outcome carries a warning that names the person."""
    cooperative = OrganisationFactory(name="Hợp tác xã Thương mại Cẩm Thành")
    outsider = PersonFactory(full_name="Lê Thị Ngọc Ánh")
    with translation.override("en"):
        outcome = position_appoint(
            person=outsider, organisation=cooperative, role=Role.DIRECTOR, started_on=date(2024, 1, 10)
        )
    assert outcome.instance.pk
    assert outcome.warnings == ["Lê Thị Ngọc Ánh is not a member of Hợp tác xã Thương mại Cẩm Thành on 10/01/2024."]


def test_a_member_holder_gets_no_warning():
    """A member on the first day of the term is appointed silently."""
    membership = member(OrganisationFactory(), joined_on=date(2024, 1, 10))
    outcome = position_appoint(
        person=membership.person, organisation=membership.organisation, role=Role.CHAIR, started_on=date(2024, 1, 10)
    )
    assert outcome.warnings == []


def test_an_overlapping_membership_is_refused():
    """Never twice at once in the same organisation: nothing is stored."""
    first = member(OrganisationFactory(), joined_on=date(2020, 1, 1))
    with pytest.raises(ValidationError) as refused:
        membership_add(
            person=first.person,
            organisation=first.organisation,
            member_type=MemberType.OFFICIAL,
            joined_on=date(2023, 1, 1),
        )
    assert error_codes(refused.value) == {"overlapping_membership"}
    assert Membership.objects.count() == 1


def test_rejoining_after_leaving_keeps_both_memberships():
    """Leaving keeps the history; joining again later is a second membership."""
    first = member(OrganisationFactory(), joined_on=date(2018, 1, 1))
    membership_end(membership=first, on=date(2020, 6, 1))
    again = membership_add(
        person=first.person,
        organisation=first.organisation,
        member_type=MemberType.ASSOCIATE_NO_CAPITAL,
        joined_on=date(2020, 6, 1),
    )
    assert list(first.person.memberships.order_by("joined_on")) == [first, again]


def test_joining_before_an_earlier_membership_ended_is_refused():
    """A membership back-dated into a closed one overlaps it."""
    first = member(OrganisationFactory(), joined_on=date(2018, 1, 1))
    membership_end(membership=first, on=date(2020, 6, 1))
    with pytest.raises(ValidationError):
        membership_add(
            person=first.person,
            organisation=first.organisation,
            member_type=MemberType.OFFICIAL,
            joined_on=date(2015, 1, 1),
        )


def test_the_same_person_may_belong_to_several_organisations():
    """Overlap is only refused within one organisation."""
    person = PersonFactory()
    for organisation in (OrganisationFactory(), OrganisationFactory()):
        membership_add(
            person=person, organisation=organisation, member_type=MemberType.OFFICIAL, joined_on=date(2020, 1, 1)
        )
    assert person.memberships.count() == 2


@pytest.mark.parametrize("member_type", [MemberType.OFFICIAL, MemberType.ASSOCIATE_CAPITAL])
def test_an_official_or_capital_member_under_18_is_refused(member_type):
    """Aged 17 on joining: refused, nothing stored; one day later she may join."""
    person = PersonFactory(birth_year=2006, birth_date=date(2006, 10, 1))
    cooperative = OrganisationFactory()
    with pytest.raises(ValidationError) as refused:
        membership_add(person=person, organisation=cooperative, member_type=member_type, joined_on=date(2024, 9, 30))
    assert error_codes(refused.value) == {"official_member_under_18"}
    assert not Membership.objects.exists()
    membership_add(person=person, organisation=cooperative, member_type=member_type, joined_on=date(2024, 10, 1))


def test_a_member_without_capital_may_be_younger():
    """The age rule is for members who contribute capital."""
    person = PersonFactory(birth_year=2008)
    membership_add(
        person=person,
        organisation=OrganisationFactory(),
        member_type=MemberType.ASSOCIATE_NO_CAPITAL,
        joined_on=date(2024, 9, 30),
    )


@pytest.mark.parametrize("member_type", [MemberType.ASSOCIATE_NO_CAPITAL, MemberType.GROUP_MEMBER])
def test_no_one_joins_before_being_born(member_type):
    """A typing slip in the year of birth or the date of joining; on the day of birth itself she may join."""
    person = PersonFactory(birth_year=2010, birth_date=date(2010, 6, 15))
    legal_form = LegalForm.COOPERATIVE_GROUP if member_type == MemberType.GROUP_MEMBER else LegalForm.COOPERATIVE
    organisation = OrganisationFactory(legal_form=legal_form)
    with pytest.raises(ValidationError) as refused:
        membership_add(person=person, organisation=organisation, member_type=member_type, joined_on=date(2010, 6, 14))
    assert error_codes(refused.value) == {"joined_before_birth"}
    assert not Membership.objects.exists()
    membership_add(person=person, organisation=organisation, member_type=member_type, joined_on=date(2010, 6, 15))


def test_leaving_before_joining_is_refused_and_nothing_changes():
    """The model constraint stops membership_end; the stored membership stays open."""
    membership = member(OrganisationFactory(), joined_on=date(2024, 5, 1))
    with pytest.raises(ValidationError):
        membership_end(membership=membership, on=date(2024, 4, 30))
    membership.refresh_from_db()
    assert membership.left_on is None


def test_ending_a_membership_twice_is_refused():
    """An ended membership keeps its date of leaving."""
    membership = member(OrganisationFactory())
    membership_end(membership=membership, on=date(2024, 1, 1))
    with pytest.raises(ValidationError) as refused:
        membership_end(membership=membership, on=date(2024, 6, 1))
    assert refused.value.code == "membership_already_ended"
    membership.refresh_from_db()
    assert membership.left_on == date(2024, 1, 1)


def test_ending_a_membership_keeps_its_history():
    """The row stays, dated, and its history records the change."""
    membership = member(OrganisationFactory())
    membership_end(membership=membership, on=date(2024, 1, 1))
    assert Membership.objects.filter(pk=membership.pk, left_on=date(2024, 1, 1)).exists()
    assert [h.left_on for h in membership.history.order_by("history_date")] == [None, date(2024, 1, 1)]


def test_ending_a_term_twice_is_refused():
    """An ended term keeps its end date."""
    position = appoint(member(OrganisationFactory()), Role.CHAIR)
    position_end(position=position, on=date(2024, 1, 1))
    with pytest.raises(ValidationError) as refused:
        position_end(position=position, on=date(2024, 6, 1))
    assert refused.value.code == "position_already_ended"


def test_ethnicity_without_consent_is_refused_by_the_service():
    """person_create and person_update refuse an ethnic group without informed consent and store nothing."""
    hre = EthnicGroup.objects.get(code="19")
    with pytest.raises(ValidationError):
        person_create(full_name="Đinh Thị Sun", gender=Gender.FEMALE, birth_year=1985, ethnic_group=hre)
    assert not Person.objects.exists()
    person = PersonFactory()
    with pytest.raises(ValidationError):
        person_update(person=person, ethnic_group=hre, ethnicity_consent_on=date(2024, 1, 1))
    person.refresh_from_db()
    assert person.ethnic_group is None


def test_withdrawing_consent_erases_ethnicity_everywhere():
    """The ethnic group leaves the person and every history row; figures count her as not stated."""
    cooperative = OrganisationFactory()
    appoint(member(cooperative), Role.CHAIR)
    membership = member(
        cooperative,
        ethnic_group=EthnicGroup.objects.get(code="30"),
        ethnicity_consent_on=date(2020, 1, 1),
        ethnicity_consent_informed=True,
    )
    person = membership.person
    person_update(person=person, phone="0905123456")
    assert person.history.filter(ethnic_group__isnull=False).count() == 2
    assert with_ethnic_minority_members_on(date(2024, 9, 26), Organisation.objects.all()).count() == 1

    ethnicity_consent_withdraw(person=person, on=date(2025, 2, 10))

    person.refresh_from_db()
    assert (person.ethnic_group, person.ethnicity_consent_on, person.ethnicity_consent_withdrawn_on) == (
        None,
        None,
        date(2025, 2, 10),
    )
    assert person.history.count() == 3
    assert not person.history.filter(ethnic_group__isnull=False).exists()
    # Past figures too: the day before the withdrawal she is no longer counted as a minority member.
    assert with_ethnic_minority_members_on(date(2024, 9, 26), Organisation.objects.all()).count() == 0
    assert headline_on(date(2024, 9, 26), Organisation.objects.all()).members == 2


def test_withdrawing_consent_leaves_other_people_alone():
    """Only her rows lose the ethnic group."""
    hre = EthnicGroup.objects.get(code="19")
    consent = {"ethnic_group": hre, "ethnicity_consent_on": date(2020, 1, 1), "ethnicity_consent_informed": True}
    her, neighbour = PersonFactory(**consent), PersonFactory(**consent)
    ethnicity_consent_withdraw(person=her, on=date(2025, 2, 10))
    neighbour.refresh_from_db()
    assert neighbour.ethnic_group == hre
    assert neighbour.history.get().ethnic_group == hre


def test_a_role_outside_the_governance_model_is_refused_by_the_service():
    """A chair in a simplified cooperative is refused; nothing is stored."""
    membership = member(OrganisationFactory(governance=Governance.SIMPLIFIED))
    with pytest.raises(ValidationError):
        position_appoint(
            person=membership.person, organisation=membership.organisation, role=Role.CHAIR, started_on=date(2024, 1, 1)
        )
    assert not ManagementPosition.objects.exists()


class TestConsentAfterWithdrawal:
    """Law 91/2025 and Decree 356/2025: withdrawn consent is not used again; erased data is erased everywhere."""

    def consented(self):
        return PersonFactory(
            ethnic_group=EthnicGroup.objects.get(code="19"),
            ethnicity_consent_on=date(2023, 1, 5),
            ethnicity_consent_informed=True,
        )

    def test_the_old_consent_date_is_refused_after_a_withdrawal(self):
        person = ethnicity_consent_withdraw(person=self.consented(), on=date(2024, 6, 1))
        for day in (date(2023, 1, 5), date(2024, 6, 1)):
            with pytest.raises(ValidationError) as refusal:
                person_update(
                    person=person,
                    ethnic_group=EthnicGroup.objects.get(code="19"),
                    ethnicity_consent_on=day,
                    ethnicity_consent_informed=True,
                )
            assert refusal.value.error_dict["ethnicity_consent_on"][0].code == "consent_before_withdrawal"
            person.refresh_from_db()
            assert person.ethnic_group is None

    def test_a_new_consent_after_the_withdrawal_records_the_group_again(self):
        person = ethnicity_consent_withdraw(person=self.consented(), on=date(2024, 6, 1))
        person_update(
            person=person,
            ethnic_group=EthnicGroup.objects.get(code="19"),
            ethnicity_consent_on=date(2024, 6, 2),
            ethnicity_consent_informed=True,
        )
        assert Person.objects.get(pk=person.pk).ethnic_group.code == "19"

    def test_the_database_refuses_a_consent_dated_before_the_withdrawal(self):
        person = ethnicity_consent_withdraw(person=self.consented(), on=date(2024, 6, 1))
        with pytest.raises(IntegrityError), transaction.atomic():
            Person.objects.filter(pk=person.pk).update(ethnicity_consent_on=date(2024, 1, 1))

    def test_clearing_the_ethnic_group_by_an_edit_erases_it_from_the_history(self):
        person = self.consented()
        person_update(person=person, phone="0905123456")
        person_update(person=person, ethnic_group=None)
        assert not Person.history.filter(id=person.pk, ethnic_group__isnull=False).exists()
        assert Person.history.filter(id=person.pk).count() == 3
