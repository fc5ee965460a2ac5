"""Stage 9 — export: stored events as GDELT 2.0, PLOVER, CSV, Parquet or JSON Lines.

1. select — the events ``dyadwatch events`` would list for the same filters (:func:`query.find_events`),
   then their full rows and every mention with its article;
2. flatten — one typed row per event (:data:`COLUMNS`), provenance from its first stored mention;
3. write — one writer per format.

``--format gdelt`` writes ``PREFIX.export.CSV`` (61 columns) and ``PREFIX.mentions.CSV`` (16),
as GDELT 2.0 does, and ``PREFIX.ids.csv`` mapping each GLOBALEVENTID to our event id; how our events
become GDELT rows is in :mod:`dyadwatch.formats.gdelt`, which also reads GDELT files (:func:`read_gdelt`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Engine, select

from dyadwatch.errors import DyadwatchError
from dyadwatch.formats.gdelt import gdelt_rows, global_event_id
from dyadwatch.formats.plover import EXTENSION, plover_record
from dyadwatch.store import query
from dyadwatch.store.database import articles, event_mentions, events

FORMATS = ("gdelt", "plover", "csv", "parquet", "jsonl")
FILE_FORMATS = ("gdelt", "parquet")  # these write files only (never to stdout)
# --out DIR/ (an existing folder, or a path ending in "/") gets standard names; --out PREFIX gets the
# format's extension unless it already ends with it; gdelt writes three files from one prefix.
EXTENSIONS = {
    "gdelt": (".export.CSV", ".mentions.CSV", ".ids.csv"),
    "plover": (".plover.jsonl",),
    "csv": (".csv",),
    "parquet": (".parquet",),
    "jsonl": (".jsonl",),
}
STANDARD_STEM = {"gdelt": "dyadwatch"}  # other formats: events.<ext>
_CHUNK = 500  # ids per IN (...) query

# --- the flat event table: CSV and Parquet share these columns and types ------------------------

COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", "string"),
    ("global_event_id", "int64"),
    ("date", "date32"),
    ("date_precision", "string"),
    ("event_code", "string"),  # "043": leading zeros matter, so a string
    ("root_code", "int8"),
    ("event_name", "string"),
    ("quad_class", "int8"),
    ("goldstein", "float64"),
    ("plover_type", "string"),
    ("plover_mode", "string"),
    ("plover_context", "string"),
    *(
        (f"{side}_{c}", "string")
        for side in ("source", "target")
        for c in ("code", "name", "country", "type", "role")
    ),
    ("negated", "bool"),
    ("hypothetical", "bool"),
    ("num_mentions", "int32"),
    ("num_articles", "int32"),
    ("num_sources", "int32"),
    ("first_seen", "timestamp"),
    ("location_name", "string"),
    ("location_country", "string"),
    ("location_admin1", "string"),
    ("location_lat", "float64"),
    ("location_lon", "float64"),
    ("location_precision", "int8"),
    ("location_geonames_id", "int64"),
    ("location_how", "string"),
    # provenance: the first stored report
    ("article_id", "string"),
    ("article_title", "string"),
    ("article_url", "string"),
    ("article_source", "string"),
    ("attributed_source", "string"),
    ("published", "date32"),
    ("sentence_index", "int16"),
    ("sentence", "string"),
    ("source_text", "string"),
    ("target_text", "string"),
    ("trigger", "string"),
    ("confidence", "float64"),
    ("hedged", "bool"),
    ("future", "bool"),
    ("reported_by", "string"),
)


@dataclass(frozen=True, slots=True)
class Filters:
    """The selection, as for ``dyadwatch events``."""

    actor: str | None = None
    dyad: str | None = None
    since: str | None = None
    until: str | None = None
    min_sources: int | None = None
    include_negated: bool = False


@dataclass(frozen=True, slots=True)
class ExportReport:
    format: str
    events: int
    mentions: int
    files: tuple[Path, ...] = ()  # empty when written to a stream
    left_out: int = 0  # selected events the format has no place for (PLOVER: no type)


@dataclass(frozen=True, slots=True)
class Selection:
    """Selected events (full rows, newest first) and their mentions, oldest stored first."""

    records: list[dict[str, Any]]  # as query.find_events returns them
    events: list[dict[str, Any]]
    mentions: dict[str, list[dict[str, Any]]]
    texts: dict[str, str]  # article id → text, loaded only when asked for (GDELT offsets)


def export(
    engine: Engine,
    fmt: str,
    out: str | Path | None = None,
    stream: TextIO | None = None,
    filters: Filters | None = None,
    force: bool = False,
) -> ExportReport:
    """Library verb behind ``dyadwatch export``: write the selected events in one format.

    ``out`` is a file, a path prefix (the format's extension is added) or a folder (standard names:
    ``events.csv``, ``dyadwatch.export.CSV`` …); an existing file is kept unless ``force``. Without
    ``out``, text formats go to ``stream``.
    """
    files = check_target(fmt, out, force)
    sel = select_events(engine, filters or Filters(), texts=fmt == "gdelt")
    n_mentions = sum(len(m) for m in sel.mentions.values())
    if fmt == "gdelt":
        return ExportReport(fmt, len(sel.events), n_mentions, write_gdelt(sel, files))
    if fmt == "parquet":
        write_parquet(flat_rows(sel), files[0])
        return ExportReport(fmt, len(sel.events), n_mentions, files)
    lines: Iterator[str]
    left_out = 0
    if fmt == "jsonl":
        lines = (json.dumps(r, ensure_ascii=False) + "\n" for r in sel.records)
    elif fmt == "plover":
        records = [plover_record(r, sel.mentions[r["event_id"]][0]) for r in flat_rows(sel)]
        kept = [r for r in records if r is not None]
        lines = iter([json.dumps(r, ensure_ascii=False) + "\n" for r in kept])
        n_mentions = sum(r[EXTENSION]["num_mentions"] for r in kept)
        left_out = len(records) - len(kept)
    else:
        lines = _csv_lines(flat_rows(sel))
    if not files:
        assert stream is not None
        stream.writelines(lines)
        return ExportReport(fmt, len(sel.events) - left_out, n_mentions, left_out=left_out)
    _write_lines(files[0], lines)
    return ExportReport(fmt, len(sel.events) - left_out, n_mentions, files, left_out=left_out)


def check_target(fmt: str, out: str | Path | None, force: bool = False) -> tuple[Path, ...]:
    """The files ``--out`` names for this format; fails before any work on an unknown format, a file
    format without ``--out``, or a file that exists (unless ``force``)."""
    if fmt not in FORMATS:
        raise DyadwatchError("E401", fmt=fmt, choices=", ".join(FORMATS))
    if out is None:
        if fmt in FILE_FORMATS:
            raise DyadwatchError("E402", fmt=fmt)
        return ()
    text = str(out)
    exts = EXTENSIONS[fmt]
    if text.endswith(("/", "\\")) or Path(text).is_dir():
        prefix = Path(text) / STANDARD_STEM.get(fmt, "events")
    else:
        prefix = Path(text[: -len(exts[0])] if len(exts) == 1 and text.endswith(exts[0]) else text)
    paths = tuple(prefix.with_name(prefix.name + ext) for ext in exts)
    for path in paths:
        if path.exists() and not force:
            raise DyadwatchError("E408", path=path)
        if path.is_dir():
            raise DyadwatchError("E403", path=path, reason="it is a directory")
    return paths


# --- selection ----------------------------------------------------------------------------------


def select_events(engine: Engine, filters: Filters, texts: bool = False) -> Selection:
    f = filters
    records = query.find_events(
        engine, f.actor, f.dyad, f.since, f.until, f.include_negated, min_sources=f.min_sources
    )
    ids = [r["event_id"] for r in records]
    rows: dict[str, dict[str, Any]] = {}
    mentions: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    with engine.connect() as conn:
        for start in range(0, len(ids), _CHUNK):
            part = ids[start : start + _CHUNK]
            for row in conn.execute(select(events).where(events.c.id.in_(part))):
                rows[row.id] = dict(row._mapping)
            q = (
                select(
                    event_mentions,
                    articles.c.title,
                    articles.c.url,
                    articles.c.source.label("article_source"),
                    articles.c.attributed_source,
                    articles.c.published,
                    articles.c.ingested_at,
                )
                .join(articles, articles.c.id == event_mentions.c.article_id)
                .where(event_mentions.c.event_id.in_(part))
                .order_by(event_mentions.c.id)
            )
            for row in conn.execute(q):
                mentions[row.event_id].append(dict(row._mapping))
        bodies: dict[str, str] = {}
        wanted = sorted({m["article_id"] for ms in mentions.values() for m in ms}) if texts else []
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            found = conn.execute(select(articles.c.id, articles.c.text).where(articles.c.id.in_(chunk)))
            bodies.update((row.id, row.text) for row in found)
    return Selection(records, [rows[i] for i in ids], mentions, bodies)


def flat_rows(sel: Selection) -> list[dict[str, Any]]:
    """One row per event with the :data:`COLUMNS`, provenance from its first stored mention."""
    out = []
    for e in sel.events:
        first = sel.mentions[e["id"]][0]
        plover = e["plover"] or {}
        row = {k: e.get(k) for k, _ in COLUMNS}
        row.update(
            event_id=e["id"],
            global_event_id=global_event_id(e["id"]),
            root_code=int(e["root_code"]),
            first_seen=e["first_seen"].replace(microsecond=0) if e["first_seen"] else None,
            plover_type=plover.get("type") or None,
            plover_mode=plover.get("mode") or None,
            plover_context=plover.get("context") or None,
            article_id=first["article_id"],
            article_title=first["title"],
            article_url=first["url"],
            article_source=first["article_source"],
            attributed_source=first["attributed_source"],
            published=first["published"],
            sentence_index=first["sentence_index"],
            sentence=first["sentence"],
            source_text=first["source_text"],
            target_text=first["target_text"],
            trigger=first["trigger"],
            confidence=first["confidence"],
            hedged=first["hedged"],
            future=first["future"],
            reported_by=first["reported_by"],
        )
        out.append(row)
    return out


# --- text formats -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class _Line:
    """A file-like sink that hands back what csv.writer wrote."""

    value = ""

    def write(self, text: str) -> int:
        self.value = text
        return len(text)


def _csv_lines(rows: list[dict[str, Any]]) -> Iterator[str]:
    sink = _Line()
    writer = csv.writer(sink, lineterminator="\n")
    names = [name for name, _ in COLUMNS]
    writer.writerow(names)
    yield sink.value
    for row in rows:
        writer.writerow([_text(row[n]) for n in names])
        yield sink.value


def _write_lines(path: Path, lines: Iterator[str] | list[str]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.writelines(lines)
    except OSError as exc:
        raise DyadwatchError("E403", path=path, reason=exc.strerror or str(exc)) from None


# --- Parquet ------------------------------------------------------------------------------------


def arrow_schema() -> Any:
    """The Parquet schema of :data:`COLUMNS` (pyarrow is imported only when needed)."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "int8": pa.int8(),
        "int16": pa.int16(),
        "int32": pa.int32(),
        "int64": pa.int64(),
        "float64": pa.float64(),
        "bool": pa.bool_(),
        "date32": pa.date32(),
        "timestamp": pa.timestamp("ms"),  # Parquet keeps ms, us or ns
    }
    return pa.schema([pa.field(name, types[kind]) for name, kind in COLUMNS])


def write_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows, schema=arrow_schema())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path)
    except OSError as exc:
        raise DyadwatchError("E403", path=path, reason=getattr(exc, "strerror", None) or str(exc)) from None


# --- GDELT 2.0 ----------------------------------------------------------------------------------


def write_gdelt(sel: Selection, paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """Write the events, mentions and id-map files :func:`check_target` named (PREFIX.export.CSV …)."""
    event_lines, mention_lines, ids = gdelt_rows(sel.events, sel.mentions, sel.texts)
    _write_lines(paths[0], event_lines)
    _write_lines(paths[1], mention_lines)
    _write_lines(paths[2], ["GLOBALEVENTID,event_id\n", *(f"{g},{i}\n" for g, i in ids.items())])
    return paths
