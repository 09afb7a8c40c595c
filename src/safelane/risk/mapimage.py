"""The supply-chain map as PNG pictures, for the Word report (Word does not take SVG).

It draws the same layout as `risk/_map.svg` (points, legs and their modes) from the same
`selectors.chain_map`, so the page, the PDF and the Word file show one map. A map larger than a
page is cut into parts of at most TILE_COLUMNS layout columns by TILE_ROWS rows, each a picture
of at most MAX_PIXELS a side printed at the page's width, so its names stay readable and a
60-point map costs a few small pictures instead of one of 28,100 pixels; parts without a point
are left out (a leg that crosses parts runs off the edge of each).
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from safelane.risk.models import Mode, NodeKind
from safelane.risk.selectors import SupplyChainMap

SCALE = 2  # pixels per SVG unit: sharp when printed at page width
BOX_W, BOX_H = 170, 54
COLUMN_W, ROW_H = 230, 80  # a layout column and row, as selectors.chain_map places points
TILE_COLUMNS, TILE_ROWS = 5, 14  # one part of a large map: about a page of it
MAX_PIXELS = TILE_COLUMNS * COLUMN_W * SCALE  # 2,300: the widest picture drawn
INK, SOFT, BRAND, OWN_FILL = "#17212b", "#4a5a6a", "#0f5c6e", "#e3f1f4"
# A partner's questionnaire tag, by result: fill and outline, as in risk/_map.svg.
BADGES = {
    "high": ("#fbe3e1", "#a8322a"),
    "medium": ("#fdf0d5", "#8a5a00"),
    "low": ("#e2f3e8", "#1d6b3c"),
    "": ("#eef1f4", "#4a5a6a"),
}


@functools.cache
def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size * SCALE)


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class MapPart:
    """One picture of the map: which part it is, its size in map units (96 an inch on
    screen) and the PNG."""

    number: int
    of: int
    width: int
    height: int
    png: bytes


def map_parts(chain: SupplyChainMap) -> list[MapPart]:
    """The map cut into parts of at most TILE_COLUMNS x TILE_ROWS points, from the left, each
    band from the top; a map that fits is one part."""
    span_x, span_y = TILE_COLUMNS * COLUMN_W, TILE_ROWS * ROW_H
    cells = sorted({(int(p.x // span_x), int(p.y // span_y)) for p in chain.points})
    modes = {value: str(label) for value, label in Mode.choices}  # each name looked up once
    parts = []
    for number, (cx, cy) in enumerate(cells, start=1):
        left, top = cx * span_x, cy * span_y
        width = min(span_x, chain.width - left)
        height = min(span_y, chain.height - top)
        png = _draw(chain, (left, top, width, height), modes)
        parts.append(MapPart(number, len(cells), width, height, png))
    return parts


def _draw(
    chain: SupplyChainMap, window: tuple[float, float, float, float], modes: dict[str, str]
) -> bytes:
    """The window (left, top, width, height) of the map, in map units, as a PNG: only the
    points and legs that reach into it are drawn."""
    left, top, width, height = window
    image = Image.new("RGB", (int(width * SCALE), int(height * SCALE)), "white")
    draw = ImageDraw.Draw(image)
    bold, small, tiny = _font(11), _font(10), _font(9)
    right, bottom = left + width, top + height

    def at(*values: float) -> list[float]:
        return [(v - (left if n % 2 == 0 else top)) * SCALE for n, v in enumerate(values)]

    def xy(x: float, y: float) -> tuple[float, float]:
        return ((x - left) * SCALE, (y - top) * SCALE)

    for line in chain.lines:
        if max(line.x1, line.x2) < left or min(line.x1, line.x2) > right:
            continue
        if max(line.y1, line.y2) < top or min(line.y1, line.y2) > bottom:
            continue
        draw.line(at(line.x1, line.y1, line.x2, line.y2), fill=SOFT, width=2 * SCALE)
        angle = math.atan2(line.y2 - line.y1, line.x2 - line.x1)
        head = [
            (line.x2, line.y2),
            (line.x2 - 8 * math.cos(angle - 0.4), line.y2 - 8 * math.sin(angle - 0.4)),
            (line.x2 - 8 * math.cos(angle + 0.4), line.y2 - 8 * math.sin(angle + 0.4)),
        ]
        draw.polygon([xy(x, y) for x, y in head], fill=SOFT)
        if left <= line.x1 < right and top <= line.y1 < bottom:  # its label, by its start
            draw.text(xy(line.x1 + 6, line.y1 - 15), modes[line.leg.mode], BRAND, small)
    for point in chain.points:
        if not (left <= point.x < right and top <= point.y < bottom):
            continue
        node = point.node
        fill = OWN_FILL if node.kind == NodeKind.OWN else "white"
        draw.rounded_rectangle(
            at(point.x, point.y, point.x + BOX_W, point.y + BOX_H),
            radius=6 * SCALE,
            fill=fill,
            outline=BRAND,
            width=SCALE,
        )
        lines = [
            (_fit(node.name, 24), INK, bold),
            (_fit(str(node.get_kind_display()), 26), SOFT, small),
            (f"{_fit(node.city, 16)} {node.country.code}".strip(), SOFT, small),
        ]
        for n, (text, colour, font) in enumerate(lines):
            draw.text(xy(point.x + 8, point.y + 6 + n * 15), text, colour, font)
        if point.badge:
            fill, outline = BADGES.get(point.badge_level, BADGES[""])
            draw.rounded_rectangle(
                at(point.badge_x, point.y - 8, point.badge_x + point.badge_width, point.y + 7),
                radius=7 * SCALE,
                fill=fill,
                outline=outline,
                width=1,
            )
            draw.text(xy(point.badge_x + 5, point.y - 7), point.badge, INK, tiny)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)
    return out.getvalue()
