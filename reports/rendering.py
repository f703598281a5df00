"""The renderers of a ``Statistics``: charts, spreadsheet tables and the summary PDF.

Each takes the figures the selector computed and only lays them out; whatever an official takes
away (PDF, spreadsheet) goes through ``protect_small_counts`` first.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coopportal.documents import provincial_heading
from coopportal.pdf import render_pdf
from coopportal.spreadsheets import Table

from .charts import BLUE, GREY, RED, Series, bar_chart
from .selectors import HIDDEN, SMALL_COUNT, protect_small_counts


def trend_label(point, as_of):
    return str(point.day.year) if point.day != as_of else date_format(point.day, "d/m/Y")


def report_charts(statistics):
    """The report's charts, in the order the dashboard and the PDF show them: (title, svg)."""
    as_of = statistics.as_of
    trend = statistics.trend
    trend_labels = [trend_label(point, as_of) for point in trend]
    breakdowns = statistics.breakdowns
    charts = [
        (
            _("Women-managed organisations by year (31 December, and the chosen date)"),
            bar_chart(
                _("Women-managed organisations by year"),
                trend_labels,
                [
                    Series(
                        _("Women-managed cooperatives"), [point.cooperatives.organisations for point in trend], BLUE
                    ),
                    Series(
                        _("All women-managed organisations"),
                        [point.women_managed_organisations for point in trend],
                        GREY,
                    ),
                ],
            ),
        ),
        (
            _("Members of women-managed cooperatives by year"),
            bar_chart(
                _("Members of women-managed cooperatives by year"),
                trend_labels,
                [
                    Series(_("Members"), [point.cooperatives.members for point in trend], BLUE),
                    Series(_("Women members"), [point.cooperatives.women_members for point in trend], RED),
                    Series(_("Women in management"), [point.cooperatives.women_in_management for point in trend], GREY),
                ],
            ),
        ),
    ]
    organisation = breakdowns["organisation"]
    charts.append(
        (
            _("Members by gender in each women-managed organisation"),
            bar_chart(
                _("Members by gender in each women-managed organisation"),
                [row.label for row in organisation.rows],
                [
                    Series(_("Members"), organisation.column("members"), BLUE),
                    Series(_("Women members"), organisation.column("women_members"), RED),
                ],
            ),
        )
    )
    for key, title in (("commune", _("Organisations by commune")), ("sector", _("Organisations by sector"))):
        breakdown = breakdowns[key]
        charts.append(
            (
                title,
                bar_chart(
                    title,
                    [row.label for row in breakdown.rows],
                    [
                        Series(_("Organisations"), breakdown.column("organisations"), GREY),
                        Series(_("Women-managed"), breakdown.column("women_managed"), BLUE),
                    ],
                ),
            )
        )
    ethnic = breakdowns["ethnic_group"]
    charts.append(
        (
            _("Ethnic composition of the members of women-managed organisations"),
            bar_chart(
                _("Members by ethnic group"),
                [row.label for row in ethnic.rows],
                [
                    Series(_("Members"), ethnic.column("members"), BLUE),
                    Series(_("Women members"), ethnic.column("women_members"), RED),
                ],
            ),
        )
    )
    return charts


def description_lines(statistics, protected=True):
    """What a download says at its top: the date of the figures, the filters, the protection."""
    lines = [
        _("Figures as of %(day)s") % {"day": statistics.as_of.strftime("%d/%m/%Y")},
        *statistics.filters.describe(),
    ]
    if protected:
        lines.append(_("Counts of 1 or 2 people by ethnic group are shown as %(mark)s.") % {"mark": SMALL_COUNT})
        lines.append(hidden_note())
    lines.append(_("Produced on %(moment)s") % {"moment": timezone.localtime().strftime("%d/%m/%Y %H:%M")})
    return lines


def hidden_note():
    return _(
        "%(hidden)s marks a larger count hidden as well, so that no %(mark)s can be worked out from the totals."
    ) % {
        "hidden": HIDDEN,
        "mark": SMALL_COUNT,
    }


def headline_table(statistics):
    return Table(
        title=_("Headline"),
        headers=[
            _("Kind of organisation"),
            _("Existing"),
            _("Women-managed"),
            _("Members"),
            _("Women members"),
            _("Women in management"),
            _("With ethnic-minority members"),
            _("Women's share of members (%)"),
            _("Women's share of management (%)"),
        ],
        rows=[
            [
                row.label,
                row.existing,
                row.women_managed.organisations,
                row.women_managed.members,
                row.women_managed.women_members,
                row.women_managed.women_in_management,
                row.women_managed.with_ethnic_minority_members,
                row.women_share_of_members,
                row.women_share_of_management,
            ]
            for row in statistics.headline
        ],
    )


def trend_table(statistics):
    return Table(
        title=_("Trend by year"),
        headers=[
            _("Date"),
            _("Women-managed cooperatives"),
            _("Members"),
            _("Women members"),
            _("Women in management"),
            _("With ethnic-minority members"),
            _("All women-managed organisations"),
        ],
        rows=[
            [
                point.day,
                point.cooperatives.organisations,
                point.cooperatives.members,
                point.cooperatives.women_members,
                point.cooperatives.women_in_management,
                point.cooperatives.with_ethnic_minority_members,
                point.women_managed_organisations,
            ]
            for point in statistics.trend
        ],
    )


def workshops_table(statistics):
    workshops = statistics.workshops
    rows = [
        [_("Workshops held"), workshops.held],
        [_("Participants who attended"), workshops.participants],
        [_("Women participants"), workshops.women_participants],
        *[
            [_("Proposed solutions: %(status)s") % {"status": label}, count]
            for _status, label, count in workshops.solutions_by_status
        ],
        [_("Proposed solutions overdue"), workshops.overdue_solutions],
    ]
    return Table(title=_("Workshops"), headers=[_("Figure"), _("Number")], rows=rows)


def breakdown_table(breakdown):
    return Table(
        title=breakdown.title,
        headers=[breakdown.label_header, *[column.label for column in breakdown.columns]],
        rows=[[row.label, *row.cells] for row in breakdown.rows],
    )


def report_tables(statistics):
    """Every table of the report, keyed for download URLs, small counts protected."""
    statistics = protect_small_counts(statistics)
    tables = {
        "headline": headline_table(statistics),
        "trend": trend_table(statistics),
        **{key: breakdown_table(breakdown) for key, breakdown in statistics.breakdowns.items()},
        "workshops": workshops_table(statistics),
    }
    description = description_lines(statistics)
    for table in tables.values():
        table.description = description
    return tables


# Tables a meeting does not read line by line: one row per organisation (its chart prints the same
# figures) and one per ethnic group in each commune. They stay in the spreadsheets, not in the PDF.
SPREADSHEET_ONLY = ("organisation", "ethnic_group_by_commune")


def summary_context(statistics):
    statistics = protect_small_counts(statistics)
    return {
        "document": provincial_heading(timezone.localdate()),
        "statistics": statistics,
        "charts": report_charts(statistics),
        "filters_description": statistics.filters.describe(),
        "small_count": SMALL_COUNT,
        "hidden_note": hidden_note(),
        "breakdowns": [breakdown for key, breakdown in statistics.breakdowns.items() if key not in SPREADSHEET_ONLY],
        "spreadsheet_only": [statistics.breakdowns[key].title for key in SPREADSHEET_ONLY],
    }


def summary_pdf(statistics):
    """The provincial summary as A4 PDF bytes, in the administrative-document layout."""
    return render_pdf("pdf/summary_report.html", summary_context(statistics))
