"""``dyadwatch geo``: the places of each input document, one JSON line per document."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from dyadwatch.ingest.readers import ingest as read_inputs
from dyadwatch.records import Skip
from dyadwatch.surfaces.cli.common import ModelOpt, err, make_settings, report_skip, run

group = typer.Typer()


@group.command("geo")
def geo_cmd(
    file: Annotated[
        str, typer.Argument(help="JSON Lines ({id, text, date?} per line), text/HTML file, or -")
    ] = "-",
    model: ModelOpt = None,
) -> None:
    """Find the places of each document: {doc_id, places, primary} per line."""

    def body() -> None:
        from dyadwatch.pipeline import (
            Pipeline,
            geoparse,  # spaCy loads with these: only when the command runs
        )

        pipeline = Pipeline(make_settings(model=model))
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
