"""``dyadwatch load``: the Parquet tables of a Spark run into a store, stories assigned on the way.

1. read    — ``articles/``, ``mentions/``, ``events/`` and ``skips/`` of a finished run (pyarrow);
2. known   — articles already stored are left out with their mentions (loading twice adds nothing);
3. stories — each new article, in input order, joins its duplicate's story or the nearest one, as
             ``dyadwatch ingest`` assigns them (:class:`dyadwatch.corpus.stories.StoryIndex`, started
             from the stories already stored);
4. write   — one transaction: articles, signatures, new events, mentions, sources and actors
             (added to), skips not seen before, event counts from the stored mentions, story rows.
             PostgreSQL gets COPY (:mod:`dyadwatch.store.bulk`).

Articles get ``ingested_at`` (and events ``first_seen``) in input order, so a later ``dyadwatch
ingest`` into the same store rebuilds the corpus in the order the run decided it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dyadwatch.corpus import stories
from dyadwatch.corpus.dedup import Match, Signature
from dyadwatch.errors import DyadwatchError
from dyadwatch.formats.export import COLUMNS
from dyadwatch.scale.tables import ACTOR_FIELDS
from dyadwatch.store import bulk
from dyadwatch.store import database as store

MANIFEST = "_dyadwatch.json"
TABLES = ("articles", "mentions", "events", "skips")
_ARTICLE_KEYS = ("id", "external_id", "origin", "title", "url", "source", "attributed_source", "published",
                 "text", "num_sentences", "dup_group", "dup_kind", "dup_of", "dup_score")  # fmt: skip
_MENTION_KEYS = ("event_id", "article_id", "sentence_index", "sentence", "source_text", "target_text",
                 "trigger", "confidence", "hedged", "future", "reported_by", "pattern")  # fmt: skip
_EVENT_KEYS = tuple(c.name for c in store.events.columns if c.name not in ("id", "plover", "root_code"))


@dataclass
class LoadReport:
    articles_new: int = 0
    articles_known: int = 0
    events_new: int = 0
    mentions_new: int = 0
    skips_new: int = 0
    stories_touched: int = 0


def read_run(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """The four tables of a run as rows (the ``year`` partition column dropped)."""
    import pyarrow.parquet as pq

    if not (folder / MANIFEST).is_file():
        raise DyadwatchError("E704", path=folder, reason=f"no {MANIFEST}")
    out = {}
    for name in TABLES:
        where = folder / name
        if not where.is_dir():
            raise DyadwatchError("E704", path=folder, reason=f"no {name}/")
        table = pq.read_table(where)
        if "year" in table.column_names:
            table = table.drop_columns(["year"])
        out[name] = table.to_pylist()
    return out


def load(folder: Path, db_url: str) -> LoadReport:
    """Library verb behind ``dyadwatch load``: bulk-load a Spark run; idempotent."""
    run = read_run(folder)
    engine = store.connect(db_url)
    report = LoadReport()
    arts = sorted(run["articles"], key=lambda r: r["order"])
    with engine.connect() as conn:
        known = bulk.existing(conn, store.articles.c.id, [a["id"] for a in arts])
    new = [a for a in arts if a["id"] not in known]
    report.articles_known = len(arts) - len(new)
    placed = _stories(engine, new)
    ids = {a["id"] for a in new}
    mentions = sorted((m for m in run["mentions"] if m["article_id"] in ids),
                      key=lambda m: (m["order"], m["position"]))  # fmt: skip
    base = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rank = {a["order"]: i for i, a in enumerate(new)}
    with engine.begin() as conn:
        bulk.insert_rows(conn, store.articles, [_article(a, placed[a["id"]], base, rank) for a in new])
        bulk.insert_rows(conn, store.article_signatures, [_signature(a) for a in new])
        first: dict[str, int] = {}
        for m in mentions:
            first.setdefault(m["event_id"], m["order"])
        stored = bulk.existing(conn, store.events.c.id, first)
        fresh = [e for e in run["events"] if e["event_id"] in first and e["event_id"] not in stored]
        fresh.sort(key=lambda e: (first[e["event_id"]], e["event_id"]))
        stamp = {eid: base + dt.timedelta(microseconds=rank[o]) for eid, o in first.items()}
        bulk.insert_rows(conn, store.events, [_event(e, stamp[e["event_id"]]) for e in fresh])
        bulk.insert_rows(conn, store.event_mentions, [_mention(m) for m in mentions])
        _sources(conn, new, base)
        _actors(conn, mentions, base)
        report.skips_new = _skips(conn, run["skips"], base)
        store.recount_events(conn, first, base)
        touched = sorted(set(placed.values()))
        for story_id in touched:
            stories.write(conn, story_id, base)
    report.articles_new = len(new)
    report.events_new = len(fresh)
    report.mentions_new = len(mentions)
    report.stories_touched = len(touched)
    return report


def _signature_of(a: dict[str, Any]) -> Signature:
    return Signature.from_stored(a["id"], a["minhash"], a["embedding"], a["num_shingles"],
                                 json.loads(a["actors"] or "[]"), a["attributed_source"])  # fmt: skip


def _stories(engine: Any, new: list[dict[str, Any]]) -> dict[str, str]:
    """Story of each new article, decided in input order after the stored ones."""
    index = stories.StoryIndex()
    for sig, _group, story_id, day in stories.load(engine):
        index.add(story_id, sig, day)
    out = {}
    for a in new:
        sig = _signature_of(a)
        match = Match(a["dup_group"], a["dup_kind"], a["dup_of"], a["dup_score"])
        story_id = index.assign(sig, match, a["published"])
        index.add(story_id, sig, a["published"])
        out[a["id"]] = story_id
    return out


def _article(a: dict[str, Any], story_id: str, base: dt.datetime, rank: dict[int, int]) -> dict[str, Any]:
    row = {k: a[k] for k in _ARTICLE_KEYS}
    row["chrome"] = json.loads(a["chrome"] or "[]")
    row["syndication"] = json.loads(a["syndication"] or "null")
    row["story_id"] = story_id
    row["ingested_at"] = base + dt.timedelta(microseconds=rank[a["order"]])
    return row


def _signature(a: dict[str, Any]) -> dict[str, Any]:
    return {"article_id": a["id"], "minhash": a["minhash"], "embedding": a["embedding"],
            "num_shingles": a["num_shingles"], "actors": json.loads(a["actors"] or "[]")}  # fmt: skip


def _event(e: dict[str, Any], first_seen: dt.datetime) -> dict[str, Any]:
    row = {k: e.get(k) for k in _EVENT_KEYS if k in dict(COLUMNS)}
    row.update(
        id=e["event_id"],
        root_code=f"{e['root_code']:02d}",
        plover={
            "type": e["plover_type"] or "",
            "mode": e["plover_mode"] or "",
            "context": e["plover_context"] or "",
        },
        num_mentions=0,
        num_articles=0,
        num_sources=0,
        first_seen=first_seen,
        last_seen=first_seen,
    )
    return row


def _mention(m: dict[str, Any]) -> dict[str, Any]:
    return {k: m[k] for k in _MENTION_KEYS} | {"spans": json.loads(m["spans"])}


def _sources(conn: Any, new: list[dict[str, Any]], now: dt.datetime) -> None:
    rows: dict[str, dict[str, Any]] = {}
    for a in new:
        for sid, field in ((a["source"], "num_published"), (a["attributed_source"], "num_attributed")):
            if sid:
                row = rows.setdefault(sid, {"id": sid, "num_published": 0, "num_attributed": 0,
                                            "first_seen": now, "last_seen": now})  # fmt: skip
                row[field] += 1
    bulk.add_counts(conn, store.sources, "id", rows, ("num_published", "num_attributed"))


def _actors(conn: Any, mentions: list[dict[str, Any]], now: dt.datetime) -> None:
    rows: dict[str, dict[str, Any]] = {}
    for m in mentions:
        for side in ("source", "target"):
            code = m[f"{side}_code"]
            if code is None:
                continue
            row = rows.setdefault(code, {c: m[f"{side}_{c}"] for c in ACTOR_FIELDS}
                                  | {"num_mentions": 0, "first_seen": now})  # fmt: skip
            row["num_mentions"] += 1
    bulk.add_counts(conn, store.actors, "code", rows, ("num_mentions",))


def _skips(conn: Any, found: list[dict[str, Any]], now: dt.datetime) -> int:
    """The run's skips not stored before (by origin, code and message)."""
    from sqlalchemy import select

    seen: dict[str, set[tuple[str, str]]] = defaultdict(set)
    origins = sorted({s["origin"] for s in found})
    for start in range(0, len(origins), bulk.BATCH):
        part = origins[start : start + bulk.BATCH]
        q = select(store.skips.c.origin, store.skips.c.code, store.skips.c.message)
        for origin, code, message in conn.execute(q.where(store.skips.c.origin.in_(part))):
            seen[origin].add((code, message))
    fresh = []
    for s in sorted(found, key=lambda s: s["order"]):
        if (s["code"], s["message"]) not in seen[s["origin"]]:
            seen[s["origin"]].add((s["code"], s["message"]))
            fresh.append({"origin": s["origin"], "code": s["code"], "message": s["message"], "at": now})
    bulk.insert_rows(conn, store.skips, fresh)
    return len(fresh)
