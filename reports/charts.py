"""Bar charts as inline SVG, drawn on the server: the same markup on the dashboard and in the PDF.

Every bar carries its value printed next to it, so a chart reads on paper and without hovering;
no JavaScript library and nothing fetched from elsewhere. Bars are horizontal so that long names
(communes, organisations) stay readable.
"""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

# The Union's blue for all members, a warm red for women, grey for context.
BLUE = "#0b5d7a"
RED = "#b3364f"
GREY = "#8a9ba8"

WIDTH = 720
LABEL_WIDTH = 230
VALUE_WIDTH = 60
BAR_HEIGHT = 12
BAR_GAP = 2
GROUP_GAP = 7
LEGEND_HEIGHT = 24
FONT = "DejaVu Sans, Arial, sans-serif"
MAX_LABEL = 34


@dataclass(frozen=True)
class Series:
    name: str
    values: list
    colour: str = BLUE


def _shown(value):
    """A count as the reader's language writes it (1.234 in Vietnamese); a protected cell as is."""
    if isinstance(value, str):
        return value
    return number_format(value, force_grouping=True)


def _short(label):
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(title, labels, series):
    """A horizontal grouped bar chart: one group per label, one bar per series, values printed.

    A value that is not a number (a protected small count, "<3") gets no bar, only its text.
    """
    labels = list(labels)
    numbers = [value for one in series for value in one.values if isinstance(value, int | float)]
    largest = max(numbers, default=0) or 1
    bar_space = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    group_height = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    height = LEGEND_HEIGHT + max(len(labels), 1) * (group_height + GROUP_GAP) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'style="width:100%;height:auto" role="img" aria-label="{escape(title)}" font-family="{FONT}" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    x = LABEL_WIDTH
    for one in series:
        parts.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{one.colour}"/>')
        parts.append(f'<text x="{x + 14}" y="15">{escape(one.name)}</text>')
        x += 24 + 7 * len(one.name)
    if not labels:
        parts.append(f'<text x="{LABEL_WIDTH}" y="{LEGEND_HEIGHT + 14}" fill="#555">–</text>')
    for index, label in enumerate(labels):
        top = LEGEND_HEIGHT + index * (group_height + GROUP_GAP)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{top + group_height / 2 + 4:.1f}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(_short(label))}</text>"
        )
        for position, one in enumerate(series):
            value = one.values[index]
            y = top + position * (BAR_HEIGHT + BAR_GAP)
            length = bar_space * value / largest if isinstance(value, int | float) else 0
            if length:
                parts.append(
                    f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{one.colour}"/>'
                )
            parts.append(
                f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + BAR_HEIGHT - 3}" font-weight="bold">'
                f"{escape(_shown(value))}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
