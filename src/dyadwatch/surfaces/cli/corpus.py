"""Commands over the corpus: stories and duplicate groups (library: :mod:`dyadwatch.store.query`)."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from dyadwatch.store import database as store
from dyadwatch.store import query
from dyadwatch.surfaces.cli.common import DbOpt, make_settings, out, print_stories, run

group = typer.Typer()
FormatOpt = Annotated[str, typer.Option("--format", help="table | jsonl")]


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "jsonl"):
        raise typer.BadParameter(f"{fmt!r}: choose table or jsonl", param_hint="--format")


def _jsonl(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")


@group.command("stories")
def stories_cmd(
    db: DbOpt = None,
    fmt: FormatOpt = "table",
    limit: Annotated[int, typer.Option(min=1, help="at most this many stories")] = 100,
) -> None:
    """Stories: articles about the same thing, with a label and their member articles."""
    _check_format(fmt)

    def body() -> None:
        rows = query.find_stories(store.connect(make_settings(db=db).db_url), limit)
        if fmt == "jsonl":
            _jsonl(rows)
        else:
            print_stories(rows)

    run(body)


@group.command("duplicates")
def duplicates_cmd(db: DbOpt = None, fmt: FormatOpt = "table") -> None:
    """Duplicate groups: copies and rewrites of one report, how each matched, syndication signals."""
    _check_format(fmt)

    def body() -> None:
        groups = query.find_duplicates(store.connect(make_settings(db=db).db_url))
        if fmt == "jsonl":
            _jsonl(groups)
            return
        table = Table(pad_edge=False, box=None, header_style="bold")
        for col, width in (
            ("group", 16),
            ("article", 16),
            ("kind", 8),
            ("score", 6),
            ("signals", 44),
            ("title", 50),
        ):
            fixed = col != "title"
            table.add_column(
                col, no_wrap=True, overflow="ellipsis", max_width=width, min_width=width if fixed else None
            )
        for g in groups:
            for a in g["articles"]:
                signals = [k for k, v in a["signals"].items() if v is True]
                if a["signals"].get("attributed_source"):
                    signals.insert(0, f"source={a['signals']['attributed_source']}")
                score = "" if a["kind"] == "original" else f"{a['score']:.2f}"
                table.add_row(g["group_id"], a["id"], a["kind"], score, ",".join(signals), a["title"] or "")
        out.print(table)
        out.print(f"{len(groups)} duplicate groups, {sum(g['copy_count'] for g in groups)} copies")

    run(body)
