"""Commands that run the pipeline: ``code``, ``ingest``, ``watch`` and ``demo``."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from dyadwatch.errors import DyadwatchError
from dyadwatch.ingest.readers import ingest as read_inputs
from dyadwatch.records import Event, Skip
from dyadwatch.store import database as store
from dyadwatch.store import query
from dyadwatch.surfaces.cli.common import (
    DEMO_DIR,
    DbOpt,
    ModelOpt,
    err,
    make_settings,
    out,
    print_dyads,
    print_events,
    print_stories,
    printable,
    progress,
    report_skip,
    run,
)
from dyadwatch.surfaces.cli.geo import CountryOpt

group = typer.Typer()


@group.command("code")
def code_cmd(
    file: Annotated[
        str, typer.Argument(help="JSON Lines ({id, text, date?} per line), text/HTML file, or -")
    ] = "-",
    fmt: Annotated[str, typer.Option("--format", help="jsonl | table")] = "jsonl",
    model: ModelOpt = None,
    no_gate: Annotated[bool, typer.Option("--no-gate", help="parse every sentence")] = False,
    country: CountryOpt = None,
) -> None:
    """Code events in articles and print one event per line."""

    def body() -> None:
        from dyadwatch.pipeline import Pipeline, code  # spaCy loads with it: only for commands that code

        pipeline = Pipeline(make_settings(model=model, gate=not no_gate, country=country))
        events: list[Event] = []
        roots: Counter[str] = Counter()
        skipped = 0
        for item in code(pipeline, read_inputs([file], pipeline.settings)):
            if isinstance(item, Skip):
                skipped += 1
                report_skip(item)
                continue
            roots[item.root_code] += 1
            if fmt == "jsonl":
                sys.stdout.write(json.dumps(item.to_record(), ensure_ascii=False) + "\n")
            else:
                events.append(item)
        if fmt == "table":
            print_events([e.to_record() for e in events])
        stats = pipeline.nlp.stats
        err.print(
            f"coded {stats['sentences']:.0f} sentences ({stats['parsed']:.0f} parsed): {sum(roots.values())} events, "
            f"skipped {skipped} inputs"
        )
        err.print("events by root: " + (" ".join(f"{r}:{n}" for r, n in sorted(roots.items())) or "none"))
        if stats["sentences"] == 0 and skipped:
            raise typer.Exit(1)

    run(body)


@group.command("ingest")
def ingest_cmd(
    paths: Annotated[list[str], typer.Argument(help="files, directories, or - for stdin")],
    db: DbOpt = None,
    model: ModelOpt = None,
    max_bytes: Annotated[int | None, typer.Option("--max-bytes", help="skip larger inputs")] = None,
    country: CountryOpt = None,
) -> None:
    """Read, code and store articles; an article already in the database adds nothing."""

    def body() -> None:
        settings = make_settings(db=db, model=model, max_bytes=max_bytes, country=country)
        from dyadwatch.pipeline import Pipeline, ingest

        pipeline = Pipeline(settings)
        with progress(None, "ingest") as advance:
            report = ingest(pipeline, paths, settings.db_url, progress=advance)
        for skip in report.skips:
            report_skip(skip)
        for note in report.notes:
            err.print(f"note: {printable(note)}", markup=False)
        out.print(
            f"{report.articles_new} new articles ({report.duplicates} copies or rewrites of stored ones), "
            f"{report.articles_known} already known, {report.mentions_new} new event mentions, "
            f"{len(report.skips)} skipped"
        )
        if report.processed == 0:
            raise typer.Exit(1)

    run(body)


@group.command("watch")
def watch_cmd(
    directory: Annotated[Path, typer.Argument(help="folder to watch (recursively)")],
    db: DbOpt = None,
    interval: Annotated[float, typer.Option(help="seconds between scans")] = 5.0,
    once: Annotated[bool, typer.Option("--once", help="scan once and exit")] = False,
    country: CountryOpt = None,
) -> None:
    """Ingest files as they land in a folder; each file once, across restarts."""
    from dyadwatch.pipeline import Pipeline, watch_once

    def body() -> None:
        if not directory.is_dir():
            raise DyadwatchError("E101", origin=str(directory))
        settings = make_settings(db=db, country=country)
        pipeline = Pipeline(settings)
        try:
            while True:
                report = watch_once(pipeline, directory, settings.db_url)
                for skip in report.ingest.skips:
                    report_skip(skip)
                if report.files_new or once:
                    out.print(
                        f"{report.files_new} new files ({report.files_seen} seen before): "
                        f"{report.ingest.articles_new} new articles, {report.ingest.mentions_new} new event mentions"
                    )
                if once:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            err.print("watch stopped")

    run(body)


@group.command("demo")
def demo_cmd(
    db: Annotated[str, typer.Option("--db", help="database URL")] = "sqlite:///dyadwatch-demo.db",
) -> None:
    """Ingest the bundled demo articles into SQLite and print the events, dyads and stories."""

    def body() -> None:
        from dyadwatch.pipeline import Pipeline, ingest

        pipeline = Pipeline(make_settings(db=db))
        files = sorted(p for p in DEMO_DIR.iterdir() if p.suffix in (".txt", ".html"))
        report = ingest(pipeline, files, db)
        out.print(
            f"demo: {report.articles_new} new / {report.articles_known} known articles from {DEMO_DIR.name}/ "
            f"into {db}"
        )
        engine = store.connect(db)
        print_events(query.find_events(engine))
        print_dyads(query.dyad_summary(engine))
        print_stories(query.find_stories(engine))

    run(body)
