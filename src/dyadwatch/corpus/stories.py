"""Stage 7b — stories: articles about the same thing, clustered as they arrive.

An article joins a story, in this order:

1. the story of the earlier article it duplicates (a copy or rewrite is always the same story);
2. else the story whose centroid (mean lead embedding of its members) is closest, when the
   article's date falls within :data:`WINDOW_DAYS` of the story's date range and either they share
   an actor and the cosine reaches :data:`STORY_COSINE`, or the cosine alone reaches
   :data:`STORY_COSINE_ALONE`;
3. else it starts a new story whose id derives from its own id (stable across runs).

Each story's row (centroid, size, date range, top actors, dominant event type and label) is
rewritten in the transaction that stores the article, so the stories are always up to date and a
killed run leaves no half-updated story.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from sqlalchemy import Connection, Engine, insert, select, update

from dyadwatch.corpus.dedup import EMBED_DIM, Match, Signature
from dyadwatch.datafiles import load_codebook, load_countries, load_organisations
from dyadwatch.store.database import article_signatures, articles, event_mentions, events, stories

WINDOW_DAYS = 7
STORY_COSINE = 0.65
STORY_COSINE_ALONE = 0.78
TOP_ACTORS = 4


@dataclass(slots=True)
class _Story:
    id: str
    total: np.ndarray  # sum of member embeddings
    size: int
    first: dt.date | None
    last: dt.date | None
    actors: Counter[str] = field(default_factory=Counter)

    def cosine(self, vector: np.ndarray) -> float:
        norm = float(np.linalg.norm(self.total))
        return float(self.total @ vector) / norm if norm else 0.0

    def in_window(self, day: dt.date | None) -> bool:
        if day is None or self.first is None or self.last is None:
            return True
        pad = dt.timedelta(days=WINDOW_DAYS)
        return self.first - pad <= day <= self.last + pad


@dataclass
class StoryIndex:
    """Stories and their members, in memory; updated only after the article's commit."""

    stories: dict[str, _Story] = field(default_factory=dict)
    member_of: dict[str, str] = field(default_factory=dict)

    def assign(self, sig: Signature, match: Match, day: dt.date | None) -> str:
        if match.of is not None and match.of in self.member_of:
            return self.member_of[match.of]
        best: tuple[float, str] | None = None
        for story in self.stories.values():
            if not story.in_window(day):
                continue
            cos = story.cosine(sig.embedding)
            shared = bool(sig.actors & set(story.actors))
            if (cos >= STORY_COSINE and shared) or cos >= STORY_COSINE_ALONE:
                candidate = (round(cos, 4), story.id)
                best = candidate if best is None or candidate > best else best
        return best[1] if best else "st-" + sig.article_id

    def add(self, story_id: str, sig: Signature, day: dt.date | None) -> None:
        if sig.article_id in self.member_of:
            return
        story = self.stories.get(story_id)
        if story is None:
            story = _Story(story_id, np.zeros(EMBED_DIM, dtype=np.float64), 0, None, None)
            self.stories[story_id] = story
        story.total = story.total + sig.embedding
        story.size += 1
        story.actors.update(sig.actors)
        if day is not None:
            story.first = min(story.first or day, day)
            story.last = max(story.last or day, day)
        self.member_of[sig.article_id] = story_id


@cache
def _root_names() -> dict[str, str]:
    return {code: entry.name for code, entry in load_codebook().items() if len(code) == 2}


@cache
def _actor_names() -> dict[str, str]:
    """Short display names: countries by name, organisations by their first acronym (ECOWAS)."""
    names = {c.iso3: c.name for c in load_countries()}
    for org in load_organisations():
        short = [a for a in org.aliases if a.isupper() and 2 <= len(a) <= 10]
        compact = org.name if len(org.name) <= 12 or not short else short[0]  # the first listed acronym
        names.setdefault(org.code, compact)
    return names


def write(conn: Connection, story_id: str, now: dt.datetime) -> None:
    """Recompute one story's row from its member articles (run inside the article's transaction)."""
    members = conn.execute(
        select(articles.c.id, articles.c.published, article_signatures.c.embedding)
        .join(article_signatures, article_signatures.c.article_id == articles.c.id)
        .where(articles.c.story_id == story_id)
    ).all()
    days = sorted(m.published for m in members if m.published is not None)
    total = np.zeros(EMBED_DIM, dtype=np.float64)
    for m in members:
        total += np.frombuffer(m.embedding, dtype="<f4")
    centroid = (total / max(len(members), 1)).astype("<f4").tobytes()
    rows = conn.execute(
        select(events.c.source_country, events.c.source_code, events.c.source_type,
               events.c.target_country, events.c.target_code, events.c.target_type, events.c.root_code)
        .join(event_mentions, event_mentions.c.event_id == events.c.id)
        .join(articles, articles.c.id == event_mentions.c.article_id)
        .where(articles.c.story_id == story_id, events.c.negated.is_(False), events.c.hypothetical.is_(False))
    ).all()  # fmt: skip
    actors: Counter[str] = Counter()
    roots: Counter[str] = Counter()
    for r in rows:
        roots[r.root_code] += 1
        for country, code, kind in ((r[0], r[1], r[2]), (r[3], r[4], r[5])):
            if code and kind != "agent":
                actors[country or code] += 1
    top = [a for a, _ in sorted(actors.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_ACTORS]]
    root = min(roots.items(), key=lambda kv: (-kv[1], kv[0]))[0] if roots else None
    event_type = f"{root} {_root_names().get(root, '')}".strip() if root else None
    values = {
        "label": label(top, event_type, days[0] if days else None, days[-1] if days else None),
        "first_date": days[0] if days else None,
        "last_date": days[-1] if days else None,
        "num_articles": len(members),
        "top_actors": top,
        "event_type": event_type,
        "centroid": centroid,
        "updated_at": now,
    }
    done = conn.execute(update(stories).where(stories.c.id == story_id).values(**values))
    if done.rowcount == 0:
        conn.execute(insert(stories).values(id=story_id, **values))


def label(top: list[str], event_type: str | None, first: dt.date | None, last: dt.date | None) -> str:
    """'Mali, Russia · 07 Provide aid · 2023-05-02…2023-05-03' (unknown parts are left out)."""
    names = _actor_names()
    parts = [", ".join(names.get(code, code) for code in top[:3]) if top else "no coded actors"]
    if event_type:
        parts.append(event_type)
    if first and last:
        parts.append(first.isoformat() if first == last else f"{first.isoformat()}…{last.isoformat()}")
    return " · ".join(parts)


def load(engine: Engine) -> list[tuple[Signature, str, str, dt.date | None]]:
    """Stored signatures with each article's duplicate group, story and date, in ingest order."""
    out = []
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                article_signatures,
                articles.c.dup_group,
                articles.c.story_id,
                articles.c.published,
                articles.c.attributed_source,
            )
            .join(articles, articles.c.id == article_signatures.c.article_id)
            .order_by(articles.c.ingested_at, articles.c.id)
        ).all()
    for r in rows:
        sig = Signature.from_stored(r.article_id, r.minhash, r.embedding, r.num_shingles, r.actors or [],
                              r.attributed_source)  # fmt: skip
        out.append((sig, r.dup_group or r.article_id, r.story_id or "st-" + r.article_id, r.published))
    return out
