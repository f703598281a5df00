from datetime import date

import pytest

from cooperatives.models import Governance, LegalForm
from members.models import EthnicGroup, Gender
from members.roles import Role
from members.selectors import headline_on, women_managed_cooperatives_headline, women_managed_on
from members.services import membership_end, position_end
from tests.factories import OrganisationFactory, appoint, member

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
    member(cooperative, gender=Gender.MALE, ethnic_group=EthnicGroup.objects.get(code="19"),
           ethnicity_consent_on=date(2020, 1, 1), ethnicity_consent_informed=True)
    leaver = member(cooperative)
    membership_end(membership=leaver, on=DAY)
    headline = headline_on(DAY, women_managed_on(DAY))
    assert (headline.organisations, headline.members, headline.women_members, headline.women_in_management,
            headline.with_ethnic_minority_members) == (1, 2, 1, 1, 1)
