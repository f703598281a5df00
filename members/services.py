"""Every write to people, memberships and management positions goes through here."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Organisation
from cooperatives.services import organisation_update
from coopportal.text import fold
from coopportal.validation import batch_clean, constraint_errors, model_update, validated_save

from .models import ManagementPosition, Membership, Person, PersonMerge, member_types_for
from .roles import roles_allowed_for


@dataclass
class Outcome:
    """What a service wrote, and warnings that did not stop it."""

    instance: object
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def organisation_change(*, organisation: Organisation, **fields) -> Organisation:
    """Edit an organisation; a new legal form or governance model must fit the members and managers it has.

    Terms and memberships not yet ended (today or later) are checked against the new structure, so
    that a cooperative cannot turn simplified while its Chair is in office, nor a group into a
    cooperative while its members are plain group members.
    """
    organisation = organisation_update(organisation=organisation, **fields)
    today = timezone.localdate()
    ongoing = Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    misfit_roles = {
        position.get_role_display()
        for position in ManagementPosition.objects.filter(ongoing, organisation=organisation).exclude(
            role__in=roles_allowed_for(organisation.legal_form, organisation.governance)
        )
    }
    misfit_members = (
        Membership.objects.filter(Q(left_on__isnull=True) | Q(left_on__gt=today), organisation=organisation)
        .exclude(member_type__in=member_types_for(organisation.legal_form))
        .count()
    )
    errors = {}
    if misfit_roles:
        errors["governance"] = ValidationError(
            _("This structure has no %(roles)s: end those terms first.")
            % {"roles": ", ".join(sorted(role.lower() for role in misfit_roles))},
            code="roles_do_not_fit_structure",
        )
    if misfit_members:
        errors["legal_form"] = ValidationError(
            _("%(count)s current members have a member type this legal form does not have: end or change them first.")
            % {"count": misfit_members},
            code="member_types_do_not_fit_legal_form",
        )
    if errors:
        raise ValidationError(errors)
    return organisation


@transaction.atomic
def person_create(*, full_name, gender, birth_year, **fields) -> Person:
    """A new person; raises ValidationError by the model's rules, a citizen ID taken meanwhile included."""
    person = Person(full_name=full_name, gender=gender, birth_year=birth_year, **fields)
    validated_save(person)
    return person


@transaction.atomic
def person_update(*, person: Person, **fields) -> Person:
    """Edit a person; raises ValidationError by the model's rules, a citizen ID taken meanwhile included.

    An edit that clears her ethnic group erases it from her history too, as withdrawing consent does:
    sensitive data removed is removed everywhere (Law 91/2025/QH15).
    """
    had_ethnic_group = Person.objects.filter(pk=person.pk, ethnic_group__isnull=False).exists()
    model_update(person, **fields)
    if had_ethnic_group and person.ethnic_group_id is None:
        Person.history.filter(id=person.pk).update(ethnic_group=None)
    return person


@transaction.atomic
def ethnicity_consent_withdraw(*, person: Person, on: date) -> Person:
    """Withdrawing consent erases the ethnic group, from the history too; figures then say 'not stated'."""
    person.ethnic_group = None
    person.ethnicity_consent_on = None
    person.ethnicity_consent_informed = False
    person.ethnicity_consent_withdrawn_on = on
    validated_save(person)
    _erase_merged_ethnicity(person)
    person.history.update(ethnic_group=None)
    return person


def _erase_merged_ethnicity(person: Person) -> None:
    """The records merged into hers (and into those, in a chain) were her too: erase their ethnic group as well.

    A merge keeps the merged record's fields, and its history, so that the merge can be undone
    (``members.merging``); consent withdrawn from the person withdraws it from every copy of her.
    """
    ids, merges = {person.pk}, []
    frontier = {person.pk}
    while frontier:
        found = list(PersonMerge.objects.filter(kept_person_id__in=frontier))
        merges += found
        frontier = {merge.merged_person_id for merge in found} - ids
        ids |= frontier
    erased = {"ethnic_group_id": None, "ethnicity_consent_on": None, "ethnicity_consent_informed": False}
    for merge in merges:
        merge.merged_person.update(erased)
        for name, value in erased.items():
            if name in merge.filled:
                merge.filled[name][1] = value
        merge.save(update_fields=["merged_person", "filled"])
    Person.history.filter(id__in=ids).update(ethnic_group=None)


def _periods_locked(*organisations) -> None:
    """Writers of one organisation's memberships and terms run one after the other, until their transaction ends.

    Their rules (one chair at a time, no overlapping memberships) compare rows. On PostgreSQL, under
    READ COMMITTED, two writers could both pass the check; the exclusion constraints would refuse
    the second, but two inserts each checking the other's uncommitted row can also deadlock. A lock
    on the organisation's row (FOR NO KEY UPDATE, which foreign-key checks do not wait for) makes the
    second writer wait, and its check then sees the first's row. SQLite's transactions are serial
    already and take no row locks.
    """
    if not connection.features.has_select_for_update:
        return
    ids = sorted({getattr(organisation, "pk", organisation) for organisation in organisations})
    list(Organisation.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk"))


@transaction.atomic
def membership_add(
    *,
    person: Person,
    organisation: Organisation,
    member_type: str,
    joined_on: date,
    capital_contributed: int = 0,
    left_on: date | None = None,
) -> Membership:
    """A membership; ``left_on`` records one that has already ended, as history entered late.

    Raises ValidationError by ``Membership.clean()``. An overlapping membership that another request
    adds at the same moment is refused too: the check and the write run in one transaction, which
    SQLite serialises and PostgreSQL queues behind the organisation's row lock (``_periods_locked``);
    a write that went around them is refused by the exclusion constraint of
    ``members/migrations/0003_period_exclusion.py``, with the same message.
    """
    _periods_locked(organisation)
    membership = Membership(
        person=person,
        organisation=organisation,
        member_type=member_type,
        joined_on=joined_on,
        left_on=left_on,
        capital_contributed=capital_contributed,
    )
    validated_save(membership)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, on: date) -> Membership:
    """Ending a membership keeps it, dated, so the history stays; raises ValidationError as ``membership_add``."""
    if membership.left_on is not None:
        raise ValidationError(_("This membership has already ended."), code="membership_already_ended")
    _periods_locked(membership.organisation_id)
    membership.left_on = on
    validated_save(membership)
    return membership


@transaction.atomic
def membership_correct(
    *, membership: Membership, member_type: str, joined_on: date, left_on: date | None, capital_contributed: int
) -> Membership:
    """Put right a membership typed wrong; every rule of a new one applies, and the history keeps the old values.

    Raises ValidationError as ``membership_add`` does.
    """
    _periods_locked(membership.organisation_id)
    membership.member_type = member_type
    membership.joined_on = joined_on
    membership.left_on = left_on
    membership.capital_contributed = capital_contributed
    validated_save(membership)
    return membership


@transaction.atomic
def position_appoint(
    *, person: Person, organisation: Organisation, role: str, started_on: date, ended_on: date | None = None
) -> Outcome:
    """Appoint; a holder who is not a member on the first day is a warning, not a refusal.

    ``ended_on`` records a term that has already ended: a former chair is entered beside today's.
    Raises ValidationError by ``ManagementPosition.clean()``: a second chair, director or group leader
    for the same days, even one appointed by another request at the same moment, as ``membership_add``.
    """
    _periods_locked(organisation)
    position = ManagementPosition(
        person=person, organisation=organisation, role=role, started_on=started_on, ended_on=ended_on
    )
    validated_save(position)
    return Outcome(position, not_a_member_warnings(position))


def not_a_member_warnings(position: ManagementPosition) -> list[str]:
    """A holder who is not a member on her first day is allowed, with a warning."""
    if (
        Membership.objects.on(position.started_on)
        .filter(person=position.person, organisation=position.organisation)
        .exists()
    ):
        return []
    return [
        _("%(person)s is not a member of %(organisation)s on %(day)s.")
        % {
            "person": position.person,
            "organisation": position.organisation,
            "day": position.started_on.strftime("%d/%m/%Y"),
        }
    ]


@transaction.atomic
def position_correct(*, position: ManagementPosition, role: str, started_on: date, ended_on: date | None) -> Outcome:
    """Put right a term typed wrong; the rules of an appointment apply, and the history keeps the old values.

    Raises ValidationError as ``position_appoint`` does.
    """
    _periods_locked(position.organisation_id)
    position.role = role
    position.started_on = started_on
    position.ended_on = ended_on
    validated_save(position)
    return Outcome(position, not_a_member_warnings(position))


@transaction.atomic
def position_end(*, position: ManagementPosition, on: date) -> ManagementPosition:
    """End a term on a day; it stays, dated, as history. Raises ValidationError as ``position_appoint``."""
    if position.ended_on is not None:
        raise ValidationError(_("This term has already ended."), code="position_already_ended")
    _periods_locked(position.organisation_id)
    position.ended_on = on
    validated_save(position)
    return position


@transaction.atomic
def member_enrol(
    *,
    organisation: Organisation,
    member_type: str,
    joined_on: date,
    capital_contributed: int = 0,
    left_on: date | None = None,
    person: Person | None = None,
    new_person: dict | None = None,
) -> Membership:
    """Add a member in one step: an existing person, or a new one stored only if the membership is."""
    if person is None:
        person = person_create(**new_person)
    return membership_add(
        person=person,
        organisation=organisation,
        member_type=member_type,
        joined_on=joined_on,
        left_on=left_on,
        capital_contributed=capital_contributed,
    )


def _create_many(model, instances, known_relations, user) -> dict[int, ValidationError]:
    """Check each instance by its model's rules (``batch_clean``) and create the valid ones in bulk, with history.

    Returns ``{index: ValidationError}`` for the instances refused; the others are saved and have
    their pk. ``known_relations`` are foreign keys the caller has just read or written.
    """
    errors, valid = {}, {}
    for index, instance in enumerate(instances):
        try:
            batch_clean(instance, known_relations=known_relations)
        except ValidationError as error:
            errors[index] = error
        else:
            valid[index] = instance
    if not valid:
        return errors
    try:
        with transaction.atomic():
            _bulk_create(model, list(valid.values()), user)
    except IntegrityError:
        # A row another request wrote meanwhile, which the batch's check could not see (PostgreSQL, READ
        # COMMITTED), breaks a unique or exclusion constraint with one of these: one by one, to say which.
        for index, instance in valid.items():
            try:
                with constraint_errors(instance):
                    _bulk_create(model, [instance], user)
            except ValidationError as error:
                errors[index] = error
    return errors


def _bulk_create(model, instances, user):
    from simple_history.utils import bulk_create_with_history  # noqa: PLC0415

    created = bulk_create_with_history(instances, model, batch_size=500, default_user=user)
    for instance, saved in zip(instances, created, strict=True):
        instance.pk = saved.pk


@transaction.atomic
def people_create_many(*, people: list[Person], user=None) -> dict[int, ValidationError]:
    """Many new people at once (a register import): each checked as ``person_create`` checks one."""
    for person in people:
        person.search_name = fold(person.full_name)
    return _create_many(Person, people, ("commune", "ethnic_group"), user)


@transaction.atomic
def memberships_add_many(*, memberships: list[Membership], user=None) -> dict[int, ValidationError]:
    """Many memberships at once, each checked as ``membership_add`` checks one.

    Each membership's ``known_siblings`` must hold the person's other memberships of the organisation
    (those in the register and those of the batch): the overlap rule is checked against them.
    """
    _periods_locked(*(membership.organisation_id for membership in memberships))
    return _create_many(Membership, memberships, ("person", "organisation"), user)


@transaction.atomic
def positions_appoint_many(*, positions: list[ManagementPosition], user=None) -> dict[int, ValidationError]:
    """Many terms at once, each checked as ``position_appoint`` checks one (no warnings).

    Each term's ``known_siblings`` must hold the organisation's other terms in its role (register and batch).
    """
    _periods_locked(*(position.organisation_id for position in positions))
    return _create_many(ManagementPosition, positions, ("person", "organisation"), user)
