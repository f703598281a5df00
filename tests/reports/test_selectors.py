from datetime import date, datetime

import pytest
from django.utils import timezone

from cooperatives.models import Governance, LegalForm, Sector, Status
from cooperatives.services import organisation_update
from members.models import EthnicGroup, Gender, MemberType
from members.roles import Role
from members.selectors import headline_on, women_managed_on
from members.services import membership_end, position_end
from reports.selectors import (
    HIDDEN,
    SMALL_COUNT,
    ReportFilters,
    organisations_register_on,
    protect_small_counts,
    statistics,
    statistics_json,
)
from tests.factories import OrganisationFactory, appoint, member
from workshops.models import OrganiserLevel, SolutionStatus, WorkshopStatus
from workshops.services import participant_add, solution_move, solution_propose, workshop_create

pytestmark = pytest.mark.django_db

DAY = date(2024, 9, 26)


def consented(code):
    return {
        "ethnic_group": EthnicGroup.objects.get(code=code),
        "ethnicity_consent_on": date(2019, 1, 1),
        "ethnicity_consent_informed": True,
    }


def women_managed_cooperative(commune=None, members=3, men=1, minority_code=None, **fields):
    """A cooperative chaired by a woman, with ``members`` members in all, ``men`` of them men."""
    cooperative = OrganisationFactory(**({"commune": commune} if commune else {}), **fields)
    chair = member(cooperative, joined_on=date(2018, 3, 1))
    appoint(chair, Role.CHAIR, started_on=date(2018, 3, 1))
    for index in range(members - 1):
        extra = consented(minority_code) if minority_code and index == 0 else {}
        member(cooperative, joined_on=date(2019, 5, 1), gender=Gender.MALE if index < men else Gender.FEMALE, **extra)
    return cooperative


def test_headline_follows_the_registers_rules_for_each_kind():
    """Cooperatives, groups and all organisations each get the registers' headline; existing ones whoever manages them."""
    women_managed_cooperative(members=4, men=1, minority_code="19")
    OrganisationFactory()  # a cooperative nobody manages yet: exists, not women-managed
    group = OrganisationFactory(legal_form=LegalForm.COOPERATIVE_GROUP)
    leader = member(group, joined_on=date(2020, 1, 1))
    appoint(leader, Role.GROUP_LEADER, started_on=date(2020, 1, 1))
    member(group, joined_on=date(2020, 1, 1), gender=Gender.MALE)

    figures = statistics(as_of=DAY)

    cooperatives, groups, everything = figures.headline
    assert (cooperatives.existing, groups.existing, everything.existing) == (2, 1, 3)
    assert cooperatives.women_managed == headline_on(
        DAY, women_managed_on(DAY).filter(legal_form=LegalForm.COOPERATIVE)
    )
    assert (cooperatives.women_managed.organisations, cooperatives.women_managed.members) == (1, 4)
    assert (cooperatives.women_managed.women_members, cooperatives.women_managed.women_in_management) == (3, 1)
    assert cooperatives.women_managed.with_ethnic_minority_members == 1
    assert (groups.women_managed.organisations, groups.women_managed.members, groups.women_managed.women_members) == (
        1,
        2,
        1,
    )
    assert (everything.women_managed.organisations, everything.women_managed.members) == (2, 6)
    assert cooperatives.women_share_of_members == 75.0
    assert figures.sentence == cooperatives.women_managed


def test_filters_narrow_every_figure(commune_a, commune_b):
    """A commune, legal form or sector filter limits the organisations counted."""
    agriculture = Sector.objects.get(code="agriculture")
    women_managed_cooperative(commune=commune_a, members=3, sectors=[agriculture])
    women_managed_cooperative(commune=commune_b, members=5)

    in_b = statistics(as_of=DAY, filters=ReportFilters(communes=(commune_b,)))
    farming = statistics(as_of=DAY, filters=ReportFilters(sector=agriculture))
    groups = statistics(as_of=DAY, filters=ReportFilters(legal_form=LegalForm.COOPERATIVE_GROUP))

    assert (in_b.cooperatives.women_managed.organisations, in_b.cooperatives.women_managed.members) == (1, 5)
    assert (farming.cooperatives.women_managed.organisations, farming.cooperatives.women_managed.members) == (1, 3)
    assert groups.headline[2].existing == 0


def test_commune_staff_see_only_their_communes_figures(commune_staff, provincial_staff, commune_a, commune_b):
    """The scope rule applies to the figures: commune staff count their communes only."""
    women_managed_cooperative(commune=commune_a, members=3)
    women_managed_cooperative(commune=commune_b, members=5)

    assert statistics(as_of=DAY, user=commune_staff).cooperatives.women_managed.members == 3
    assert statistics(as_of=DAY, user=provincial_staff).cooperatives.women_managed.members == 8
    assert [row.label for row in statistics(as_of=DAY, user=commune_staff).breakdowns["commune"].rows] == [
        commune_a.name
    ]


def test_breakdowns_add_up_to_the_headline(commune_a, commune_b):
    """Commune, legal form, age and member-type rows add up to the women-managed organisations' totals."""
    women_managed_cooperative(commune=commune_a, members=3)
    women_managed_cooperative(commune=commune_b, members=4, men=2)
    OrganisationFactory(commune=commune_b)

    figures = statistics(as_of=DAY)
    everything = figures.headline[2]
    by_commune = figures.breakdowns["commune"]

    assert sum(by_commune.column("organisations")) == everything.existing == 3
    assert sum(by_commune.column("women_managed")) == everything.women_managed.organisations == 2
    assert sum(by_commune.column("members")) == everything.women_managed.members == 7
    assert sum(figures.breakdowns["age_band"].column("members")) == 7
    assert sum(figures.breakdowns["age_band"].column("women_members")) == everything.women_managed.women_members
    assert sum(figures.breakdowns["legal_form"].column("members")) == 7
    assert figures.breakdowns["member_type"].rows[0].label == str(MemberType.OFFICIAL.label)


def test_age_bands_count_age_on_the_day():
    """Age comes from the birth date when known (a birthday the day after still counts the younger band)."""
    cooperative = women_managed_cooperative(members=1)  # the chair, born 1980: 44 on the day
    member(cooperative, birth_year=1994, birth_date=date(1994, 9, 27))  # 29 on the day, 30 the next
    member(cooperative, birth_year=1964, birth_date=date(1964, 9, 26))  # 60 on the day
    bands = dict((row.label, row.cells[0]) for row in statistics(as_of=DAY).breakdowns["age_band"].rows)
    assert list(bands.values()) == [1, 1, 0, 1]


def test_ethnic_groups_count_not_stated_and_small_counts_are_protected():
    """Members by ethnic group include "not stated"; published cells of 1 or 2 people become "<3"."""
    cooperative = women_managed_cooperative(members=1)  # the chair: ethnicity not stated
    for _index in range(3):
        member(cooperative, **consented("19"))
    member(cooperative, gender=Gender.MALE, **consented("30"))

    figures = statistics(as_of=DAY)
    rows = {row.label: row.cells for row in figures.breakdowns["ethnic_group"].rows}
    assert rows == {"Hrê": (3, 3), "Co": (1, 0), "Chưa ghi nhận": (1, 1)}

    protected = {row.label: row.cells for row in protect_small_counts(figures).breakdowns["ethnic_group"].rows}
    # With 5 members in all, a shown Hrê 3 would leave 2 for the two "<3" cells: 1 and 1. Hrê is hidden too.
    assert protected == {"Hrê": (HIDDEN, HIDDEN), "Co": (SMALL_COUNT, 0), "Chưa ghi nhận": (SMALL_COUNT, SMALL_COUNT)}
    by_commune = statistics_json(figures)["breakdowns"]["ethnic_group_by_commune"]
    assert {row["label"]: row["members"] for row in by_commune} == {
        "Phường Cẩm Thành – Co": SMALL_COUNT,
        "Phường Cẩm Thành – Hrê": HIDDEN,
        "Phường Cẩm Thành – Chưa ghi nhận": SMALL_COUNT,
    }
    # Counts of organisations are not counts of people: the headline is never masked.
    assert statistics_json(figures)["cooperatives_with_ethnic_minority_members"] == 1


def test_a_protected_count_cannot_be_worked_out_from_the_totals(commune_a, commune_b):
    """One Hrê member in Cẩm Thành: neither her commune's total nor the Hrê total, minus what is shown, gives her away."""
    cooperative = women_managed_cooperative(commune_a, members=5, men=0)
    member(cooperative, **consented("19"))
    other = women_managed_cooperative(commune_b, members=4, men=0)
    for _index in range(10):
        member(other, **consented("19"))

    figures = protect_small_counts(statistics(as_of=DAY))
    published = {row.label: row.cells for row in figures.breakdowns["commune"].rows}
    by_commune = figures.breakdowns["ethnic_group_by_commune"].rows
    province = {row.label: row.cells for row in figures.breakdowns["ethnic_group"].rows}
    assert {row.label: row.cells[0] for row in by_commune}["Phường Cẩm Thành – Hrê"] == SMALL_COUNT

    def hidden(cells):
        return [cell for cell in cells if not isinstance(cell, int)]

    # Members (column 0) and women members (column 1) of each commune add up to the commune table's figures,
    # and of each ethnic group to the province table's: a sum with one unknown term would reveal it.
    for column, total_column in ((0, 2), (1, 3)):
        for commune, totals in published.items():
            cells = [row.cells[column] for row in by_commune if row.label.startswith(f"{commune} – ")]
            assert len(hidden(cells)) != 1, (commune, column)
            if hidden(cells):
                assert isinstance(totals[total_column], int)  # the total is published, so it matters
        for group, totals in province.items():
            cells = [row.cells[column] for row in by_commune if row.label.endswith(f" – {group}")]
            assert len(hidden(cells)) != 1 or not isinstance(totals[column], int), (group, column)
        # Two hidden cells of 1 or 2 whose sum is known are not hidden either (2 = 1 + 1).
        assert any(cell != SMALL_COUNT for cell in hidden(row.cells[column] for row in by_commune)) or not hidden(
            row.cells[column] for row in by_commune
        )
    assert statistics_json(statistics(as_of=DAY))["breakdowns"]["ethnic_group_by_commune"] == [
        {"label": row.label, "members": row.cells[0], "women_members": row.cells[1]} for row in by_commune
    ]


def test_trend_gives_the_headline_at_each_year_end_and_on_the_day():
    """One point per 31 December from the first women-managed organisation, then the chosen day."""
    cooperative = women_managed_cooperative(members=3, founded_on=date(2018, 1, 1))
    leaver = member(cooperative, joined_on=date(2020, 2, 1))
    membership_end(membership=leaver, on=date(2022, 6, 1))
    chair = cooperative.positions.get()
    position_end(position=chair, on=date(2023, 3, 1))
    appoint(
        member(cooperative, gender=Gender.MALE, joined_on=date(2023, 1, 1)), Role.CHAIR, started_on=date(2023, 3, 1)
    )

    trend = statistics(as_of=DAY).trend

    assert [point.day for point in trend] == [date(year, 12, 31) for year in range(2018, 2024)] + [DAY]
    for point in trend:
        expected = headline_on(point.day, women_managed_on(point.day).filter(legal_form=LegalForm.COOPERATIVE))
        assert point.cooperatives == expected, point.day
    assert [point.cooperatives.members for point in trend] == [1, 3, 4, 4, 3, 0, 0]


def test_dissolved_organisations_leave_the_figures():
    """An organisation dissolved before the day is neither counted nor its members."""
    cooperative = women_managed_cooperative(members=3)
    organisation_update(organisation=cooperative, status=Status.DISSOLVED, status_changed_on=date(2024, 1, 1))
    figures = statistics(as_of=DAY)
    assert (figures.cooperatives.existing, figures.cooperatives.women_managed.members) == (0, 0)
    assert statistics(as_of=date(2023, 12, 31)).cooperatives.women_managed.members == 3


def test_workshops_count_held_workshops_participants_and_solutions_as_they_stood(administrator, commune_b):
    """Held workshops by the day; attendance; solutions with the status they had that day; overdue ones."""
    from workshops.models import DiscussionTheme  # noqa: PLC0415

    theme = DiscussionTheme.objects.first()
    held = workshop_create(
        title="Hội thảo",
        start_date=date(2024, 9, 1),
        end_date=date(2024, 9, 1),
        organiser_level=OrganiserLevel.PROVINCE,
        status=WorkshopStatus.HELD,
    )
    workshop_create(
        title="Hội thảo xã",
        start_date=date(2024, 9, 2),
        end_date=date(2024, 9, 2),
        organiser_level=OrganiserLevel.COMMUNE,
        commune=commune_b,
        status=WorkshopStatus.HELD,
    )
    participant_add(workshop=held, full_name="Nguyễn Thị A", gender=Gender.FEMALE)
    participant_add(workshop=held, full_name="Trần Văn B", gender=Gender.MALE)
    participant_add(workshop=held, full_name="Lê Thị C", gender=Gender.FEMALE, attended=False)
    late = solution_propose(
        workshop=held,
        text="Vốn",
        theme=theme,
        responsible_body="Sở",
        proposed_by_organisation="Hội",
        due_on=date(2024, 9, 20),
    )
    solution_propose(
        workshop=held, text="Thị trường", theme=theme, responsible_body="Sở", proposed_by_organisation="Hội"
    )
    solution_move(
        solution=late,
        to_status=SolutionStatus.ADOPTED,
        by=administrator,
        at=timezone.make_aware(datetime(2024, 10, 1, 9)),
    )

    on_the_day = statistics(as_of=DAY).workshops
    later = statistics(as_of=date(2024, 10, 2)).workshops
    commune_only = statistics(as_of=DAY, filters=ReportFilters(communes=(commune_b,))).workshops

    assert (on_the_day.held, on_the_day.participants, on_the_day.women_participants) == (2, 2, 1)
    assert dict((status, count) for status, _label, count in on_the_day.solutions_by_status)["proposed"] == 2
    assert on_the_day.overdue_solutions == 1
    assert dict((status, count) for status, _label, count in later.solutions_by_status)["adopted"] == 1
    assert later.overdue_solutions == 1  # adopted is not done: still overdue
    assert commune_only.held == 1


def make_register(size, commune_a, commune_b):
    for index in range(size):
        cooperative = women_managed_cooperative(
            commune=commune_a if index % 2 else commune_b,
            members=4,
            minority_code="19" if index % 3 == 0 else None,
            governance=Governance.FULL,
        )
        group = OrganisationFactory(legal_form=LegalForm.COOPERATIVE_GROUP, commune=commune_b)
        appoint(member(group), Role.GROUP_LEADER)
        member(cooperative, member_type=MemberType.ASSOCIATE_CAPITAL, gender=Gender.MALE)


@pytest.mark.parametrize("size", [1, 6])
def test_the_number_of_queries_does_not_grow_with_the_data(size, commune_a, commune_b, django_assert_num_queries):
    """The same 21 queries for one organisation or many, and however many years the trend spans.

    1 lists the women-managed organisations, 1 counts the whole headline, 3 load the trend's columns,
    14 make the breakdowns (communes' and sectors' names; 2 each for commune, sector and legal form;
    1 each for ethnic group, ethnic group by commune, member type and age; 2 for each organisation's
    members), 2 count the workshops.
    """
    make_register(size, commune_a, commune_b)
    with django_assert_num_queries(21):
        statistics(as_of=DAY)


def test_the_organisations_register_gives_the_status_as_it_stood_on_the_day():
    """Dissolved on 1 March 2025: active in the register of 30 June 2024, dissolved in that of 30 June 2025."""
    cooperative = OrganisationFactory(founded_on=date(2015, 1, 1))
    organisation_update(organisation=cooperative, status=Status.DISSOLVED, status_changed_on=date(2025, 3, 1))
    status_column = organisations_register_on(as_of=date(2024, 6, 30)).headers.index("Tình trạng")
    assert organisations_register_on(as_of=date(2024, 6, 30)).rows[0][status_column] == Status.ACTIVE.label
    assert organisations_register_on(as_of=date(2025, 6, 30)).rows == []  # no longer exists
    assert cooperative.status_label_on(date(2025, 6, 30)) == Status.DISSOLVED.label
