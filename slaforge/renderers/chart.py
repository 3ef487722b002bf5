"""Line charts from a :class:`~slaforge.document.Chart`: one layout, drawn as SVG or as PNG.

:func:`layout` turns the chart's data into a few primitives (lines, dots,
texts) in a fixed coordinate space; :func:`svg` writes them as an SVG element
for the HTML and PDF renderers and :func:`png` paints them with Pillow (which
WeasyPrint already depends on) for DOCX, where Word needs a raster image.
Both read the same primitives, so the picture cannot differ between formats.
Text reaches the SVG escaped: series names are user text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from slaforge.document import Chart
from slaforge.text import format_decimal

WIDTH, HEIGHT = 520, 250
LETTER = 5.2  # the width of an average letter of the 9.5 pt legend, generously
LEGEND_ROW = 16  # the height of a row of the legend
PLOT = (58, 18, 500, 180)  # left, top, right, bottom of the plot area
INK, MUTED, GRID, BREACH = "#1b1f24", "#5d6672", "#dfe3e8", "#b3261e"
PALETTE = ("#1f3a5f", "#c07a1c", "#4d8b6f", "#7a4d8b")
STEPS = tuple(
    Decimal(s) for s in ("0.01", "0.02", "0.05", "0.1", "0.2", "0.25", "0.5", "1", "2", "5", "10", "20", "25")
)

Anchor = Literal["start", "middle", "end"]


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    colour: str
    width: float
    dash: bool = False


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    radius: float
    colour: str
    hollow: bool = False


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float
    colour: str
    anchor: Anchor = "start"


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    lines: tuple[Line, ...]
    dots: tuple[Dot, ...]
    texts: tuple[Text, ...]


def colours(chart: Chart, brand: str | None = None) -> list[str]:
    palette = [brand or PALETTE[0], *PALETTE[1:]]
    return [palette[i % len(palette)] for i in range(len(chart.series))]


def axis(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """A round axis range and tick step that holds ``low``..``high`` in at most six ticks."""
    span = max(high - low, Decimal("0.01"))
    step = next((s for s in STEPS if span / s <= 5), STEPS[-1])
    bottom = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    if bottom == low and bottom - step >= 0:
        bottom -= step  # room under the lowest point
    top = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    return bottom, top, step


def layout(chart: Chart, brand: str | None = None) -> Layout:
    left, top, right, bottom = PLOT
    values = [Decimal(str(v)) for s in chart.series for v in (*s.values, s.target) if v is not None]
    low = min(values, default=Decimal(0))
    high = max(values, default=Decimal(100))
    if chart.unit == "%" and high <= 100:
        high = max(high, min(Decimal(100), low + Decimal("0.05")))
    y_min, y_max, step = axis(low, high)

    def y_of(value: Decimal) -> float:
        return bottom - float((value - y_min) / (y_max - y_min)) * (bottom - top)

    count = max(len(chart.categories), 1)
    slot = (right - left) / count

    def x_of(index: int) -> float:
        return left + slot * (index + 0.5)

    lines: list[Line] = []
    dots: list[Dot] = []
    texts: list[Text] = []
    tick = y_min
    while tick <= y_max:
        y = y_of(tick)
        lines.append(Line(((left, y), (right, y)), GRID, 0.8))
        texts.append(Text(left - 6, y + 3.5, f"{format_decimal(tick)}{chart.unit}", 9.5, MUTED, "end"))
        tick += step
    lines.append(Line(((left, bottom), (right, bottom)), MUTED, 1))
    for index, category in enumerate(chart.categories):
        texts.append(Text(x_of(index), bottom + 15, category, 10, INK, "middle"))
    legend: list[tuple[str, str, bool]] = []  # (colour, label, hollow dot instead of a line)
    for series, colour in zip(chart.series, colours(chart, brand), strict=True):
        if series.target is not None:
            y = y_of(Decimal(str(series.target)))
            lines.append(Line(((left, y), (right, y)), colour, 1.2, dash=True))
        points = [(x_of(i), y_of(Decimal(str(v)))) for i, v in enumerate(series.values) if v is not None]
        if len(points) > 1:
            lines.append(Line(tuple(points), colour, 2.2))
        for i, value in enumerate(series.values):
            if value is None:
                continue
            missed = series.target is not None and value < series.target
            dots.append(Dot(x_of(i), y_of(Decimal(str(value))), 3.6, BREACH if missed else colour, hollow=missed))
        label = series.name
        if series.target is not None:
            label += f" (target {format_decimal(Decimal(str(series.target)))}{chart.unit}, dashed)"
        legend.append((colour, label, False))
    if any(d.hollow for d in dots):
        legend.append((BREACH, "target missed", True))
    # the legend runs in rows under the plot; a row that is full starts another, and the picture grows
    legend_x, row = float(left), 0
    for colour, label, hollow in legend:
        width = 24 + LETTER * len(label)
        if legend_x > left and legend_x + width > WIDTH - 8:
            legend_x, row = float(left), row + 1
        legend_y = HEIGHT - 16.0 + LEGEND_ROW * row
        if hollow:
            dots.append(Dot(legend_x + 9, legend_y - 3.5, 3.6, colour, hollow=True))
        else:
            lines.append(Line(((legend_x, legend_y - 3.5), (legend_x + 18, legend_y - 3.5)), colour, 2.2))
        texts.append(Text(legend_x + 24, legend_y, label, 9.5, INK))
        legend_x += width + 22
    return Layout(WIDTH, HEIGHT + LEGEND_ROW * row, tuple(lines), tuple(dots), tuple(texts))


# ------------------------------------------------------------------ SVG


def svg(chart: Chart, brand: str | None = None) -> str:
    """The chart as an ``<svg>`` element; every text is escaped."""
    drawn = layout(chart, brand)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {drawn.width} {drawn.height}" '
        f'width="{drawn.width}" height="{drawn.height}" role="img" aria-label={quoteattr(chart.description)} '
        'font-family="Caladea, Cambria, Georgia, serif">',
        f"<title>{escape(chart.description)}</title>",  # the PDF takes it as the figure's alternative text
    ]
    for line in drawn.lines:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in line.points)
        dash = ' stroke-dasharray="5 4"' if line.dash else ""
        out.append(
            f'<polyline points="{points}" fill="none" stroke="{line.colour}" stroke-width="{line.width}"'
            f' stroke-linejoin="round"{dash}/>'
        )
    for dot in drawn.dots:
        fill = "#ffffff" if dot.hollow else dot.colour
        out.append(
            f'<circle cx="{dot.x:.1f}" cy="{dot.y:.1f}" r="{dot.radius}" fill="{fill}" stroke="{dot.colour}"'
            ' stroke-width="1.6"/>'
        )
    for text in drawn.texts:
        out.append(
            f'<text x="{text.x:.1f}" y="{text.y:.1f}" font-size="{text.size}" fill="{text.colour}"'
            f' text-anchor="{text.anchor}">{escape(text.text)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


# ------------------------------------------------------------------ PNG


def png(chart: Chart, font: Path, brand: str | None = None, scale: int = 3) -> bytes:
    """The chart painted at ``scale`` times its layout size, text in ``font`` (a TrueType file)."""
    from PIL import Image, ImageDraw, ImageFont

    drawn = layout(chart, brand)
    image = Image.new("RGB", (drawn.width * scale, drawn.height * scale), "#ffffff")
    draw = ImageDraw.Draw(image)

    def at(x: float, y: float) -> tuple[float, float]:
        return x * scale, y * scale

    for line in drawn.lines:
        width = max(1, round(line.width * scale))
        if not line.dash:
            draw.line([at(x, y) for x, y in line.points], fill=line.colour, width=width, joint="curve")
            continue
        for (x0, y0), (x1, y1) in zip(line.points, line.points[1:], strict=False):
            length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
            position = 0.0
            while position < length:
                end = min(position + 5, length)
                a = (x0 + (x1 - x0) * position / length, y0 + (y1 - y0) * position / length)
                b = (x0 + (x1 - x0) * end / length, y0 + (y1 - y0) * end / length)
                draw.line([at(*a), at(*b)], fill=line.colour, width=width)
                position += 9
    for dot in drawn.dots:
        x, y = at(dot.x, dot.y)
        r = dot.radius * scale
        draw.ellipse(
            (x - r, y - r, x + r, y + r),
            fill="#ffffff" if dot.hollow else dot.colour,
            outline=dot.colour,
            width=max(1, round(1.6 * scale)),
        )
    anchors = {"start": "ls", "middle": "ms", "end": "rs"}
    for text in drawn.texts:
        face = ImageFont.truetype(str(font), round(text.size * scale))
        draw.text(at(text.x, text.y), text.text, fill=text.colour, font=face, anchor=anchors[text.anchor])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
