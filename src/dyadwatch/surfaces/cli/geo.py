"""``dyadwatch geo``: the places of each input document, one JSON line per document; ``dyadwatch
gazetteer add|info|remove``: GeoNames dump files imported into the gazetteer cache."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from dyadwatch.ingest.readers import ingest as read_inputs
from dyadwatch.records import Skip
from dyadwatch.surfaces.cli.common import ModelOpt, err, make_settings, out, report_skip, run

CountryOpt = Annotated[
    str | None,
    typer.Option(
        "--country",
        help="ISO3 country the input reports on (ranking; fallback place) [env DYADWATCH_COUNTRY]",
    ),
]
group = typer.Typer()
gazetteer = typer.Typer(help="GeoNames files in the gazetteer: add, info, remove.", no_args_is_help=True)
group.add_typer(gazetteer, name="gazetteer")


def _store() -> Path:
    from dyadwatch.errors import DyadwatchError
    from dyadwatch.geo.geonames import cache_dir
    from dyadwatch.geo.imports import store_path

    folder = cache_dir()
    if folder is None:
        raise DyadwatchError("E033")
    return store_path(folder)


@gazetteer.command("add")
def gazetteer_add_cmd(
    files: Annotated[
        list[Path], typer.Argument(help="GeoNames dumps: XX.txt/.zip, cities500.zip, allCountries.zip…")
    ],
) -> None:
    """Import GeoNames dump files (streamed; resumable; the same file twice adds nothing)."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TimeRemainingColumn

    from dyadwatch.geo.imports import add

    def body() -> None:
        store = _store()
        with Progress(
            "[progress.description]{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
            console=err, transient=True,
        ) as bar:  # fmt: skip
            for path in files:
                task = bar.add_task(path.name, total=None)

                def advance(n: int, total: int, task: TaskID = task) -> None:
                    bar.update(task, completed=n, total=total)

                done = add(path, store, advance)
                bar.remove_task(task)
                what = f"{done.rows:,} {done.kind} rows" if done.new else "already imported, nothing added"
                out.print(f"{path.name}: {what}")

    run(body)


@gazetteer.command("info")
def gazetteer_info_cmd() -> None:
    """The imported files, and their places by country and feature class."""
    from dyadwatch.geo.imports import info

    def body() -> None:
        store = _store()
        report = info(store)
        out.print(f"{store}: {report['places']:,} imported places")
        for source in report["sources"]:
            out.print(
                f"  {source['name']} ({source['kind']}, {source['status']}): {source['rows']:,} rows, sha256 {source['sha256']}"
            )
        out.print("by country: " + ", ".join(f"{k} {v:,}" for k, v in report["by_country"].items()))
        out.print("by feature class: " + ", ".join(f"{k} {v:,}" for k, v in report["by_class"].items()))

    run(body)


@gazetteer.command("remove")
def gazetteer_remove_cmd(
    name: Annotated[
        str, typer.Argument(help="the file name shown by `gazetteer info`, or its sha256 prefix")
    ],
) -> None:
    """Remove an imported file's rows from the gazetteer."""
    from dyadwatch.geo.imports import remove

    def body() -> None:
        removed = remove(name, _store())
        out.print(f"removed {removed} imported file(s) called {name!r}")
        if not removed:
            raise typer.Exit(1)

    run(body)


@group.command("geo")
def geo_cmd(
    file: Annotated[
        str, typer.Argument(help="JSON Lines ({id, text, date?} per line), text/HTML file, or -")
    ] = "-",
    model: ModelOpt = None,
    country: CountryOpt = None,
) -> None:
    """Find the places of each document: {doc_id, places, primary} per line."""

    def body() -> None:
        from dyadwatch.pipeline import (
            Pipeline,
            geoparse,  # spaCy loads with these: only when the command runs
        )

        pipeline = Pipeline(make_settings(model=model, country=country))
        documents = places = skipped = 0
        for item in geoparse(pipeline, read_inputs([file], pipeline.settings)):
            if isinstance(item, Skip):
                skipped += 1
                report_skip(item)
                continue
            record = item.to_record()
            documents += 1
            places += len(record["places"])
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        err.print(f"geo: {documents} documents, {places} place mentions, skipped {skipped} inputs")
        if documents == 0:
            raise typer.Exit(1)

    run(body)
