"""The statistics selector against plain Python over the same rows, for random registers, days and filters.

The expected figures below are computed from the definitions in DOMAIN.md, one organisation and
one row at a time, without the registers' querysets or the reports' code.
"""

from contextlib import suppress
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from cooperatives.models import AdministrativeUnit, Organisation
from cooperatives.services import organisation_register
from members.models import EthnicGroup, ManagementPosition, Membership, Person
from members.services import membership_add, membership_end, person_create, position_appoint, position_end
from reports.selectors import ReportFilters, statistics

COMMUNES = ("21025", "21289")
START = date(2015, 1, 1)

days = st.integers(min_value=0, max_value=10 * 365).map(lambda offset: START + timedelta(days=offset))
# Registers mostly begin early and reports are mostly asked for later, so that most draws have figures.
early_days = st.integers(min_value=0, max_value=6 * 365).map(lambda offset: START + timedelta(days=offset))
late_days = st.integers(min_value=3 * 365, max_value=10 * 365).map(lambda offset: START + timedelta(days=offset))


def sometimes(strategy, one_in):
    """``strategy`` about one time in ``one_in``, otherwise None (Hypothesis prefers the first branches)."""
    return st.one_of(*[st.none()] * (one_in - 1), strategy)


organisations = st.lists(
    st.fixed_dictionaries(
        {
            "legal_form": st.sampled_from(["cooperative", "group", "union"]),
            "governance": st.sampled_from(["full", "simplified"]),
            "commune": st.sampled_from(COMMUNES),
            "founded_on": sometimes(early_days, 2),
            "dissolved_on": sometimes(days, 5),
        }
    ),
    min_size=1,
    max_size=4,
)
people = st.lists(
    st.fixed_dictionaries(
        {
            "gender": st.sampled_from(["female", "female", "male"]),
            "birth_year": st.integers(min_value=1950, max_value=2000),
            "ethnic_code": st.sampled_from([None, "01", "19", "30"]),
        }
    ),
    min_size=1,
    max_size=8,
)
periods = st.tuples(st.integers(0, 7), st.integers(0, 3), early_days, sometimes(days, 3))
# "top" stands for the organisation's top role, so that many drawn registers have women-managed organisations.
roles = st.sampled_from(["top", "top", "top", "chair", "director", "board_member", "chief_accountant", "controller"])
TOP_ROLES = {"group": "group_leader", "simplified": "director", "full": "chair"}


def register(organisation_rows, person_rows, membership_rows, position_rows):
    """Write the drawn registers through the services; rows the rules refuse are simply left out."""
    communes = {unit.code: unit for unit in AdministrativeUnit.objects.filter(level="commune", code__in=COMMUNES)}
    groups = {group.code: group for group in EthnicGroup.objects.all()}
    saved_organisations = []
    for index, row in enumerate(organisation_rows):
        dissolved = row["dissolved_on"]
        if dissolved and row["founded_on"] and dissolved < row["founded_on"]:
            dissolved = row["founded_on"]  # no organisation is dissolved before it is founded
        saved_organisations.append(
            organisation_register(
                name=f"HTX {index}",
                legal_form=row["legal_form"],
                governance=row["governance"],
                commune=communes[row["commune"]],
                founded_on=row["founded_on"],
                status="dissolved" if dissolved else "active",
                status_changed_on=dissolved,
            )
        )
    saved_people = []
    for index, row in enumerate(person_rows):
        consent = {"ethnicity_consent_on": START, "ethnicity_consent_informed": True} if row["ethnic_code"] else {}
        saved_people.append(
            person_create(
                full_name=f"Người {index}",
                gender=row["gender"],
                birth_year=row["birth_year"],
                ethnic_group=groups.get(row["ethnic_code"]),
                **consent,
            )
        )
    for person_index, organisation_index, start, end in membership_rows:
        organisation = saved_organisations[organisation_index % len(saved_organisations)]
        member_type = "group_member" if organisation.legal_form == "group" else "associate_no_capital"
        with suppress(ValidationError):
            membership = membership_add(
                person=saved_people[person_index % len(saved_people)],
                organisation=organisation,
                member_type=member_type,
                joined_on=start,
            )
            if end is not None:
                membership_end(membership=membership, on=max(end, start))
    for (person_index, organisation_index, start, end), role in position_rows:
        organisation = saved_organisations[organisation_index % len(saved_organisations)]
        if role == "top":
            role = TOP_ROLES["group" if organisation.legal_form == "group" else organisation.governance]
        with suppress(ValidationError):
            position = position_appoint(
                person=saved_people[person_index % len(saved_people)],
                organisation=organisation,
                role=role,
                started_on=start,
            ).instance
            if end is not None:
                position_end(position=position, on=max(end, start))


def expected_figures(day, legal_form=None, communes=None):
    """Counted one organisation at a time from the rows as stored, as DOMAIN.md defines each figure."""
    people = {person.pk: person for person in Person.objects.select_related("ethnic_group")}
    memberships = list(Membership.objects.all())
    positions = list(ManagementPosition.objects.all())

    def in_force(start, end):
        return start <= day and (end is None or day < end)

    def top_role(organisation):
        return TOP_ROLES["group" if organisation.legal_form == "group" else organisation.governance]

    figures = {"existing": 0, "organisations": 0, "minority": 0}
    members, in_management = set(), set()
    for organisation in Organisation.objects.all():
        if legal_form and organisation.legal_form != legal_form:
            continue
        if communes and organisation.commune.code not in communes:
            continue
        if organisation.founded_on and organisation.founded_on > day:
            continue
        if organisation.status == "dissolved" and organisation.status_changed_on <= day:
            continue
        figures["existing"] += 1
        women_at_the_top = [
            position
            for position in positions
            if position.organisation_id == organisation.pk
            and position.role == top_role(organisation)
            and in_force(position.started_on, position.ended_on)
            and people[position.person_id].gender == "female"
        ]
        if not women_at_the_top:
            continue
        figures["organisations"] += 1
        its_members = {
            membership.person_id
            for membership in memberships
            if membership.organisation_id == organisation.pk and in_force(membership.joined_on, membership.left_on)
        }
        members |= its_members
        in_management |= {
            position.person_id
            for position in positions
            if position.organisation_id == organisation.pk and in_force(position.started_on, position.ended_on)
        }
        if any(people[pk].ethnic_group and people[pk].ethnic_group.is_minority for pk in its_members):
            figures["minority"] += 1
    women = {pk for pk in members if people[pk].gender == "female"}
    figures.update(
        members=len(members),
        women_members=len(women),
        women_in_management=len(women & in_management),
        in_management=len(in_management),
        not_stated=sum(1 for pk in members if people[pk].ethnic_group is None),
        ages=sorted(day.year - people[pk].birth_year for pk in members),
    )
    return figures


def figures_of(row):
    headline = row.women_managed
    return {
        "existing": row.existing,
        "organisations": headline.organisations,
        "members": headline.members,
        "women_members": headline.women_members,
        "women_in_management": headline.women_in_management,
        "minority": headline.with_ethnic_minority_members,
        "in_management": row.in_management,
    }


class SelectorAgainstPlainPython(TestCase):
    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        organisation_rows=organisations,
        person_rows=people,
        membership_rows=st.lists(periods, min_size=1, max_size=14),
        position_rows=st.lists(st.tuples(periods, roles), min_size=1, max_size=12),
        day=st.one_of(late_days, days),
        legal_form=st.sampled_from(["", "", "cooperative", "group"]),
        commune=st.sampled_from(["", "", *COMMUNES]),
    )
    def test_headline_breakdowns_and_trend_match_an_independent_count(
        self, organisation_rows, person_rows, membership_rows, position_rows, day, legal_form, commune
    ):
        """Whatever the registers, day and filters, the selector agrees with a count done by hand."""
        register(organisation_rows, person_rows, membership_rows, position_rows)
        communes = tuple(AdministrativeUnit.objects.filter(level="commune", code=commune)) if commune else ()
        result = statistics(as_of=day, filters=ReportFilters(communes=communes, legal_form=legal_form))

        codes = {commune} if commune else None
        # `pytest --hypothesis-show-statistics` shows how often the drawn registers had something to count.
        event(f"women-managed organisations: {min(result.headline[2].women_managed.organisations, 2)}")
        for row, kind in zip(result.headline, ["cooperative", "group", None], strict=True):
            if legal_form and kind and kind != legal_form:
                continue
            expected = expected_figures(day, legal_form=kind or legal_form or None, communes=codes)
            self.assertEqual(figures_of(row), {key: expected[key] for key in figures_of(row)}, row.key)

        everything = expected_figures(day, legal_form=legal_form or None, communes=codes)
        breakdowns = result.breakdowns
        self.assertEqual(sum(breakdowns["commune"].column("women_managed")), everything["organisations"])
        self.assertEqual(sum(breakdowns["ethnic_group"].column("members")), everything["members"])
        not_stated = [row.cells[0] for row in breakdowns["ethnic_group"].rows if row.label == "Chưa ghi nhận"]
        self.assertEqual(sum(not_stated), everything["not_stated"])
        bands = breakdowns["age_band"].column("members")
        ages = everything["ages"]
        self.assertEqual(
            bands,
            [
                sum(1 for age in ages if age < 30),
                sum(1 for age in ages if 30 <= age < 45),
                sum(1 for age in ages if 45 <= age < 60),
                sum(1 for age in ages if age >= 60),
            ],
        )

        self.assertEqual(result.trend[-1].day, day)
        year_ends = [point.day for point in result.trend[:-1]]
        self.assertEqual(year_ends, [date(year, 12, 31) for year in range(day.year - len(year_ends), day.year)])
        for point in result.trend:
            expected = expected_figures(
                point.day, legal_form="cooperative" if legal_form in ("", "cooperative") else "none", communes=codes
            )
            self.assertEqual(
                (
                    point.cooperatives.organisations,
                    point.cooperatives.members,
                    point.cooperatives.women_members,
                    point.cooperatives.women_in_management,
                    point.cooperatives.with_ethnic_minority_members,
                ),
                (
                    expected["organisations"],
                    expected["members"],
                    expected["women_members"],
                    expected["women_in_management"],
                    expected["minority"],
                ),
                point.day,
            )
