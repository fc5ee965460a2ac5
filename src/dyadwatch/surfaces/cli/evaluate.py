"""Commands over the coder's data: ``evaluate`` (gold standards) and ``import-petrarch``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from dyadwatch.errors import DyadwatchError
from dyadwatch.surfaces.cli.common import ModelOpt, make_settings, out, run

if TYPE_CHECKING:
    from dyadwatch.evaluation.geoparsing import GeoReport

group = typer.Typer()
GEO_SETS = {"geo-trnews": "trnews", "geo-gwn": "gwn", "geo-lgl": "lgl"}


@group.command("evaluate")
def evaluate_cmd(
    name: Annotated[
        str, typer.Argument(help="evaluation set: plover | petr2 | realdev | geo-trnews | geo-gwn | geo-lgl")
    ] = "plover",
    path: Annotated[Path | None, typer.Option(help="gold file (default: ../shared/data/...)")] = None,
    model: ModelOpt = None,
    context: Annotated[
        str,
        typer.Option(help="realdev: code each sentence within its article, or alone (article | sentence)"),
    ] = "article",
) -> None:
    """Score the coder (plover, petr2, realdev) or the geoparser (geo-*) against a gold standard."""
    from dyadwatch.evaluation import coding as evaluate

    def body() -> None:
        if name not in ("plover", "petr2", "realdev", *GEO_SETS):
            raise DyadwatchError("E204", name=name, choices=["plover", "petr2", "realdev", *GEO_SETS])
        from dyadwatch.pipeline import Pipeline

        pipeline = Pipeline(make_settings(model=model))
        if name in GEO_SETS:  # the geoparser on TR-News, GeoWebNews, LGL (see evaluation.geoparsing)
            from dyadwatch.evaluation.geoparsing import evaluate_geoparsing

            print_geo(evaluate_geoparsing(pipeline, GEO_SETS[name], path))
            return
        if name == "plover":
            report = evaluate.evaluate_plover(pipeline, path or evaluate.PLOVER_GSR)
        elif name == "realdev":  # shares of sentences are the recall column (see evaluation.realdev)
            from dyadwatch.evaluation import realdev

            report = realdev.evaluate_realdev(pipeline, path or realdev.ANNOTATIONS, context=context)
        else:
            report = evaluate.evaluate_petr2(pipeline, path or evaluate.PETR2_GSR)
        table = Table(title=f"{report.name}: {report.records} records")
        for col in ("measure", "precision", "recall", "F1", "tp", "fp", "fn"):
            table.add_column(col)
        for key, s in report.scores.items():
            share = key in ("silent event-bearing", "false events on no-event")  # a share: recall only
            p, f = ("-", "-") if share else (f"{s.precision:.3f}", f"{s.f1:.3f}")
            table.add_row(key, p, f"{s.recall:.3f}", f, str(s.tp), str(s.fp), str(s.fn))
        out.print(table)
        out.print("confusion (gold → predicted, '-' = nothing):")
        for (g, p), n in sorted(report.confusion.items(), key=lambda kv: -kv[1])[:30]:
            out.print(f"  {g:12} → {p:12} {n}")

    run(body)


def print_geo(report: GeoReport) -> None:
    """A geoparsing report beside mordecai3's published figures (resolution given the toponym)."""
    from dyadwatch.evaluation.geoparsing import MORDECAI3

    table = Table(title=f"{report.name}: {report.articles} articles, {report.skipped} gold spans unaligned")
    for col in ("task", "N", "acc@161", "median km", "AUC", "country", "GeoNames id", "unresolved"):
        table.add_column(col)
    rows = [("resolution (gold spans)", report.resolution), ("end to end", report.end_to_end)]
    for label, s in rows:
        if s is not None:
            table.add_row(
                label,
                str(s.n),
                f"{s.acc161:.3f}",
                f"{s.median_km:.1f}",
                f"{s.auc:.3f}",
                f"{s.country:.3f}",
                f"{s.exact_id:.3f}",
                str(s.unresolved),
            )
    m = MORDECAI3[report.name]
    table.add_row(
        "mordecai3 (published)",
        f"{m['n']:.0f}",
        f"{m['acc161']:.3f}",
        f"{m['median_km']:.1f}",
        "-",
        f"{m['country']:.3f}",
        f"{m['exact_id']:.3f}",
        "-",
    )
    out.print(table)
    if report.detection is not None:
        d = report.detection
        out.print(
            f"detection (span overlap): precision {d.precision:.3f} recall {d.recall:.3f} F1 {d.f1:.3f}"
        )


@group.command("import-petrarch")
def import_petrarch_cmd(
    actors: Annotated[Path, typer.Argument(help="TABARI/PETRARCH actor dictionary (.txt)")],
    out_file: Annotated[Path, typer.Option("--out", help="CSV to write (organisations/people format)")],
    agents: Annotated[Path | None, typer.Option("--agents", help="agent dictionary to convert too")] = None,
    agents_out: Annotated[Path | None, typer.Option("--agents-out", help="CSV for the agents")] = None,
    verbs: Annotated[Path | None, typer.Option("--verbs", help="verb dictionary to convert too")] = None,
    verbs_out: Annotated[Path | None, typer.Option("--verbs-out", help="CSV for the verbs")] = None,
) -> None:
    """Convert PETRARCH dictionaries; use the result with DYADWATCH_ACTORS=FILE."""
    from dyadwatch.coding import petrarch
    from dyadwatch.datafiles import load_countries, load_people, load_roles

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
        if verbs is not None:
            from dyadwatch.datafiles import load_codebook, load_triggers

            target = verbs_out or out_file.with_name(out_file.stem + "-verbs.csv")
            n = petrarch.export_verbs_csv(petrarch.read_verbs(verbs), target, set(load_codebook()))
            load_triggers(target)  # the result must pass our own validation
            message += f"; {n} verb entries in {target}"
        out.print(message)

    run(body)


# Commands of other areas live in modules of their own (cli_<area>.py: `from .cli import app, …`
# then `@group.command(...)`); importing them here registers them. One line per module, sorted.
