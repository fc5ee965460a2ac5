"""Stage 7 — store: articles, events and event mentions in SQLAlchemy (SQLite by default).

An *event* is unique by (date, source actor, target actor, event code, negation); every report of
it in an article sentence is an *event mention* with its spans, confidence and flags. Events keep
``num_mentions`` and ``num_articles`` up to date on every ingest. An article is keyed by its
content hash, so ingesting the same article twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from dyadwatch.errors import DyadwatchError
from dyadwatch.records import Article, Event, Mention, Skip

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("external_id", String),
    Column("origin", Text, nullable=False),
    Column("title", Text),
    Column("url", Text),
    Column("source", String),
    Column("attributed_source", String),
    Column("published", Date),
    Column("text", Text, nullable=False),
    Column("chrome", JSON),
    Column("num_sentences", Integer),
    Column("ingested_at", DateTime, nullable=False),
    # duplicate group (the id of its first-seen member), how this copy matched, and its signals
    Column("dup_group", String(16), index=True),
    Column("dup_kind", String(8)),  # original | exact | near | rewrite
    Column("dup_of", String(16)),
    Column("dup_score", Float),
    Column("syndication", JSON),
    Column("story_id", String(20), index=True),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(20), primary_key=True),
    Column("label", Text, nullable=False),
    Column("first_date", Date),
    Column("last_date", Date),
    Column("num_articles", Integer, nullable=False),
    Column("top_actors", JSON),
    Column("event_type", String),
    Column("centroid", LargeBinary),
    Column("updated_at", DateTime, nullable=False),
)

article_signatures = Table(
    "article_signatures",
    metadata,
    Column("article_id", String(16), ForeignKey("articles.id"), primary_key=True),
    Column("minhash", LargeBinary, nullable=False),  # MinHash hash values, uint32 little-endian
    Column("embedding", LargeBinary, nullable=False),  # normalised float32 sentence embedding
    Column("num_shingles", Integer, nullable=False),
    Column("actors", JSON),  # actor codes in the article's events
)

_ACTOR_COLS = ("code", "name", "country", "type", "role")

events = Table(
    "events",
    metadata,
    Column("id", String(20), primary_key=True),
    Column("date", Date),
    *(Column(f"source_{c}", String) for c in _ACTOR_COLS),
    *(Column(f"target_{c}", String) for c in _ACTOR_COLS),
    Column("event_code", String(4), nullable=False),
    Column("root_code", String(2), nullable=False),
    Column("event_name", String, nullable=False),
    Column("quad_class", Integer, nullable=False),
    Column("goldstein", Float, nullable=False),
    Column("plover", JSON),
    Column("negated", Boolean, nullable=False),
    Column("hypothetical", Boolean, nullable=False, default=False),
    Column("num_mentions", Integer, nullable=False, default=0),
    Column("num_articles", Integer, nullable=False, default=0),
    Column("num_sources", Integer, nullable=False, default=0, server_default="0"),
    Column("first_seen", DateTime),
    Column("last_seen", DateTime),
    Column("location_name", String),
    Column("location_country", String(3)),
    Column("location_admin1", String),
    Column("location_lat", Float),
    Column("location_lon", Float),
    Column("location_precision", Integer),
    Column("location_geonames_id", BigInteger),
    Column("location_how", String(8)),
    Column("date_precision", String(5)),
)

event_mentions = Table(
    "event_mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(20), ForeignKey("events.id"), nullable=False, index=True),
    Column("article_id", String(16), ForeignKey("articles.id"), nullable=False, index=True),
    Column("sentence_index", Integer, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("source_text", String),
    Column("target_text", String),
    Column("trigger", String),
    Column("spans", JSON),
    Column("confidence", Float),
    Column("hedged", Boolean),
    Column("future", Boolean),
    Column("reported_by", String),
    Column("pattern", String),
    UniqueConstraint("event_id", "article_id", "sentence_index", name="uq_mention"),
)

skips = Table(
    "skips",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("origin", Text, nullable=False),
    Column("code", String(4), nullable=False),
    Column("message", Text, nullable=False),
    Column("at", DateTime, nullable=False),
)


sources = Table(
    "sources",
    metadata,
    Column("id", String, primary_key=True),  # publisher or attributed origin, as stored on articles
    Column("num_published", Integer, nullable=False),  # articles it published
    Column("num_attributed", Integer, nullable=False),  # articles crediting it as their origin
    Column("first_seen", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
)

actors = Table(
    "actors",
    metadata,
    Column("code", String, primary_key=True),
    Column("name", String, nullable=False),  # the canonical name it was first seen with
    Column("country", String(3)),
    Column("type", String, nullable=False),
    Column("role", String),
    Column("num_mentions", Integer, nullable=False),  # event mentions naming it as source or target
    Column("first_seen", DateTime, nullable=False),
)

watched_files = Table(
    "watched_files",
    metadata,
    Column("path", Text, primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("articles_new", Integer, nullable=False),
    Column("skipped", Integer, nullable=False),
    Column("processed_at", DateTime, nullable=False),
)


def file_seen(engine: Engine, path: str, size: int, mtime_ns: int) -> bool:
    """Whether `watch` already processed this file in this version (same size and modification time)."""
    with engine.connect() as conn:
        row = conn.execute(select(watched_files).where(watched_files.c.path == path)).first()
    return row is not None and row.size == size and row.mtime_ns == mtime_ns


def mark_file(engine: Engine, path: str, size: int, mtime_ns: int, articles_new: int, skipped: int) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    values = {
        "size": size,
        "mtime_ns": mtime_ns,
        "articles_new": articles_new,
        "skipped": skipped,
        "processed_at": now,
    }
    with engine.begin() as conn:
        done = conn.execute(update(watched_files).where(watched_files.c.path == path).values(**values))
        if done.rowcount == 0:
            conn.execute(insert(watched_files).values(path=path, **values))


def connect(url: str) -> Engine:
    """Open (and create if needed) a database; SQLite gets WAL and foreign keys."""
    try:
        engine = create_engine(url)
    except (ArgumentError, ImportError) as exc:
        raise DyadwatchError("E203", url=url, reason=str(exc).splitlines()[0]) from None
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a crashed process loses nothing committed; only a power cut may lose the
            # last transactions (never corrupts), and each article's commit no longer waits on fsync
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    try:
        migrate(engine)
    except (OperationalError, SQLAlchemyError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DyadwatchError("E203", url=url, reason=reason) from None
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest Alembic revision (a new database gets every table)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def event_key(e: Event) -> str:
    """Stable, global event id from the event's identity (not from where it was read).

    Identity: date, source and target codes, CAMEO code, negation/hypothetical flags and, when the
    sentence names where it happened, the place. A fallback location (the article's main place or
    the target's country) is a guess, not identity, so it does not split events.
    """
    parts = [
        e.date.isoformat() if e.date else "",
        e.source.actor.code,
        e.target.actor.code if e.target else "",
        e.event_code,
        "neg" if e.negated else "",
        "hyp" if e.hypothetical else "",
    ]
    loc = e.location
    if loc is not None and loc.how == "tied":  # a place the sentence ties to the event ("in Moura")
        parts.append(str(loc.geonames_id) if loc.geonames_id else f"{loc.name}|{loc.country}")
    return "ev-" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def has_article(engine: Engine, article_id: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(articles.c.id).where(articles.c.id == article_id)).first() is not None


def save(
    engine: Engine,
    article: Article,
    found: Iterable[Event],
    num_sentences: int,
    corpus: Mapping[str, Any] | None = None,
    signature: Mapping[str, Any] | None = None,
    after: Callable[[Connection], None] | None = None,
) -> int:
    """Write one article and its events in one transaction; returns new mentions (0 if known).

    ``corpus`` adds duplicate-group and story columns to the article row, ``signature`` its row of
    ``article_signatures``, and ``after`` runs last in the same transaction (the story update):
    an article is stored with everything derived from it, or not at all.
    """
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        added = _save(conn, article, found, num_sentences, corpus or {}, now)
        if added < 0:
            return 0
        if signature is not None:
            conn.execute(insert(article_signatures).values(article_id=article.id, **signature))
        if after is not None:
            after(conn)
    return added


def _save(
    conn: Connection,
    article: Article,
    found: Iterable[Event],
    num_sentences: int,
    corpus: Mapping[str, Any],
    now: dt.datetime,
) -> int:
    if conn.execute(select(articles.c.id).where(articles.c.id == article.id)).first():
        return -1  # stored meanwhile (another process): nothing to add
    conn.execute(
        insert(articles).values(
            id=article.id,
            external_id=article.external_id,
            origin=article.origin,
            title=article.title,
            url=article.url,
            source=article.source,
            attributed_source=article.attributed_source,
            published=article.published,
            text=article.text,
            num_sentences=num_sentences,
            chrome=[{"kind": c.kind, "text": c.text, "position": c.position} for c in article.chrome],
            ingested_at=now,
            **corpus,
        )
    )
    for sid, field in ((article.source, "num_published"), (article.attributed_source, "num_attributed")):
        if sid:
            _count_source(conn, sid, field, now)
    # one report per (event, sentence): the article is new, so none of its mentions exists yet
    reports: dict[tuple[str, int], Event] = {}
    for e in found:
        reports.setdefault((event_key(e), e.sentence_index), e)
    if not reports:
        return 0
    _count_actors(conn, reports.values(), now)
    touched = {eid for eid, _ in reports}
    known = set(conn.scalars(select(events.c.id).where(events.c.id.in_(touched))))
    fresh = {eid: e for (eid, _), e in reports.items() if eid not in known}
    if fresh:
        conn.execute(
            insert(events),
            [{"id": eid, "first_seen": now, **_event_values(e)} for eid, e in fresh.items()],
        )
    conn.execute(
        insert(event_mentions),
        [{"event_id": eid, **_mention_values(e)} for (eid, _), e in reports.items()],
    )
    # a source is the attributed origin of a report, else its publisher, else the article itself:
    # syndicated rewrites crediting one origin count as one source
    origin = func.coalesce(articles.c.attributed_source, articles.c.source, articles.c.id)
    tallies = conn.execute(
        select(
            event_mentions.c.event_id,
            func.count(),
            func.count(func.distinct(event_mentions.c.article_id)),
            func.count(func.distinct(origin)),
        )
        .select_from(event_mentions.join(articles, articles.c.id == event_mentions.c.article_id))
        .where(event_mentions.c.event_id.in_(touched))
        .group_by(event_mentions.c.event_id)
    ).all()
    conn.execute(
        update(events).where(events.c.id == bindparam("eid")),
        [
            {"eid": eid, "num_mentions": m, "num_articles": a, "num_sources": n, "last_seen": now}
            for eid, m, a, n in tallies
        ],
    )
    return len(reports)


def _count_source(conn: Connection, sid: str, field: str, now: dt.datetime) -> None:
    done = conn.execute(
        update(sources).where(sources.c.id == sid).values({field: sources.c[field] + 1, "last_seen": now})
    )
    if done.rowcount == 0:
        counts = {"num_published": 0, "num_attributed": 0, field: 1}
        conn.execute(insert(sources).values(id=sid, first_seen=now, last_seen=now, **counts))


def _count_actors(conn: Connection, reports: Iterable[Event], now: dt.datetime) -> None:
    seen: dict[str, tuple[Mention, int]] = {}
    for e in reports:
        for m in (e.source, e.target):
            if m is not None:
                first, n = seen.get(m.actor.code, (m, 0))
                seen[m.actor.code] = (first, n + 1)
    known = set(conn.scalars(select(actors.c.code).where(actors.c.code.in_(seen))))
    for code, (m, n) in seen.items():
        if code in known:
            conn.execute(
                update(actors).where(actors.c.code == code).values(num_mentions=actors.c.num_mentions + n)
            )
        else:
            a = m.actor
            conn.execute(
                insert(actors).values(code=code, name=a.name, country=a.country, type=a.type, role=a.role,
                                      num_mentions=n, first_seen=now)
            )  # fmt: skip


def record_skip(engine: Engine, skip: Skip) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(skips).values(
                origin=skip.origin,
                code=skip.code,
                message=skip.message,
                at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            )
        )


def _event_values(e: Event) -> dict[str, Any]:
    values: dict[str, Any] = {
        "date": e.date,
        "event_code": e.event_code,
        "root_code": e.root_code,
        "event_name": e.event_name,
        "quad_class": e.quad_class,
        "goldstein": e.goldstein,
        "plover": e.plover,
        "negated": e.negated,
        "hypothetical": e.hypothetical,
        "date_precision": e.date_precision,
    }
    loc = e.location.to_record() if e.location else {}
    for key in ("name", "country", "admin1", "lat", "lon", "precision", "geonames_id", "how"):
        values[f"location_{key}"] = loc.get(key)
    for side, mention in (("source", e.source), ("target", e.target)):
        record = mention.to_record() if mention else {}
        for col in _ACTOR_COLS:
            values[f"{side}_{col}"] = record.get("name" if col == "name" else col) if mention else None
    return values


def _mention_values(e: Event) -> dict[str, Any]:
    return {
        "article_id": e.article_id,
        "sentence_index": e.sentence_index,
        "sentence": e.sentence,
        "source_text": e.source.text,
        "target_text": e.target.text if e.target else None,
        "trigger": e.trigger.text,
        "spans": json.loads(json.dumps(e.spans())),
        "confidence": e.confidence,
        "hedged": e.hedged,
        "future": e.future,
        "reported_by": e.reported_by,
        "pattern": e.pattern,
    }
