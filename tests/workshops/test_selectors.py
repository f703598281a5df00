from datetime import date

import pytest

from members.models import Gender
from members.roles import Role
from members.selectors import women_managed_cooperatives_headline
from members.services import position_end
from tests.factories import OrganisationFactory, appoint, member
from workshops.models import OrganisationKind
from workshops.selectors import workshop_report
from workshops.services import solution_move

from .factories import DAY, add_participant, make_workshop, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooperative_people():
    """A women-managed cooperative: Hoa chairs it, Lan's board term ended before the workshop,
    Minh directs it; Thu joins after the workshop; Mai chairs another cooperative but stays away."""
    cooperative = OrganisationFactory(name="Hợp tác xã Tịnh Khê")
    hoa = member(cooperative, full_name="Nguyễn Thị Hoa")
    appoint(hoa, Role.CHAIR)
    lan = member(cooperative, full_name="Trần Thị Lan")
    position_end(position=appoint(lan, Role.BOARD_MEMBER), on=date(2024, 6, 1))
    minh = member(cooperative, full_name="Lê Văn Minh", gender=Gender.MALE)
    appoint(minh, Role.DIRECTOR)
    member(cooperative, joined_on=date(2024, 10, 1), full_name="Phạm Thị Thu")
    other = OrganisationFactory(name="Hợp tác xã Sơn Hà")
    mai = member(other, full_name="Đinh Thị Mai")
    appoint(mai, Role.CHAIR)
    return {"cooperative": cooperative, "hoa": hoa, "lan": lan, "minh": minh, "mai": mai}


def test_attendance_counts_and_managers_present_follow_the_registers_rule(cooperative_people):
    """Only attendees linked to someone in management on the day count as managers present."""
    workshop = make_workshop()
    coop = OrganisationKind.COOPERATIVE
    for key in ("hoa", "lan", "minh"):
        membership = cooperative_people[key]
        add_participant(
            workshop,
            full_name=membership.person.full_name,
            gender=membership.person.gender,
            organisation_kind=coop,
            person=membership.person,
            organisation=membership.organisation,
        )
    add_participant(workshop, full_name="Võ Thị Bé", organisation_kind=coop, organisation_name="Tổ hợp tác Nghĩa Hà")
    add_participant(
        workshop, full_name="Lê Văn Hùng", gender=Gender.MALE, organisation_kind=OrganisationKind.DEPARTMENT
    )
    mai = cooperative_people["mai"].person
    add_participant(workshop, full_name=mai.full_name, organisation_kind=coop, person=mai, attended=False)

    report = workshop_report(workshop)

    assert (report.invited, report.attended, report.attended_women) == (6, 5, 3)
    assert sorted(p.full_name for p in report.managers_present) == ["Lê Văn Minh", "Nguyễn Thị Hoa"]
    assert report.women_managers_present == 1
    by_kind = {row.kind: (row.attended, row.women) for row in report.by_kind}
    assert by_kind[coop] == (4, 3)
    assert by_kind[OrganisationKind.DEPARTMENT] == (1, 0)
    assert by_kind[OrganisationKind.OTHER] == (0, 0)
    hoa = next(p for p in report.participants if p.full_name == "Nguyễn Thị Hoa")
    assert hoa.organisation_name == "Hợp tác xã Tịnh Khê"  # a linked organisation lends its registered name


def test_the_provinces_figures_are_those_of_the_workshops_first_day(cooperative_people):
    """Thu, who joined after the workshop, is not counted; two cooperatives, three of four members on the day."""
    report = workshop_report(make_workshop())
    headline = report.headline
    assert headline.as_of == DAY
    assert (headline.organisations, headline.members, headline.women_members, headline.women_in_management) == (
        2,
        4,
        3,
        2,
    )
    assert headline == women_managed_cooperatives_headline(DAY)
    later = workshop_report(make_workshop(start_date=date(2024, 10, 2), end_date=date(2024, 10, 2)))
    assert later.headline.members == 5


def test_solutions_are_counted_by_status_and_overdue_ones_flagged(provincial_staff):
    workshop = make_workshop()
    late = propose(workshop, due_on=date(2024, 12, 31))
    done = propose(workshop, due_on=date(2024, 12, 31))
    for status in ("adopted", "in_progress", "done"):
        solution_move(solution=done, to_status=status, by=provincial_staff)
    report = workshop_report(workshop, today=date(2025, 1, 15))
    assert {row.status: row.count for row in report.solutions_by_status if row.count} == {"proposed": 1, "done": 1}
    assert report.overdue_solutions == [late]
