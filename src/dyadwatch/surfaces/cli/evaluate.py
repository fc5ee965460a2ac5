"""Commands over the coder's data: ``evaluate`` (gold standards) and ``import-petrarch``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dyadwatch.errors import DyadwatchError
from dyadwatch.surfaces.cli.common import ModelOpt, make_settings, out, run

group = typer.Typer()


@group.command("evaluate")
def evaluate_cmd(
    name: Annotated[str, typer.Argument(help="evaluation set: plover | petr2 | realdev")] = "plover",
    path: Annotated[Path | None, typer.Option(help="gold file (default: ../shared/data/...)")] = None,
    model: ModelOpt = None,
) -> None:
    """Score the coder against a gold standard and print precision/recall/F1."""
    from dyadwatch.evaluation import coding as evaluate

    def body() -> None:
        if name not in ("plover", "petr2", "realdev"):
            raise DyadwatchError("E204", name=name, choices=["plover", "petr2", "realdev"])
        from dyadwatch.pipeline import Pipeline

        pipeline = Pipeline(make_settings(model=model))
        if name == "plover":
            report = evaluate.evaluate_plover(pipeline, path or evaluate.PLOVER_GSR)
        elif name == "realdev":  # shares of sentences are the recall column (see evaluation.realdev)
            from dyadwatch.evaluation import realdev

            report = realdev.evaluate_realdev(pipeline, path or realdev.ANNOTATIONS)
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

    run(body)


@group.command("import-petrarch")
def import_petrarch_cmd(
    actors: Annotated[Path, typer.Argument(help="TABARI/PETRARCH actor dictionary (.txt)")],
    out_file: Annotated[Path, typer.Option("--out", help="CSV to write (organisations/people format)")],
    agents: Annotated[Path | None, typer.Option("--agents", help="agent dictionary to convert too")] = None,
    agents_out: Annotated[Path | None, typer.Option("--agents-out", help="CSV for the agents")] = None,
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
        out.print(message)

    run(body)


# Commands of other areas live in modules of their own (cli_<area>.py: `from .cli import app, …`
# then `@group.command(...)`); importing them here registers them. One line per module, sorted.
