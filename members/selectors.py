"""The rules behind every figure the portal reports, each written once (DOMAIN.md).

A membership or a term is in force on a day when it began on or before that day and has not
ended by it: one that ends on a day no longer counts on that day, so a chair who hands over on
1 March and her successor who starts on 1 March are never both counted.
"""

from dataclasses import asdict, dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cooperatives.models import Governance, LegalForm, Organisation, Status
from cooperatives.selectors import history_entries, latest_first, organisation_history
from coopportal.accounts.scope import restrict_to_scope
from coopportal.concurrency import describe
from coopportal.records import dependent_relations
from coopportal.text import fold

from .models import Gender, ManagementPosition, Membership, Person, PersonMerge
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


# Reads for the register's pages. They apply the rules above; none of them defines a figure anew.


def members_count_by_organisation(day, organisations):
    """{organisation id: number of people who are members on ``day``}, in one query."""
    rows = (
        memberships_on(day)
        .filter(organisation__in=organisations)
        .values("organisation")
        .annotate(people=Count("person", distinct=True))
    )
    return {row["organisation"]: row["people"] for row in rows}


def women_managed_ids(day, organisations):
    return set(women_managed_on(day, organisations).values_list("pk", flat=True))


@dataclass
class OrganisationPage:
    """What an organisation's page shows on ``as_of``; ``headline`` counts that organisation alone."""

    as_of: date
    women_managed: bool
    headline: Headline
    current_positions: list
    current_memberships: list = field(default_factory=list)
    former_memberships: list = field(default_factory=list)
    past_positions: list = field(default_factory=list)
    history: list = field(default_factory=list)


def organisation_page(organisation, day, *, with_people):
    """The page of one organisation; individuals' records only ``with_people`` (never for officials)."""
    this_one = Organisation.objects.filter(pk=organisation.pk)
    positions = ManagementPosition.objects.filter(organisation=organisation).select_related("person")
    page = OrganisationPage(
        as_of=day,
        women_managed=women_managed_on(day, this_one).exists(),
        headline=headline_on(day, this_one),
        current_positions=list(positions.on(day).order_by("role", "person__search_name")),
    )
    if with_people:
        memberships = Membership.objects.filter(organisation=organisation).select_related("person")
        page.current_memberships = list(memberships.on(day).order_by("person__search_name", "pk"))
        page.former_memberships = list(memberships.filter(left_on__lte=day).order_by("-left_on", "pk"))
        page.past_positions = list(positions.filter(ended_on__lte=day).order_by("-ended_on", "pk"))
        page.history = latest_first(
            organisation_history(organisation),
            membership_history(Membership.history.filter(organisation_id=organisation.pk)),
            position_history(ManagementPosition.history.filter(organisation_id=organisation.pk)),
        )
    return page


def membership_history(records):
    return history_entries(
        records.select_related("person", "organisation", "history_user"),
        Membership,
        lambda record: (
            _("Membership: %(person)s, %(organisation)s")
            % {"person": record.person, "organisation": record.organisation}
        ),
    )


def position_history(records):
    return history_entries(
        records.select_related("person", "organisation", "history_user"),
        ManagementPosition,
        lambda record: (
            _("%(role)s: %(person)s, %(organisation)s")
            % {"role": record.get_role_display(), "person": record.person, "organisation": record.organisation}
        ),
    )


def roles_held_on(day, person, organisation):
    """The roles ``person`` holds in ``organisation`` on ``day``, as shown to users."""
    positions = positions_on(day).filter(person=person, organisation=organisation).order_by("role")
    return [position.get_role_display() for position in positions]


def person_list(user, day):
    """People in ``user``'s scope, each with the memberships in scope she holds on ``day``."""
    return (
        Person.objects.for_user(user)
        .select_related("commune")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.for_user(user).on(day).select_related("organisation"),
                to_attr="current_memberships",
            )
        )
        .order_by("search_name", "pk")
    )


def people_matching(user, text, limit=20):
    """People in scope whose name matches ``text`` without case or diacritics, for a picker."""
    return list(
        Person.objects.for_user(user).search(text).select_related("commune").order_by("search_name", "pk")[:limit]
    )


@dataclass
class PersonPage:
    memberships: list
    positions: list
    history: list


def person_page(person, user):
    """A person's memberships, terms and history, limited to the organisations in ``user``'s scope."""
    memberships = Membership.objects.for_user(user).filter(person=person).select_related("organisation")
    positions = ManagementPosition.objects.for_user(user).filter(person=person).select_related("organisation")
    return PersonPage(
        memberships=list(memberships.order_by("-joined_on", "pk")),
        positions=list(positions.order_by("-started_on", "pk")),
        history=latest_first(
            history_entries(
                Person.history.filter(id=person.pk).select_related("commune", "ethnic_group", "history_user"),
                Person,
                lambda record: str(_("Personal details")),
            ),
            membership_history(
                restrict_to_scope(Membership.history.filter(person_id=person.pk), user, "organisation__commune")
            ),
            position_history(
                restrict_to_scope(ManagementPosition.history.filter(person_id=person.pk), user, "organisation__commune")
            ),
        ),
    )


# Likely duplicates: one definition of "probably the same person", for the warning before a save and
# for the page that lists pairs to merge. The same citizen ID is not here: it is refused (unique).


def likely_same_person(search_name, birth_year, phone):
    """The rule as a filter: the same name (without case or diacritics) and year of birth, or the same phone.

    The arguments are values, or ``OuterRef``s to compare a person with the others in one query. The
    same name and date of birth is the strongest case of the first; ``likeness`` says which applies.
    """
    return Q(search_name=search_name, birth_year=birth_year) | (Q(phone=phone) & ~Q(phone=""))


def likeness(first, second):
    """Why two people are likely the same, as shown to staff (empty when they are not): ``likely_same_person``."""
    reasons = []
    if first.search_name == second.search_name:
        if first.birth_date and first.birth_date == second.birth_date:
            reasons.append(_("same name and date of birth"))
        elif first.birth_year == second.birth_year:
            reasons.append(_("same name and year of birth"))
    if first.phone and first.phone == second.phone:
        reasons.append(_("same phone"))
    return reasons


@dataclass
class LikelyDuplicates:
    """People who may be the one being saved: ``visible`` those the user may open, ``hidden`` how many others.

    Of a person outside her scope a user learns only that a record exists, nothing about it.
    """

    visible: list
    hidden: int

    def __bool__(self):
        return bool(self.visible) or self.hidden > 0


def likely_duplicates_of(person_fields, user, exclude=None, limit=10):
    """Others in the register who are likely the person ``person_fields`` describes (``full_name``,
    ``birth_year`` and ``phone`` are read), whether or not they are in ``user``'s scope.

    ``exclude`` is the person being edited. Returns ``LikelyDuplicates``, in two queries.
    """
    full_name, birth_year = person_fields.get("full_name"), person_fields.get("birth_year")
    if not full_name or not birth_year:
        return LikelyDuplicates(visible=[], hidden=0)
    rule = likely_same_person(fold(full_name), birth_year, person_fields.get("phone") or "")
    others = Person.objects.filter(rule)
    if exclude is not None and exclude.pk is not None:
        others = others.exclude(pk=exclude.pk)
    found = list(others.select_related("commune").order_by("search_name", "pk")[:limit])
    in_scope = set(
        Person.objects.for_user(user).filter(pk__in=[person.pk for person in found]).values_list("pk", flat=True)
    )
    visible = [person for person in found if person.pk in in_scope]
    return LikelyDuplicates(visible=visible, hidden=len(found) - len(visible))


@dataclass
class DuplicatePair:
    """Two records likely of one person, with why, for the staff member to compare and merge."""

    first: Person
    second: Person
    reasons: list


def dependent_counts():
    """``{key: (label, Subquery)}`` counting each kind of row pointing to a person (memberships, terms,
    workshop participations…), found from the models (``coopportal.records``)."""
    counts = {}
    for relation in dependent_relations(Person):
        rows = (
            relation.related_model._base_manager.filter(**{relation.field.name: OuterRef("pk")})
            .order_by()
            .values(relation.field.name)
            .annotate(count=Count("pk"))
            .values("count")
        )
        counts[f"count_{relation.name}"] = (
            relation.related_model._meta.verbose_name_plural,
            Coalesce(Subquery(rows), 0),
        )
    return counts


def with_dependent_counts(people):
    """The people of the queryset ``people`` as a list, in one query, each with her commune and ethnic group
    and ``counts``: ``[(label, number)]`` of the rows pointing to her (``dependent_counts``)."""
    counts = dependent_counts()
    people = list(
        people.select_related("commune", "ethnic_group").annotate(
            **{key: expression for key, (_label, expression) in counts.items()}
        )
    )
    for person in people:
        person.counts = [(label, getattr(person, key)) for key, (label, _expression) in counts.items()]
    return people


def merge_candidates(user, first_pk, second_pk):
    """The two people ``first_pk`` and ``second_pk`` in ``user``'s scope, with ``counts``, in that order.

    Raises ``Person.DoesNotExist`` when either is not in the scope (a forged id), or both are one.
    """
    people = {
        person.pk: person
        for person in with_dependent_counts(Person.objects.for_user(user).filter(pk__in=[first_pk, second_pk]))
    }
    if first_pk == second_pk or len(people) != 2:
        raise Person.DoesNotExist
    return people[first_pk], people[second_pk]


def merges_kept_by(person):
    """Merges into ``person`` not undone, latest first, each with who made it."""
    return list(
        PersonMerge.objects.filter(kept_person_id=person.pk, undone_at__isnull=True).select_related("merged_by")
    )


def likely_duplicate_pairs(user):
    """Every pair of people in ``user``'s scope that ``likely_same_person`` matches, in one query.

    Each person carries ``counts``: ``[(label, number)]`` of the rows pointing to her (all of them,
    in scope or not: they all move with a merge). Pairs come in the order of the first's name.
    """
    scoped = Person.objects.for_user(user)
    people = with_dependent_counts(
        scoped.filter(
            Exists(
                scoped.filter(
                    likely_same_person(OuterRef("search_name"), OuterRef("birth_year"), OuterRef("phone"))
                ).exclude(pk=OuterRef("pk"))
            )
        ).order_by("search_name", "pk")
    )
    groups = {}
    for person in people:
        groups.setdefault(("name", person.search_name, person.birth_year), []).append(person)
        if person.phone:
            groups.setdefault(("phone", person.phone), []).append(person)
    pairs = {}
    for group in groups.values():
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                if (first.pk, second.pk) not in pairs:
                    pairs[first.pk, second.pk] = DuplicatePair(first, second, likeness(first, second))
    return sorted(pairs.values(), key=lambda pair: (pair.first.search_name, pair.first.pk, pair.second.pk))


@dataclass
class MergeRecord:
    """A merge as its page shows it: the merged person's details and what moved, in words."""

    merge: PersonMerge
    kept: Person | None
    merged_details: list  # [(label, value)]
    filled: list  # [(label, before, after)]
    moved: list  # [(label, count)]


def merge_record(merge):
    """What ``merge`` (a ``PersonMerge``) did, for its page; ``kept`` is None when the kept person is gone."""

    def label_and_words(attname, value):
        field = next(field for field in Person._meta.concrete_fields if field.attname == attname)
        if isinstance(value, int) and not isinstance(value, bool) and not field.is_relation:
            return capfirst(field.verbose_name), str(value)  # a year, not an amount: no thousands separator
        return capfirst(field.verbose_name), describe(Person(), field.name, value)

    shown = ("full_name", "gender", "birth_year", "birth_date", "commune_id", "phone", "citizen_id", "ethnic_group_id")
    models = {
        relation.related_model._meta.label_lower: relation.related_model for relation in dependent_relations(Person)
    }
    return MergeRecord(
        merge=merge,
        kept=Person.objects.select_related("commune").filter(pk=merge.kept_person_id).first(),
        merged_details=[label_and_words(name, merge.merged_person.get(name)) for name in shown],
        filled=[
            (*label_and_words(name, before), label_and_words(name, after)[1])
            for name, (before, after) in merge.filled.items()
        ],
        moved=[
            (models[label]._meta.verbose_name_plural if label in models else label, len(pks))
            for label, pks in merge.moved.items()
        ],
    )
