"""A dashboard database: the demo articles, one hostile article of ours, and two placed events."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select, update

from dyadwatch.pipeline import Pipeline, ingest
from dyadwatch.store import database as store
from dyadwatch.surfaces.cli.common import DEMO_DIR

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE = {
    "id": "hostile-1",
    "title": f"Russia and Mali {SCRIPT} talks",
    "date": "2023-05-20",
    "url": "javascript:alert(1)",
    "text": f"BAMAKO — Russia criticised Mali on Friday over the talks. {SCRIPT}\n\n"
    f"Malian officials accused Russia of delays, a spokesman wrote {IMG} in a statement.",
}
PLACES = {  # name, ISO3, admin1, lat, lon, precision
    "Bamako": ("Bamako", "MLI", "Bamako", 12.65, -8.0, 1),
    "Moscow": ("Moscow", "RUS", "Moscow", 55.75, 37.62, 1),
}


def build(pipeline: Pipeline, folder: Path) -> tuple[str, str]:
    """Ingest into a new SQLite database under ``folder``; returns (url, the hostile article's id)."""
    url = f"sqlite:///{folder / 'dashboard.db'}"
    records = folder / "hostile.jsonl"
    records.write_text(json.dumps(HOSTILE) + "\n")
    report = ingest(pipeline, [DEMO_DIR, records], url)
    assert report.articles_new >= 7 and not report.skips
    engine = store.connect(url)
    with engine.begin() as conn:
        hostile = conn.execute(
            select(store.articles.c.id).where(store.articles.c.external_id == "hostile-1")
        ).scalar_one()
        placed = list(
            conn.scalars(
                select(store.event_mentions.c.event_id).where(store.event_mentions.c.article_id == hostile)
            )
        )
        assert len(placed) >= 2, "the hostile article should hold two RUS–MLI events"
        for event_id, (name, iso3, admin1, lat, lon, precision) in zip(placed, PLACES.values(), strict=False):
            conn.execute(
                update(store.events)
                .where(store.events.c.id == event_id)
                .values(
                    location_name=name,
                    location_country=iso3,
                    location_admin1=admin1,
                    location_lat=lat,
                    location_lon=lon,
                    location_precision=precision,
                    location_how="tied",
                )
            )
    return url, hostile
