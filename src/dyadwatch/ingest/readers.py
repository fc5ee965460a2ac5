"""Stage 1 — ingest: files, directories, records and feeds → :class:`Document` or :class:`Skip`.

Accepted: plain text, HTML, JSON Lines / JSON / CSV records (``id``, ``text``, optional ``title``,
``url``, ``date``, ``source``), RSS/Atom feeds, directories (recursive), and ``-`` for stdin.
Bad input never raises: it becomes a ``Skip`` with a coded one-line reason — a file that cannot be
read (permission, name too long, a FIFO or device), an unreadable directory, one bad row of a CSV
or line of a JSON Lines file; the good records around it are kept.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from itertools import islice
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
_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def ingest(paths: Iterable[str | Path], settings: Settings | None = None) -> Iterator[Item]:
    """Yield one Document per article found under ``paths`` (or a Skip per unusable input)."""
    settings = settings or Settings()
    for raw in paths:
        if str(raw) == "-":
            yield from _from_stdin(settings)
            continue
        path = Path(raw)
        try:
            is_dir = path.is_dir()
        except OSError as exc:  # a name too long, a loop of links
            yield _skip("E111", origin=printable_path(path), reason=_reason(exc))
            continue
        if is_dir:
            yield from _from_dir(path, settings)
        else:
            yield from _from_file(path, settings)


def printable_path(path: str | Path) -> str:
    """A path as text that can be stored and printed (undecodable bytes as ``\\xNN``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    return (exc.strerror or type(exc).__name__).lower()


def _skip(code: str, **fields: object) -> Skip:
    err = DyadwatchError(code, **fields)
    return Skip(origin=str(fields.get("origin", "?")), code=code, message=err.message)


def _from_dir(root: Path, settings: Settings) -> Iterator[Item]:
    """Files under ``root`` (hidden files left out), sorted; a directory that cannot be listed is a Skip."""
    found: list[tuple[str, Path | OSError]] = []

    def unreadable(exc: OSError) -> None:
        found.append((str(exc.filename or root), exc))

    for folder, _dirs, files in os.walk(root, onerror=unreadable):
        found.extend((os.path.join(folder, f), Path(folder, f)) for f in files if not f.startswith("."))
    for name, entry in sorted(found, key=lambda pair: pair[0]):
        if isinstance(entry, OSError):
            yield _skip("E111", origin=printable_path(name), reason=f"directory: {_reason(entry)}")
        else:
            yield from _from_file(entry, settings)


def _from_stdin(settings: Settings) -> Iterator[Item]:
    data = sys.stdin.buffer.read(settings.max_bytes + 1)
    yield from _from_bytes(data, "<stdin>", ".jsonl" if data.lstrip()[:1] == b"{" else ".txt", settings)


def _from_file(path: Path, settings: Settings) -> Iterator[Item]:
    origin = printable_path(path)
    try:
        data = _read_regular(path, settings.max_bytes)
    except FileNotFoundError:
        yield _skip("E101", origin=origin)
        return
    except OSError as exc:
        yield _skip("E111", origin=origin, reason=_reason(exc))
        return
    except DyadwatchError as exc:
        yield Skip(origin, exc.code, exc.message)
        return
    yield from _from_bytes(data, origin, path.suffix.lower(), settings)


def _read_regular(path: Path, max_bytes: int) -> bytes:
    """A regular file's bytes, at most ``max_bytes`` (E104 beyond); never blocks on a FIFO or device."""
    _regular(path, os.stat(path).st_mode)  # a socket cannot even be opened
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens at once instead of waiting for a writer
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        _regular(path, info.st_mode)  # replaced since the stat
        if info.st_size > max_bytes:
            raise DyadwatchError(
                "E104", origin=printable_path(path), size_mb=info.st_size / 1e6, limit_mb=max_bytes / 1e6
            )
        data = fh.read(max_bytes + 1)  # bounded even if the file grows while it is read
    return data


def _regular(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise DyadwatchError("E109", origin=printable_path(path), reason=f"{kind}, not a regular file")


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
    if not text.strip():
        yield _skip("E102", origin=origin)
        return
    head = text.lstrip()[:400].lower()
    if suffix in {".jsonl", ".ndjson"}:
        yield from _records_jsonl(text, origin, notes)
    elif suffix == ".json":
        yield from _records_json(text, origin, notes)
    elif suffix == ".csv":
        yield from _records_csv(text, origin, notes, settings.max_bytes)
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
    """Decode bytes as text: UTF-8 (with or without BOM), UTF-16 with or without BOM, else a guess.

    Mostly-ASCII bytes that are not UTF-8 are read as Windows-1252 (Latin-1's superset), the
    encoding of nearly all such news text; others go to charset-normalizer. A few stray NUL bytes
    become U+FFFD (noted) instead of condemning the whole file as binary.
    """
    if any(data.startswith(m) for m in _BINARY_MAGIC):
        return None, ("binary",)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _no_nul(data.decode("utf-16"), ())
        except UnicodeDecodeError:
            return None, ("undecodable",)
    sample = data[:8192]
    nuls = sample.count(0)
    if nuls:
        wide = _utf16_without_bom(data, sample, nuls)
        if wide is not None:
            return wide
        if nuls > max(2, len(sample) // 100):
            return None, ("binary",)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f\x00")
        return (None, ("binary",)) if controls > 0.05 * min(len(text), 8192) else _no_nul(text, ())
    return _guess(data)


def _utf16_without_bom(data: bytes, sample: bytes, nuls: int) -> tuple[str | None, tuple[str, ...]] | None:
    """UTF-16 text without a byte-order mark: NUL bytes on one side of (almost) every ASCII pair."""
    if nuls < len(sample) // 4:
        return None
    odd = sum(1 for i in range(1, len(sample), 2) if sample[i] == 0)
    for encoding, share in (("utf-16-le", odd), ("utf-16-be", nuls - odd)):
        if share >= 0.9 * nuls:
            try:
                text = data[: len(data) // 2 * 2].decode(encoding)
            except UnicodeDecodeError:
                return None
            if text.isprintable() or all(ch.isprintable() or ch in "\t\n\r\f" for ch in text[:8192]):
                return _no_nul(text, (f"decoded as {encoding.upper()} without a byte-order mark",))
    return None


def _guess(data: bytes) -> tuple[str | None, tuple[str, ...]]:
    ascii_share = sum(1 for b in data[:200_000] if b < 0x80) / min(len(data), 200_000)
    if ascii_share >= 0.9:
        for encoding in ("cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not any("\x80" <= ch <= "\x9f" for ch in text):  # C1 controls: not really Latin-1 text
                return _no_nul(text, (f"decoded as {encoding} (not UTF-8)",))
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding in ("utf_8",) or best.chaos > 0.2:
        return None, ("undecodable",)
    try:
        return _no_nul(data.decode(best.encoding), (f"decoded as {best.encoding} (not UTF-8)",))
    except (UnicodeDecodeError, LookupError):
        return None, ("undecodable",)


def _no_nul(text: str, notes: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    count = text.count("\x00")
    if not count:
        return text, notes
    return text.replace("\x00", "\ufffd"), (*notes, f"{count} NUL character(s) replaced by U+FFFD")


def safe_text(value: str) -> tuple[str, int]:
    """``value`` with NULs and lone surrogates (invalid in UTF-8 and in PostgreSQL) as U+FFFD, and how many."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        fixed = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)
        bad = sum(1 for a, b in zip(value, fixed, strict=True) if a != b)
        value = fixed
    else:
        bad = 0
    nuls = value.count("\x00")
    return (value.replace("\x00", "\ufffd") if nuls else value), bad + nuls


def _field(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)


def _record(obj: Any, origin: str, notes: tuple[str, ...]) -> Item:
    if not isinstance(obj, dict):
        return _skip("E106", origin=origin, kind="record", reason="expected a JSON object")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return _skip("E106", origin=origin, kind="record", reason="missing or empty 'text'")
    fields: dict[str, str | None] = {}
    replaced = 0
    for key in _RECORD_FIELDS:
        value = text if key == "text" else _field(obj, key)
        if value is not None:
            value, bad = safe_text(value)
            replaced += bad
        fields[key] = value
    if replaced:
        notes = (*notes, f"{replaced} invalid character(s) (NUL, lone surrogate) replaced by U+FFFD")
    body = fields["text"] or ""
    is_html = "<p" in body[:2000].lower() or "<html" in body[:2000].lower()
    return Document(
        origin=origin,
        text=body,
        fmt="html" if is_html else "text",
        external_id=fields["id"],
        title=fields["title"],
        url=fields["url"],
        date=fields["date"],
        source=fields["source"],
        notes=notes,
    )


def json_int(digits: str) -> int | str:
    """A JSON integer; one longer than Python converts (4,300 digits) stays its digits (an id, not a sum)."""
    return int(digits) if len(digits.lstrip("-")) <= 4300 else digits


def _json(text: str) -> Any:
    """``json.loads`` with every failure (syntax, deep nesting) as ValueError."""
    try:
        return json.loads(text, parse_int=json_int)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except ValueError as exc:  # e.g. "Exceeds the limit (4300 digits) for integer string conversion"
        raise ValueError(str(exc).split(";")[0]) from None


def _records_jsonl(text: str, origin: str, notes: tuple[str, ...]) -> Iterator[Item]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{origin}:{n}"
        try:
            obj = _json(line)
        except ValueError as exc:
            yield _skip("E106", origin=where, kind="JSON", reason=str(exc))
            continue
        yield _record(obj, where, notes)


def _records_json(text: str, origin: str, notes: tuple[str, ...]) -> Iterator[Item]:
    try:
        obj = _json(text)
    except ValueError as exc:
        if text.lstrip().startswith("{") and "\n{" in text:  # JSON Lines saved as .json
            yield from _records_jsonl(text, origin, notes)
            return
        yield _skip("E106", origin=origin, kind="JSON", reason=str(exc))
        return
    items = obj if isinstance(obj, list) else [obj]
    for n, item in enumerate(items):
        yield _record(item, f"{origin}[{n}]" if isinstance(obj, list) else origin, notes)


def _records_csv(text: str, origin: str, notes: tuple[str, ...], max_bytes: int) -> Iterator[Item]:
    """Rows of a CSV with a ``text`` column; a malformed row (an unterminated quote, a stray quote)
    is a Skip naming its line, and reading goes on from the next line."""
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))  # a field may be as large as a file
    lines = list(io.StringIO(text, newline=""))
    try:
        header = next(csv.reader(lines[:1], strict=True), None)
    except csv.Error as exc:
        header = None
        reason = str(exc)
    else:
        reason = "no 'text' column in the header"
    if not header or "text" not in header:
        yield _skip("E106", origin=origin, kind="CSV", reason=reason)
        return
    if not any(line.strip() for line in lines[1:]):
        yield _skip("E106", origin=origin, kind="CSV", reason="no rows after the header")
        return
    start = 1  # index of the next line to read
    while start < len(lines):
        reader = csv.reader(islice(lines, start, None), strict=True)
        done = 0  # lines consumed by the rows read so far
        try:
            for row in reader:
                line = start + done + 1
                done = reader.line_num
                if row:
                    yield _record(dict(zip(header, row, strict=False)), f"{origin}:{line}", notes)
            return
        except csv.Error as exc:
            line = start + done + 1
            yield _skip("E106", origin=f"{origin}:{line}", kind="CSV row", reason=str(exc))
            start += done + 1  # resume after the first line of the bad row


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
