"""Commands that read the store: ``events``, ``mentions`` and ``dyads``."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from dyadwatch.errors import DyadwatchError
from dyadwatch.store import database as store
from dyadwatch.store import query
from dyadwatch.surfaces.cli.common import DbOpt, cell, make_settings, out, print_dyads, print_events, run

group = typer.Typer()


@group.command("events")
def events_cmd(
    db: DbOpt = None,
    actor: Annotated[str | None, typer.Option(help="actor or country code, e.g. RUS or MLIGOV")] = None,
    dyad: Annotated[str | None, typer.Option(help="two codes, either direction, e.g. RUS-MLI")] = None,
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table | jsonl | csv")] = "table",
    include_negated: Annotated[bool, typer.Option("--include-negated")] = False,
    limit: Annotated[int | None, typer.Option(help="at most this many events")] = None,
    min_sources: Annotated[
        int | None, typer.Option("--min-sources", help="reported by at least N sources")
    ] = None,
) -> None:
    """List stored events, newest first."""

    def body() -> None:
        engine = store.connect(make_settings(db=db).db_url)
        rows = query.find_events(engine, actor, dyad, since, until, include_negated, limit, min_sources)
        if fmt == "jsonl":
            for r in rows:
                sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        elif fmt == "csv":
            writer = csv.writer(sys.stdout)
            cols = [
                "event_id",
                "date",
                "source",
                "target",
                "event_code",
                "event_name",
                "quad_class",
                "goldstein",
                "confidence",
                "num_mentions",
                "num_articles",
                "doc_id",
                "sentence_index",
                "sentence",
            ]
            writer.writerow(cols)
            for r in rows:
                flat = {
                    **r,
                    "source": r["source"]["code"],
                    "target": r["target"]["code"] if r["target"] else "",
                }
                writer.writerow([flat[c] for c in cols])
        else:
            print_events(rows)

    run(body)


@group.command("mentions")
def mentions_cmd(
    event_id: Annotated[str, typer.Argument(help="an event_id from `dyadwatch events`")],
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table | jsonl")] = "table",
) -> None:
    """Every report of one event, with its article and sentence."""

    def body() -> None:
        rows = query.find_mentions(store.connect(make_settings(db=db).db_url), event_id)
        if not rows:
            raise DyadwatchError("E206", event_id=event_id)
        if fmt == "jsonl":
            for r in rows:
                sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
            return
        table = Table(pad_edge=False, box=None, header_style="bold")
        for col in ("published", "article", "source", "#", "conf", "sentence"):
            table.add_column(col, overflow="fold")
        for r in rows:
            origin = r["attributed_source"] or r["source"] or r["origin"]
            table.add_row(
                r["published"] or "",
                r["article_id"],
                cell(origin),
                str(r["sentence_index"]),
                f"{r['confidence']:.2f}",
                cell(r["sentence"]),
            )
        out.print(table)

    run(body)


@group.command("dyads")
def dyads_cmd(db: DbOpt = None, actor: Annotated[str | None, typer.Option()] = None) -> None:
    """Summarise directed dyads: events per QuadClass and mean Goldstein."""
    run(lambda: print_dyads(query.dyad_summary(store.connect(make_settings(db=db).db_url), actor=actor)))
