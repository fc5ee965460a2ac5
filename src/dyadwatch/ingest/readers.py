"""Stage 1 — ingest: files, directories, records and feeds → :class:`Document` or :class:`Skip`.

Accepted: plain text, HTML, JSON Lines / JSON / CSV records (``id``, ``text``, optional ``title``,
``url``, ``date``, ``source``), RSS/Atom feeds, directories (recursive), and ``-`` for stdin.
Bad input never raises: it becomes a ``Skip`` with a coded one-line reason.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from dyadwatch.errors import DyadwatchError
from dyadwatch.records import Document, Skip
from dyadwatch.settings import Settings

Item = Document | Skip
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"\x1f\x8b", b"GIF8", b"\xff\xd8\xff", b"\x7fELF")
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_FEED_SUFFIXES = {".rss", ".atom", ".xml"}
_RECORD_FIELDS = ("id", "text", "title", "url", "date", "source")


def ingest(paths: Iterable[str | Path], settings: Settings | None = None) -> Iterator[Item]:
    """Yield one Document per article found under ``paths`` (or a Skip per unusable input)."""
    settings = settings or Settings()
    for raw in paths:
        if str(raw) == "-":
            yield from _from_stdin(settings)
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                yield from _from_file(child, settings)
        else:
            yield from _from_file(path, settings)


def _skip(code: str, **fields: object) -> Skip:
    err = DyadwatchError(code, **fields)
    return Skip(origin=str(fields.get("origin", "?")), code=code, message=err.message)


def _from_stdin(settings: Settings) -> Iterator[Item]:
    data = sys.stdin.buffer.read(settings.max_bytes + 1)
    yield from _from_bytes(data, "<stdin>", ".jsonl" if data.lstrip()[:1] == b"{" else ".txt", settings)


def _from_file(path: Path, settings: Settings) -> Iterator[Item]:
    origin = str(path)
    if not path.exists():
        yield _skip("E101", origin=origin)
        return
    size = path.stat().st_size
    if size > settings.max_bytes:
        yield _skip("E104", origin=origin, size_mb=size / 1e6, limit_mb=settings.max_bytes / 1e6)
        return
    yield from _from_bytes(path.read_bytes(), origin, path.suffix.lower(), settings)


def _from_bytes(data: bytes, origin: str, suffix: str, settings: Settings) -> Iterator[Item]:
    if len(data) > settings.max_bytes:
        yield _skip("E104", origin=origin, size_mb=len(data) / 1e6, limit_mb=settings.max_bytes / 1e6)
        return
    if not data.strip():
        yield _skip("E102", origin=origin)
        return
    text, notes = decode(data)
    if text is None:
        code = "E103" if notes == ("binary",) else "E105"
        yield _skip(code, origin=origin)
        return
    head = text.lstrip()[:400].lower()
    if suffix in {".jsonl", ".ndjson"}:
        yield from _records_jsonl(text, origin, notes)
    elif suffix == ".json":
        yield from _records_json(text, origin, notes)
    elif suffix == ".csv":
        yield from _records_csv(text, origin, notes)
    elif (
        suffix in _FEED_SUFFIXES
        or head.startswith(("<rss", "<feed", "<rdf:rdf"))
        or (head.startswith("<?xml") and ("<rss" in head or "<feed" in head or "<rdf:rdf" in head))
    ):
        yield from _feed(text, origin, notes)
    elif suffix in _HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")):
        yield Document(origin=origin, text=text, fmt="html", notes=notes)
    else:
        yield Document(origin=origin, text=text, fmt="text", notes=notes)


def decode(data: bytes) -> tuple[str | None, tuple[str, ...]]:
    """Decode bytes as text: UTF-8 (with or without BOM), UTF-16 with BOM, else a confident guess."""
    if any(data.startswith(m) for m in _BINARY_MAGIC) or (
        b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    ):
        return None, ("binary",)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ()
        except UnicodeDecodeError:
            return None, ("undecodable",)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
        return (None, ("binary",)) if controls > 0.05 * min(len(text), 8192) else (text, ())
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding in ("utf_8",) or best.chaos > 0.2:
        return None, ("undecodable",)
    try:
        return data.decode(best.encoding), (f"decoded as {best.encoding} (not UTF-8)",)
    except (UnicodeDecodeError, LookupError):
        return None, ("undecodable",)


def _record(obj: Any, origin: str, notes: tuple[str, ...]) -> Item:
    if not isinstance(obj, dict):
        return _skip("E106", origin=origin, kind="record", reason="expected a JSON object")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return _skip("E106", origin=origin, kind="record", reason="missing or empty 'text'")
    fields = {k: (str(obj[k]) if obj.get(k) is not None else None) for k in _RECORD_FIELDS if k != "text"}
    is_html = "<p" in text[:2000].lower() or "<html" in text[:2000].lower()
    return Document(
        origin=origin,
        text=text,
        fmt="html" if is_html else "text",
        external_id=fields["id"],
        title=fields["title"],
        url=fields["url"],
        date=fields["date"],
        source=fields["source"],
        notes=notes,
    )


def _records_jsonl(text: str, origin: str, notes: tuple[str, ...]) -> Iterator[Item]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{origin}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _skip("E106", origin=where, kind="JSON", reason=exc.msg)
            continue
        yield _record(obj, where, notes)


def _records_json(text: str, origin: str, notes: tuple[str, ...]) -> Iterator[Item]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        if text.lstrip().startswith("{") and "\n{" in text:  # JSON Lines saved as .json
            yield from _records_jsonl(text, origin, notes)
            return
        yield _skip("E106", origin=origin, kind="JSON", reason=f"{exc.msg} at line {exc.lineno}")
        return
    items = obj if isinstance(obj, list) else [obj]
    for n, item in enumerate(items):
        yield _record(item, f"{origin}[{n}]" if isinstance(obj, list) else origin, notes)


def _records_csv(text: str, origin: str, notes: tuple[str, ...]) -> Iterator[Item]:
    try:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "text" not in reader.fieldnames:
            yield _skip("E106", origin=origin, kind="CSV", reason="no 'text' column in the header")
            return
        for n, row in enumerate(reader, 2):
            yield _record(row, f"{origin}:{n}", notes)
    except csv.Error as exc:
        yield _skip("E106", origin=origin, kind="CSV", reason=str(exc))


def _feed(text: str, origin: str, notes: tuple[str, ...]) -> Iterator[Item]:
    import feedparser

    parsed = feedparser.parse(text)
    entries = list(parsed.get("entries") or [])
    if not entries:
        reason = str(parsed.get("bozo_exception") or "no entries")
        yield _skip("E106", origin=origin, kind="feed", reason=reason.splitlines()[0][:200])
        return
    feed_title = (parsed.get("feed") or {}).get("title")
    for n, entry in enumerate(entries):
        content = entry.get("content") or []
        body = content[0].get("value") if content else entry.get("summary") or entry.get("description")
        where = f"{origin}#{n}"
        if not body or not str(body).strip():
            yield _skip("E106", origin=where, kind="feed entry", reason="no content or summary")
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        date = time.strftime("%Y-%m-%d", stamp) if stamp else None
        yield Document(
            origin=where,
            text=str(body),
            fmt="html" if "<" in str(body) else "text",
            external_id=entry.get("id") or entry.get("link"),
            title=entry.get("title"),
            url=entry.get("link"),
            date=date,
            source=feed_title,
            notes=notes,
        )
