"""Corpus state while ingesting: duplicate groups and stories for each new article.

Glue between :mod:`dyadwatch.corpus.dedup`, :mod:`dyadwatch.corpus.stories` and :mod:`dyadwatch.store.database`: for a
batch of coded articles it computes signatures, decides each article's duplicate group and story in
arrival order, and hands the store what to write in the article's own transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, Engine, select

from dyadwatch.corpus import stories
from dyadwatch.corpus.dedup import DuplicateIndex, Embedder, Match, Signature, signatures, syndication
from dyadwatch.records import Article, Event, Location
from dyadwatch.store.database import article_signatures, articles, event_mentions, events

_LOCATION_KEYS = ("name", "country", "admin1", "lat", "lon", "precision", "geonames_id", "how")


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a new article goes: its duplicate match, its story, and the rows that say so."""

    signature: Signature
    match: Match
    story_id: str
    day: dt.date | None
    article_fields: Mapping[str, Any]
    signature_row: Mapping[str, Any]

    def after(self) -> Callable[[Connection], None]:
        story_id = self.story_id

        def write_story(conn: Connection) -> None:
            stories.write(conn, story_id, dt.datetime.now(dt.UTC).replace(tzinfo=None))

        return write_story


@dataclass
class Corpus:
    """In-memory duplicate and story indexes, kept in step with one database."""

    embedder: Embedder
    dups: DuplicateIndex = field(default_factory=DuplicateIndex)
    stories: stories.StoryIndex = field(default_factory=stories.StoryIndex)

    def sync(self, engine: Engine) -> int:
        """Load the signatures stored since the last sync (by this or another process)."""
        with engine.connect() as conn:
            stored = set(conn.scalars(select(article_signatures.c.article_id)))
        if stored <= set(self.dups.groups):
            return 0
        rows = stories.load(engine)
        added = 0
        for sig, group, story_id, day in rows:
            if sig.article_id in self.dups.groups:
                continue
            self.dups.add(sig, group)
            self.stories.add(story_id, sig, day)
            added += 1
        return added

    def sign(self, coded: Sequence[tuple[Article, Sequence[Event]]]) -> list[Signature]:
        """Signatures of a batch (one embedding batch); then :meth:`place` each one in order."""
        return signatures(self.embedder, coded)

    def place(self, article: Article, sig: Signature) -> Placement:
        """Decide one article's group and story against everything committed before it."""
        match = self.dups.match(sig)
        story_id = self.stories.assign(sig, match, article.published)
        fields = {
            "dup_group": match.group,
            "dup_kind": match.kind,
            "dup_of": match.of,
            "dup_score": match.score,
            "syndication": syndication(article),
            "story_id": story_id,
        }
        row = {
            "minhash": sig.minhash_bytes(),
            "embedding": sig.embedding_bytes(),
            "num_shingles": sig.num_shingles,
            "actors": sorted(sig.actors),
        }
        return Placement(sig, match, story_id, article.published, fields, row)

    def align(self, engine: Engine, placed: Placement, found: Sequence[Event]) -> list[Event]:
        """A copy's events dated only by its own publication date take the date the same event
        already has in its duplicate group, so a rewrite published a day later reports the same
        event instead of creating a second one (GDELT's duplicate-event complaint)."""
        if placed.match.kind == "original" or not any(e.date_precision is None for e in found):
            return list(found)
        key = (events.c.source_code, events.c.target_code, events.c.event_code, events.c.negated,
               events.c.hypothetical)  # fmt: skip
        place = [events.c[f"location_{k}"] for k in _LOCATION_KEYS]
        with engine.connect() as conn:
            rows = conn.execute(
                select(*key, events.c.date, *place)
                .join(event_mentions, event_mentions.c.event_id == events.c.id)
                .join(articles, articles.c.id == event_mentions.c.article_id)
                .where(articles.c.dup_group == placed.match.group)
                .order_by(events.c.first_seen, events.c.id)
            ).all()
        known: dict[tuple[Any, ...], Any] = {}
        for r in rows:
            known.setdefault(tuple(r[:5]), r)  # the group's first report of it
        out = []
        for e in found:
            target = e.target.actor.code if e.target else None
            row = known.get((e.source.actor.code, target, e.event_code, e.negated, e.hypothetical))
            if e.date_precision is not None or row is None:
                out.append(e)
                continue
            loc = dict(zip(_LOCATION_KEYS, row[6:], strict=True))
            tied = Location(**loc) if loc["name"] is not None and loc["how"] == "tied" else None
            keep = e.location if e.location is not None and e.location.how == "tied" else tied or e.location
            out.append(replace(e, date=row[5], location=keep))
        return out

    def commit(self, placed: Placement) -> None:
        """After the article's transaction committed: later articles of the run can match it."""
        self.dups.add(placed.signature, placed.match.group)
        self.stories.add(placed.story_id, placed.signature, placed.day)
