"""End to end on the two real syndicated seed articles in ../shared/seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch.pipeline import Pipeline, ingest
from dyadwatch.store import database as store
from dyadwatch.store import query

from .conftest import shared_path

CHROME_WORDS = (
    "Carmen",
    "Mendez",
    "serene landscape",
    "Vibrant landscape",
    "Leave a Reply",
    "email address",
    "Yale",
)


@pytest.fixture(scope="module")
def seeded(
    pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, list[dict[str, object]]]:
    seeds = sorted(shared_path("seeds").glob("*.txt"))
    assert len(seeds) == 2
    db = f"sqlite:///{tmp_path_factory.mktemp('seeds') / 'seeds.db'}"
    report = ingest(pipeline, seeds, db)
    assert report.articles_new == 2 and not report.skips
    return db, query.find_events(store.connect(db), include_negated=True)


def _country(side: dict[str, object] | None) -> object:
    return side["country"] if side else None


def test_russia_wagner_to_mali_cooperation(seeded: tuple[str, list[dict[str, object]]]) -> None:
    _, events = seeded
    hits = [
        e
        for e in events
        if _country(e["source"]) == "RUS"
        and _country(e["target"]) == "MLI"
        and e["root_code"] in ("06", "07")
    ]
    assert hits, [(e["source"], e["event_code"], e["target"]) for e in events]


def test_france_disapproves_of_mali(seeded: tuple[str, list[dict[str, object]]]) -> None:
    _, events = seeded
    assert any(
        _country(e["source"]) == "FRA" and _country(e["target"]) == "MLI" and e["root_code"] == "11"
        for e in events
    )


def test_hackers_cyber_coercion_against_nato_linked_municipalities(
    seeded: tuple[str, list[dict[str, object]]],
) -> None:
    _, events = seeded
    cyber = [e for e in events if e["root_code"] == "17"]
    assert cyber, events
    e = cyber[0]
    assert e["source"]["country"] == "RUS" and "hackers" in e["source"]["text"]  # type: ignore[index]
    assert "NATO" in e["target"]["text"] or "NATO" in e["target"]["name"]  # type: ignore[index]


def test_no_actor_or_event_from_site_chrome(seeded: tuple[str, list[dict[str, object]]]) -> None:
    db, events = seeded
    for e in events:
        assert not any(w in str(e["sentence"]) for w in CHROME_WORDS), e["sentence"]
    engine = store.connect(db)
    with engine.connect() as conn:
        rows = conn.execute(store.articles.select()).mappings().all()
    assert len(rows) == 2
    for row in rows:
        assert row["attributed_source"] == "messenger-inquirer.com"
        assert not any(w in row["text"] for w in CHROME_WORDS)
        assert "Original Source" not in row["text"]
        kinds = {c["kind"] for c in row["chrome"]}
        assert {"caption", "attribution", "comment_form"} <= kinds


def test_reingest_adds_nothing(seeded: tuple[str, list[dict[str, object]]], pipeline: Pipeline) -> None:
    db, events = seeded
    report = ingest(pipeline, sorted(Path(shared_path("seeds")).glob("*.txt")), db)
    assert report.articles_new == 0 and report.articles_known == 2 and report.mentions_new == 0
    assert len(query.find_events(store.connect(db), include_negated=True)) == len(events)


def test_the_syndicated_report_counts_once_with_two_mentions(
    seeded: tuple[str, list[dict[str, object]]],
) -> None:
    """Both rewrites report Wagner training Malian troops: one event, two articles, two sentences."""
    db, events = seeded
    coop = [
        e
        for e in events
        if _country(e["source"]) == "RUS"
        and _country(e["target"]) == "MLI"
        and e["root_code"] in ("06", "07")
        and e["num_articles"] == 2
    ]
    assert coop, [(e["source"], e["event_code"], e["target"], e["num_articles"]) for e in events]
    engine = store.connect(db)
    with engine.connect() as conn:
        rows = (
            conn.execute(
                store.event_mentions.select().where(store.event_mentions.c.event_id == coop[0]["event_id"])
            )
            .mappings()
            .all()
        )
    assert len(rows) == 2 and len({r["article_id"] for r in rows}) == 2
    for row in rows:
        start, end = row["spans"]["trigger"]
        assert row["sentence"][start:end] == row["trigger"]
        assert "Malian" in row["sentence"]


def test_said_to_provide_training_is_hedged_and_reported(seeded: tuple[str, list[dict[str, object]]]) -> None:
    db, _ = seeded
    engine = store.connect(db)
    with engine.connect() as conn:
        rows = conn.execute(store.event_mentions.select()).mappings().all()
    said = [r for r in rows if "is said to provide" in r["sentence"]]
    assert said and all(r["hedged"] and r["reported_by"] for r in said)
