"""A restricted-party list in the database (the CSL sample bundled with Safelane), and
partners made as a user makes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from safelane.partners import services
from safelane.screening import services as lists

SNAPSHOTS = (
    Path(__file__).resolve().parents[2] / "src" / "safelane" / "screening" / "data" / "snapshots"
)


@pytest.fixture
def csl(db):
    """The CSL sample as the active CSL snapshot."""
    return lists.load_files(actor=None, list_name="csl", path=SNAPSHOTS / "csl-sample.csv").snapshot


def partner(cast: Any, actor: Any = None, other_names: str = "", **values: Any) -> Any:
    values.setdefault("name", "Acme Home Goods Inc.")
    values.setdefault("kind", "supplier")
    values.setdefault("countries", ["CN"])
    return services.create_partner(
        org=cast.acme, actor=actor or cast.owner, values=values, other_names=other_names
    )
