"""The rules behind every figure the portal reports, each written once (DOMAIN.md).

A membership or a term is in force on a day when it began on or before that day and has not
ended by it: one that ends on a day no longer counts on that day, so a chair who hands over on
1 March and her successor who starts on 1 March are never both counted.
"""

from dataclasses import asdict, dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q

from cooperatives.models import Governance, LegalForm, Organisation, Status

from .models import Gender, ManagementPosition, Membership, Person
from .roles import MANAGEMENT_ROLES, Role


def memberships_on(day):
    return Membership.objects.on(day)


def positions_on(day):
    return ManagementPosition.objects.on(day)


def management_positions_on(day):
    return positions_on(day).filter(role__in=MANAGEMENT_ROLES)


def organisations_existing_on(day, organisations=None):
    """Organisations founded by ``day`` and not dissolved by it."""
    organisations = Organisation.objects.all() if organisations is None else organisations
    return organisations.exclude(founded_on__gt=day).exclude(status=Status.DISSOLVED, status_changed_on__lte=day)


def women_managed_on(day, organisations=None):
    """Organisations whose top management role is held by a woman on ``day``."""
    woman_holds = management_positions_on(day).filter(organisation=OuterRef("pk"), person__gender=Gender.FEMALE)
    top_role_held_by_a_woman = (
        Q(legal_form=LegalForm.COOPERATIVE_GROUP, _group_leader=True)
        | Q(~Q(legal_form=LegalForm.COOPERATIVE_GROUP), governance=Governance.FULL, _chair=True)
        | Q(~Q(legal_form=LegalForm.COOPERATIVE_GROUP), governance=Governance.SIMPLIFIED, _director=True)
    )
    return (
        organisations_existing_on(day, organisations)
        .alias(
            _group_leader=Exists(woman_holds.filter(role=Role.GROUP_LEADER)),
            _chair=Exists(woman_holds.filter(role=Role.CHAIR)),
            _director=Exists(woman_holds.filter(role=Role.DIRECTOR)),
        )
        .filter(top_role_held_by_a_woman)
    )


def members_on(day, organisations):
    """People who are members on ``day`` of any of ``organisations``, each once."""
    return Person.objects.filter(
        Exists(memberships_on(day).filter(person=OuterRef("pk"), organisation__in=organisations))
    )


def in_management_on(day, organisations):
    """People holding a management role on ``day`` in any of ``organisations``, each once."""
    return Person.objects.filter(
        Exists(management_positions_on(day).filter(person=OuterRef("pk"), organisation__in=organisations))
    )


def with_ethnic_minority_members_on(day, organisations):
    """Those of ``organisations`` with at least one member on ``day`` from a group other than Kinh."""
    return organisations.filter(
        Exists(memberships_on(day).filter(organisation=OuterRef("pk"), person__ethnic_group__is_minority=True))
    )


@dataclass(frozen=True)
class Headline:
    """The Union's sentence for a set of organisations on a day."""

    as_of: date
    organisations: int
    members: int
    women_members: int
    women_in_management: int
    with_ethnic_minority_members: int

    def as_dict(self):
        return asdict(self)


def headline_measures(day, organisations):
    """The querysets whose sizes make the headline of ``organisations`` on ``day``, keyed as Headline's fields.

    Women in management are women members on that day who also hold a management role in one of
    the same organisations: "145 women, 48 of them in management". Reports count many of these
    querysets in one database query, so the rule stays here.
    """
    members = members_on(day, organisations)
    women = members.filter(gender=Gender.FEMALE)
    return {
        "organisations": organisations,
        "members": members,
        "women_members": women,
        "women_in_management": women.filter(pk__in=in_management_on(day, organisations).values("pk")),
        "with_ethnic_minority_members": with_ethnic_minority_members_on(day, organisations),
    }


def headline_on(day, organisations):
    """Counts for ``organisations`` (a queryset, already limited to a scope or filter) on ``day``."""
    return Headline(as_of=day, **{name: qs.count() for name, qs in headline_measures(day, organisations).items()})


def women_managed_cooperatives_headline(day, organisations=None):
    """The published sentence: women-managed cooperatives (legal form cooperative) on ``day``."""
    organisations = Organisation.objects.all() if organisations is None else organisations
    return headline_on(day, women_managed_on(day, organisations.filter(legal_form=LegalForm.COOPERATIVE)))
