"""Step 1: the points and legs of the map, laid out as the diagram the page and reports draw."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from safelane.risk.models import Leg, Node, RiskAssessment

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation


def nodes(org: Organisation, assessment: RiskAssessment) -> list[Node]:
    return list(Node.objects.for_org(org).filter(assessment=assessment))


def legs(org: Organisation, assessment: RiskAssessment) -> list[Leg]:
    return list(
        Leg.objects.for_org(org)
        .filter(assessment=assessment)
        .select_related("origin", "destination")
    )


@dataclass(frozen=True)
class MapPoint:
    node: Node
    x: int
    y: int
    # A partner's facility: its questionnaire result, drawn as a tag on the box.
    badge: str = ""
    badge_level: str = ""  # high, medium, low or "" (none yet): the tag's colour
    badge_title: str = ""

    @property
    def badge_x(self) -> int:
        return self.x + 170 - self.badge_width - 6

    @property
    def badge_width(self) -> int:
        return 10 + round(5.3 * len(self.badge))


@dataclass(frozen=True)
class MapLine:
    leg: Leg
    x1: int
    y1: int
    x2: int
    y2: int


@dataclass(frozen=True)
class SupplyChainMap:
    width: int
    height: int
    points: list[MapPoint]
    lines: list[MapLine]

    @property
    def tagged(self) -> bool:
        """Whether any point carries a partner's questionnaire tag (the page explains them)."""
        return any(point.badge for point in self.points)


def chain_map(
    node_list: list[Node],
    leg_list: list[Leg],
    badges: dict[int, tuple[str, str, str]] | None = None,
) -> SupplyChainMap:
    """Points in columns by how many legs lead to them, so cargo flows left to right;
    `badges` tags points by pk with (text, level, title)."""
    badges = badges or {}
    depth = {n.pk: 0 for n in node_list}
    for _round in range(len(node_list)):
        changed = False
        for leg in leg_list:
            if depth.get(leg.destination_id, 0) < depth.get(leg.origin_id, 0) + 1 <= len(node_list):
                depth[leg.destination_id] = depth[leg.origin_id] + 1
                changed = True
        if not changed:
            break
    columns: dict[int, list[Node]] = defaultdict(list)
    for node in node_list:
        columns[depth[node.pk]].append(node)
    box_w, box_h, gap_x, gap_y = 170, 54, 60, 26
    points = {}
    for col, members in sorted(columns.items()):
        for row, node in enumerate(members):
            points[node.pk] = MapPoint(
                node,
                10 + col * (box_w + gap_x),
                10 + row * (box_h + gap_y),
                *badges.get(node.pk, ("", "", "")),
            )
    lines = [
        MapLine(
            leg,
            points[leg.origin_id].x + box_w,
            points[leg.origin_id].y + box_h // 2,
            points[leg.destination_id].x,
            points[leg.destination_id].y + box_h // 2,
        )
        for leg in leg_list
        if leg.origin_id in points and leg.destination_id in points
    ]
    width = 20 + (max(columns) + 1 if columns else 1) * (box_w + gap_x)
    height = 20 + max((len(m) for m in columns.values()), default=1) * (box_h + gap_y)
    return SupplyChainMap(width, height, list(points.values()), lines)
