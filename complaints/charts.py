"""Server-rendered SVG charts for the quarterly complaints report: no JavaScript, the same markup
on the page and in the PDF.

Each chart is an image with a text alternative (role="img", a <title> and a <desc> that lists the
figures, joined by aria-labelledby); on the page it is always followed by a table of the same
figures, which is the accessible version. Colours are GOV.UK Frontend's: the current quarter in
blue, the previous quarter in dark grey with diagonal hatching, so the series differ in pattern
and lightness as well as hue (WCAG 1.4.1), and both have 3:1 contrast with the white background
(WCAG 1.4.11). Every bar carries its value as text.
"""

import textwrap
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BLUE = "#1d70b8"
DARK_GREY = "#505a5f"
TEXT = "#0b0c0c"
WHITE = "#ffffff"
FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"

WIDTH = 680
LABEL_WIDTH = 250
VALUE_WIDTH = 60
BAR_AREA = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20
FONT_SIZE = 14
LINE_HEIGHT = 17
LABEL_CHARS = 32
BAR_HEIGHT = 18
PAIR_BAR_HEIGHT = 14
ROW_GAP = 12
TOP = 12
LEGEND_HEIGHT = 30


def _number(value: float) -> str:
    if value is None:
        return "0"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def _wrap(label: str) -> list[str]:
    return textwrap.wrap(str(label), LABEL_CHARS) or [""]


def _describe(rows: Sequence[tuple[str, float]], previous, series: tuple[str, str]) -> str:
    if not rows:
        return "No figures."
    parts = []
    for index, (label, value) in enumerate(rows):
        text = f"{label}: {_number(value)}"
        if previous is not None:
            text += f" ({series[1]}: {_number(previous[index])})"
        parts.append(text)
    prefix = f"{series[0]}. " if previous is not None else ""
    return prefix + "; ".join(parts) + "."


def bar_chart_svg(
    *,
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, float]],
    previous: Sequence[float] | None = None,
    series: tuple[str, str] = ("This quarter", "Previous quarter"),
) -> SafeString:
    """A horizontal bar chart: one bar per row, or a pair (this quarter above, the previous
    quarter below) when `previous` holds a value for each row. Labels are escaped."""
    if previous is not None and len(previous) != len(rows):
        raise ValueError("The previous series needs one value for each row")
    paired = previous is not None
    values = [value or 0 for _label, value in rows] + [value or 0 for value in (previous or [])]
    scale_max = max([*values, 0]) or 1
    ident = escape(chart_id)
    parts: list[str] = []

    y = TOP
    if paired:
        # The legend: a swatch of each series with its name beside it.
        for offset, (name, fill) in enumerate(((series[0], BLUE), (series[1], f"url(#{ident}-hatch)"))):
            x = LABEL_WIDTH + offset * (BAR_AREA // 2 + 30)
            stroke = BLUE if offset == 0 else DARK_GREY
            parts.append(f'<rect x="{x}" y="{y}" width="16" height="16" fill="{fill}" stroke="{stroke}"/>')
            parts.append(f'<text x="{x + 22}" y="{y + 13}" font-size="{FONT_SIZE}" fill="{TEXT}">{escape(name)}</text>')
        y += LEGEND_HEIGHT

    for index, (label, value) in enumerate(rows):
        lines = _wrap(label)
        bars = [(value or 0, BLUE, BLUE)]
        if paired:
            bars.append((previous[index] or 0, f"url(#{ident}-hatch)", DARK_GREY))
        bar_height = PAIR_BAR_HEIGHT if paired else BAR_HEIGHT
        bars_height = bar_height * len(bars) + (2 if paired else 0)
        row_height = max(bars_height, len(lines) * LINE_HEIGHT)
        text_top = y + (row_height - len(lines) * LINE_HEIGHT) / 2
        tspans = "".join(
            f'<tspan x="{LABEL_WIDTH - 10}" y="{text_top + (n + 1) * LINE_HEIGHT - 4:.1f}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts.append(f'<text text-anchor="end" font-size="{FONT_SIZE}" fill="{TEXT}">{tspans}</text>')
        bar_y = y + (row_height - bars_height) / 2
        for amount, fill, stroke in bars:
            width = BAR_AREA * amount / scale_max
            if width > 0:
                parts.append(
                    f'<rect x="{LABEL_WIDTH}" y="{bar_y:.1f}" width="{width:.1f}" height="{bar_height}" '
                    f'fill="{fill}" stroke="{stroke}"/>'
                )
            parts.append(
                f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{bar_y + bar_height - 3:.1f}" '
                f'font-size="{FONT_SIZE - 1}" fill="{TEXT}">{_number(amount)}</text>'
            )
            bar_y += bar_height + 2
        y += row_height + ROW_GAP

    if not rows:
        parts.append(f'<text x="{LABEL_WIDTH}" y="{y + 14}" font-size="{FONT_SIZE}" fill="{TEXT}">No figures</text>')
        y += 24

    # The axis line the bars grow from.
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="{TOP + (LEGEND_HEIGHT if paired else 0) - 4}" x2="{LABEL_WIDTH}" '
        f'y2="{y - ROW_GAP + 4}" stroke="{TEXT}" stroke-width="1"/>'
    )
    height = int(y + TOP)
    defs = (
        f'<defs><pattern id="{ident}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{WHITE}"/>'
        f'<rect width="3" height="6" fill="{DARK_GREY}"/></pattern></defs>'
        if paired
        else ""
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="portal-chart" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" width="100%" viewBox="0 0 {WIDTH} {height}" '
        f'preserveAspectRatio="xMinYMin meet" font-family="{FONT}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(_describe(rows, previous, series))}</desc>'
        f"{defs}{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every label and title above is escaped
