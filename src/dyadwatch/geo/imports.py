"""GeoNames dump files imported into the gazetteer cache (``dyadwatch gazetteer add|info|remove``).

Accepted, in GeoNames' published formats (https://download.geonames.org/export/dump/, CC BY 4.0):
the 19-column place dumps (per-country ``XX.txt``/``XX.zip``, ``cities500.zip``/``cities1000.zip``…,
``allCountries.zip``), ``admin1CodesASCII.txt``/``admin2Codes.txt`` (code, name, ASCII name, id) and
``alternateNamesV2.zip`` (its ``alternateNamesV2.txt``: id, place id, language, name, flags…).

The imports live in one SQLite file beside the gazetteer's cache (:func:`store_path`). A file is read
as a stream (bounded memory whatever its size) and written in committed batches, each recording the
line reached, so an interrupted import resumes where it stopped. A file is known by its SHA-256:
adding it again adds nothing. A bad row (too few columns, a number that is not one, coordinates out of
range) or a damaged zip stops the import with one line naming file and line (E030–E032) and removes
every row the file had added: nothing is half-imported.
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from dyadwatch.errors import DyadwatchError

BATCH = 20_000  # rows per committed batch (memory stays bounded; resume granularity)
PLACE_COLUMNS = 19
Progress = Callable[[int, int], None]  # (bytes read, bytes in all)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    sha256 TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, size INTEGER NOT NULL,
    status TEXT NOT NULL, line INTEGER NOT NULL DEFAULT 0, rows INTEGER NOT NULL DEFAULT 0, added REAL
);
CREATE TABLE IF NOT EXISTS places (
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, asciiname TEXT, alternates TEXT,
    lat REAL NOT NULL, lon REAL NOT NULL, fclass TEXT, fcode TEXT, country TEXT, admin1 TEXT,
    population INTEGER NOT NULL, source TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS admin (code TEXT PRIMARY KEY, name TEXT NOT NULL, geonameid INTEGER, source TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alternates (
    id INTEGER PRIMARY KEY, geonameid INTEGER NOT NULL, lang TEXT, name TEXT NOT NULL, source TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Added:
    """What ``add`` did with one file."""

    name: str
    kind: str
    rows: int
    new: bool  # False: the same file was already imported (nothing added)


def store_path(folder: Path) -> Path:
    return folder / "geonames-imports.sqlite"


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(_SCHEMA)
    return db


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def _open_text(path: Path) -> Iterator[tuple[IO[str], int, Callable[[], int]]]:
    """The text of a dump (a .txt, or the one .txt inside a .zip), its size and a bytes-read gauge."""
    if not path.exists():
        raise DyadwatchError("E101", origin=path)
    if path.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise DyadwatchError("E031", path=path, line=0, reason=f"not a readable zip ({exc})") from None
        with archive:
            members = [
                i
                for i in archive.infolist()
                if i.filename.endswith(".txt") and "readme" not in i.filename.lower()
            ]
            if len(members) != 1:
                raise DyadwatchError(
                    "E032", path=path, reason=f"expected one .txt dump inside, found {len(members)}"
                )
            raw = archive.open(members[0])
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
            yield text, members[0].file_size, lambda: raw.tell() if hasattr(raw, "tell") else 0
    else:
        with path.open("rb") as raw_file:
            text = io.TextIOWrapper(raw_file, encoding="utf-8", newline="\n")
            yield text, path.stat().st_size, raw_file.tell


def _kind(path: Path, first: str) -> str:
    """places | admin | alternates, from the first row's shape (E032 when it is none of them)."""
    cols = first.rstrip("\n").split("\t")
    if len(cols) == PLACE_COLUMNS and cols[0].isdigit():
        return "places"
    if len(cols) == 4 and "." in cols[0] and cols[3].strip().isdigit():
        return "admin"
    if len(cols) in (4, 8, 10) and cols[0].isdigit() and cols[1].isdigit():
        return "alternates"
    raise DyadwatchError(
        "E032",
        path=path,
        reason=f"the first row has {len(cols)} tab-separated columns, like no GeoNames dump",
    )


def _fail(path: Path, line: int, reason: str) -> DyadwatchError:
    return DyadwatchError("E030", path=path, line=line, reason=reason)


def _place_row(path: Path, line: int, cols: list[str], source: str) -> tuple[object, ...]:
    if len(cols) < PLACE_COLUMNS:
        raise _fail(path, line, f"{len(cols)} columns, expected {PLACE_COLUMNS}")
    try:
        gid, lat, lon = int(cols[0]), float(cols[4]), float(cols[5])
        population = int(cols[14] or 0)
    except ValueError:
        raise _fail(
            path, line, f"bad number in id {cols[0]!r}, lat {cols[4]!r}, lon {cols[5]!r} or population"
        ) from None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise _fail(path, line, f"coordinates out of range: {lat}, {lon}")
    if not cols[1]:
        raise _fail(path, line, "empty name")
    return (gid, cols[1], cols[2], cols[3], lat, lon, cols[6], cols[7], cols[8], cols[10], population, source)


def _admin_row(path: Path, line: int, cols: list[str], source: str) -> tuple[object, ...]:
    if len(cols) < 4:
        raise _fail(path, line, f"{len(cols)} columns, expected 4 (code, name, ASCII name, id)")
    if not cols[3].strip().isdigit() or "." not in cols[0]:
        raise _fail(path, line, f"bad admin code {cols[0]!r} or id {cols[3]!r}")
    return (cols[0], cols[1], int(cols[3]), source)


def _alternate_row(path: Path, line: int, cols: list[str], source: str) -> tuple[object, ...]:
    if len(cols) < 4 or not cols[0].isdigit() or not cols[1].isdigit():
        raise _fail(path, line, "expected alternate-name id, place id, language, name")
    return (int(cols[0]), int(cols[1]), cols[2], cols[3], source)


_INSERT = {
    "places": ("INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", _place_row),
    "admin": ("INSERT OR IGNORE INTO admin VALUES (?,?,?,?)", _admin_row),
    "alternates": ("INSERT OR IGNORE INTO alternates VALUES (?,?,?,?,?)", _alternate_row),
}


def add(path: Path, store: Path, progress: Progress | None = None) -> Added:
    """Import one GeoNames dump into ``store`` (resuming an interrupted import of the same file)."""
    digest = sha256(path)
    with closing(connect(store)) as db:
        row = db.execute(
            "SELECT kind, status, line, rows FROM sources WHERE sha256 = ?", (digest,)
        ).fetchone()
        if row is not None and row[1] == "done":
            return Added(path.name, row[0], row[3], new=False)
        resume = row[2] if row is not None else 0
        with _open_text(path) as (text, size, gauge):
            try:
                first = text.readline()
                kind = _kind(path, first)
                db.execute(
                    "INSERT OR REPLACE INTO sources VALUES (?,?,?,?,?,?,?,?)",
                    (digest, path.name, kind, path.stat().st_size, "importing", resume, 0, time.time()),
                )
                db.commit()
                rows = _stream(db, path, digest, kind, first, text, resume, (size, gauge, progress))
            except (DyadwatchError, zipfile.BadZipFile, EOFError, OSError, UnicodeDecodeError) as exc:
                db.rollback()
                _forget(db, digest)
                if isinstance(exc, DyadwatchError):
                    raise
                raise DyadwatchError(
                    "E031", path=path, line="?", reason=f"damaged or truncated ({exc})"
                ) from None
    return Added(path.name, kind, rows, new=True)


def _stream(
    db: sqlite3.Connection,
    path: Path,
    digest: str,
    kind: str,
    first: str,
    text: IO[str],
    resume: int,
    gauges: tuple[int, Callable[[], int], Progress | None],
) -> int:
    size, gauge, progress = gauges
    sql, parse = _INSERT[kind]
    batch: list[tuple[object, ...]] = []
    line = 0
    for line, raw in enumerate(_lines(first, text), start=1):
        if line <= resume or not raw.strip():
            continue
        batch.append(parse(path, line, raw.rstrip("\n").split("\t"), digest))
        if len(batch) >= BATCH:
            db.executemany(sql, batch)
            db.execute("UPDATE sources SET line = ? WHERE sha256 = ?", (line, digest))
            db.commit()
            batch.clear()
            if progress is not None:
                progress(gauge(), size)
    db.executemany(sql, batch)
    table = {"places": "places", "admin": "admin", "alternates": "alternates"}[kind]
    (rows,) = db.execute(f"SELECT count(*) FROM {table} WHERE source = ?", (digest,)).fetchone()
    db.execute(
        "UPDATE sources SET status = 'done', line = ?, rows = ? WHERE sha256 = ?", (line, rows, digest)
    )
    db.commit()
    if progress is not None:
        progress(size, size)
    return int(rows)


def _lines(first: str, text: IO[str]) -> Iterator[str]:
    yield first
    yield from text


def _forget(db: sqlite3.Connection, digest: str) -> None:
    for table in ("places", "admin", "alternates"):
        db.execute(f"DELETE FROM {table} WHERE source = ?", (digest,))
    db.execute("DELETE FROM sources WHERE sha256 = ?", (digest,))
    db.commit()


def remove(name: str, store: Path) -> int:
    """Remove the imported file(s) called ``name`` (or with that SHA-256 prefix); how many were removed."""
    if not store.exists():
        return 0
    with closing(connect(store)) as db:
        digests = [
            d
            for (d, n) in db.execute("SELECT sha256, name FROM sources")
            if n == name or d.startswith(name.lower())
        ]
        for d in digests:
            _forget(db, d)
    return len(digests)


def info(store: Path) -> dict[str, Any]:
    """The imported files and the places they hold, by country and feature class."""
    if not store.exists():
        return {"sources": [], "by_country": {}, "by_class": {}, "places": 0}
    with closing(connect(store)) as db:
        sources = [
            {"name": n, "kind": k, "rows": r, "status": s, "sha256": d[:12]}
            for d, n, k, r, s in db.execute(
                "SELECT sha256, name, kind, rows, status FROM sources ORDER BY added"
            )
        ]
        by_country = dict(db.execute("SELECT country, count(*) FROM places GROUP BY country ORDER BY 2 DESC"))
        by_class = dict(db.execute("SELECT fclass, count(*) FROM places GROUP BY fclass ORDER BY 2 DESC"))
    return {
        "sources": sources,
        "by_country": by_country,
        "by_class": by_class,
        "places": sum(by_country.values()),
    }
