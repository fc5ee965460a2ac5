"""Articles and events to JSON and back, so they cross from the executors to the driver and into Parquet.

Every field a later stage reads survives the round trip (spans, flags, place, pattern); ``Event.extra``
holds nothing the store keeps and is dropped.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from dyadwatch.records import Actor, Article, Chrome, Event, Location, Mention, Trigger


def _mention(m: Mention) -> dict[str, Any]:
    a = m.actor
    return {"text": m.text, "start": m.start, "end": m.end, "affiliation": m.affiliation,
            "actor": [a.code, a.name, a.country, a.type, a.role]}  # fmt: skip


def _unmention(d: dict[str, Any]) -> Mention:
    return Mention(d["text"], d["start"], d["end"], Actor(*d["actor"]), d["affiliation"])


def event_to_dict(e: Event) -> dict[str, Any]:
    return {
        "article_id": e.article_id,
        "doc_id": e.doc_id,
        "sentence_index": e.sentence_index,
        "sentence": e.sentence,
        "source": _mention(e.source),
        "target": _mention(e.target) if e.target else None,
        "event_code": e.event_code,
        "root_code": e.root_code,
        "event_name": e.event_name,
        "quad_class": e.quad_class,
        "goldstein": e.goldstein,
        "plover": e.plover,
        "trigger": [e.trigger.text, e.trigger.start, e.trigger.end],
        "confidence": e.confidence,
        "date": e.date.isoformat() if e.date else None,
        "date_precision": e.date_precision,
        "location": e.location.to_record() if e.location else None,
        "negated": e.negated,
        "hedged": e.hedged,
        "future": e.future,
        "hypothetical": e.hypothetical,
        "reported_by": e.reported_by,
        "pattern": e.pattern,
    }


def event_from_dict(d: dict[str, Any]) -> Event:
    return Event(
        article_id=d["article_id"],
        doc_id=d["doc_id"],
        sentence_index=d["sentence_index"],
        sentence=d["sentence"],
        source=_unmention(d["source"]),
        target=_unmention(d["target"]) if d["target"] else None,
        event_code=d["event_code"],
        root_code=d["root_code"],
        event_name=d["event_name"],
        quad_class=d["quad_class"],
        goldstein=d["goldstein"],
        plover=d["plover"],
        trigger=Trigger(*d["trigger"]),
        confidence=d["confidence"],
        date=dt.date.fromisoformat(d["date"]) if d["date"] else None,
        date_precision=d["date_precision"],
        location=Location(**d["location"]) if d["location"] else None,
        negated=d["negated"],
        hedged=d["hedged"],
        future=d["future"],
        hypothetical=d["hypothetical"],
        reported_by=d["reported_by"],
        pattern=d["pattern"],
    )


def events_to_json(found: list[Event]) -> str:
    return json.dumps([event_to_dict(e) for e in found], ensure_ascii=False)


def events_from_json(text: str | None) -> list[Event]:
    return [event_from_dict(d) for d in json.loads(text or "[]")]


def chrome_to_json(article: Article) -> str:
    return json.dumps([{"kind": c.kind, "text": c.text, "position": c.position} for c in article.chrome],
                      ensure_ascii=False)  # fmt: skip


def chrome_from_json(text: str | None) -> tuple[Chrome, ...]:
    return tuple(Chrome(c["kind"], c["text"], c["position"]) for c in json.loads(text or "[]"))
