"""Commands of the analyst surfaces: ``serve`` (the REST API) and ``plot dyad`` (timeline charts).

Thin wrappers over :func:`dyadwatch.surfaces.api.app.create_app` and :func:`dyadwatch.surfaces.plot.plot_dyad`; the API,
uvicorn and matplotlib are imported when a command runs, not when the CLI starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dyadwatch.store import database as store
from dyadwatch.surfaces.cli.common import DbOpt, err, make_settings, out, run

group = typer.Typer()
plot_app = typer.Typer(no_args_is_help=True, help="Charts of the stored events.")
group.add_typer(plot_app, name="plot")


@group.command("serve")
def serve_cmd(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
) -> None:
    """Serve the analyst REST API (OpenAPI at /openapi.json, docs at /docs).

    POST /api/articles needs DYADWATCH_API_TOKEN; DYADWATCH_API_READ_TOKEN protects reads.
    """

    def body() -> None:
        import uvicorn

        from dyadwatch.surfaces.api.app import create_app

        db_url = make_settings(db=db).db_url
        application = create_app(db_url)
        ingest = "on" if application.state.api.token else "off (no DYADWATCH_API_TOKEN)"
        reads = "token" if application.state.api.reads_need_token else "open"
        err.print(f"dyadwatch API on http://{host}:{port}/api over {db_url}: reads {reads}, ingest {ingest}")
        uvicorn.run(application, host=host, port=port, log_level="info")

    run(body)


@plot_app.command("dyad")
def plot_dyad_cmd(
    a: Annotated[str, typer.Argument(help="actor: ISO3, code or code prefix, e.g. RUS")],
    b: Annotated[str, typer.Argument(help="the other actor, e.g. MLI")],
    out_file: Annotated[Path, typer.Option("--out", help="chart to write: .png or .svg")],
    interval: Annotated[str, typer.Option(help="day | week | month | year")] = "month",
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    direction: Annotated[str, typer.Option(help="both | ab (a → b) | ba (b → a)")] = "both",
    include_negated: Annotated[bool, typer.Option("--include-negated")] = False,
    db: DbOpt = None,
) -> None:
    """Chart the events between two actors per period: stacked QuadClasses and mean Goldstein."""
    from dyadwatch.surfaces import plot

    def body() -> None:
        engine = store.connect(make_settings(db=db).db_url)
        tl = plot.plot_dyad(engine, a, b, out_file, interval, since, until, include_negated, direction)
        total = tl["totals"][direction]
        out.print(
            f"{out_file}: {total['events']} events between {tl['a']} and {tl['b']} "
            f"over {len(tl['periods'])} {interval}s"
        )

    run(body)
