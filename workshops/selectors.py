"""Reads behind the workshop pages and the workshop report: the page and the PDF render one object."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Organisation
from coopportal.documents import DocumentHeading, provincial_heading
from members.models import Gender
from members.selectors import Headline, in_management_on, women_managed_cooperatives_headline

from .models import (
    DiscussionTheme,
    OrganisationKind,
    OrganiserLevel,
    Participant,
    Presentation,
    ProposedSolution,
    SolutionStatus,
    Workshop,
)


@dataclass(frozen=True)
class KindAttendance:
    kind: str
    label: str
    attended: int
    women: int


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class WorkshopReport:
    """Everything the workshop page and its PDF report show, computed once."""

    workshop: Workshop
    participants: list[Participant]
    invited: int
    attended: int
    attended_women: int
    by_kind: list[KindAttendance]
    managers_present: list[Participant]
    women_managers_present: int
    headline: Headline
    presentations: list[Presentation]
    themes: list[DiscussionTheme]
    solutions: list[ProposedSolution]
    solutions_by_status: list[StatusCount]
    today: date

    @property
    def attendees(self):
        return [participant for participant in self.participants if participant.attended]

    @property
    def overdue_solutions(self):
        return [solution for solution in self.solutions if solution.is_overdue_on(self.today)]


def workshop_report(workshop: Workshop, today: date | None = None) -> WorkshopReport:
    """The workshop's attendance, the province's figures on its first day, and what it proposed.

    A participant counts as a cooperative manager present when she or he attended, is linked to a
    person in the register and holds a management role on the workshop's first day, by the
    registers' rule (``members.selectors.in_management_on``). Seven queries whatever the size.
    """
    day = workshop.start_date
    participants = list(workshop.participants.select_related("person", "organisation"))
    attendees = [participant for participant in participants if participant.attended]
    linked_people = {participant.person_id for participant in attendees if participant.person_id}
    managing_ids = (
        set(in_management_on(day, Organisation.objects.all()).filter(pk__in=linked_people).values_list("pk", flat=True))
        if linked_people
        else set()
    )
    managers_present = [participant for participant in attendees if participant.person_id in managing_ids]
    solutions = list(workshop.solutions.select_related("theme", "proposed_by").order_by("theme__position", "pk"))
    return WorkshopReport(
        workshop=workshop,
        participants=participants,
        invited=len(participants),
        attended=len(attendees),
        attended_women=sum(participant.gender == Gender.FEMALE for participant in attendees),
        by_kind=[
            KindAttendance(
                kind=kind,
                label=kind.label,
                attended=sum(participant.organisation_kind == kind for participant in attendees),
                women=sum(
                    participant.organisation_kind == kind and participant.gender == Gender.FEMALE
                    for participant in attendees
                ),
            )
            for kind in OrganisationKind
        ],
        managers_present=managers_present,
        women_managers_present=sum(participant.person.gender == Gender.FEMALE for participant in managers_present),
        headline=women_managed_cooperatives_headline(day),
        presentations=list(workshop.presentations.all()),
        themes=list(workshop.themes.all()),
        solutions=solutions,
        # Only the statuses the workshop's solutions are in, in the order a solution moves through them.
        solutions_by_status=[
            StatusCount(status=status, label=status.label, count=count)
            for status in SolutionStatus
            if (count := sum(solution.status == status for solution in solutions))
        ],
        today=today or timezone.localdate(),
    )


def report_heading(workshop: Workshop, day: date) -> DocumentHeading:
    """A commune Union's report is issued by that Union, under the provincial Union, and dated from
    its commune: an administrative document names the place of its issuer ("Cẩm Thành, ngày …")."""
    heading = provincial_heading(day)
    if workshop.organiser_level == OrganiserLevel.COMMUNE and workshop.commune:
        commune = workshop.commune.name
        return DocumentHeading(
            parent_body=heading.issuer,
            issuer=_("Women's Union of %(commune)s") % {"commune": commune},
            place=commune.removeprefix("Phường ").removeprefix("Xã ").removeprefix("Đặc khu "),
            date=day,
        )
    return heading


def workshop_list(user):
    """The workshops a user may read, with the figures the list shows, in one query."""
    return (
        Workshop.objects.for_user(user)
        .select_related("commune")
        .annotate(
            attended_count=Count("participants", filter=Q(participants__attended=True), distinct=True),
            solution_count=Count("solutions", distinct=True),
        )
        .order_by("-start_date", "-pk")
    )


def solution_list(user):
    """Proposed solutions of every workshop the user may read, for the follow-up page."""
    return (
        ProposedSolution.objects.for_user(user)
        .select_related("workshop", "theme", "proposed_by")
        .order_by("due_on", "workshop__start_date", "pk")
    )


def responsible_bodies(user):
    """The bodies named responsible for at least one solution the user may read, for the filter."""
    return list(
        ProposedSolution.objects.for_user(user)
        .order_by("responsible_body")
        .values_list("responsible_body", flat=True)
        .distinct()
    )


def solution_detail(solution_pk, user):
    return (
        ProposedSolution.objects.for_user(user)
        .select_related("workshop", "theme", "proposed_by")
        .prefetch_related("status_changes__changed_by")
        .get(pk=solution_pk)
    )


def solutions_filtered(user, *, today, status="", theme=None, responsible_body="", overdue=False):
    """The follow-up page: solutions in the user's reach narrowed by the chosen filters."""
    solutions = solution_list(user)
    if status:
        solutions = solutions.filter(status=status)
    if theme is not None:
        solutions = solutions.filter(theme=theme)
    if responsible_body:
        solutions = solutions.filter(responsible_body=responsible_body)
    if overdue:
        solutions = solutions.overdue_on(today)
    return solutions
