"""Command line: thin wrappers over library verbs. Only this module prints."""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import query, store
from .errors import DyadwatchError
from .ingest import ingest as read_inputs
from .records import Event, Skip
from .settings import DEFAULT_DB, Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Political event data from news articles.")
out = Console(highlight=False, soft_wrap=False, width=None if os.environ.get("COLUMNS") else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)
DEMO_DIR = Path(__file__).resolve().parent / "data" / "demo"
T = TypeVar("T")

DbOpt = Annotated[
    str | None, typer.Option("--db", help=f"database URL [env DYADWATCH_DB; default {DEFAULT_DB}]")
]
ModelOpt = Annotated[
    str | None, typer.Option("--model", help="installed spaCy pipeline [env DYADWATCH_MODEL]")
]


def _run(fn: Callable[[], T]) -> T:
    """Run a command body; a DyadwatchError becomes one line and exit code 2, never a traceback."""
    try:
        return fn()
    except DyadwatchError as exc:
        err.print(f"[red]error {exc.code}[/red]: {exc.message}", markup=True)
        if exc.hint:
            err.print(f"hint: {exc.hint}")
        raise typer.Exit(2) from None


def _settings(db: str | None = None, model: str | None = None, **extra: Any) -> Settings:
    return Settings.from_env(db_url=db, model=model, **extra)


def _report_skip(skip: Skip) -> None:
    err.print(f"skipped {skip.code}: {skip.message}", markup=False)


@contextmanager
def _progress(total: int | None, label: str) -> Iterator[Callable[[str, int], None]]:
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


@app.command("code")
def code_cmd(
    file: Annotated[
        str, typer.Argument(help="JSON Lines ({id, text, date?} per line), text/HTML file, or -")
    ] = "-",
    fmt: Annotated[str, typer.Option("--format", help="jsonl | table")] = "jsonl",
    model: ModelOpt = None,
    no_gate: Annotated[bool, typer.Option("--no-gate", help="parse every sentence")] = False,
) -> None:
    """Code events in articles and print one event per line."""

    def body() -> None:
        from .pipeline import Pipeline, code  # spaCy loads with it: only for commands that code

        pipeline = Pipeline(_settings(model=model, gate=not no_gate))
        events: list[Event] = []
        roots: Counter[str] = Counter()
        skipped = 0
        for item in code(pipeline, read_inputs([file], pipeline.settings)):
            if isinstance(item, Skip):
                skipped += 1
                _report_skip(item)
                continue
            roots[item.root_code] += 1
            if fmt == "jsonl":
                sys.stdout.write(json.dumps(item.to_record(), ensure_ascii=False) + "\n")
            else:
                events.append(item)
        if fmt == "table":
            _print_events([e.to_record() for e in events])
        stats = pipeline.nlp.stats
        err.print(
            f"coded {stats['sentences']:.0f} sentences ({stats['parsed']:.0f} parsed): {sum(roots.values())} events, "
            f"skipped {skipped} inputs"
        )
        err.print("events by root: " + (" ".join(f"{r}:{n}" for r, n in sorted(roots.items())) or "none"))
        if stats["sentences"] == 0 and skipped:
            raise typer.Exit(1)

    _run(body)


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[str], typer.Argument(help="files, directories, or - for stdin")],
    db: DbOpt = None,
    model: ModelOpt = None,
    max_bytes: Annotated[int | None, typer.Option("--max-bytes", help="skip larger inputs")] = None,
) -> None:
    """Read, code and store articles; an article already in the database adds nothing."""

    def body() -> None:
        settings = _settings(db=db, model=model, max_bytes=max_bytes)
        from .pipeline import Pipeline, ingest

        pipeline = Pipeline(settings)
        with _progress(None, "ingest") as advance:
            report = ingest(pipeline, paths, settings.db_url, progress=advance)
        for skip in report.skips:
            _report_skip(skip)
        for note in report.notes:
            err.print(f"note: {note}", markup=False)
        out.print(
            f"{report.articles_new} new articles ({report.duplicates} copies or rewrites of stored ones), "
            f"{report.articles_known} already known, {report.mentions_new} new event mentions, "
            f"{len(report.skips)} skipped"
        )
        if report.processed == 0:
            raise typer.Exit(1)

    _run(body)


def _print_events(rows: list[dict[str, Any]]) -> None:
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
            f"{src['code']} {src['text']}",
            f"{r['event_code']} {r['event_name']}",
            f"{tgt['code']} {tgt['text']}" if tgt else "-",
            f"{r['confidence']:.2f}",
            flags,
            r["trigger"],
        )
    out.print(table)


def _print_dyads(rows: list[dict[str, Any]]) -> None:
    table = Table(title="directed dyads", pad_edge=False, box=None, header_style="bold")
    heads = ("source", "target", "events", "v.coop", "m.coop", "v.conf", "m.conf", "Goldstein")
    for col in heads:
        left = col in ("source", "target")
        table.add_column(
            col, justify="left" if left else "right", no_wrap=True, overflow="ellipsis", max_width=30
        )
    for r in rows:
        table.add_row(
            r["source"],
            r["target"],
            str(r["events"]),
            str(r["verbal_coop"]),
            str(r["material_coop"]),
            str(r["verbal_conflict"]),
            str(r["material_conflict"]),
            f"{r['mean_goldstein']:+.2f}",
        )
    out.print(table)


@app.command("events")
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
        engine = store.connect(_settings(db=db).db_url)
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
            _print_events(rows)

    _run(body)


@app.command("watch")
def watch_cmd(
    directory: Annotated[Path, typer.Argument(help="folder to watch (recursively)")],
    db: DbOpt = None,
    interval: Annotated[float, typer.Option(help="seconds between scans")] = 5.0,
    once: Annotated[bool, typer.Option("--once", help="scan once and exit")] = False,
) -> None:
    """Ingest files as they land in a folder; each file once, across restarts."""
    from .pipeline import Pipeline, watch_once

    def body() -> None:
        if not directory.is_dir():
            raise DyadwatchError("E101", origin=str(directory))
        settings = _settings(db=db)
        pipeline = Pipeline(settings)
        try:
            while True:
                report = watch_once(pipeline, directory, settings.db_url)
                for skip in report.ingest.skips:
                    _report_skip(skip)
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

    _run(body)


@app.command("mentions")
def mentions_cmd(
    event_id: Annotated[str, typer.Argument(help="an event_id from `dyadwatch events`")],
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table | jsonl")] = "table",
) -> None:
    """Every report of one event, with its article and sentence."""

    def body() -> None:
        rows = query.find_mentions(store.connect(_settings(db=db).db_url), event_id)
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
                origin,
                str(r["sentence_index"]),
                f"{r['confidence']:.2f}",
                r["sentence"],
            )
        out.print(table)

    _run(body)


@app.command("dyads")
def dyads_cmd(db: DbOpt = None, actor: Annotated[str | None, typer.Option()] = None) -> None:
    """Summarise directed dyads: events per QuadClass and mean Goldstein."""
    _run(lambda: _print_dyads(query.dyad_summary(store.connect(_settings(db=db).db_url), actor=actor)))


@app.command("demo")
def demo_cmd(
    db: Annotated[str, typer.Option("--db", help="database URL")] = "sqlite:///dyadwatch-demo.db",
) -> None:
    """Ingest the bundled demo articles into SQLite and print the events, dyads and stories."""

    def body() -> None:
        from .cli_corpus import print_stories
        from .pipeline import Pipeline, ingest

        pipeline = Pipeline(_settings(db=db))
        files = sorted(p for p in DEMO_DIR.iterdir() if p.suffix in (".txt", ".html"))
        report = ingest(pipeline, files, db)
        out.print(
            f"demo: {report.articles_new} new / {report.articles_known} known articles from {DEMO_DIR.name}/ "
            f"into {db}"
        )
        engine = store.connect(db)
        _print_events(query.find_events(engine))
        _print_dyads(query.dyad_summary(engine))
        print_stories(query.find_stories(engine))

    _run(body)


@app.command("evaluate")
def evaluate_cmd(
    name: Annotated[str, typer.Argument(help="evaluation set: plover | petr2")] = "plover",
    path: Annotated[Path | None, typer.Option(help="gold file (default: ../shared/data/...)")] = None,
    model: ModelOpt = None,
) -> None:
    """Score the coder against a gold standard and print precision/recall/F1."""
    from . import evaluate

    def body() -> None:
        if name not in ("plover", "petr2"):
            raise DyadwatchError("E204", name=name, choices=["plover", "petr2"])
        from .pipeline import Pipeline

        pipeline = Pipeline(_settings(model=model))
        if name == "plover":
            report = evaluate.evaluate_plover(pipeline, path or evaluate.PLOVER_GSR)
        else:
            report = evaluate.evaluate_petr2(pipeline, path or evaluate.PETR2_GSR)
        table = Table(title=f"{report.name}: {report.records} records")
        for col in ("measure", "precision", "recall", "F1", "tp", "fp", "fn"):
            table.add_column(col)
        for key, s in report.scores.items():
            table.add_row(
                key, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.fp), str(s.fn)
            )
        out.print(table)
        out.print("confusion (gold → predicted, '-' = nothing):")
        for (g, p), n in sorted(report.confusion.items(), key=lambda kv: -kv[1])[:30]:
            out.print(f"  {g:12} → {p:12} {n}")

    _run(body)


@app.command("import-petrarch")
def import_petrarch_cmd(
    actors: Annotated[Path, typer.Argument(help="TABARI/PETRARCH actor dictionary (.txt)")],
    out_file: Annotated[Path, typer.Option("--out", help="CSV to write (organisations/people format)")],
    agents: Annotated[Path | None, typer.Option("--agents", help="agent dictionary to convert too")] = None,
    agents_out: Annotated[Path | None, typer.Option("--agents-out", help="CSV for the agents")] = None,
) -> None:
    """Convert PETRARCH dictionaries; use the result with DYADWATCH_ACTORS=FILE."""
    from . import petrarch
    from .datafiles import load_countries, load_people, load_roles

    def body() -> None:
        isos, roles = {c.iso3 for c in load_countries()}, set(load_roles())
        entries = petrarch.read_actors(actors)
        rows = petrarch.export_csv(entries, out_file, isos, roles)
        load_people(out_file, required=True)  # the result must pass our own validation
        message = f"{len(entries)} actors → {rows} code periods in {out_file}"
        if agents is not None:
            target = agents_out or out_file.with_name(out_file.stem + "-agents.csv")
            n = petrarch.export_agents_csv(petrarch.read_agents(agents), target, roles)
            message += f"; {n} agent phrases in {target}"
        out.print(message)

    _run(body)


# Commands of other areas live in modules of their own (cli_<area>.py: `from .cli import app, …`
# then `@app.command(...)`); importing them here registers them. One line per module, sorted.
# --- area command modules ---
# isort: off
from . import cli_corpus  # noqa: E402, F401
from . import cli_export  # noqa: E402, F401
from . import cli_geo  # noqa: E402, F401
from . import cli_surfaces  # noqa: E402, F401
# isort: on

# --- end area command modules ---


def main() -> None:
    app()
