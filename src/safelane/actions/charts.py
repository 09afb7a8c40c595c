"""The budget chart: estimate against actual, drawn as SVG for the page and the PDF alike."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ESTIMATE, ACTUAL = "#8fb8c2", "#0f5c6e"


@dataclass(frozen=True)
class Pair:
    label: str
    y: int
    estimate_width: float
    actual_width: float
    estimate: Decimal
    actual: Decimal


@dataclass(frozen=True)
class PairChart:
    width: int
    height: int
    label_width: int
    pairs: list[Pair]
    estimate_colour: str = ESTIMATE
    actual_colour: str = ACTUAL


def pair_chart(rows: list[tuple[str, Decimal, Decimal]], *, width: int = 560) -> PairChart:
    label_width, row = 200, 40
    top = max([max(e, a) for _label, e, a in rows] + [Decimal(1)])
    room = width - label_width - 110
    pairs = [
        Pair(label, 10 + i * row, float(room * e / top), float(room * a / top), e, a)
        for i, (label, e, a) in enumerate(rows)
    ]
    return PairChart(width, 30 + len(rows) * row, label_width, pairs)
