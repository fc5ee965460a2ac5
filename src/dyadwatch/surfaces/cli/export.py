"""``dyadwatch export``: a thin wrapper over :func:`dyadwatch.formats.export.export`."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from dyadwatch.formats import export
from dyadwatch.store import database as store
from dyadwatch.surfaces.cli.common import DbOpt, err, make_settings, run

group = typer.Typer()


class ExportFormat(StrEnum):
    """The choices of ``--format`` (the same as :data:`dyadwatch.formats.export.FORMATS`)."""

    gdelt = "gdelt"
    plover = "plover"
    csv = "csv"
    parquet = "parquet"
    jsonl = "jsonl"


assert tuple(f.value for f in ExportFormat) == export.FORMATS


@group.command("export")
def export_cmd(
    fmt_choice: Annotated[ExportFormat, typer.Option("--format", help="output format")] = ExportFormat.jsonl,
    out_path: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="a file, a prefix (the format's extension is added) or a folder ending in / (standard "
            "names: events.csv, dyadwatch.export.CSV …); text formats default to stdout",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="overwrite files that exist")] = False,
    db: DbOpt = None,
    actor: Annotated[str | None, typer.Option(help="actor or country code, e.g. RUS or MLIGOV")] = None,
    dyad: Annotated[str | None, typer.Option(help="two codes, either direction, e.g. RUS-MLI")] = None,
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    min_sources: Annotated[
        int | None, typer.Option("--min-sources", help="reported by at least N sources")
    ] = None,
    include_negated: Annotated[bool, typer.Option("--include-negated")] = False,
) -> None:
    """Export stored events as GDELT 2.0, PLOVER, CSV, Parquet or JSON Lines."""

    fmt: str = fmt_choice.value

    def body() -> None:
        export.check_target(fmt, out_path, force)  # a bad target fails before the database is opened
        engine = store.connect(make_settings(db=db).db_url)
        filters = export.Filters(actor, dyad, since, until, min_sources, include_negated)
        report = export.export(engine, fmt, out_path, stream=sys.stdout, filters=filters, force=force)
        where = f" → {', '.join(str(p) for p in report.files)}" if report.files else ""
        err.print(
            f"exported {report.events} events ({report.mentions} mentions) as {fmt}{where}", markup=False
        )
        if report.left_out:
            err.print(
                f"left out {report.left_out} events {fmt} has no type for (most CAMEO 01 statements and 02 appeals)",
                markup=False,
            )

    run(body)
