"""The rows a Spark run writes: articles, mentions, events (the export's Parquet columns) and skips.

Each rule of the single-machine store is kept: one report per (event, sentence) of an article, an
event row written from the first report of the first article that reports it (as ``store.save``
writes it), its provenance from that report too, ``num_mentions`` /
``num_articles`` / ``num_sources`` (a source is the report's attributed origin, else its publisher,
else the article) over every report.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

from dyadwatch.formats.export import COLUMNS
from dyadwatch.formats.gdelt import global_event_id
from dyadwatch.scale.serial import events_from_json
from dyadwatch.store.database import _event_values, _mention_values, event_key

ACTOR_FIELDS = ("code", "name", "country", "type", "role")

ARTICLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("order", "int64"),  # input order: file rank << 32 | record within the file
    ("id", "string"),
    ("external_id", "string"),
    ("origin", "string"),
    ("title", "string"),
    ("url", "string"),
    ("source", "string"),
    ("attributed_source", "string"),
    ("published", "date32"),
    ("text", "string"),
    ("chrome", "string"),  # JSON
    ("num_sentences", "int32"),
    ("dup_group", "string"),
    ("dup_kind", "string"),
    ("dup_of", "string"),
    ("dup_score", "float64"),
    ("syndication", "string"),  # JSON
    ("minhash", "binary"),
    ("embedding", "binary"),
    ("num_shingles", "int32"),
    ("actors", "string"),  # JSON list of codes
    ("year", "int32"),  # partition: year published, 0 when unknown
)

MENTION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("order", "int64"),  # the article's input order
    ("position", "int32"),  # the report's place among its article's reports
    ("event_id", "string"),
    ("article_id", "string"),
    ("sentence_index", "int32"),
    ("sentence", "string"),
    ("source_text", "string"),
    ("target_text", "string"),
    ("trigger", "string"),
    ("spans", "string"),  # JSON
    ("confidence", "float64"),
    ("hedged", "bool"),
    ("future", "bool"),
    ("reported_by", "string"),
    ("pattern", "string"),
    *((f"{side}_{c}", "string") for side in ("source", "target") for c in ACTOR_FIELDS),
    ("year", "int32"),
)

SKIP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("order", "int64"),
    ("origin", "string"),
    ("code", "string"),
    ("message", "string"),
)


def year(day: dt.date | None) -> int:
    return day.year if day else 0


def article_row(row: dict[str, Any]) -> dict[str, Any]:
    return {name: row.get(name) for name, _ in ARTICLE_COLUMNS} | {"year": year(row["published"])}


def mention_rows(row: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per report of an event in the article (the first event per event id and sentence)."""
    reports: dict[tuple[str, int], Any] = {}
    for e in events_from_json(row["events"]):
        reports.setdefault((event_key(e), e.sentence_index), e)
    ordered = sorted(reports.items(), key=lambda kv: kv[0])  # the store writes them in this order
    for position, ((eid, _), e) in enumerate(ordered):
        values = _mention_values(e)
        values["spans"] = json.dumps(values["spans"])
        sides = {}
        for side, m in (("source", e.source), ("target", e.target)):
            for c in ACTOR_FIELDS:
                sides[f"{side}_{c}"] = getattr(m.actor, c) if m is not None else None
        event = _event_values(e)
        event["plover"] = json.dumps(event["plover"])
        yield {
            "order": row["order"],
            "position": position,
            "event_id": eid,
            **values,
            **sides,
            "year": year(row["published"]),
            # carried to the event row, not written with the mention
            "_event": event,
            "_article": {
                "title": row["title"],
                "url": row["url"],
                "article_source": row["source"],
                "attributed_source": row["attributed_source"],
                "published": row["published"],
                "origin": row["attributed_source"] or row["source"] or row["id"],
            },
        }


def event_row(eid: str, reports: Iterable[dict[str, Any]], first_seen: dt.datetime) -> dict[str, Any]:
    """The export row of one event from all its reports."""
    ordered = sorted(reports, key=lambda r: (r["order"], r["position"]))
    first = ordered[0]  # the first article's first report: the event row and its provenance
    e = dict(first["_event"])
    plover = json.loads(e.pop("plover")) or {}
    art = first["_article"]
    row = {k: e.get(k) for k, _ in COLUMNS}
    row.update(
        event_id=eid,
        global_event_id=global_event_id(eid),
        root_code=int(e["root_code"]),
        plover_type=plover.get("type") or None,
        plover_mode=plover.get("mode") or None,
        plover_context=plover.get("context") or None,
        num_mentions=len(ordered),
        num_articles=len({r["article_id"] for r in ordered}),
        num_sources=len({r["_article"]["origin"] for r in ordered}),
        first_seen=first_seen,
        article_id=first["article_id"],
        article_title=art["title"],
        article_url=art["url"],
        article_source=art["article_source"],
        attributed_source=art["attributed_source"],
        published=art["published"],
        sentence_index=first["sentence_index"],
        sentence=first["sentence"],
        source_text=first["source_text"],
        target_text=first["target_text"],
        trigger=first["trigger"],
        confidence=first["confidence"],
        hedged=first["hedged"],
        future=first["future"],
        reported_by=first["reported_by"],
        year=year(e["date"]),
    )
    return row


def public(row: dict[str, Any], columns: tuple[tuple[str, str], ...]) -> tuple[Any, ...]:
    """The row as a tuple in column order (what ``createDataFrame`` takes with a schema)."""
    return tuple(row.get(name) for name, _ in columns)


def spark_schema(columns: tuple[tuple[str, str], ...]) -> Any:
    """The Spark schema of a column list (types as in :data:`dyadwatch.formats.export.COLUMNS`)."""
    from pyspark.sql import types as T

    kinds = {
        "string": T.StringType(),
        "int8": T.ByteType(),
        "int16": T.ShortType(),
        "int32": T.IntegerType(),
        "int64": T.LongType(),
        "float64": T.DoubleType(),
        "bool": T.BooleanType(),
        "date32": T.DateType(),
        "timestamp": T.TimestampNTZType(),
        "binary": T.BinaryType(),
    }
    return T.StructType([T.StructField(name, kinds[kind], True) for name, kind in columns])


def write_events(index: int, rows: Iterable[dict[str, Any]], out: str) -> Iterator[int]:
    """One executor's events as ``out/year=YYYY/part-INDEX.parquet`` with the export's own Arrow schema.

    Written with pyarrow rather than Spark's writer, which keeps naive timestamps in microseconds
    where the export has milliseconds: the files are then exactly what ``dyadwatch export --format
    parquet`` writes. ``out`` is a local path or any URI pyarrow opens (``hdfs://``, ``s3://``).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from dyadwatch.formats.export import arrow_schema

    by_year: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        by_year.setdefault(r["year"], []).append({name: r[name] for name, _ in COLUMNS})
    filesystem, root = open_dir(out)
    for y, part in sorted(by_year.items()):
        folder = f"{root}/year={y}"
        filesystem.create_dir(folder, recursive=True)
        table = pa.Table.from_pylist(part, schema=arrow_schema())
        pq.write_table(table, f"{folder}/part-{index:05d}.parquet", filesystem=filesystem)
    yield sum(len(p) for p in by_year.values())


def open_dir(path: str) -> tuple[Any, str]:
    """(pyarrow file system, path in it) for a local path or a URI (``hdfs://``, ``s3://``)."""
    from pyarrow import fs

    if "://" in path:
        found: tuple[Any, str] = fs.FileSystem.from_uri(path)
        return found
    return fs.LocalFileSystem(), os.path.abspath(path.removeprefix("file:"))
