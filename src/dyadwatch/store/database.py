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
import random
import time
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
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    OperationalError,
    SQLAlchemyError,
    StatementError,
)

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
        # a busy SQLite file waits for the other writer (30 s) before it counts as an error
        engine = (
            create_engine(url, connect_args={"timeout": 30})
            if url.startswith("sqlite")
            else create_engine(url)
        )
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

    for attempt in range(3):  # two processes creating one new database: the loser looks again
        try:
            migrate(engine)
            return engine
        except (OperationalError, SQLAlchemyError) as exc:
            if attempt == 2:
                reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
                raise DyadwatchError("E203", url=url, reason=reason) from None
            time.sleep(0.2 + random.random())
    raise AssertionError("unreachable")


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


class RecordError(Exception):
    """The database refused one article's rows (a value it cannot hold): that article's skip."""


_RETRIES = 8  # deadlocks, serialization failures, a busy SQLite file, a lost insert race


def _retryable(exc: DBAPIError) -> bool:
    """A transient conflict with another writer: run the transaction again."""
    code = getattr(exc.orig, "sqlstate", None)
    if code in ("40P01", "40001", "55P03"):  # deadlock, serialization failure, lock not available
        return True
    if isinstance(exc, IntegrityError):
        return code in (None, "23505")  # a unique row another writer committed first: look again
    text = str(exc.orig).lower()
    return "database is locked" in text or "database table is locked" in text


def save(
    engine: Engine,
    article: Article,
    found: Iterable[Event],
    num_sentences: int,
    corpus: Mapping[str, Any] | None = None,
    signature: Mapping[str, Any] | None = None,
    after: Callable[[Connection], None] | None = None,
) -> int:
    """Write one article and its events in one transaction; returns new mentions (-1 if known).

    ``corpus`` adds duplicate-group and story columns to the article row, ``signature`` its row of
    ``article_signatures``, and ``after`` runs last in the same transaction (the story update):
    an article is stored with everything derived from it, or not at all.

    Safe beside other writers (processes, the API): inserts are idempotent (``ON CONFLICT DO
    NOTHING``), counters are upserted in sorted key order (no deadlock cycle), and a deadlock,
    serialization failure or busy database runs the transaction again. A value the database
    refuses raises :class:`RecordError`; a database that fails (disk full, gone) raises E203.
    """
    found = list(found)
    for attempt in range(_RETRIES):
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        try:
            with engine.begin() as conn:
                added = _save(conn, article, found, num_sentences, corpus or {}, now)
                if added < 0:
                    return -1  # stored meanwhile by another writer
                if signature is not None:
                    row = {"article_id": article.id, **signature}
                    conn.execute(_insert_new(conn, article_signatures, ["article_id"]).values(**row))
                if after is not None:
                    after(conn)
            return added
        except DBAPIError as exc:
            if _retryable(exc) and attempt + 1 < _RETRIES:
                time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))
                continue
            reason = _first_line(exc.orig)
            if isinstance(exc, OperationalError) or _retryable(exc):
                raise DyadwatchError("E203", url=engine.url.render_as_string(), reason=reason) from None
            raise RecordError(reason) from None
        except StatementError as exc:  # a value the driver cannot send (bad encoding)
            raise RecordError(_first_line(exc.orig)) from None
    raise AssertionError("unreachable")


def _first_line(exc: BaseException | None) -> str:
    text = str(exc or "").strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


def _insert_new(conn: Connection, table: Table, keys: list[str]) -> Any:
    """An INSERT that does nothing where a row with these keys exists (SQLite and PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        return pg_insert(table).on_conflict_do_nothing(index_elements=keys)
    return sqlite_insert(table).on_conflict_do_nothing(index_elements=keys)


def _upsert_count(
    conn: Connection, table: Table, key: str, values: dict[str, Any], counts: dict[str, int]
) -> None:
    """Insert a counter row, or add ``counts`` to the stored one: one statement, no read-then-write."""
    maker = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    changes: dict[str, Any] = {c: table.c[c] + n for c, n in counts.items()}
    if "last_seen" in values:
        changes["last_seen"] = values["last_seen"]
    conn.execute(maker(table).values(**values).on_conflict_do_update(index_elements=[key], set_=changes))


def _save(
    conn: Connection,
    article: Article,
    found: Iterable[Event],
    num_sentences: int,
    corpus: Mapping[str, Any],
    now: dt.datetime,
) -> int:
    row = {
        "id": article.id,
        "external_id": article.external_id,
        "origin": article.origin,
        "title": article.title,
        "url": article.url,
        "source": article.source,
        "attributed_source": article.attributed_source,
        "published": article.published,
        "text": article.text,
        "num_sentences": num_sentences,
        "chrome": [{"kind": c.kind, "text": _safe(c.text), "position": c.position} for c in article.chrome],
        "ingested_at": now,
        **corpus,
    }
    inserted = _insert_new(conn, articles, ["id"]).values(**_storable(row)).returning(articles.c.id)
    if conn.execute(inserted).first() is None:  # (rowcount is -1 here on PostgreSQL: ask RETURNING)
        return -1  # stored meanwhile (another process or the API): nothing to add
    publishers = {(article.source, "num_published"), (article.attributed_source, "num_attributed")}
    for sid, field in sorted((s, f) for s, f in publishers if s):  # one lock order for every writer
        counts = {"num_published": 0, "num_attributed": 0, field: 1}
        values = {"id": sid, "first_seen": now, "last_seen": now, **counts}
        _upsert_count(conn, sources, "id", _storable(values), {field: 1})
    # one report per (event, sentence): the article is new, so none of its mentions exists yet
    reports: dict[tuple[str, int], Event] = {}
    for e in found:
        reports.setdefault((event_key(e), e.sentence_index), e)
    if not reports:
        return 0
    _count_actors(conn, reports.values(), now)
    ordered = sorted(reports.items(), key=lambda kv: kv[0])
    fresh = {eid: e for (eid, _), e in reversed(ordered)}  # the first report of each event
    conn.execute(
        _insert_new(conn, events, ["id"]),
        [_storable({"id": eid, "first_seen": now, **_event_values(e)}) for eid, e in sorted(fresh.items())],
    )
    conn.execute(
        _insert_new(conn, event_mentions, ["event_id", "article_id", "sentence_index"]),
        [_storable({"event_id": eid, **_mention_values(e)}) for (eid, _), e in ordered],
    )
    recount_events(conn, fresh, now)
    return len(reports)


_RECOUNT_BATCH = 2_000  # event ids per IN (...)


def recount_events(conn: Connection, event_ids: Iterable[str], now: dt.datetime) -> None:
    """``num_mentions``, ``num_articles`` and ``num_sources`` of these events from their stored
    mentions (in event-id order, so concurrent writers lock rows in one order).

    A source is the attributed origin of a report, else its publisher, else the article itself:
    syndicated rewrites crediting one origin count as one source."""
    origin = func.coalesce(articles.c.attributed_source, articles.c.source, articles.c.id)
    ids = sorted(set(event_ids))
    for start in range(0, len(ids), _RECOUNT_BATCH):
        tallies = conn.execute(
            select(
                event_mentions.c.event_id,
                func.count(),
                func.count(func.distinct(event_mentions.c.article_id)),
                func.count(func.distinct(origin)),
            )
            .select_from(event_mentions.join(articles, articles.c.id == event_mentions.c.article_id))
            .where(event_mentions.c.event_id.in_(ids[start : start + _RECOUNT_BATCH]))
            .group_by(event_mentions.c.event_id)
            .order_by(event_mentions.c.event_id)
        ).all()
        if tallies:
            conn.execute(
                update(events).where(events.c.id == bindparam("eid")),
                [
                    {"eid": eid, "num_mentions": m, "num_articles": a, "num_sources": n, "last_seen": now}
                    for eid, m, a, n in tallies
                ],
            )


def _storable(row: dict[str, Any]) -> dict[str, Any]:
    """Text values without NUL characters or lone surrogates, which PostgreSQL (and UTF-8) refuse."""
    return {k: _safe(v) if isinstance(v, str) else v for k, v in row.items()}


def _safe(value: str) -> str:
    if value.isascii():
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)
    return value.replace("\x00", "\ufffd")


def _count_actors(conn: Connection, reports: Iterable[Event], now: dt.datetime) -> None:
    seen: dict[str, tuple[Mention, int]] = {}
    for e in reports:
        for m in (e.source, e.target):
            if m is not None:
                first, n = seen.get(m.actor.code, (m, 0))
                seen[m.actor.code] = (first, n + 1)
    for code, (m, n) in sorted(seen.items()):  # one lock order for every writer: no deadlock cycle
        a = m.actor
        values = {"code": code, "name": a.name, "country": a.country, "type": a.type, "role": a.role,
                  "num_mentions": n, "first_seen": now}  # fmt: skip
        _upsert_count(conn, actors, "code", _storable(values), {"num_mentions": n})


def record_skip(engine: Engine, skip: Skip) -> None:
    values = {"origin": skip.origin, "code": skip.code, "message": skip.message}
    for attempt in range(_RETRIES):
        try:
            with engine.begin() as conn:
                now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
                conn.execute(insert(skips).values(**_storable(values), at=now))
            return
        except OperationalError as exc:
            if not _retryable(exc) or attempt + 1 == _RETRIES:
                raise DyadwatchError(
                    "E203", url=engine.url.render_as_string(), reason=_first_line(exc.orig)
                ) from None
            time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))


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
