"""Corpus state while ingesting: duplicate groups and stories for each new article.

Glue between :mod:`dyadwatch.dedup`, :mod:`dyadwatch.stories` and :mod:`dyadwatch.store`: for a
batch of coded articles it computes signatures, decides each article's duplicate group and story in
arrival order, and hands the store what to write in the article's own transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, select

from . import stories
from .dedup import DuplicateIndex, Embedder, Match, Signature, signatures, syndication
from .records import Article, Event
from .store import article_signatures


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

    def commit(self, placed: Placement) -> None:
        """After the article's transaction committed: later articles of the run can match it."""
        self.dups.add(placed.signature, placed.match.group)
        self.stories.add(placed.story_id, placed.signature, placed.day)
