"""Charts drawn on the server as SVG, so the page and the PDF show the same picture."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from safelane.assessments.models import Status
from safelane.assessments.selectors import Tally

COLOURS: dict[str, str] = {
    Status.MET: "#1f7a4d",
    Status.PARTIAL: "#d69e2e",
    Status.NOT_MET: "#b42318",
    Status.NOT_STARTED: "#c5cfd9",
    Status.NOT_APPLICABLE: "#eef1f5",
}


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    count: int
    label: str


@dataclass(frozen=True)
class Bar:
    y: int
    label: str
    score: int
    segments: list[Segment]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]
    legend: list[tuple[str, str]]
    title: str


def progress_chart(categories: list[Tally], *, width: int = 720) -> Chart:
    label_width, bar_width, row = 250, width - 250 - 50, 26
    labels: dict[str, str] = {value: str(label) for value, label in Status.choices}
    bars = []
    for index, tally in enumerate(categories):
        total = sum(tally.counts.values()) or 1
        x = float(label_width)
        segments = []
        for status, count in tally.bar():
            w = bar_width * count / total
            if count:
                segments.append(
                    Segment(round(x, 2), round(w, 2), COLOURS[status], count, str(labels[status]))
                )
            x += w
        label = str(tally.label)
        bars.append(
            Bar(
                30 + index * row,
                label if len(label) <= 38 else label[:36] + "…",
                tally.score,
                segments,
            )
        )
    legend = [(COLOURS[s], str(labels[s])) for s in COLOURS]
    return Chart(
        width, 40 + len(categories) * row + 30, label_width, bars, legend, _("Progress by category")
    )


PNG_SCALE = 2  # pixels per SVG unit: sharp when printed at page width


def chart_png(chart: Chart) -> bytes:
    """The chart as a PNG picture for Word (which does not take SVG): the same bars, labels,
    colours and legend as `_chart.svg`, drawn from the same `Chart`."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    s = PNG_SCALE
    image = Image.new("RGB", (chart.width * s, chart.height * s), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=12 * s)
    for bar in chart.bars:
        draw.text((0, (bar.y + 2) * s), bar.label, "#17212b", font)
        for seg in bar.segments:
            draw.rectangle(
                [seg.x * s, bar.y * s, (seg.x + seg.width) * s, (bar.y + 18) * s], fill=seg.colour
            )
        draw.text(((chart.width - 44) * s, (bar.y + 2) * s), f"{bar.score}%", "#4a5a6a", font)
    for index, (colour, label) in enumerate(chart.legend):
        x, y = index * 140, chart.height - 18
        draw.rectangle([x * s, y * s, (x + 12) * s, (y + 12) * s], fill=colour, outline="#c5cfd9")
        draw.text(((x + 16) * s, (y - 1) * s), label, "#4a5a6a", font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
