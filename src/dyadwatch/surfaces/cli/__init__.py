"""Command line: ``dyadwatch COMMAND``, assembled here from one module per command group.

``pipeline`` (code, ingest, watch, demo), ``query`` (events, mentions, dyads), ``corpus`` (stories,
duplicates), ``export``, ``geo``, ``serve`` (serve, plot), ``evaluate`` (evaluate,
import-petrarch) and ``scale`` (spark code, load). Each command parses its options and calls one
library verb; ``common`` holds the consoles, options, error handling and printers they share. Only
this package prints.
"""

from __future__ import annotations

from typing import Annotated

import typer

from dyadwatch import __version__
from dyadwatch.surfaces.cli import corpus, evaluate, export, geo, pipeline, query, scale, serve

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Political event data from news articles.")
for _module in (pipeline, query, corpus, export, geo, serve, evaluate, scale):
    app.registered_commands.extend(_module.group.registered_commands)
    app.registered_groups.extend(_module.group.registered_groups)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dyadwatch {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="print the version and exit")
    ] = False,
) -> None:
    """Political event data from news articles."""


def main() -> None:
    app()


__all__ = ["app", "main"]
