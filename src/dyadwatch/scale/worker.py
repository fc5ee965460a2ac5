"""What runs inside the executors: read, clean, code, geolocate and sign, one pipeline per Python worker.

Nothing here imports PySpark: the functions take and return plain Python values, so Spark ships them
to its Python workers and the tests can call them directly. The pipeline (spaCy model, dictionaries,
gazetteer and the sentence-embedding weights, all from installed packages) is loaded on a worker's
first task and kept for every later task of that worker (Spark reuses its Python workers).
An article that raises while being cleaned or coded becomes a ``Skip`` (E110); the job goes on.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from dyadwatch.corpus.dedup import shared_embedder, signatures, syndication
from dyadwatch.errors import DyadwatchError
from dyadwatch.ingest.readers import _from_bytes, _record, decode
from dyadwatch.records import Article, Document, Skip
from dyadwatch.scale.serial import chrome_to_json, events_to_json
from dyadwatch.settings import Settings

if TYPE_CHECKING:
    from dyadwatch.pipeline import Pipeline

Item = Document | Skip
CHUNK = 16  # articles per nlp.pipe batch, as `dyadwatch ingest` codes them

_PIPELINES: dict[Settings, Pipeline] = {}


def pipeline(settings: Settings) -> Pipeline:
    """This Python worker's pipeline, loaded on first use."""
    found = _PIPELINES.get(settings)
    if found is None:
        from dyadwatch.pipeline import Pipeline  # spaCy, torch: only in workers that code

        started = time.monotonic()
        found = _PIPELINES[settings] = Pipeline(settings)
        shared_embedder().encode(["warm-up"])  # the weights too, once
        took = time.monotonic() - started
        print(f"dyadwatch: pipeline loaded in Python worker {os.getpid()} ({took:.1f} s)", file=sys.stderr)
    return found


def failed(origin: str, stage: str, exc: BaseException) -> Skip:
    reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:200]
    return Skip(origin, "E110", DyadwatchError("E110", origin=origin, stage=stage, reason=reason).message)


def read_file(order: int, origin: str, data: bytes, settings: Settings) -> Iterator[tuple[int, Item]]:
    """The documents of one file as ``dyadwatch ingest`` reads them; ``order`` is the file's first slot."""
    suffix = PurePosixPath(origin).suffix.lower()
    try:
        for n, item in enumerate(_from_bytes(data, origin, suffix, settings)):
            yield order + n, item
    except Exception as exc:  # a reader bug on one file never fails the job
        yield order, failed(origin, "reading", exc)


def read_record(order: int, origin: str, fields: dict[str, Any]) -> tuple[int, Item]:
    """One row of a Parquet archive (columns ``id``, ``text``, ``title``, ``url``, ``date``, ``source``)."""
    text = fields.get("text")
    if isinstance(text, bytearray):  # how Spark hands over a binary column
        text = bytes(text)
    raw = (
        text if isinstance(text, bytes) else text.encode("utf-8", "replace") if isinstance(text, str) else b""
    )
    if raw.strip():  # binary content (a NUL, a file signature, control characters) as ingest decides it
        decoded, _notes = decode(raw)
        if decoded is None:
            return order, Skip(origin, "E103", DyadwatchError("E103", origin=origin).message)
        fields = {**fields, "text": decoded}
    return order, _record(fields, origin, ())


def clean_partition(
    items: Iterable[tuple[int, Item]], settings: Settings
) -> Iterator[tuple[int, Article | Skip]]:
    """Clean every document of a partition (trafilatura for HTML, chrome out, language check)."""
    pipe: Pipeline | None = None
    for order, item in items:
        if isinstance(item, Skip):
            yield order, item
            continue
        pipe = pipe or pipeline(settings)
        try:
            yield order, pipe.clean(item)
        except Exception as exc:
            yield order, failed(item.origin, "cleaning", exc)


def code_partition(items: Iterable[tuple[int, Article]], settings: Settings) -> Iterator[dict[str, Any]]:
    """Code, geolocate and sign the articles of a partition, 16 at a time; one row per article or skip."""
    it = iter(items)
    while batch := list(islice(it, CHUNK)):
        pipe = pipeline(settings)
        try:
            yield from _code_batch(pipe, batch)
        except Exception:  # find the article at fault: code the batch one by one
            for order, article in batch:
                try:
                    yield from _code_batch(pipe, [(order, article)])
                except Exception as exc:
                    skip = failed(article.origin, "coding", exc)
                    yield skip_row(order, skip)


def _code_batch(pipe: Pipeline, batch: list[tuple[int, Article]]) -> Iterator[dict[str, Any]]:
    coded = list(pipe.code_articles([a for _, a in batch], chunk=CHUNK))
    sigs = signatures(shared_embedder(), [(c.article, c.events) for c in coded])
    for (order, _), c, sig in zip(batch, coded, sigs, strict=True):
        a = c.article
        yield {
            "kind": "article",
            "order": order,
            "id": a.id,
            "origin": a.origin,
            "external_id": a.external_id,
            "title": a.title,
            "url": a.url,
            "source": a.source,
            "attributed_source": a.attributed_source,
            "published": a.published,
            "text": a.text,
            "chrome": chrome_to_json(a),
            "num_sentences": c.num_sentences,
            "syndication": json.dumps(syndication(a), ensure_ascii=False),
            "events": events_to_json(c.events),
            "minhash": sig.minhash_bytes(),
            "embedding": sig.embedding_bytes(),
            "num_shingles": sig.num_shingles,
            "actors": json.dumps(sorted(sig.actors)),
        }


def skip_row(order: int, skip: Skip) -> dict[str, Any]:
    return {"kind": "skip", "order": order, "origin": skip.origin, "code": skip.code, "message": skip.message}
