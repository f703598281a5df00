"""Invariants the models keep whatever writes them: constraints and clean() run by full_clean()."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cooperatives.models import Governance, LegalForm
from members.models import EthnicGroup, ManagementPosition, Membership, MemberType, Person
from members.roles import Role
from tests.factories import OrganisationFactory, PersonFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are read in their source language; their Vietnamese is the translators' part."""
    with translation.override("en"):
        yield


def messages(error):
    return [message for messages in error.message_dict.values() for message in messages]


def test_leaving_before_joining_is_refused():
    """A membership cannot end before it began (a database constraint that full_clean() checks)."""
    membership = Membership(
        person=PersonFactory(),
        organisation=OrganisationFactory(),
        member_type=MemberType.OFFICIAL,
        joined_on=date(2024, 5, 1),
        left_on=date(2024, 4, 30),
    )
    with pytest.raises(ValidationError) as refused:
        membership.full_clean()
    assert "The date of leaving cannot be before the date of joining." in messages(refused.value)


def test_leaving_on_the_day_of_joining_is_allowed():
    """A membership of no full day is odd but not impossible: it ends the day it began."""
    Membership(
        person=PersonFactory(),
        organisation=OrganisationFactory(),
        member_type=MemberType.OFFICIAL,
        joined_on=date(2024, 5, 1),
        left_on=date(2024, 5, 1),
    ).full_clean()


def test_a_term_cannot_end_before_it_starts():
    """The end of a management term cannot precede its start."""
    membership = member(OrganisationFactory())
    position = ManagementPosition(
        person=membership.person,
        organisation=membership.organisation,
        role=Role.BOARD_MEMBER,
        started_on=date(2024, 5, 1),
        ended_on=date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        position.full_clean()
    assert "The end of a term cannot be before its start." in messages(refused.value)


@pytest.mark.parametrize(
    "consent",
    [{}, {"ethnicity_consent_on": date(2024, 1, 1)}, {"ethnicity_consent_informed": True}],
    ids=["no consent", "not told it is sensitive", "no consent date"],
)
def test_ethnicity_without_informed_consent_is_refused(consent):
    """Ethnicity is stored only with consent given, dated, after being told it is sensitive."""
    person = Person(
        full_name="Đinh Thị Sun",
        gender="female",
        birth_year=1985,
        ethnic_group=EthnicGroup.objects.get(code="19"),
        **consent,
    )
    with pytest.raises(ValidationError) as refused:
        person.full_clean()
    assert any("consent" in message for message in messages(refused.value))


def test_ethnicity_with_informed_consent_is_accepted():
    """With a dated, informed consent the ethnic group is kept."""
    Person(
        full_name="Đinh Thị Sun",
        gender="female",
        birth_year=1985,
        ethnic_group=EthnicGroup.objects.get(code="19"),
        ethnicity_consent_on=date(2024, 1, 1),
        ethnicity_consent_informed=True,
    ).full_clean()


@pytest.mark.parametrize("citizen_id", ["05118500012", "0511850001234", "05118500012a"])
def test_a_citizen_id_has_twelve_digits(citizen_id):
    """Eleven or thirteen digits, or a letter, are refused with the rule in the message."""
    with pytest.raises(ValidationError) as refused:
        Person(full_name="Lê Thị Hoa", gender="female", birth_year=1985, citizen_id=citizen_id).full_clean()
    assert refused.value.error_dict["citizen_id"][0].code == "invalid_citizen_id"


def test_a_citizen_id_belongs_to_one_person():
    """Two people cannot share a citizen ID."""
    PersonFactory(citizen_id="051185000123")
    with pytest.raises(ValidationError) as refused:
        Person(full_name="Lê Thị Hoa", gender="female", birth_year=1985, citizen_id="051185000123").full_clean()
    assert "citizen_id" in refused.value.error_dict


def test_a_date_of_birth_must_match_the_year():
    """The optional exact date agrees with the year of birth."""
    with pytest.raises(ValidationError) as refused:
        Person(full_name="Lê Thị Hoa", gender="female", birth_year=1985, birth_date=date(1986, 2, 1)).full_clean()
    assert refused.value.error_dict["birth_date"][0].code == "birth_year_mismatch"


def test_age_counts_whole_years_from_the_date_or_the_year():
    """With a date of birth the birthday decides; with only the year, the calendar year."""
    assert Person(birth_year=2006, birth_date=date(2006, 10, 1)).age_on(date(2024, 9, 30)) == 17
    assert Person(birth_year=2006, birth_date=date(2006, 10, 1)).age_on(date(2024, 10, 1)) == 18
    assert Person(birth_year=2006).age_on(date(2024, 1, 1)) == 18


def test_a_group_has_plain_members_and_a_cooperative_has_none():
    """Member types follow the legal form: 'cooperative group member' only in a group, and only there."""
    person = PersonFactory()
    for organisation, member_type in [
        (OrganisationFactory(), MemberType.GROUP_MEMBER),
        (OrganisationFactory(legal_form=LegalForm.COOPERATIVE_GROUP), MemberType.OFFICIAL),
    ]:
        membership = Membership(
            person=person, organisation=organisation, member_type=member_type, joined_on=date(2024, 1, 1)
        )
        with pytest.raises(ValidationError) as refused:
            membership.full_clean()
        assert refused.value.error_dict["member_type"][0].code == "member_type_for_legal_form"


@pytest.mark.parametrize(
    ("legal_form", "governance", "role"),
    [
        (LegalForm.COOPERATIVE, Governance.FULL, Role.CONTROLLER),
        (LegalForm.COOPERATIVE, Governance.FULL, Role.GROUP_LEADER),
        (LegalForm.COOPERATIVE, Governance.SIMPLIFIED, Role.CHAIR),
        (LegalForm.COOPERATIVE, Governance.SIMPLIFIED, Role.SUPERVISORY_HEAD),
        (LegalForm.COOPERATIVE_GROUP, Governance.FULL, Role.CHAIR),
        (LegalForm.COOPERATIVE_GROUP, Governance.FULL, Role.DIRECTOR),
    ],
)
def test_a_role_must_exist_in_the_governance_model(legal_form, governance, role):
    """No board in a simplified cooperative or a group; no controller where there is a supervisory board."""
    membership = member(OrganisationFactory(legal_form=legal_form, governance=governance))
    position = ManagementPosition(
        person=membership.person, organisation=membership.organisation, role=role, started_on=date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        position.full_clean()
    assert refused.value.error_dict["role"][0].code == "role_for_governance"
