"""Every write to workshops, their participants, presentations and proposed solutions."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopportal.validation import model_update, validated_save

from .models import (
    SOLUTION_MOVES,
    Participant,
    Presentation,
    ProposedSolution,
    SolutionStatus,
    SolutionStatusChange,
    Workshop,
)


@transaction.atomic
def workshop_create(*, title, start_date, end_date, organiser_level, themes=(), **fields) -> Workshop:
    workshop = Workshop(
        title=title, start_date=start_date, end_date=end_date, organiser_level=organiser_level, **fields
    )
    validated_save(workshop)
    workshop.themes.set(themes)
    return workshop


@transaction.atomic
def workshop_update(*, workshop: Workshop, themes=None, **fields) -> Workshop:
    model_update(workshop, **fields)
    if themes is not None:
        workshop.themes.set(themes)
    return workshop


def _participants_locked(workshop: Workshop) -> None:
    """Two writes of one workshop's participants at once run one after the other.

    One person is listed once (``Participant.clean``), a rule on names compared as people read them,
    which no database constraint states: so that the second writer's check sees the first's row,
    PostgreSQL locks the workshop's row until the transaction ends; SQLite's transactions take the
    write lock when they begin (``coopportal/settings/base.py``) and are serial already.
    """
    list(Workshop.objects.select_for_update().filter(pk=workshop.pk).values_list("pk", flat=True))


@transaction.atomic
def participant_add(*, workshop: Workshop, full_name, gender, **fields) -> Participant:
    """A participant; raises ValidationError by the model's rules, one listed meanwhile by another request included."""
    _participants_locked(workshop)
    participant = Participant(workshop=workshop, full_name=full_name, gender=gender, **fields)
    validated_save(participant)
    return participant


@transaction.atomic
def participant_update(*, participant: Participant, **fields) -> Participant:
    """Edit a participant; raises ValidationError as ``participant_add``."""
    _participants_locked(participant.workshop)
    model_update(participant, **fields)
    return participant


def participant_remove(*, participant: Participant) -> None:
    """A participant who proposed a solution stays named on it through the organisation field."""
    for solution in participant.solutions.all():
        if not solution.proposed_by_organisation:
            solution.proposed_by_organisation = participant.organisation_name or participant.full_name
            solution.save(update_fields=["proposed_by_organisation"])
    participant.delete()


@transaction.atomic
def participants_import(*, workshop: Workshop, rows, attended=True) -> list[Participant]:
    """Add every row of a sign-in sheet, or none: one error names each bad row.

    ``rows`` are ``importers.SheetRow``: the row number the person sees in the spreadsheet, the
    fields, and the problems the reader already found in the values it could not understand.
    """
    _participants_locked(workshop)
    participants, problems, first_rows = [], [], {}
    for row in rows:
        participant = Participant(workshop=workshop, attended=attended, **row.fields)
        row_problems = list(row.problems.values())
        repeated = first_rows.setdefault(participant.same_person_key(), row.number) if participant.full_name else None
        if repeated not in (None, row.number):
            row_problems.append(
                _("%(participant)s is already on row %(row)s") % {"participant": participant.label, "row": repeated}
            )
        try:
            participant.full_clean(exclude=list(row.problems))
        except ValidationError as error:
            row_problems.extend(_messages_of(error))
        problems.extend(
            ValidationError(_("Row %(row)s: %(problem)s") % {"row": row.number, "problem": problem}, code="invalid_row")
            for problem in row_problems
        )
        participants.append(participant)
    if problems:
        raise ValidationError(problems)
    # Saved one by one, not in bulk: each row's history says it came from a sign-in sheet, and the
    # request's user (simple_history's HistoryRequestMiddleware) as who imported it.
    for participant in participants:
        participant._change_reason = _("Sign-in sheet")
        participant.save()
    return participants


def _messages_of(error: ValidationError):
    """'full name: This field cannot be blank.' for each field error."""
    if not hasattr(error, "error_dict"):
        return error.messages
    return [
        f"{Participant._meta.get_field(name).verbose_name}: {message}" if name != "__all__" else message
        for name, messages in error.message_dict.items()
        for message in messages
    ]


def presentation_add(*, workshop: Workshop, title, presenter, summary="", position=None) -> Presentation:
    if position is None:
        position = workshop.presentations.count() + 1
    presentation = Presentation(workshop=workshop, title=title, presenter=presenter, summary=summary, position=position)
    validated_save(presentation)
    return presentation


def presentation_update(*, presentation: Presentation, **fields) -> Presentation:
    model_update(presentation, **fields)
    return presentation


def solution_propose(*, workshop: Workshop, text, theme, responsible_body, **fields) -> ProposedSolution:
    solution = ProposedSolution(workshop=workshop, text=text, theme=theme, responsible_body=responsible_body, **fields)
    validated_save(solution)
    return solution


def solution_update(*, solution: ProposedSolution, **fields) -> ProposedSolution:
    """Change what was proposed; the status only moves through ``solution_move``."""
    if "status" in fields:
        raise ValueError("The status of a proposed solution changes through solution_move.")
    model_update(solution, **fields)
    return solution


@transaction.atomic
def solution_move(
    *, solution: ProposedSolution, to_status, by, note="", at: datetime | None = None
) -> SolutionStatusChange:
    """Move a solution on (proposed → adopted → in progress → done, or declined) and record who and when."""
    at = at or timezone.now()
    # Lock the row, so that two people moving the same solution at once cannot both start from one status.
    given, solution = (
        solution,
        ProposedSolution.objects.select_for_update().select_related("workshop").get(pk=solution.pk),
    )
    current = SolutionStatus(solution.status)
    if to_status not in SOLUTION_MOVES[current]:
        raise ValidationError(
            _("A solution that is %(current)s cannot become %(next)s.")
            % {"current": current.label.lower(), "next": SolutionStatus(to_status).label.lower()},
            code="status_move_not_allowed",
        )
    if timezone.localdate(at) < solution.workshop.start_date:
        raise ValidationError(
            _("A status cannot change before the workshop where the solution was proposed."),
            code="status_change_before_workshop",
        )
    last = solution.status_changes.order_by("-changed_at").first()
    if last and at < last.changed_at:
        raise ValidationError(
            _("A status change cannot be dated before the previous one."), code="status_change_out_of_order"
        )
    change = SolutionStatusChange(
        solution=solution, from_status=current, to_status=to_status, note=note, changed_by=by, changed_at=at
    )
    validated_save(change)
    solution.status = to_status
    solution.save(update_fields=["status"])
    given.status = to_status
    return change
