"""Bulk writes for loading a finished run (``dyadwatch load``): many rows per statement.

PostgreSQL gets ``COPY … FROM STDIN`` (psycopg 3), SQLite batched ``executemany`` inserts; both
inside the caller's transaction, so a load is stored whole or not at all. Counter tables (sources,
actors) are added to, never overwritten, and event counts are recomputed from the stored mentions,
as :func:`dyadwatch.store.database.save` does for one article.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, Connection, Table, bindparam, insert, select, update

BATCH = 2_000  # rows per executemany / ids per IN (...)


def _clean(value: Any) -> Any:
    """Text without NUL characters or lone surrogates (PostgreSQL and UTF-8 refuse them)."""
    if isinstance(value, str):
        return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    return value


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert rows (all with the same keys); COPY on PostgreSQL."""
    if not rows:
        return 0
    names = list(rows[0])
    if conn.dialect.name == "postgresql":
        as_json = {c.name for c in table.columns if isinstance(c.type, JSON)}
        raw = conn.connection.driver_connection
        assert raw is not None
        cols = ", ".join(f'"{n}"' for n in names)
        with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(row[n]) if n in as_json and row[n] is not None else _clean(row[n])
                        for n in names
                    ]
                )
        return len(rows)
    for start in range(0, len(rows), BATCH):
        part = [{n: _clean(r[n]) for n in names} for r in rows[start : start + BATCH]]
        conn.execute(insert(table), part)
    return len(rows)


def existing(conn: Connection, column: Any, keys: Iterable[Any]) -> set[Any]:
    """Which of ``keys`` are stored in ``column``."""
    wanted = sorted(set(keys))
    found: set[Any] = set()
    for start in range(0, len(wanted), BATCH):
        found.update(conn.scalars(select(column).where(column.in_(wanted[start : start + BATCH]))))
    return found


def add_counts(
    conn: Connection, table: Table, key: str, rows: Mapping[Any, Mapping[str, Any]], counts: Sequence[str]
) -> None:
    """Add each row's ``counts`` to the stored row of its key, or insert the row where there is none."""
    known = existing(conn, table.c[key], rows)
    fresh = [dict(r) for k, r in sorted(rows.items()) if k not in known]
    insert_rows(conn, table, fresh)
    changes = {c: table.c[c] + bindparam(f"n_{c}") for c in counts}
    if "last_seen" in table.c:
        changes["last_seen"] = bindparam("n_last_seen")
    params = []
    for k in sorted(known):
        r = rows[k]
        params.append({"k": k, **{f"n_{c}": r[c] for c in counts}} | (
            {"n_last_seen": r["last_seen"]} if "last_seen" in table.c else {}))  # fmt: skip
    if params:
        conn.execute(update(table).where(table.c[key] == bindparam("k")).values(changes), params)
