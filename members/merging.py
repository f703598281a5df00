"""Two records of one person made one, undone when it was a mistake; a person entered by mistake deleted.

Every row of another table that points to a person (memberships, management positions, workshop
participations, and any table added later: ``coopportal.records``) moves with a merge, each one
checked by its own model's rules as if it had been entered for the kept person, so that a merge
never makes two overlapping memberships of one organisation or two participations in one workshop.
A merge is all or nothing and is recorded in a ``PersonMerge``, which holds what an undo needs.

Histories (django-simple-history) are kept: every moved membership and term gets a history entry
naming the user and the merge, the merged person's deletion is an entry of her history, and an undo
adds entries rather than removing any.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopportal.records import delete_unless_depended_on, dependent_relations, rows_pointing_to
from coopportal.validation import constraint_errors

from .erasure import erase_personal_history
from .models import Person, PersonMerge

# Fields of the kept person that take the merged person's value when empty. Ethnicity comes only with
# its consent (DOMAIN.md, "Personal data"): its four fields move together, and only onto a record that
# holds none of them, so that a withdrawal recorded on the kept person is never undone by a merge.
FILLABLE_FIELDS = ("birth_date", "commune", "phone", "citizen_id")
ETHNICITY_FIELDS = (
    "ethnic_group",
    "ethnicity_consent_on",
    "ethnicity_consent_informed",
    "ethnicity_consent_withdrawn_on",
)

# Tables where a person appears once per value of these fields, a rule no constraint of theirs states
# (a participant is told apart by name and organisation): a person takes part in a workshop once.
ONE_ROW_PER_PERSON = {"workshops.participant": ("workshop",)}


def _is_empty(value):
    return value in (None, "", False)


def _snapshot(person):
    """``{attname: value}`` of every stored field of ``person`` (JSON keeps dates as ISO strings)."""
    return {field.attname: field.value_from_object(person) for field in Person._meta.concrete_fields}


def _field(attname):
    return next(field for field in Person._meta.concrete_fields if field.attname == attname)


def _from_json(attname, value):
    return _field(attname).to_python(value)


def _fills(kept, merged):
    """``{attname: merged's value}`` for the kept person's empty fields that the merged person has."""
    fills = {}
    for name in FILLABLE_FIELDS:
        attname = Person._meta.get_field(name).attname
        value = getattr(merged, attname)
        if _is_empty(getattr(kept, attname)) and not _is_empty(value):
            fills[attname] = value
    # A date of birth of another year would contradict the kept year of birth: the staff member corrects it.
    if "birth_date" in fills and fills["birth_date"].year != kept.birth_year:
        del fills["birth_date"]
    ethnicity = [Person._meta.get_field(name).attname for name in ETHNICITY_FIELDS]
    if all(_is_empty(getattr(kept, name)) for name in ethnicity) and merged.ethnic_group_id is not None:
        fills.update({name: getattr(merged, name) for name in ethnicity})
    return fills


def _label(row):
    return f"{row._meta.verbose_name} “{row}”"


def _move(row, field, person, *, user, reason):
    """Point ``row``'s ``field`` to ``person``, by the row's own rules; raises ValidationError naming the row."""
    setattr(row, field.name, person)
    try:
        row.full_clean()
        _refuse_second_row(row, field, person)
        row._change_reason = reason
        row._history_user = user
        with constraint_errors(row):
            row.save()
    except ValidationError as error:
        raise ValidationError(
            _("%(row)s: %(reason)s") % {"row": _label(row), "reason": " ".join(error.messages)},
            code=getattr(error, "code", None) or "merge_breaks_a_rule",
        ) from error


def _refuse_second_row(row, field, person):
    fields = ONE_ROW_PER_PERSON.get(row._meta.label_lower)
    if not fields:
        return
    same = {name: getattr(row, row._meta.get_field(name).attname) for name in fields}
    others = type(row)._base_manager.filter(**{field.name: person}, **same).exclude(pk=row.pk)
    if others.exists():
        raise ValidationError(_("%(person)s is already listed there.") % {"person": person}, code="one_row_per_person")


def _locked_people(user, *pks):
    """The people ``pks`` under a row lock, each in ``user``'s scope; PermissionDenied otherwise."""
    people = {person.pk: person for person in Person.objects.for_user(user).select_for_update().filter(pk__in=pks)}
    if set(pks) - set(people):
        raise PermissionDenied(_("This person is not in your scope."))
    return [people[pk] for pk in pks]


@transaction.atomic
def person_merge(*, kept: Person, merged: Person, user) -> PersonMerge:
    """Merge ``merged`` into ``kept``: her rows move, ``kept``'s empty fields take her values, she is deleted.

    Both must be in ``user``'s scope (``Person.objects.for_user``), else PermissionDenied. Raises
    ValidationError, with nothing changed, when a moved row would break a rule of its table (two
    overlapping memberships of one organisation, a second chair, an official member under 18 by the
    kept year of birth, two participations in one workshop: every refusal is listed), or when kept and
    merged are one record. Returns the ``PersonMerge`` that records it (``person_merge_undo``).
    """
    if kept.pk == merged.pk:
        raise ValidationError(_("A record cannot be merged with itself."), code="merge_with_itself")
    kept, merged = _locked_people(user, kept.pk, merged.pk)
    reason = _("Merged with the record of %(name)s (#%(id)s)") % {"name": merged.full_name, "id": merged.pk}
    snapshot, fills = _snapshot(merged), _fills(kept, merged)
    moved, refusals = {}, []
    for relation in dependent_relations(Person):
        rows = list(rows_pointing_to(merged, relation).order_by("pk"))
        if rows:
            moved[relation.related_model._meta.label_lower] = [row.pk for row in rows]
        for row in rows:
            try:
                _move(row, relation.field, kept, user=user, reason=reason)
            except ValidationError as error:
                refusals.extend(error.messages)
    if refusals:
        raise ValidationError(
            [
                ValidationError(
                    _("The two records cannot be merged: %(reason)s") % {"reason": refusal}, code="merge_breaks_a_rule"
                )
                for refusal in refusals
            ]
        )
    merged._change_reason = _("Merged into the record of %(name)s (#%(id)s)") % {"name": kept.full_name, "id": kept.pk}
    merged._history_user = user
    merged.delete()
    filled = {name: [getattr(kept, name), value] for name, value in fills.items()}
    if fills:
        for name, value in fills.items():
            setattr(kept, name, value)
        kept.full_clean()
        kept._change_reason = reason
        kept._history_user = user
        with constraint_errors(kept):
            kept.save()
    return PersonMerge.objects.create(
        merged_by=user,
        kept_person=kept,
        merged_person_id=snapshot["id"],
        merged_person=snapshot,
        moved=moved,
        filled=filled,
    )


def undo_blockers(merge: PersonMerge) -> list[str]:
    """Why ``merge`` cannot be undone now (empty when it can): each thing changed since that stands in the way.

    An undo must give back exactly what the merge took: the merged person's id must be free, the kept
    person still there with the values the merge filled in, and every moved row still hers.
    """
    if merge.undone_at:
        return [_("This merge has already been undone.")]
    kept = Person.objects.filter(pk=merge.kept_person_id).first()
    if kept is None:
        return [_("The kept record no longer exists: it was merged into another record or deleted. Undo that first.")]
    blockers = []
    if Person.objects.filter(pk=merge.merged_person_id).exists():
        blockers.append(_("A record with the merged person's number exists again."))
    for attname, (_before, after) in merge.filled.items():
        if getattr(kept, attname) != _from_json(attname, after):
            blockers.append(
                _("%(field)s of %(person)s has been changed since the merge.")
                % {"field": _field(attname).verbose_name.capitalize(), "person": kept}
            )
    relations = {relation.related_model._meta.label_lower: relation for relation in dependent_relations(Person)}
    for label, pks in merge.moved.items():
        relation = relations.get(label)
        if relation is None:
            blockers.append(_("The register no longer has the table of %(rows)s.") % {"rows": label})
            continue
        still_hers = set(rows_pointing_to(kept, relation).filter(pk__in=pks).values_list("pk", flat=True))
        if missing := len(set(pks) - still_hers):
            blockers.append(
                _("%(count)s of the %(rows)s the merge moved have since been deleted or given to someone else.")
                % {"count": missing, "rows": relation.related_model._meta.verbose_name_plural}
            )
    return blockers


@transaction.atomic
def person_merge_undo(*, merge: PersonMerge, user) -> Person:
    """Undo ``merge``: the merged person comes back with her id and values, exactly her rows move back to
    her, and the kept person's filled-in fields are emptied again. The merge record stays, marked undone.

    The kept person must be in ``user``'s scope (PermissionDenied). Raises ValidationError, with nothing
    changed, when something changed since makes it impossible (``undo_blockers``) or when a row moved
    back breaks a rule of its table. Returns the merged person, recreated.
    """
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if Person.objects.filter(pk=merge.kept_person_id).exists():
        _locked_people(user, merge.kept_person_id)
    blockers = undo_blockers(merge)
    if blockers:
        raise ValidationError([ValidationError(blocker, code="merge_cannot_be_undone") for blocker in blockers])
    kept = Person.objects.get(pk=merge.kept_person_id)
    reason = _("Merge #%(id)s undone") % {"id": merge.pk}
    if merge.filled:
        for attname, (before, _after) in merge.filled.items():
            setattr(kept, attname, _from_json(attname, before))
        kept.full_clean()
        kept._change_reason = reason
        kept._history_user = user
        with constraint_errors(kept):
            kept.save()
    merged = Person(**{name: _from_json(name, value) for name, value in merge.merged_person.items()})
    merged.full_clean()
    merged._change_reason = reason
    merged._history_user = user
    with constraint_errors(merged):
        merged.save(force_insert=True)
    relations = {relation.related_model._meta.label_lower: relation for relation in dependent_relations(Person)}
    refusals = []
    for label, pks in merge.moved.items():
        relation = relations[label]
        for row in relation.related_model._base_manager.filter(pk__in=pks).order_by("pk"):
            try:
                _move(row, relation.field, merged, user=user, reason=reason)
            except ValidationError as error:
                refusals.extend(error.messages)
    if refusals:
        raise ValidationError([ValidationError(refusal, code="merge_cannot_be_undone") for refusal in refusals])
    merge.undone_at, merge.undone_by = timezone.now(), user
    merge.save(update_fields=["undone_at", "undone_by"])
    return merged


@transaction.atomic
def person_delete(*, person: Person, user) -> None:
    """Delete a person entered by mistake; her history stays, with the deletion as its last entry.

    She must be in ``user``'s scope (PermissionDenied). Refused (ValidationError, code
    ``has_dependents``, naming what depends on her) while any row points to her: a membership, a term,
    a workshop participation (``coopportal.records.delete_unless_depended_on``). Her ethnic group, phone,
    citizen ID and date of birth are erased from that history (``members.erasure``).
    """
    (person,) = _locked_people(user, person.pk)
    person_id = person.pk  # delete() sets it to None
    delete_unless_depended_on(person, user=user)
    erase_personal_history(person_id)
