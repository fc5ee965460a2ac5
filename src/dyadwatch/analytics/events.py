"""Events, their reports with highlighted spans, articles and stories, read back for analysts."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.engine import Connection, RowMapping

from dyadwatch.analytics.params import EventFilters, check_limit, conditions, iso
from dyadwatch.errors import DyadwatchError
from dyadwatch.store import query
from dyadwatch.store.database import articles, event_mentions, events

# --- events ---------------------------------------------------------------------------------------


def encode_cursor(day: dt.date | None, event_id: str) -> str:
    raw = json.dumps([day.isoformat() if day else None, event_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(value: str) -> tuple[dt.date | None, str]:
    try:
        day, event_id = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        if not isinstance(event_id, str) or not (day is None or isinstance(day, str)):
            raise ValueError(value)
        return (dt.date.fromisoformat(day) if day else None), event_id
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise DyadwatchError("E302", value=value, field="cursor") from None


def _after(day: dt.date | None, event_id: str) -> Any:
    """Rows after the cursor in the order (date descending, undated last; then id)."""
    if day is None:
        return and_(events.c.date.is_(None), events.c.id > event_id)
    return or_(
        events.c.date < day, and_(events.c.date == day, events.c.id > event_id), events.c.date.is_(None)
    )


def events_page(
    engine: Engine, filters: EventFilters | None = None, cursor: str | None = None, limit: int = 100
) -> dict[str, Any]:
    """One page of events, newest first (undated last, then by id), each with its first report.

    ``next_cursor`` is ``None`` on the last page; pass it back with the same filters for the next.
    Keyset pagination: pages neither repeat nor skip events when others are added meanwhile
    (new events sort into the pages already read or those still to come).
    """
    check_limit(limit)
    conds = conditions(filters or EventFilters())
    if cursor:
        conds.append(_after(*decode_cursor(cursor)))
    q = select(events).order_by(events.c.date.desc().nulls_last(), events.c.id).limit(limit + 1)
    if conds:
        q = q.where(*conds)
    with engine.connect() as conn:
        rows = [r._mapping for r in conn.execute(q)]
        page = rows[:limit]
        evidence = _first_mentions(conn, [r["id"] for r in page])
    more = len(rows) > limit
    return {
        "items": [_event(r, evidence.get(r["id"])) for r in page],
        "next_cursor": encode_cursor(page[-1]["date"], page[-1]["id"]) if more else None,
    }


def _first_mentions(conn: Connection, event_ids: list[str]) -> dict[str, RowMapping]:
    if not event_ids:
        return {}
    first = (
        select(func.min(event_mentions.c.id))
        .where(event_mentions.c.event_id.in_(event_ids))
        .group_by(event_mentions.c.event_id)
    )
    q = (
        select(event_mentions, articles.c.title, articles.c.attributed_source)
        .join(articles, articles.c.id == event_mentions.c.article_id)
        .where(event_mentions.c.id.in_(first))
    )
    return {r.event_id: r._mapping for r in conn.execute(q)}


def _actor(row: RowMapping, side: str, text: str | None) -> dict[str, Any] | None:
    if row[f"{side}_code"] is None:
        return None
    keys = ("code", "name", "country", "type", "role")
    return {"text": text, **{k: row[f"{side}_{k}"] for k in keys}}


def _location(row: RowMapping) -> dict[str, Any] | None:
    if row["location_name"] is None:
        return None
    keys = ("name", "country", "admin1", "lat", "lon", "precision", "geonames_id", "how")
    return {k: row[f"location_{k}"] for k in keys}


def _event(row: RowMapping, mention: RowMapping | None) -> dict[str, Any]:
    record = {
        "event_id": row["id"],
        "date": iso(row["date"]),
        "date_precision": row["date_precision"],
        "source": _actor(row, "source", mention["source_text"] if mention else None),
        "target": _actor(row, "target", mention["target_text"] if mention else None),
        **{k: row[k] for k in ("event_code", "root_code", "event_name", "quad_class", "goldstein", "plover")},
        **{k: row[k] for k in ("negated", "hypothetical", "num_mentions", "num_articles", "num_sources")},
        "location": _location(row),
    }
    if mention is not None:
        record["evidence"] = {
            "article_id": mention["article_id"],
            "title": mention["title"],
            "attributed_source": mention["attributed_source"],
            "sentence_index": mention["sentence_index"],
            "sentence": mention["sentence"],
            "trigger": mention["trigger"],
            "spans": mention["spans"],
            "confidence": round(mention["confidence"] or 0.0, 3),
            "hedged": bool(mention["hedged"]),
            "reported_by": mention["reported_by"],
        }
    return record


def highlights(sentence: str, spans: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The source, target and trigger spans of a report with their text, in sentence order."""
    out = []
    for role in ("source", "target", "trigger"):
        span = (spans or {}).get(role)
        if isinstance(span, list) and len(span) == 2 and 0 <= span[0] < span[1] <= len(sentence):
            out.append({"role": role, "start": span[0], "end": span[1], "text": sentence[span[0] : span[1]]})
    return sorted(out, key=lambda h: (h["start"], h["end"]))


def segments(sentence: str, marks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sentence cut into consecutive pieces, each highlighted by a role or plain (role None).

    Overlapping spans are clipped so the pieces concatenate back to the sentence exactly.
    """
    out: list[dict[str, Any]] = []
    pos = 0
    for mark in marks:
        start, end = max(mark["start"], pos), mark["end"]
        if start >= end:
            continue
        if start > pos:
            out.append({"text": sentence[pos:start], "role": None})
        out.append({"text": sentence[start:end], "role": mark["role"]})
        pos = end
    if pos < len(sentence):
        out.append({"text": sentence[pos:], "role": None})
    return out


def event_detail(engine: Engine, event_id: str) -> dict[str, Any]:
    """One event with every report of it: article, title, url, source, sentence and highlighted spans."""
    with engine.connect() as conn:
        row = conn.execute(select(events).where(events.c.id == event_id)).first()
    if row is None:
        raise DyadwatchError("E206", event_id=event_id)
    mentions = query.find_mentions(engine, event_id)
    for m in mentions:
        m["highlights"] = highlights(m["sentence"], m["spans"])
        m["segments"] = segments(m["sentence"], m["highlights"])
        m["confidence"] = round(m["confidence"] or 0.0, 3)
    record = _event(row._mapping, None)
    for side in ("source", "target"):
        if record[side] is not None and mentions:
            record[side]["text"] = mentions[0][f"{side}_text"]
    return {**record, "mentions": mentions}


# --- articles and stories -------------------------------------------------------------------------


def article(engine: Engine, article_id: str) -> dict[str, Any]:
    """A stored article (by id, else by the id it was submitted with) with the events read in it."""
    with engine.connect() as conn:
        row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
        if row is None:
            by_external = select(articles).where(articles.c.external_id == article_id)
            row = conn.execute(by_external.order_by(articles.c.ingested_at).limit(1)).first()
        if row is None:
            raise DyadwatchError("E304", article_id=article_id)
        found = conn.execute(
            select(
                event_mentions.c.event_id,
                event_mentions.c.sentence_index,
                event_mentions.c.sentence,
                event_mentions.c.trigger,
                event_mentions.c.confidence,
                *(events.c[k] for k in ("date", "event_code", "event_name", "quad_class", "goldstein")),
                *(events.c[k] for k in ("source_code", "target_code", "negated", "hypothetical")),
            )
            .join(events, events.c.id == event_mentions.c.event_id)
            .where(event_mentions.c.article_id == row.id)
            .order_by(event_mentions.c.sentence_index, event_mentions.c.id)
        ).all()
    record = {k: v for k, v in row._mapping.items()}
    record["published"] = iso(record["published"])
    stamp = record["ingested_at"]  # stored as naive UTC
    record["ingested_at"] = stamp.replace(tzinfo=dt.UTC).isoformat() if stamp else None
    mentions = []
    for m in found:
        item = dict(m._mapping)
        item["date"] = iso(item["date"])
        item["confidence"] = round(item["confidence"] or 0.0, 3)
        mentions.append(item)
    return {**record, "events": mentions}


def stories(engine: Engine, limit: int = 100) -> list[dict[str, Any]]:
    """Stories, largest and latest first, with their member articles (:func:`query.find_stories`)."""
    return query.find_stories(engine, limit=check_limit(limit))
