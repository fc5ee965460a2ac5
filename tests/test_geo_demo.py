"""Precision honesty on the demo database: no event placed at a pipeline, and none placed with
precision 1 (a town) by the article's context alone — that takes a place named in the event's clause."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from dyadwatch.pipeline import Pipeline, ingest
from dyadwatch.store.database import connect
from dyadwatch.surfaces.cli.common import DEMO_DIR


def test_demo_events_are_placed_honestly(pipeline: Pipeline, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    ingest(pipeline, [DEMO_DIR], url)
    with connect(url).connect() as db:
        rows = db.execute(
            sa.text(
                "SELECT location_name, location_precision, location_how FROM events WHERE location_name IS NOT NULL"
            )
        ).all()
    assert len(rows) > 10
    assert not [r for r in rows if "druzhba" in r[0].lower()], "a pipeline's name is no event place"
    assert not [r for r in rows if r[2] in ("article", "target", "prior") and r[1] == 1]
    assert any(r[2] == "tied" and r[1] == 1 for r in rows)  # a place in the clause still is a point
