"""Test data, made through the same services users' actions go through."""

from datetime import date

import factory

from cooperatives.models import AdministrativeUnit, Governance, LegalForm
from cooperatives.services import organisation_register
from coopportal.accounts.models import Role
from coopportal.accounts.services import user_save
from members.models import Gender, MemberType
from members.services import membership_add, person_create, position_appoint

PASSWORD = "a-long-test-password"


class UserFactory(factory.Factory):
    class Meta:
        model = dict

    username = factory.Sequence(lambda n: f"user{n}")
    password = PASSWORD
    role = Role.STAFF
    province_wide = False
    scope_communes = ()

    @classmethod
    def _create(cls, model_class, **kwargs):
        return user_save(**kwargs)

    _build = _create


def any_commune(code="21025"):
    return AdministrativeUnit.objects.get(level="commune", scheme="2025", code=code)


class OrganisationFactory(factory.Factory):
    class Meta:
        model = dict

    name = factory.Sequence(lambda n: f"Hợp tác xã Nông nghiệp số {n}")
    legal_form = LegalForm.COOPERATIVE
    governance = Governance.FULL
    commune = factory.LazyFunction(any_commune)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return organisation_register(**kwargs)

    _build = _create


class PersonFactory(factory.Factory):
    class Meta:
        model = dict

    full_name = factory.Sequence(lambda n: f"Nguyễn Thị Lan {n}")
    gender = Gender.FEMALE
    birth_year = 1980

    @classmethod
    def _create(cls, model_class, **kwargs):
        return person_create(**kwargs)

    _build = _create


def member(organisation, joined_on=date(2020, 1, 1), member_type=None, **person_fields):
    """A new person who joins ``organisation`` on ``joined_on``; returns the membership."""
    if member_type is None:
        member_type = (
            MemberType.GROUP_MEMBER if organisation.legal_form == LegalForm.COOPERATIVE_GROUP else MemberType.OFFICIAL
        )
    return membership_add(
        person=PersonFactory(**person_fields), organisation=organisation, member_type=member_type, joined_on=joined_on
    )


def appoint(membership, role, started_on=date(2020, 1, 1)):
    return position_appoint(
        person=membership.person, organisation=membership.organisation, role=role, started_on=started_on
    ).instance
