"""The portal's figures for a day: one selector, built only on the registers' rules.

``statistics()`` computes everything a report shows: the headline, the breakdowns, the trend by
year and the workshops. The dashboard, the PDF, the spreadsheets, the JSON endpoint and the
``stats`` command all render the ``Statistics`` it returns, so they cannot disagree.

Which organisation is women-managed, who is a member or in management on a day: those rules live
in members/selectors.py and are only composed here. The number of queries does not depend on the
data: breakdowns are grouped aggregates, and the many counts of the headline and the trend are
sent together as one query (``count_together``).
"""

from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import AdministrativeUnit, LegalForm, Level, Organisation, Scheme, Sector, Status
from coopportal.i18n import localised
from members.models import Gender, ManagementPosition, Membership, MemberType
from members.roles import MANAGEMENT_ROLES, top_role_for
from members.roles import Role as ManagementRole
from members.selectors import (
    Headline,
    headline_measures,
    in_management_on,
    members_on,
    memberships_on,
    organisations_existing_on,
    positions_on,
    women_managed_on,
)
from workshops.models import (
    CLOSED_STATUSES,
    Participant,
    ProposedSolution,
    SolutionStatus,
    SolutionStatusChange,
    Workshop,
    WorkshopStatus,
)

# A breakdown cell of one or two people by ethnic group could name them: it is published as this.
SMALL_COUNT = "<3"
# A larger cell hidden as well, so that a "<3" cannot be worked out by subtracting from a published total.
HIDDEN = "x"

# Age bands as (label, lowest age); a member falls in the last band whose lowest age she has reached.
AGE_BANDS = (("under_30", 0), ("30_44", 30), ("45_59", 45), ("60_over", 60))


@dataclass(frozen=True)
class ReportFilters:
    """What a report is limited to, besides the user's scope: communes, a legal form, a sector."""

    communes: tuple = ()
    legal_form: str = ""
    sector: Sector | None = None

    def as_dict(self):
        return {
            "communes": [commune.code for commune in self.communes],
            "legal_form": self.legal_form,
            "sector": self.sector.code if self.sector else "",
        }

    def describe(self):
        """The filters as lines a reader understands, for the top of a download or the PDF."""
        lines = []
        if self.communes:
            lines.append(_("Communes: %(names)s") % {"names": ", ".join(commune.name for commune in self.communes)})
        if self.legal_form:
            lines.append(_("Legal form: %(form)s") % {"form": str(LegalForm(self.legal_form).label)})
        if self.sector:
            lines.append(_("Sector: %(sector)s") % {"sector": self.sector.name})
        return lines or [_("All organisations in scope")]


@dataclass(frozen=True)
class HeadlineRow:
    """One kind of organisation: how many exist, and the headline of the women-managed ones."""

    key: str
    label: str
    existing: int
    women_managed: Headline
    in_management: int

    @property
    def women_managed_share(self):
        return share(self.women_managed.organisations, self.existing)

    @property
    def women_share_of_members(self):
        return share(self.women_managed.women_members, self.women_managed.members)

    @property
    def women_share_of_management(self):
        return share(self.women_managed.women_in_management, self.in_management)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # Counts of people by ethnic group are the cells that small-count protection hides.
    people_by_ethnic_group: bool = False


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple
    # The published totals this row's people add up to (its commune's, its ethnic group's): small-count
    # protection hides cells so that none of these sums gives a hidden cell away.
    totals: tuple = ()


@dataclass(frozen=True)
class Breakdown:
    """A table of figures: a label column, then ``columns``; a float cell is a percentage."""

    key: str
    title: str
    label_header: str
    columns: tuple
    rows: tuple

    def column(self, key):
        """The values of one column, in row order."""
        index = [column.key for column in self.columns].index(key)
        return [row.cells[index] for row in self.rows]


@dataclass(frozen=True)
class TrendPoint:
    day: date
    cooperatives: Headline
    women_managed_organisations: int


@dataclass(frozen=True)
class WorkshopFigures:
    held: int
    participants: int
    women_participants: int
    solutions_by_status: tuple  # (status, label, count)
    overdue_solutions: int


@dataclass(frozen=True)
class Statistics:
    as_of: date
    filters: ReportFilters
    headline: tuple  # HeadlineRow for cooperatives, cooperative groups, all organisations
    breakdowns: dict = field(default_factory=dict)
    trend: tuple = ()
    workshops: WorkshopFigures | None = None

    @property
    def cooperatives(self):
        return self.headline[0]

    @property
    def sentence(self):
        """The Headline the Union's sentence is written from: the women-managed cooperatives."""
        return self.cooperatives.women_managed


def share(part, whole):
    """``part`` as a percentage of ``whole``, one decimal; None when there is no whole."""
    return round(100 * part / whole, 1) if whole else None


def count_together(querysets):
    """The sizes of many querysets, in one round trip to the database.

    Each queryset is compiled by Django, exactly as ``count()`` would use it, and becomes a scalar
    subquery of a single SELECT. The rules stay in the querysets the registers build; only the
    number of round trips changes (the trend alone would otherwise cost a query per year and figure).
    """
    if not querysets:
        return {}
    parts, params = [], []
    for queryset in querysets.values():
        try:
            sql, queryset_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # Django proves some querysets empty without asking (``pk__in=[]``)
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
        params.extend(queryset_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


def organisations_selected(user, filters):
    """The organisations a report covers: the user's scope (all of them for the command line), filtered."""
    organisations = Organisation.objects.all() if user is None else Organisation.objects.for_user(user)
    if filters.communes:
        organisations = organisations.filter(commune__in=filters.communes)
    if filters.legal_form:
        organisations = organisations.filter(legal_form=filters.legal_form)
    if filters.sector:
        in_sector = Organisation.sectors.through.objects.filter(organisation=OuterRef("pk"), sector=filters.sector)
        organisations = organisations.filter(Exists(in_sector))
    return organisations


def province_communes():
    return AdministrativeUnit.objects.filter(
        level=Level.COMMUNE, scheme=Scheme.TWO_LEVEL_2025, parent__code=settings.PORTAL_PROVINCE_CODE
    )


def statistics(*, as_of, user=None, filters=None):
    """Every figure of a report on ``as_of`` for what ``user`` may see (None: the whole province).

    Queries, whatever the size of the registers: 1 to find the women-managed organisations, 1 for
    the whole headline, 3 for the trend, 14 for the breakdowns and 2 for the workshops.
    """
    filters = filters or ReportFilters()
    selected = organisations_selected(user, filters)
    # The women-managed rule is evaluated once; every other figure then counts over that list of
    # organisations, which keeps the remaining queries quick to compile and to plan. The list grows
    # with the data, the number of queries does not.
    women_managed_forms = dict(women_managed_on(as_of, selected).values_list("pk", "legal_form"))

    def women_managed(legal_form=None):
        return Organisation.objects.filter(
            pk__in=[pk for pk, form in women_managed_forms.items() if legal_form in (None, form)]
        )

    kinds = (
        ("cooperatives", _("Cooperatives"), LegalForm.COOPERATIVE),
        ("cooperative_groups", _("Cooperative groups"), LegalForm.COOPERATIVE_GROUP),
        ("all", _("All organisations"), None),
    )
    measures = {}
    for key, _label, legal_form in kinds:
        of_kind = selected if legal_form is None else selected.filter(legal_form=legal_form)
        measures[(key, "existing")] = organisations_existing_on(as_of, of_kind)
        measures[(key, "in_management")] = in_management_on(as_of, women_managed(legal_form))
        for name, queryset in headline_measures(as_of, women_managed(legal_form)).items():
            measures[(key, name)] = queryset
    counts = count_together(measures)

    return Statistics(
        as_of=as_of,
        filters=filters,
        headline=tuple(
            HeadlineRow(
                key=key,
                label=label,
                existing=counts[(key, "existing")],
                women_managed=Headline(
                    as_of=as_of,
                    **{name: counts[(key, name)] for name in Headline.__dataclass_fields__ if name != "as_of"},
                ),
                in_management=counts[(key, "in_management")],
            )
            for key, label, _legal_form in kinds
        ),
        breakdowns=_breakdowns(as_of, organisations_existing_on(as_of, selected), women_managed()),
        trend=_trend(selected, as_of),
        workshops=_workshop_figures(as_of, user, filters),
    )


def _trend(organisations, as_of):
    """The cooperatives' headline on 31 December of each year since the first record, then on ``as_of``.

    The one place that evaluates the registers' rules in Python rather than through their querysets:
    compiling and running the rule querysets once per year made the dashboard take seconds with the
    demo's 28 years. The few columns the rules read are loaded once (three queries, whatever the
    number of years) and each year-end is evaluated over them with the registers' own definitions of
    the top role and of management roles; tests check every point against ``headline_on``.
    """
    rows = list(
        organisations.values_list("pk", "legal_form", "governance", "founded_on", "status", "status_changed_on")
    )
    positions = list(
        ManagementPosition.objects.filter(organisation__in=organisations).values_list(
            "organisation", "person", "role", "started_on", "ended_on", "person__gender"
        )
    )
    memberships = list(
        Membership.objects.filter(organisation__in=organisations).values_list(
            "organisation", "person", "joined_on", "left_on", "person__gender", "person__ethnic_group__is_minority"
        )
    )
    starts = [row[3] for row in rows if row[3]] + [row[3] for row in positions] + [row[2] for row in memberships]
    if not starts:
        return (_trend_point(as_of, rows, positions, memberships),)
    days = [date(year, 12, 31) for year in range(min(starts).year, as_of.year)] + [as_of]
    points = [_trend_point(day, rows, positions, memberships) for day in days]
    # Years before the first women-managed organisation only say "0": the trend starts with it.
    while len(points) > 1 and not points[0].women_managed_organisations and not points[0].cooperatives.members:
        points.pop(0)
    return tuple(points)


def _trend_point(day, organisations, positions, memberships):
    def in_force(start, end):
        return start <= day and (end is None or end > day)

    existing = {
        pk: (legal_form, governance)
        for pk, legal_form, governance, founded_on, status, changed_on in organisations
        if (founded_on is None or founded_on <= day) and not (status == Status.DISSOLVED and changed_on <= day)
    }
    top_roles_held_by_women = {
        (organisation, role)
        for organisation, _person, role, start, end, gender in positions
        if gender == Gender.FEMALE and role in MANAGEMENT_ROLES and in_force(start, end)
    }
    women_managed = {pk for pk, kind in existing.items() if (pk, top_role_for(*kind)) in top_roles_held_by_women}
    cooperatives = {pk for pk in women_managed if existing[pk][0] == LegalForm.COOPERATIVE}
    members, women, minority_organisations = set(), set(), set()
    for organisation, person, joined_on, left_on, gender, is_minority in memberships:
        if organisation in cooperatives and in_force(joined_on, left_on):
            members.add(person)
            if gender == Gender.FEMALE:
                women.add(person)
            if is_minority:
                minority_organisations.add(organisation)
    in_management = {
        person
        for organisation, person, role, start, end, _gender in positions
        if organisation in cooperatives and role in MANAGEMENT_ROLES and in_force(start, end)
    }
    return TrendPoint(
        day=day,
        cooperatives=Headline(
            as_of=day,
            organisations=len(cooperatives),
            members=len(members),
            women_members=len(women),
            women_in_management=len(women & in_management),
            with_ethnic_minority_members=len(minority_organisations),
        ),
        women_managed_organisations=len(women_managed),
    )


def _count_columns():
    return (
        Column("organisations", _("Organisations")),
        Column("women_managed", _("Women-managed")),
        Column("members", _("Members")),
        Column("women_members", _("Women members")),
        Column("women_share", _("Women's share of members (%)")),
    )


def _people_columns(by_ethnic_group=False):
    return (
        Column("members", _("Members"), people_by_ethnic_group=by_ethnic_group),
        Column("women_members", _("Women members"), people_by_ethnic_group=by_ethnic_group),
    )


def _women_counts(values, person="person", gender="person__gender"):
    """Members and women members of each group, each person once per group."""
    return values.annotate(
        members=Count(person, distinct=True),
        women_members=Count(person, distinct=True, filter=Q(**{gender: Gender.FEMALE})),
    )


def _organisation_rows(existing, women_managed, members_of_women_managed, key, label_of):
    """Rows of organisations and members grouped by ``key``: two grouped queries joined in Python."""
    organisations = existing.values(key).annotate(
        organisations=Count("pk"), women_managed=Count("pk", filter=Q(pk__in=women_managed.values("pk")))
    )
    members = {
        row[f"organisation__{key}"]: row
        for row in _women_counts(members_of_women_managed.values(f"organisation__{key}"))
    }
    rows = []
    for row in organisations:
        counted = members.get(row[key], {})
        rows.append(
            Row(
                label_of(row[key]),
                (
                    row["organisations"],
                    row["women_managed"],
                    counted.get("members", 0),
                    counted.get("women_members", 0),
                    share(counted.get("women_members", 0), counted.get("members", 0)),
                ),
            )
        )
    return tuple(sorted(rows, key=lambda row: (-row.cells[1], -row.cells[0], row.label)))


def _age_band(day):
    """The age band of a person on ``day``, as Person.age_on counts age: from the birth date, else the year."""

    def reached(age):
        try:
            birthday_limit = day.replace(year=day.year - age)
        except ValueError:  # 29 February in a year without one
            birthday_limit = day.replace(year=day.year - age, day=28)
        return Q(birth_date__isnull=False, birth_date__lte=birthday_limit) | Q(
            birth_date__isnull=True, birth_year__lte=day.year - age
        )

    return Case(
        *[When(reached(lowest), then=Value(band)) for band, lowest in reversed(AGE_BANDS)],
        default=Value(AGE_BANDS[0][0]),
    )


def _breakdowns(day, existing, women_managed):
    memberships = memberships_on(day).filter(organisation__in=women_managed)
    members = members_on(day, women_managed)
    communes = dict(province_communes().values_list("pk", "name"))
    sectors = {code: localised(vi, en) for code, vi, en in Sector.objects.values_list("code", "name_vi", "name_en")}
    breakdowns = [
        Breakdown(
            "commune",
            _("By commune"),
            _("Commune"),
            _count_columns(),
            _organisation_rows(existing, women_managed, memberships, "commune", lambda pk: communes.get(pk, "")),
        ),
        Breakdown(
            "sector",
            _("By sector"),
            _("Sector"),
            _count_columns(),
            _organisation_rows(
                existing,
                women_managed,
                memberships,
                "sectors__code",
                lambda code: sectors.get(code, _("Sector not stated")),
            ),
        ),
        Breakdown(
            "legal_form",
            _("By legal form"),
            _("Legal form"),
            _count_columns(),
            _organisation_rows(
                existing, women_managed, memberships, "legal_form", lambda form: str(LegalForm(form).label)
            ),
        ),
    ]

    ethnic_rows = _women_counts(
        members.values("ethnic_group__code", "ethnic_group__name_vi", "ethnic_group__name_en"), "pk", "gender"
    ).order_by("ethnic_group__code")
    breakdowns.append(
        Breakdown(
            "ethnic_group",
            _("Members by ethnic group"),
            _("Ethnic group"),
            _people_columns(by_ethnic_group=True),
            tuple(
                Row(_ethnic_label(row), (row["members"], row["women_members"]), totals=("scope",))
                for row in sorted(
                    ethnic_rows, key=lambda row: (row["ethnic_group__code"] is None, row["ethnic_group__code"] or "")
                )
            ),
        )
    )
    by_commune = _women_counts(
        memberships.values(
            "organisation__commune",
            "person__ethnic_group__code",
            "person__ethnic_group__name_vi",
            "person__ethnic_group__name_en",
        )
    )
    breakdowns.append(
        Breakdown(
            "ethnic_group_by_commune",
            _("Members by ethnic group in each commune"),
            _("Commune – ethnic group"),
            _people_columns(by_ethnic_group=True),
            tuple(
                sorted(
                    (
                        Row(
                            f"{communes.get(row['organisation__commune'], '')} – {_ethnic_label(row, 'person__')}",
                            (row["members"], row["women_members"]),
                            totals=(
                                ("commune", row["organisation__commune"]),
                                ("ethnic_group", row["person__ethnic_group__code"]),
                            ),
                        )
                        for row in by_commune
                    ),
                    key=lambda row: row.label,
                )
            ),
        )
    )
    type_counts = {row["member_type"]: row for row in _women_counts(memberships.values("member_type"))}
    breakdowns.append(
        Breakdown(
            "member_type",
            _("Members by member type"),
            _("Member type"),
            _people_columns(),
            tuple(
                Row(str(label), (type_counts[value]["members"], type_counts[value]["women_members"]))
                for value, label in MemberType.choices
                if value in type_counts
            ),
        )
    )
    band_counts = {
        row["band"]: row for row in _women_counts(members.annotate(band=_age_band(day)).values("band"), "pk", "gender")
    }
    band_labels = {
        "under_30": _("Under 30"),
        "30_44": _("30 to 44"),
        "45_59": _("45 to 59"),
        "60_over": _("60 and over"),
    }
    breakdowns.append(
        Breakdown(
            "age_band",
            _("Members by age"),
            _("Age"),
            _people_columns(),
            tuple(
                Row(
                    band_labels[band],
                    (band_counts.get(band, {}).get("members", 0), band_counts.get(band, {}).get("women_members", 0)),
                )
                for band, _lowest in AGE_BANDS
            ),
        )
    )
    per_organisation = {row["organisation"]: row for row in _women_counts(memberships.values("organisation"))}
    breakdowns.append(
        Breakdown(
            "organisation",
            _("Members of each women-managed organisation"),
            _("Organisation"),
            (*_people_columns(), Column("women_share", _("Women's share of members (%)"))),
            tuple(
                Row(
                    f"{name} ({communes.get(commune, '')})",
                    (
                        per_organisation.get(pk, {}).get("members", 0),
                        per_organisation.get(pk, {}).get("women_members", 0),
                        share(
                            per_organisation.get(pk, {}).get("women_members", 0),
                            per_organisation.get(pk, {}).get("members", 0),
                        ),
                    ),
                )
                for pk, name, commune in women_managed.order_by("name", "pk").values_list("pk", "name", "commune")
            ),
        )
    )
    return {breakdown.key: breakdown for breakdown in breakdowns}


def _ethnic_label(row, prefix=""):
    if row[f"{prefix}ethnic_group__code"] is None:
        return _("Not stated")
    return localised(row[f"{prefix}ethnic_group__name_vi"], row[f"{prefix}ethnic_group__name_en"])


def _workshop_figures(day, user, filters):
    """Workshops held by ``day`` in scope; the communes filter applies, legal form and sector do not.

    A proposed solution counts with the status it had at the end of ``day`` (its last recorded move
    by then), so a report on a past day is not rewritten by later follow-up.
    """
    workshops = Workshop.objects.all() if user is None else Workshop.objects.for_user(user)
    workshops = workshops.filter(status=WorkshopStatus.HELD, start_date__lte=day)
    if filters.communes:
        workshops = workshops.filter(commune__in=filters.communes)
    attended = Participant.objects.filter(workshop__in=workshops, attended=True)
    end_of_day = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    last_move = SolutionStatusChange.objects.filter(solution=OuterRef("pk"), changed_at__lt=end_of_day).order_by(
        "-changed_at", "-pk"
    )
    solutions = ProposedSolution.objects.filter(workshop__in=workshops).annotate(
        status_then=Coalesce(Subquery(last_move.values("to_status")[:1]), Value(SolutionStatus.PROPOSED.value))
    )
    counts = count_together(
        {
            "held": workshops,
            "participants": attended,
            "women_participants": attended.filter(gender=Gender.FEMALE),
            "overdue": solutions.filter(due_on__lt=day).exclude(status_then__in=CLOSED_STATUSES),
        }
    )
    by_status = dict(solutions.order_by().values_list("status_then").annotate(count=Count("pk")))
    return WorkshopFigures(
        held=counts["held"],
        participants=counts["participants"],
        women_participants=counts["women_participants"],
        solutions_by_status=tuple(
            (status, str(label), by_status.get(status, 0)) for status, label in SolutionStatus.choices
        ),
        overdue_solutions=counts["overdue"],
    )


def protect_small_counts(statistics):
    """The same figures with every count of 1 or 2 people by ethnic group shown as "<3".

    The one masking rule for everything that leaves the portal (PDF, spreadsheets, JSON) and for
    readers who may not see individuals. A province-wide count that small is as identifying as a
    commune's, so every ethnic-group cell is protected. Idempotent.
    """
    protected = {}
    for key, breakdown in statistics.breakdowns.items():
        masked_columns = [column.people_by_ethnic_group for column in breakdown.columns]
        if not any(masked_columns):
            protected[key] = breakdown
            continue
        cells = [
            [
                SMALL_COUNT if masked and isinstance(value, int) and 0 < value < 3 else value
                for value, masked in zip(row.cells, masked_columns, strict=True)
            ]
            for row in breakdown.rows
        ]
        for column, masked in enumerate(masked_columns):
            if masked:
                _hide_complements(breakdown.rows, cells, column)
        rows = tuple(replace(row, cells=tuple(values)) for row, values in zip(breakdown.rows, cells, strict=True))
        protected[key] = replace(breakdown, rows=rows)
    return replace(statistics, breakdowns=protected)


def _hide_complements(rows, cells, column):
    """Hide more cells of ``column`` until no published total gives a "<3" away.

    The rows sharing a total (a commune's members, an ethnic group's) must not have exactly one
    hidden cell, which the total minus the shown cells would reveal, nor only "<3" cells, whose sum
    can settle them (two hidden cells adding up to 2 are 1 and 1). The smallest shown cell of such
    a group is hidden as well, shown as "x"; hiding it may unsettle another group, hence the loop.
    """
    groups = {}
    for index, row in enumerate(rows):
        for total in row.totals:
            groups.setdefault(total, []).append(index)
    changed = True
    while changed:
        changed = False
        for members in groups.values():
            hidden = [index for index in members if not isinstance(cells[index][column], int)]
            if not hidden or (len(hidden) > 1 and any(cells[index][column] == HIDDEN for index in hidden)):
                continue
            shown = [index for index in members if isinstance(cells[index][column], int)]
            if shown:
                # A zero hides nothing a reader could not guess first: prefer the smallest count above it.
                chosen = min(shown, key=lambda index: (cells[index][column] == 0, cells[index][column], index))
                cells[chosen][column] = HIDDEN
                changed = True


def statistics_json(statistics):
    """The object the ``stats`` command prints and the JSON endpoint returns (small counts protected)."""
    statistics = protect_small_counts(statistics)
    cooperatives = statistics.cooperatives
    figures = {
        "as_of": statistics.as_of.isoformat(),
        "filters": statistics.filters.as_dict(),
        "women_managed_cooperatives": cooperatives.women_managed.organisations,
        "members": cooperatives.women_managed.members,
        "women_members": cooperatives.women_managed.women_members,
        "women_in_management": cooperatives.women_managed.women_in_management,
        "cooperatives_with_ethnic_minority_members": cooperatives.women_managed.with_ethnic_minority_members,
        "cooperatives": cooperatives.existing,
    }
    figures["headline"] = {
        row.key: {
            "existing": row.existing,
            "in_management": row.in_management,
            **{name: value for name, value in asdict(row.women_managed).items() if name != "as_of"},
        }
        for row in statistics.headline
    }
    figures["trend"] = [
        {
            "as_of": point.day.isoformat(),
            "women_managed_organisations": point.women_managed_organisations,
            **{name: value for name, value in asdict(point.cooperatives).items() if name != "as_of"},
        }
        for point in statistics.trend
    ]
    figures["breakdowns"] = {
        key: [
            {
                "label": row.label,
                **{column.key: value for column, value in zip(breakdown.columns, row.cells, strict=True)},
            }
            for row in breakdown.rows
        ]
        for key, breakdown in statistics.breakdowns.items()
    }
    workshops = statistics.workshops
    figures["workshops"] = {
        "held": workshops.held,
        "participants": workshops.participants,
        "women_participants": workshops.women_participants,
        "solutions_by_status": {status: count for status, _label, count in workshops.solutions_by_status},
        "overdue_solutions": workshops.overdue_solutions,
    }
    return figures


@dataclass(frozen=True)
class RegisterList:
    """A register's rows as they stood on a day, for a spreadsheet."""

    title: str
    headers: list
    rows: list


def organisations_register_on(*, as_of, user=None, filters=None):
    """Organisations existing on ``as_of`` in scope and filters, with their members then: four queries."""
    selected = organisations_selected(user, filters or ReportFilters())
    women_managed = set(women_managed_on(as_of, selected).values_list("pk", flat=True))
    counts = {
        row["organisation"]: row
        for row in _women_counts(memberships_on(as_of).filter(organisation__in=selected).values("organisation"))
    }
    yes, no = _("Yes"), _("No")
    rows = [
        [
            organisation.name,
            organisation.get_legal_form_display(),
            organisation.commune.name,
            ", ".join(sector.name for sector in organisation.sectors.all()),
            organisation.get_governance_display(),
            organisation.registration_number or "",
            organisation.founded_on,
            organisation.status_label_on(as_of),
            yes if organisation.pk in women_managed else no,
            counts.get(organisation.pk, {}).get("members", 0),
            counts.get(organisation.pk, {}).get("women_members", 0),
        ]
        for organisation in organisations_existing_on(as_of, selected)
        .select_related("commune")
        .prefetch_related("sectors")
    ]
    headers = [
        _("Name"),
        _("Legal form"),
        _("Commune"),
        _("Sectors"),
        _("Governance model"),
        _("Registration number"),
        _("Founding date"),
        _("Status"),
        _("Women-managed"),
        _("Members"),
        _("Women members"),
    ]
    return RegisterList(_("Register of organisations"), headers, rows)


def members_register_on(*, as_of, user=None, filters=None):
    """Memberships in force on ``as_of`` in scope and filters, with each member's roles then: two queries.

    Ethnicity is sensitive personal data and never leaves the portal in a list.
    """
    existing = organisations_existing_on(as_of, organisations_selected(user, filters or ReportFilters()))
    roles = {}
    for person, organisation, role in (
        positions_on(as_of)
        .filter(organisation__in=existing)
        .order_by("role")
        .values_list("person", "organisation", "role")
    ):
        roles.setdefault((person, organisation), []).append(str(ManagementRole(role).label))
    memberships = (
        memberships_on(as_of)
        .filter(organisation__in=existing)
        .select_related("person__commune", "organisation__commune")
        .order_by("organisation__name", "person__full_name", "pk")
    )
    rows = [
        [
            membership.person.full_name,
            membership.person.get_gender_display(),
            membership.person.birth_year,
            membership.person.commune.name if membership.person.commune else "",
            membership.organisation.name,
            membership.organisation.commune.name,
            membership.get_member_type_display(),
            membership.joined_on,
            "; ".join(roles.get((membership.person_id, membership.organisation_id), [])),
        ]
        for membership in memberships
    ]
    headers = [
        _("Full name"),
        _("Gender"),
        _("Year of birth"),
        _("Commune of residence"),
        _("Organisation"),
        _("Organisation's commune"),
        _("Member type"),
        _("Joined on"),
        _("Management roles"),
    ]
    return RegisterList(_("Register of members"), headers, rows)
