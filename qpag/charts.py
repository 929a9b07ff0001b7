"""Server-rendered SVG charts for the audit dashboard: no JavaScript, the same markup on the page
and in the pack. As in complaints.charts, each chart is an image with a text alternative
(role="img", a <title> and a <desc> listing the figures, joined by aria-labelledby), and the
page always pairs it with a table of the same figures, which is the accessible version.

Colours are GOV.UK Frontend's and every series differs in pattern or shape as well as hue
(WCAG 1.4.1): the trend line is blue with round markers; the 80% (strong) and 60% (needs
strengthening) thresholds are dashed and dotted grey lines; in the action bars, overdue is red
with hatching, open is blue and completed is green with dots.
"""

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from qpag import status_rules

BLUE = "#1d70b8"
RED = "#d4351c"
GREEN = "#00703c"
DARK_GREY = "#505a5f"
MID_GREY = "#b1b4b6"
TEXT = "#0b0c0c"
WHITE = "#ffffff"
FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"

# A sparkline: small enough to sit in a table cell, big enough to read the last value.
SPARK_WIDTH = 170
SPARK_HEIGHT = 50
SPARK_LEFT = 4
SPARK_RIGHT = 48  # room for the latest value as text
SPARK_TOP = 6
SPARK_BOTTOM = 6


def _pct(value: float | None) -> str:
    if value is None:
        return "no data"
    return f"{int(value)}%" if float(value).is_integer() else f"{value:.1f}%"


def _svg(*, ident: str, title: str, desc: str, width: int, height: int, body: str, css_class: str) -> SafeString:
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
        f"{body}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - the title, description and every label are escaped


def sparkline_svg(*, chart_id: str, title: str, points: Sequence) -> SafeString:
    """A small line of per cent good (or compliant) per period, y from 0 to 100, with the
    strong and needs-strengthening thresholds drawn across. `points` are qpag.dashboard.Point;
    a period with nothing graded leaves a gap in the line."""
    ident = escape(chart_id)
    plot_w = SPARK_WIDTH - SPARK_LEFT - SPARK_RIGHT
    plot_h = SPARK_HEIGHT - SPARK_TOP - SPARK_BOTTOM
    count = len(points)

    def x_at(index: int) -> float:
        return SPARK_LEFT + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    def y_at(percent: float) -> float:
        return SPARK_TOP + plot_h * (1 - max(0.0, min(100.0, percent)) / 100)

    parts = [
        # The frame of the plot: 0% and 100%.
        f'<rect x="{SPARK_LEFT}" y="{SPARK_TOP}" width="{plot_w}" height="{plot_h}" fill="{WHITE}" '
        f'stroke="{MID_GREY}" stroke-width="1"/>',
    ]
    for level, dash in ((status_rules.STRONG_AT_LEAST, "4 3"), (status_rules.WEAK_BELOW, "1 3")):
        y = y_at(level)
        parts.append(
            f'<line x1="{SPARK_LEFT}" y1="{y:.1f}" x2="{SPARK_LEFT + plot_w}" y2="{y:.1f}" stroke="{DARK_GREY}" '
            f'stroke-width="1" stroke-dasharray="{dash}"/>'
        )

    # The line, broken where a period has no data.
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, point in enumerate(points):
        if point.percent is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x_at(index):.1f},{y_at(point.percent):.1f}")
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            parts.append(
                f'<polyline points="{" ".join(seg)}" fill="none" stroke="{BLUE}" stroke-width="2" '
                'stroke-linejoin="round" stroke-linecap="round"/>'
            )
    for index, point in enumerate(points):
        if point.percent is not None:
            parts.append(
                f'<circle cx="{x_at(index):.1f}" cy="{y_at(point.percent):.1f}" r="2.5" fill="{BLUE}" '
                f'stroke="{WHITE}" stroke-width="0.5"/>'
            )

    latest = points[-1] if points else None
    latest_text = _pct(latest.percent) if latest is not None and latest.percent is not None else "–"
    parts.append(
        f'<text x="{SPARK_WIDTH - SPARK_RIGHT + 6}" y="{SPARK_HEIGHT / 2 + 5:.1f}" font-size="14" '
        f'font-weight="700" fill="{TEXT}">{escape(latest_text)}</text>'
    )

    if points:
        figures = "; ".join(
            f"{p.label}: {_pct(p.percent)}" + (f" ({_number(p.good)} of {p.measured})" if p.measured else "")
            for p in points
        )
        desc = (
            f"Per cent good or better, oldest first. {figures}. Dashed line at {status_rules.STRONG_AT_LEAST}%, "
            f"dotted line at {status_rules.WEAK_BELOW}%."
        )
    else:
        desc = "No figures."
    return _svg(
        ident=ident,
        title=title,
        desc=desc,
        width=SPARK_WIDTH,
        height=SPARK_HEIGHT,
        body="".join(parts),
        css_class="portal-chart qpag-sparkline",
    )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


# A stacked horizontal bar per row: overdue, then open (not yet due), then completed.
BAR_WIDTH = 680
BAR_LABEL_WIDTH = 230
BAR_VALUE_WIDTH = 190
BAR_HEIGHT = 20
BAR_GAP = 12
BAR_TOP = 40
SEGMENTS = (
    ("overdue", "Overdue", "url(#{ident}-hatch)", RED),
    ("open", "Open, not yet due", BLUE, BLUE),
    ("completed", "Completed", "url(#{ident}-dots)", GREEN),
)


def oversight_bar_svg(*, chart_id: str, title: str, rows: Sequence) -> SafeString:
    """A stacked bar per row (qpag.dashboard.OversightRow): overdue, open and completed actions,
    with a legend and each row's numbers as text at the end of its bar."""
    ident = escape(chart_id)
    area = BAR_WIDTH - BAR_LABEL_WIDTH - BAR_VALUE_WIDTH - 20
    scale = max([r.open + r.overdue + r.completed for r in rows] + [0]) or 1
    parts = []
    # Legend.
    x = BAR_LABEL_WIDTH
    for _key, name, fill, stroke in SEGMENTS:
        parts.append(
            f'<rect x="{x}" y="10" width="16" height="16" fill="{fill.format(ident=ident)}" stroke="{stroke}"/>'
        )
        parts.append(f'<text x="{x + 22}" y="23" font-size="13" fill="{TEXT}">{escape(name)}</text>')
        x += 30 + 8 * len(name)
    y = BAR_TOP
    for row in rows:
        label = row.label if len(row.label) <= 32 else row.label[:31] + "…"
        parts.append(
            f'<text x="{BAR_LABEL_WIDTH - 10}" y="{y + BAR_HEIGHT - 5}" text-anchor="end" font-size="13" '
            f'fill="{TEXT}">{escape(label)}</text>'
        )
        bar_x = BAR_LABEL_WIDTH
        for key, _name, fill, stroke in SEGMENTS:
            amount = getattr(row, key)
            width = area * amount / scale
            if width > 0:
                parts.append(
                    f'<rect x="{bar_x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                    f'fill="{fill.format(ident=ident)}" stroke="{stroke}"/>'
                )
            bar_x += width
        parts.append(
            f'<text x="{bar_x + 6:.1f}" y="{y + BAR_HEIGHT - 5}" font-size="12" fill="{TEXT}">'
            f"{row.overdue} overdue, {row.open} open, {row.completed} completed</text>"
        )
        y += BAR_HEIGHT + BAR_GAP
    if not rows:
        parts.append(f'<text x="{BAR_LABEL_WIDTH}" y="{y + 14}" font-size="14" fill="{TEXT}">No actions</text>')
        y += 24
    parts.append(
        f'<line x1="{BAR_LABEL_WIDTH}" y1="{BAR_TOP - 4}" x2="{BAR_LABEL_WIDTH}" y2="{y - BAR_GAP + 4}" '
        f'stroke="{TEXT}" stroke-width="1"/>'
    )
    defs = (
        f'<defs><pattern id="{ident}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{WHITE}"/>'
        f'<rect width="3" height="6" fill="{RED}"/></pattern>'
        f'<pattern id="{ident}-dots" patternUnits="userSpaceOnUse" width="5" height="5">'
        f'<rect width="5" height="5" fill="{GREEN}"/><circle cx="2.5" cy="2.5" r="1" fill="{WHITE}"/></pattern></defs>'
    )
    desc = (
        "; ".join(f"{r.label}: {r.overdue} overdue, {r.open} open, {r.completed} completed" for r in rows) + "."
        if rows
        else "No actions."
    )
    height = int(y + 10)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="portal-chart qpag-oversight-chart" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" width="100%" viewBox="0 0 {BAR_WIDTH} {height}" '
        f'preserveAspectRatio="xMinYMin meet" font-family="{FONT}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
        f"{defs}{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every label and the title are escaped
