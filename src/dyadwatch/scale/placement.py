"""Duplicate groups across the archive: candidates found by Spark, decided by the corpus's own rules.

1. **exact** copies share the content-hash id; the job keeps the first by input order (as
   ``dyadwatch ingest`` keeps the first and counts the rest as known);
2. **near-copy candidates**: the banded MinHash join — two articles are candidates when all the
   hash values of one LSH band agree, the very condition under which the single-machine
   ``datasketch.MinHashLSH`` (same bands, from the same threshold and permutations) returns one for
   the other; as a Spark equi-join on (band, values) copies in different partitions meet;
3. **rewrite candidates**: lead embeddings compared block by block (a Spark cartesian product of
   blocks, one matrix product per pair of blocks in the executors), keeping pairs whose cosine comes
   within :data:`COSINE_SLACK` of :data:`~dyadwatch.corpus.dedup.REWRITE_COSINE`;
4. **decision**: the articles with any candidate are replayed in input order through the corpus's
   own :class:`~dyadwatch.corpus.dedup.DuplicateIndex` (near, then rewrite, best earlier match), and
   a copy's undated events take the date and place its group already has, as
   :meth:`Corpus.align <dyadwatch.corpus.index.Corpus.align>` does. Articles without a candidate
   can match nothing and nothing matches them: each is the original of its own group.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np

from dyadwatch.corpus.dedup import REWRITE_COSINE, DuplicateIndex, Signature
from dyadwatch.records import Event
from dyadwatch.scale.serial import events_from_json, events_to_json
from dyadwatch.store.database import event_key

COSINE_SLACK = 1e-3  # float32 sums in another order: keep candidates a hair below the threshold
BLOCK = 2048  # embeddings per block of the rewrite comparison


@cache
def bands() -> tuple[tuple[int, int], ...]:
    """The LSH bands of the single-machine index (from its threshold and number of permutations)."""
    return tuple(DuplicateIndex().lsh.hashranges)


def band_keys(minhash: bytes) -> Iterator[tuple[int, bytes]]:
    """(band, hash values of the band) for each band of one article's MinHash."""
    values = np.frombuffer(minhash, dtype="<u4")
    for i, (start, end) in enumerate(bands()):
        yield i, values[start:end].tobytes()


def bucket_pairs(orders: Iterable[int]) -> Iterator[tuple[int, int]]:
    """Every pair of the articles sharing one band's values (earlier first)."""
    members = sorted(set(orders))
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            yield a, b


def block_of(order_rank: int) -> int:
    return order_rank // BLOCK


def block_pairs(
    left: tuple[int, list[tuple[int, bytes]]], right: tuple[int, list[tuple[int, bytes]]]
) -> Iterator[tuple[int, int]]:
    """Pairs of articles of two blocks whose lead embeddings are close enough to be rewrites."""
    (lb, lrows), (rb, rrows) = left, right
    if lb > rb:
        return
    a = np.vstack([np.frombuffer(e, dtype="<f4") for _, e in lrows])
    b = np.vstack([np.frombuffer(e, dtype="<f4") for _, e in rrows])
    cos = a @ b.T
    for i, j in zip(*np.nonzero(cos >= REWRITE_COSINE - COSINE_SLACK), strict=True):
        x, y = lrows[int(i)][0], rrows[int(j)][0]
        if x < y:
            yield x, y
        elif y < x and lb != rb:
            yield y, x


@dataclass(frozen=True, slots=True)
class Placed:
    """An article's duplicate group and how it matched; ``events`` set when alignment changed them."""

    group: str
    kind: str
    of: str | None
    score: float
    events: str | None = None


def _key(e: Event) -> tuple[Any, ...]:
    return (e.source.actor.code, e.target.actor.code if e.target else None, e.event_code, e.negated,
            e.hypothetical)  # fmt: skip


def align(found: list[Event], known_events: dict[str, Event], first: dict[str, int]) -> list[Event]:
    """A copy's events dated only by publication take the date (and tied place) the group has for them.

    The same rule as :meth:`dyadwatch.corpus.index.Corpus.align`, over the group's events in memory
    ordered as the store orders them (first seen, then id).
    """
    if not any(e.date_precision is None for e in found):
        return found
    known: dict[tuple[Any, ...], Event] = {}
    for eid in sorted(known_events, key=lambda i: (first.get(i, math.inf), i)):
        known.setdefault(_key(known_events[eid]), known_events[eid])
    out = []
    for e in found:
        row = known.get(_key(e))
        if e.date_precision is not None or row is None:
            out.append(e)
            continue
        tied = row.location if row.location is not None and row.location.how == "tied" else None
        keep = e.location if e.location is not None and e.location.how == "tied" else tied or e.location
        out.append(replace(e, date=row.date, location=keep))
    return out


def replay(rows: Iterable[dict[str, Any]], first: dict[str, int]) -> dict[int, Placed]:
    """Decide the groups of the articles with candidates, in input order (``rows`` may come in any order).

    ``first`` maps event ids to the input order of their first report among the articles not
    replayed here; it is extended with the replayed ones as they are decided.
    """
    dups = DuplicateIndex()
    group_events: dict[str, dict[str, Event]] = {}
    out: dict[int, Placed] = {}
    for row in sorted(rows, key=lambda r: int(r["order"])):
        order = int(row["order"])
        sig = Signature.from_stored(row["id"], row["minhash"], row["embedding"], row["num_shingles"],
                                    row["actors"], row["attributed_source"])  # fmt: skip
        match = dups.match(sig)
        found = events_from_json(row["events"])
        changed = None
        if match.kind != "original":
            aligned = align(found, group_events.get(match.group, {}), first)
            if aligned != found:
                changed, found = events_to_json(aligned), aligned
        dups.add(sig, match.group)
        members = group_events.setdefault(match.group, {})
        for e in found:
            eid = event_key(e)
            first[eid] = min(first.get(eid, order), order)
            members.setdefault(eid, e)
        out[order] = Placed(match.group, match.kind, match.of, match.score, changed)
    return out
