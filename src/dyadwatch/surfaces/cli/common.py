"""What every command shares: consoles, options, error handling, progress and table printers.

Only the CLI prints; commands are thin wrappers over library verbs (see :mod:`dyadwatch.surfaces.cli`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from dyadwatch.datafiles import DATA_DIR
from dyadwatch.errors import DyadwatchError
from dyadwatch.records import Skip
from dyadwatch.settings import DEFAULT_DB, Settings

out = Console(highlight=False, soft_wrap=False, width=None if os.environ.get("COLUMNS") else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)
DEMO_DIR = DATA_DIR / "demo"
T = TypeVar("T")

DbOpt = Annotated[
    str | None, typer.Option("--db", help=f"database URL [env DYADWATCH_DB; default {DEFAULT_DB}]")
]
ModelOpt = Annotated[
    str | None, typer.Option("--model", help="installed spaCy pipeline [env DYADWATCH_MODEL]")
]


def printable(text: str) -> str:
    """``text`` safe for one terminal line: control, format (bidi) and surrogate characters escaped."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def cell(text: str) -> str:
    """A table cell shown as written: no rich markup ("[/red]"), no terminal control characters."""
    return escape(printable(text))


def run(fn: Callable[[], T]) -> T:
    """Run a command body; a DyadwatchError becomes one line and exit code 2, never a traceback.

    A database that fails mid-run (disk full, server gone) and an OS error are one line too.
    """
    try:
        return fn()
    except DyadwatchError as exc:
        fail(exc)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        fail(DyadwatchError("E203", url="(database)", reason=reason))
    except OSError as exc:
        fail(
            DyadwatchError(
                "E111", origin=printable(str(exc.filename or "output")), reason=exc.strerror or str(exc)
            )
        )
    raise AssertionError("unreachable")


def fail(exc: DyadwatchError) -> NoReturn:
    err.print(f"[red]error {exc.code}[/red]: {escape(printable(exc.message))}", markup=True)
    if exc.hint:
        err.print(f"hint: {printable(exc.hint)}", markup=False)
    raise typer.Exit(2) from None


def make_settings(db: str | None = None, model: str | None = None, **extra: Any) -> Settings:
    return Settings.from_env(db_url=db, model=model, **extra)


def report_skip(skip: Skip) -> None:
    """One line per skipped input, whatever its name holds (a newline, an escape sequence)."""
    err.print(f"skipped {skip.code}: {printable(skip.message)}", markup=False)


@contextmanager
def progress(total: int | None, label: str) -> Iterator[Callable[[str, int], None]]:
    """A rich progress bar with rate on stderr when it is a terminal; a no-op otherwise."""
    if not err.is_terminal:
        yield lambda _what, _n: None
        return
    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[rate]}"),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(label, total=total, rate="")

        def advance(_what: str, n: int) -> None:
            bar.advance(task, n)
            elapsed = bar.tasks[task].elapsed or 0.0
            done = bar.tasks[task].completed
            bar.update(task, rate=f"{done / elapsed:.1f}/s" if elapsed else "")

        yield advance


def print_events(rows: list[dict[str, Any]]) -> None:
    """One line per event; the full record (sentence, spans, provenance) is in --format jsonl."""
    table = Table(pad_edge=False, box=None, header_style="bold")
    widths = {"date": 10, "source": 24, "event": 34, "target": 24, "conf": 4, "flags": 8, "trigger": 14}
    for col, width in widths.items():
        fixed = col in ("date", "conf", "flags")
        table.add_column(
            col, no_wrap=True, overflow="ellipsis", max_width=width, min_width=width if fixed else None
        )
    for r in rows:
        flags = ",".join(
            f
            for f, on in (
                ("neg", r["negated"]),
                ("if", r["hypothetical"]),
                ("future", r["future"]),
                ("hedged", r["hedged"]),
                ("reported", r["reported_by"]),
            )
            if on
        )
        src, tgt = r["source"], r["target"]
        cut = {"year": 4, "month": 7}.get(r.get("date_precision") or "", 10)  # "2022" for a year date
        table.add_row(
            (r["date"] or "")[:cut],
            cell(f"{src['code']} {src['text']}"),
            cell(f"{r['event_code']} {r['event_name']}"),
            cell(f"{tgt['code']} {tgt['text']}") if tgt else "-",
            f"{r['confidence']:.2f}",
            flags,
            cell(r["trigger"] or ""),
        )
    out.print(table)


def print_dyads(rows: list[dict[str, Any]]) -> None:
    table = Table(title="directed dyads", pad_edge=False, box=None, header_style="bold")
    heads = ("source", "target", "events", "v.coop", "m.coop", "v.conf", "m.conf", "Goldstein")
    for col in heads:
        left = col in ("source", "target")
        table.add_column(
            col, justify="left" if left else "right", no_wrap=True, overflow="ellipsis", max_width=30
        )
    for r in rows:
        table.add_row(
            cell(r["source"]),
            cell(r["target"]),
            str(r["events"]),
            str(r["verbal_coop"]),
            str(r["material_coop"]),
            str(r["verbal_conflict"]),
            str(r["material_conflict"]),
            f"{r['mean_goldstein']:+.2f}",
        )
    out.print(table)


def print_stories(rows: list[dict[str, Any]]) -> None:
    table = Table(title="stories", pad_edge=False, box=None, header_style="bold")
    for col, width in (("story", 19), ("n", 3), ("label", 62), ("headline", 50)):
        fixed = col in ("story", "n")
        table.add_column(
            col, no_wrap=True, overflow="ellipsis", max_width=width, min_width=width if fixed else None
        )
    for r in rows:
        table.add_row(r["story_id"], str(r["num_articles"]), cell(r["label"]), cell(r["headline"] or ""))
    out.print(table)
