"""Commands for archives beyond one machine: ``spark code`` (a Spark job) and ``load`` (its output into a store)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from dyadwatch.surfaces.cli.common import DbOpt, ModelOpt, err, make_settings, out, run

group = typer.Typer()
spark = typer.Typer(no_args_is_help=True, help="Run dyadwatch on Apache Spark (needs dyadwatch[spark]).")
group.add_typer(spark, name="spark")


@spark.command("code")
def spark_code_cmd(
    input_path: Annotated[
        str, typer.Argument(metavar="INPUT", help="archive: file, directory or Hadoop URI")
    ],
    output: Annotated[
        str, typer.Argument(metavar="OUTPUT", help="directory (or URI) for the Parquet tables")
    ],
    master: Annotated[
        str | None, typer.Option("--master", help="Spark master, e.g. local[2]; spark-submit sets it")
    ] = None,
    partitions: Annotated[int | None, typer.Option(help="partitions to code in (default: 2 × cores)")] = None,
    model: ModelOpt = None,
) -> None:
    """Code an article archive on Spark: partitioned Parquet of articles, events, mentions and skips."""

    def body() -> None:
        try:
            import pyspark  # noqa: F401
        except ImportError:
            err.print("dyadwatch spark needs PySpark: pip install 'dyadwatch[spark]'", markup=False)
            raise typer.Exit(2) from None
        from dyadwatch.scale.job import spark_code, spark_session

        session = spark_session(master)
        report = spark_code(input_path, output, session, make_settings(model=model), partitions)
        for code, n in report.skip_codes.items():
            err.print(f"skipped {n} × {code}", markup=False)
        err.print(
            f"spark: {report.articles} articles ({report.known} exact copies left out, {report.duplicates} "
            f"near-copies or rewrites), {report.events} events, {report.mentions} mentions, "
            f"{report.skips} skips from {report.files} files in {report.seconds:.0f} s → {output}",
            markup=False,
        )
        if report.articles == 0:
            raise typer.Exit(1)

    run(body)


@group.command("load")
def load_cmd(
    folder: Annotated[Path, typer.Argument(metavar="PARQUET_DIR", help="OUTPUT of `dyadwatch spark code`")],
    db: DbOpt = None,
) -> None:
    """Bulk-load a Spark run into the store (COPY on PostgreSQL); loading twice adds nothing."""

    def body() -> None:
        from dyadwatch.scale.loader import load

        url = make_settings(db=db).db_url
        report = load(folder, url)
        out.print(json.dumps(report.__dict__), markup=False)
        err.print(
            f"load: {report.articles_new} new / {report.articles_known} known articles, {report.events_new} "
            f"new events, {report.mentions_new} mentions, {report.skips_new} skips, "
            f"{report.stories_touched} stories into {url}",
            markup=False,
        )

    run(body)
