"""Charts as inline SVG, drawn on the server: no script, no external request, no style attribute.

Readable in black-and-white print: every series has its own fill pattern (solid, hatched,
dotted, light), every bar an outline and its value written beside it. Every chart carries a
<title> and a <desc> (role="img", aria-labelledby) — and the page puts its table next to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

WIDTH = 720
LABEL_WIDTH = 250
VALUE_WIDTH = 170
ROW = 26
BAR = 16
TOP = 8
INK = "#1a1a1c"
#: Series fills, in order: solid, diagonal hatch, dots, light grey, grid — distinct in print.
#: Patterns are defined per chart (ids are prefixed by the chart id).
FILLS = ("solid", "hatch", "dots", "light", "grid")
MAX_LABEL = 18


def _fill(chart_id: str, index: int) -> str:
    kind = FILLS[index % len(FILLS)]
    if kind == "solid":
        return INK
    if kind == "light":
        return "#d4d4d8"
    return f"url(#{chart_id}-{kind})"


def _defs(chart_id: str) -> str:
    return (
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/><rect width="2.5" height="6" fill="{INK}"/>'
        f'</pattern><pattern id="{chart_id}-dots" width="5" height="5" '
        'patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#ffffff"/>'
        f'<circle cx="2.5" cy="2.5" r="1.2" fill="{INK}"/></pattern>'
        f'<pattern id="{chart_id}-grid" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="#ffffff"/><rect width="6" height="1.2" fill="{INK}"/>'
        f'<rect width="1.2" height="6" fill="{INK}"/></pattern></defs>'
    )


def _text(x: float, y: float, value: object, anchor: str = "start", weight: str = "") -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" dominant-baseline="middle" '
        f'fill="{INK}"{bold}>{escape(value)}</text>'
    )


def _label(y: float, label: str) -> str:
    """A category label at the left; long labels are shortened, the full one is its title."""
    text = str(label)
    short = text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"
    return (
        f'<text x="{LABEL_WIDTH - 8}" y="{y:.1f}" text-anchor="end" '
        f'dominant-baseline="middle" fill="{INK}"><title>{escape(text)}</title>'
        f"{escape(short)}</text>"
    )


def _rect(chart_id: str, x: float, y: float, width: float, height: float, series: int) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{height}" '
        f'fill="{_fill(chart_id, series)}" stroke="{INK}" stroke-width="1"/>'
    )


Unit = str | Callable[[float, str], str]


def _number(value: float | int, unit: Unit = "") -> str:
    """A value with its unit: a suffix, or a function of (value, formatted number) for units
    whose word depends on the number (1 person, 2 people)."""
    text = (
        f"{value:,.1f}"
        if isinstance(value, float) and not value.is_integer()
        else f"{int(value):,}"
    )
    return unit(value, text) if callable(unit) else f"{text}{unit}"


def _scale(values: Sequence[float]) -> float:
    """Pixels per unit so the largest value fills the plot area."""
    top = max([v for v in values if v], default=0)
    return (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / top if top else 0.0


def _svg(chart_id: str, title: str, desc: str, height: float, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'font-size="13" font-family="sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>{_defs(chart_id)}'
        + "".join(body)
        + "</svg>"
    )


def _legend(chart_id: str, names: Sequence[str], y: float) -> list[str]:
    body, x = [], LABEL_WIDTH
    for index, name in enumerate(names):
        body.append(_rect(chart_id, x, y - 6, 14, 12, index))
        body.append(_text(x + 20, y, name))
        x += 28 + 13 * len(str(name))
    return body


def bar_chart(
    chart_id: str, title: str, desc: str, items: Sequence[tuple[str, float]], unit: str = ""
) -> Markup:
    """Horizontal bars, one per (label, value), the value written at each bar's end."""
    scale = _scale([v for _, v in items])
    body = []
    for row, (label, value) in enumerate(items):
        y = TOP + row * ROW
        body.append(_label(y + BAR / 2, label))
        body.append(_rect(chart_id, LABEL_WIDTH, y, value * scale, BAR, 0))
        body.append(_text(LABEL_WIDTH + value * scale + 6, y + BAR / 2, _number(value, unit)))
    return _svg(chart_id, title, desc, TOP * 2 + max(len(items), 1) * ROW, body)


def grouped_bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    unit: Unit = "",
) -> Markup:
    """Per category one bar per series (each series its own pattern), with a legend on top."""
    values = [v for _, vs in series for v in vs]
    scale = _scale(values)
    body = _legend(chart_id, [name for name, _ in series], TOP + 8)
    group = len(series) * (BAR + 2) + 10
    top = TOP + 26
    for row, label in enumerate(categories):
        y = top + row * group
        body.append(_label(y + (group - 10) / 2, label))
        for index, (_, vs) in enumerate(series):
            bar_y = y + index * (BAR + 2)
            body.append(_rect(chart_id, LABEL_WIDTH, bar_y, vs[row] * scale, BAR, index))
            body.append(
                _text(LABEL_WIDTH + vs[row] * scale + 6, bar_y + BAR / 2, _number(vs[row], unit))
            )
    return _svg(chart_id, title, desc, top + max(len(categories), 1) * group + TOP, body)


def stacked_bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    unit: Unit = "",
) -> Markup:
    """Per category one bar split into the series; the legend names each series, and each
    segment wide enough carries its value, the bar's end the total."""
    totals = [sum(vs[row] for _, vs in series) for row in range(len(categories))]
    scale = _scale(totals)
    body = _legend(chart_id, [name for name, _ in series], TOP + 8)
    top = TOP + 26
    for row, label in enumerate(categories):
        y = top + row * ROW
        body.append(_label(y + BAR / 2, label))
        x = LABEL_WIDTH
        for index, (_, vs) in enumerate(series):
            width = vs[row] * scale
            body.append(_rect(chart_id, x, y, width, BAR, index))
            if vs[row] and width >= 28:
                # a white box under the figure keeps it legible on any pattern
                body.append(
                    f'<rect x="{x + width / 2 - 12:.1f}" y="{y + 2}" width="24" '
                    f'height="{BAR - 4}" fill="#ffffff"/>'
                )
                body.append(_text(x + width / 2, y + BAR / 2, _number(vs[row]), "middle"))
            x += width
        body.append(_text(x + 6, y + BAR / 2, _number(totals[row], unit), weight="bold"))
    return _svg(chart_id, title, desc, top + max(len(categories), 1) * ROW + TOP, body)


def progress_chart(
    chart_id: str,
    title: str,
    desc: str,
    items: Sequence[tuple[str, float, float | None]],
    unit: Unit = "",
) -> Markup:
    """Per (label, done, goal): an outlined bar for the goal filled up to what is done, and
    "done / goal (percent)" written beside it; rows without a goal show only the figure."""
    scale = _scale([max(done, goal or 0) for _, done, goal in items])
    body = []
    for row, (label, done, goal) in enumerate(items):
        y = TOP + row * ROW
        body.append(_label(y + BAR / 2, label))
        if goal:
            body.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{goal * scale:.1f}" '
                f'height="{BAR}" fill="#ffffff" stroke="{INK}" stroke-width="1"/>'
            )
        body.append(_rect(chart_id, LABEL_WIDTH, y + 3, done * scale, BAR - 6, 1))
        figure = f"{_number(done, unit)} / {_number(goal, unit)}" if goal else _number(done, unit)
        if goal:
            figure += f" ({done * 100 / goal:.0f}%)"
        end = max(done, goal or 0) * scale
        body.append(_text(LABEL_WIDTH + end + 6, y + BAR / 2, figure))
    return _svg(chart_id, title, desc, TOP * 2 + max(len(items), 1) * ROW, body)
