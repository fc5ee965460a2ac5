"""``spark-submit …/dyadwatch/scale/__main__.py INPUT OUTPUT``: the job of ``dyadwatch spark code``.

Also ``python -m dyadwatch.scale INPUT OUTPUT [--master local[2]]``. Prints the run's report as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys

from dyadwatch.errors import DyadwatchError
from dyadwatch.scale.job import spark_code, spark_session


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dyadwatch.scale", description=__doc__)
    parser.add_argument("input", help="file, directory or Hadoop URI of the archive")
    parser.add_argument("output", help="directory (or URI) to write the Parquet tables to")
    parser.add_argument("--master", default=None, help="e.g. local[2]; spark-submit sets it")
    parser.add_argument("--partitions", type=int, default=None, help="default: twice the cores")
    args = parser.parse_args(argv)
    try:
        report = spark_code(args.input, args.output, spark_session(args.master), partitions=args.partitions)
    except DyadwatchError as exc:
        print(f"error {exc.code}: {exc.message}", file=sys.stderr)
        return 2
    print(json.dumps(report.__dict__))
    return 0


if __name__ == "__main__":
    sys.exit(main())
