"""Stage 8 — query: events and dyad summaries read back from the store."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select

from dyadwatch.errors import DyadwatchError
from dyadwatch.store.database import articles, event_mentions, events, stories


def parse_dyad(value: str) -> tuple[str, str]:
    parts = [p.strip().upper() for p in value.split("-")]
    if len(parts) != 2 or not all(parts):
        raise DyadwatchError("E202", value=value)
    return parts[0], parts[1]


def parse_day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DyadwatchError("E201", value=value) from None


def _side(side: str, code: str) -> Any:
    col_code, col_country = events.c[f"{side}_code"], events.c[f"{side}_country"]
    return or_(col_code == code, col_country == code, col_code.startswith(code))


def find_events(
    engine: Engine,
    actor: str | None = None,
    dyad: str | None = None,
    since: str | None = None,
    until: str | None = None,
    include_negated: bool = False,
    limit: int | None = None,
    min_sources: int | None = None,
) -> list[dict[str, Any]]:
    """Events (one per line, with their first report as provenance), newest first."""
    first = (
        select(event_mentions.c.event_id, func.min(event_mentions.c.id).label("mid"))
        .group_by(event_mentions.c.event_id)
        .subquery()
    )
    q = (
        select(events, event_mentions, articles.c.published, articles.c.attributed_source)
        .join(first, first.c.event_id == events.c.id)
        .join(event_mentions, event_mentions.c.id == first.c.mid)
        .join(articles, articles.c.id == event_mentions.c.article_id)
    )
    conds = []
    if actor:
        code = actor.strip().upper()
        conds.append(or_(_side("source", code), _side("target", code)))
    if dyad:
        a, b = parse_dyad(dyad)
        conds.append(
            or_(and_(_side("source", a), _side("target", b)), and_(_side("source", b), _side("target", a)))
        )
    if since:
        conds.append(events.c.date >= parse_day(since))
    if until:
        conds.append(events.c.date <= parse_day(until))
    if min_sources:
        conds.append(events.c.num_sources >= min_sources)
    if not include_negated:  # negated and hypothetical events are kept but not listed or counted
        conds.append(events.c.negated.is_(False))
        conds.append(events.c.hypothetical.is_(False))
    if conds:
        q = q.where(and_(*conds))
    q = q.order_by(events.c.date.desc(), event_mentions.c.article_id, event_mentions.c.sentence_index)
    if limit:
        q = q.limit(limit)
    with engine.connect() as conn:
        return [_record(row._mapping) for row in conn.execute(q)]


def _actor(row: Any, side: str) -> dict[str, Any] | None:
    if row[f"{side}_code"] is None:
        return None
    return {
        "text": row[f"{side}_text"],
        "name": row[f"{side}_name"],
        "code": row[f"{side}_code"],
        "country": row[f"{side}_country"],
        "type": row[f"{side}_type"],
        "role": row[f"{side}_role"],
    }


def _location(row: Any) -> dict[str, Any] | None:
    if row["location_name"] is None:
        return None
    keys = ("name", "country", "admin1", "lat", "lon", "precision", "geonames_id", "how")
    return {k: row[f"location_{k}"] for k in keys}


def _record(row: Any) -> dict[str, Any]:
    return {
        "event_id": row["event_id"],
        "doc_id": row["article_id"],
        "sentence_index": row["sentence_index"],
        "sentence": row["sentence"],
        "source": _actor(row, "source"),
        "target": _actor(row, "target"),
        "event_code": row["event_code"],
        "root_code": row["root_code"],
        "event_name": row["event_name"],
        "quad_class": row["quad_class"],
        "goldstein": row["goldstein"],
        "plover": row["plover"],
        "trigger": row["trigger"],
        "confidence": round(row["confidence"], 3),
        "spans": row["spans"],
        "date": row["date"].isoformat() if row["date"] else None,
        "date_precision": row["date_precision"],
        "location": _location(row),
        "negated": row["negated"],
        "hedged": row["hedged"],
        "future": row["future"],
        "hypothetical": row["hypothetical"],
        "reported_by": row["reported_by"],
        "num_mentions": row["num_mentions"],
        "num_articles": row["num_articles"],
        "num_sources": row["num_sources"],
        "attributed_source": row["attributed_source"],
    }


def find_mentions(engine: Engine, event_id: str) -> list[dict[str, Any]]:
    """Every report of one event: article, sentence, spans, confidence and flags."""
    q = (
        select(
            event_mentions,
            articles.c.title,
            articles.c.url,
            articles.c.source,
            articles.c.attributed_source,
            articles.c.published,
            articles.c.origin,
        )
        .join(articles, articles.c.id == event_mentions.c.article_id)
        .where(event_mentions.c.event_id == event_id)
        .order_by(articles.c.published, event_mentions.c.article_id, event_mentions.c.sentence_index)
    )
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(q)]
    for r in rows:
        r.pop("id", None)
        r["published"] = r["published"].isoformat() if r["published"] else None
    return rows


def _dyad_end(actor: dict[str, Any] | None) -> str | None:
    """Countries by ISO3; organisations by code and name; bare agents are not dyad ends."""
    if actor is None or actor["type"] == "agent":
        return None
    if actor["country"] and actor["type"] in ("state", "agent", "person"):
        return str(actor["country"])
    return f"{actor['code']} ({actor['name']})"


def dyad_summary(engine: Engine, **filters: Any) -> list[dict[str, Any]]:
    """Directed dyads (source country/code → target country/code) with counts per QuadClass."""
    rows = find_events(engine, **filters)
    table: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"events": 0, "mentions": 0, "quad": [0, 0, 0, 0], "goldstein": 0.0}
    )
    for r in rows:
        ends = [_dyad_end(r["source"]), _dyad_end(r["target"])]
        if ends[0] is None or ends[1] is None:
            continue  # a bare agent ("protesters") or no target: not a dyad
        key = (ends[0], ends[1])
        cell = table[key]
        cell["events"] += 1
        cell["mentions"] += r["num_mentions"]
        cell["quad"][r["quad_class"] - 1] += 1
        cell["goldstein"] += r["goldstein"]
    out = []
    for (src, tgt), cell in table.items():
        out.append(
            {
                "source": src,
                "target": tgt,
                "events": cell["events"],
                "mentions": cell["mentions"],
                "verbal_coop": cell["quad"][0],
                "material_coop": cell["quad"][1],
                "verbal_conflict": cell["quad"][2],
                "material_conflict": cell["quad"][3],
                "mean_goldstein": round(cell["goldstein"] / cell["events"], 2),
            }
        )
    return sorted(out, key=lambda d: (-d["events"], d["source"], d["target"]))


def find_stories(engine: Engine, limit: int = 100) -> list[dict[str, Any]]:
    """Stories, largest and latest first, each with its member articles (earliest first)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(stories)
            .order_by(stories.c.num_articles.desc(), stories.c.last_date.desc(), stories.c.id)
            .limit(limit)
        ).all()
        ids = [r.id for r in rows]
        members = conn.execute(
            select(articles.c.story_id, articles.c.id, articles.c.title, articles.c.published,
                   articles.c.dup_kind, articles.c.origin)
            .where(articles.c.story_id.in_(ids))
            .order_by(articles.c.published, articles.c.ingested_at, articles.c.id)
        ).all()  # fmt: skip
    by_story: dict[str, list[Any]] = defaultdict(list)
    for m in members:
        by_story[m.story_id].append(m)
    out = []
    for r in rows:
        mine = by_story[r.id]
        out.append(
            {
                "story_id": r.id,
                "label": r.label,
                "headline": next((m.title for m in mine if m.title), None),
                "first_date": r.first_date.isoformat() if r.first_date else None,
                "last_date": r.last_date.isoformat() if r.last_date else None,
                "num_articles": r.num_articles,
                "top_actors": r.top_actors or [],
                "event_type": r.event_type,
                "article_ids": [m.id for m in mine],
                "articles": [_member(m) for m in mine],
            }
        )
    return out


def _member(m: Any) -> dict[str, Any]:
    published = m.published.isoformat() if m.published else None
    return {"id": m.id, "title": m.title, "published": published, "dup_kind": m.dup_kind, "origin": m.origin}


def find_duplicates(engine: Engine) -> list[dict[str, Any]]:
    """Duplicate groups with more than one article: members, how each matched, syndication signals."""
    with engine.connect() as conn:
        multi = select(articles.c.dup_group).group_by(articles.c.dup_group).having(func.count() > 1)
        rows = conn.execute(
            select(articles.c.dup_group, articles.c.id, articles.c.title, articles.c.origin,
                   articles.c.attributed_source, articles.c.dup_kind, articles.c.dup_of,
                   articles.c.dup_score, articles.c.syndication, articles.c.published)
            .where(articles.c.dup_group.in_(multi))
            .order_by(articles.c.dup_group, articles.c.ingested_at, articles.c.id)
        ).all()  # fmt: skip
    groups: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        groups[r.dup_group].append(r)
    out = []
    for gid, members in groups.items():
        out.append(
            {
                "group_id": gid,
                "copy_count": len(members) - 1,
                "articles": [
                    {
                        "id": m.id,
                        "title": m.title,
                        "origin": m.origin,
                        "published": m.published.isoformat() if m.published else None,
                        "kind": m.dup_kind,
                        "of": m.dup_of,
                        "score": m.dup_score,
                        "signals": m.syndication or {},
                    }
                    for m in members
                ],
            }
        )
    return sorted(out, key=lambda g: (-g["copy_count"], g["group_id"]))
