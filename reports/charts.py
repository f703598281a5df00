"""Bar charts as inline SVG, drawn on the server: the same markup on the dashboard and in the PDF.

Every bar carries its value printed next to it, so a chart reads on paper and without hovering;
no JavaScript library and nothing fetched from elsewhere. Bars are horizontal so that long names
(communes, organisations) stay readable, written out over two lines rather than cut.
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
LABEL_WIDTH = 260
VALUE_WIDTH = 60
# Bars are thin so that a chart of twenty organisations still shares an A4 page with another chart.
BAR_HEIGHT = 10
BAR_GAP = 1
GROUP_GAP = 6
LEGEND_HEIGHT = 24
FONT = "DejaVu Sans, Arial, sans-serif"
# Characters of a label line that fit in LABEL_WIDTH at the chart's 11-unit font, and the width of one.
LINE_LENGTH = 40
CHARACTER_WIDTH = 6.4
LINE_HEIGHT = 11


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


def _lines(label):
    """A label as at most two lines broken between words; only a label longer than both is shortened.

    "Name (Commune)" breaks before the commune when the name fits on the first line.
    """
    if len(label) <= LINE_LENGTH:
        return [label]
    name, bracket, place = label.partition(" (")
    if bracket and len(name) <= LINE_LENGTH and len(place) < LINE_LENGTH:
        return [name, f"({place}"]
    first, rest = "", label
    while rest:
        word, _space, after = rest.partition(" ")
        candidate = f"{first} {word}" if first else word
        if len(candidate) > LINE_LENGTH and first:
            break
        first, rest = candidate, after
    if len(first) > LINE_LENGTH:
        first, rest = first[:LINE_LENGTH], first[LINE_LENGTH:] + (f" {rest}" if rest else "")
    if len(rest) > LINE_LENGTH:
        rest = rest[: LINE_LENGTH - 1] + "…"
    return [first, rest] if rest else [first]


def bar_chart(title, labels, series):
    """A horizontal grouped bar chart: one group per label, one bar per series, values printed.

    A value that is not a number (a protected small count, "<3") gets no bar, only its text.
    """
    labels = list(labels)
    numbers = [value for one in series for value in one.values if isinstance(value, int | float)]
    largest = max(numbers, default=0) or 1
    label_lines = [_lines(label) for label in labels]
    # Short labels (years) leave their unused room to the bars.
    longest = max((len(line) for lines in label_lines for line in lines), default=0)
    label_width = min(LABEL_WIDTH, round(12 + CHARACTER_WIDTH * longest))
    bar_space = WIDTH - label_width - VALUE_WIDTH
    group_height = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    height = LEGEND_HEIGHT + max(len(labels), 1) * (group_height + GROUP_GAP) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" font-family="{FONT}" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    x = label_width
    for one in series:
        parts.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{one.colour}"/>')
        parts.append(f'<text x="{x + 14}" y="15">{escape(one.name)}</text>')
        x += 24 + 7 * len(one.name)
    if not labels:
        parts.append(f'<text x="{label_width}" y="{LEGEND_HEIGHT + 14}" fill="#555">–</text>')
    for index, (label, lines) in enumerate(zip(labels, label_lines, strict=True)):
        top = LEGEND_HEIGHT + index * (group_height + GROUP_GAP)
        first_baseline = top + group_height / 2 + 4 - (len(lines) - 1) * LINE_HEIGHT / 2
        parts.append(
            f'<text x="{label_width - 6}" y="{first_baseline:.1f}" text-anchor="end"><title>{escape(label)}</title>'
            + "".join(
                f'<tspan x="{label_width - 6}" dy="{LINE_HEIGHT if line_number else 0}">{escape(line)}</tspan>'
                for line_number, line in enumerate(lines)
            )
            + "</text>"
        )
        for position, one in enumerate(series):
            value = one.values[index]
            y = top + position * (BAR_HEIGHT + BAR_GAP)
            length = bar_space * value / largest if isinstance(value, int | float) else 0
            if length:
                parts.append(
                    f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{one.colour}"/>'
                )
            parts.append(
                f'<text x="{label_width + length + 4:.1f}" y="{y + BAR_HEIGHT - 3}" font-weight="bold">'
                f"{escape(_shown(value))}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
