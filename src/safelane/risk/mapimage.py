"""The supply-chain map as a PNG picture, for the Word report (Word does not take SVG).

It draws the same layout as `risk/_map.svg` (points, legs and their modes) from the same
`selectors.chain_map`, so the page, the PDF and the Word file show one map.
"""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw, ImageFont

from safelane.risk.models import NodeKind
from safelane.risk.selectors import SupplyChainMap

SCALE = 2  # pixels per SVG unit: sharp when printed at page width
BOX_W, BOX_H = 170, 54
INK, SOFT, BRAND, OWN_FILL = "#17212b", "#4a5a6a", "#0f5c6e", "#e3f1f4"
# A partner's questionnaire tag, by result: fill and outline, as in risk/_map.svg.
BADGES = {
    "high": ("#fbe3e1", "#a8322a"),
    "medium": ("#fdf0d5", "#8a5a00"),
    "low": ("#e2f3e8", "#1d6b3c"),
    "": ("#eef1f4", "#4a5a6a"),
}


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def map_png(chain: SupplyChainMap) -> bytes:
    image = Image.new("RGB", (chain.width * SCALE, chain.height * SCALE), "white")
    draw = ImageDraw.Draw(image)
    bold = ImageFont.load_default(size=11 * SCALE)
    small = ImageFont.load_default(size=10 * SCALE)
    tiny = ImageFont.load_default(size=9 * SCALE)

    def at(*values: float) -> list[float]:
        return [v * SCALE for v in values]

    def xy(x: float, y: float) -> tuple[float, float]:
        return (x * SCALE, y * SCALE)

    for line in chain.lines:
        draw.line(at(line.x1, line.y1, line.x2, line.y2), fill=SOFT, width=2 * SCALE)
        angle = math.atan2(line.y2 - line.y1, line.x2 - line.x1)
        head = [
            (line.x2, line.y2),
            (line.x2 - 8 * math.cos(angle - 0.4), line.y2 - 8 * math.sin(angle - 0.4)),
            (line.x2 - 8 * math.cos(angle + 0.4), line.y2 - 8 * math.sin(angle + 0.4)),
        ]
        draw.polygon([xy(x, y) for x, y in head], fill=SOFT)
        draw.text(xy(line.x1 + 6, line.y1 - 15), line.leg.get_mode_display(), BRAND, small)
    for point in chain.points:
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
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
