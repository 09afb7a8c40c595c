"""The map in the Word report stays a readable size however large the map: a chain of 60 points
was one picture of 28,100 x 4,200 pixels; it is now a few parts, none wider than MAX_PIXELS."""

from __future__ import annotations

import io

from PIL import Image

from safelane.risk.mapimage import MAX_PIXELS, TILE_COLUMNS, map_parts
from safelane.risk.models import Leg, Node
from safelane.risk.selectors import chain_map


def chain(points: int, branches: int = 1):
    """`points` points in one line (each leg leads one column further), with `branches` extra
    points beside each one."""
    nodes = [
        Node(pk=n + 1, name=f"Point {n}", kind="supplier", country="MX", city="Monterrey")
        for n in range(points * branches)
    ]
    legs = [
        Leg(pk=n + 1, origin_id=n + 1, destination_id=n + 2, mode="truck")
        for n in range(points - 1)
    ]
    legs += [
        Leg(pk=1000 + n, origin_id=(n % points) + 1, destination_id=n + 1 + points, mode="rail")
        for n in range(points * (branches - 1))
    ]
    return chain_map(nodes, legs)


def pictures(parts):
    return [Image.open(io.BytesIO(part.png)) for part in parts]


def test_a_small_map_is_one_picture_at_twice_the_layout_scale():
    small = chain(4)
    [part] = map_parts(small)
    [picture] = pictures([part])
    assert (part.number, part.of) == (1, 1)
    assert picture.size == (small.width * 2, small.height * 2)


def test_a_60_point_chain_is_cut_into_parts_none_wider_than_a_page_picture():
    large = chain(60, branches=2)
    assert large.width * 2 > 28_000  # what the report used to draw as one picture
    parts = map_parts(large)
    assert len(parts) == -(-61 // TILE_COLUMNS)  # every point in exactly one part
    assert [p.number for p in parts] == list(range(1, len(parts) + 1))
    assert {p.of for p in parts} == {len(parts)}
    for picture in pictures(parts):
        assert picture.width <= MAX_PIXELS
        assert picture.height <= MAX_PIXELS
        assert len(picture.getcolors(maxcolors=100_000)) > 10  # something is drawn on it
