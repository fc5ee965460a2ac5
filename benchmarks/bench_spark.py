"""Spark benchmark: articles/s of `spark code` on local[1] and local[2] against single-process `dyadwatch code`.

    python benchmarks/bench_spark.py [--limit N] [--price-per-core-hour USD]

The real-news corpus: the articles of TR-News, GeoWebNews and LGL (``../shared/data/geoparsing/``,
read in place), written to four JSON Lines part files in a temporary directory. One run, in order:

1. single process — ``dyadwatch code`` (the library verb) over the same files, after the pipeline
   is loaded (load time printed apart);
2. ``spark code`` on ``local[1]``, then on ``local[2]`` — wall time of the whole job (reading,
   cleaning, coding, signatures, duplicate groups, Parquet), the pipeline loads in the workers included;
3. executor peak memory — the peak resident set of the Python workers that hold a pipeline
   (``ru_maxrss``, asked of the workers after the run);
4. projected cost per million articles from the ``local[2]`` rate: core-hours × the price given (a
   long job pays the pipeline loads once per worker, so this overstates the cost of a large run).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ("trnews", "gwn", "lgl")


def write_corpus(folder: Path, limit: int | None) -> int:
    from dyadwatch.evaluation.geoparsing import read_corpus

    rows = []
    for name in CORPORA:
        articles, _ = read_corpus(name)
        rows += [{"id": f"{name}-{a.doc_id}", "text": a.text} for a in articles if a.text.strip()]
    rows = rows[:limit] if limit else rows
    for k in range(4):
        part = folder / f"part-{k}.jsonl"
        part.write_text("".join(json.dumps(r) + "\n" for r in rows[k::4]), encoding="utf-8")
    return len(rows)


def single_process(folder: Path) -> tuple[float, float, int]:
    from dyadwatch.ingest.readers import ingest as read_inputs
    from dyadwatch.pipeline import Pipeline, code
    from dyadwatch.records import Skip
    from dyadwatch.settings import Settings

    started = time.perf_counter()
    pipeline = Pipeline(Settings())
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    events = sum(
        1 for item in code(pipeline, read_inputs([folder], pipeline.settings)) if not isinstance(item, Skip)
    )
    return loaded, time.perf_counter() - started, events


def worker_peak() -> tuple[int, float]:
    """(pid, peak RSS in MB) of this Python worker, if it holds a pipeline."""
    from dyadwatch.scale import worker

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return os.getpid(), peak if worker._PIPELINES else 0.0


def spark_run(master: str, folder: Path, out: Path) -> dict[str, Any]:
    from dyadwatch.scale.job import spark_code, spark_session

    spark = spark_session(master, app=f"bench-{master}")
    try:
        started = time.perf_counter()
        report = spark_code(str(folder), str(out), spark)
        took = time.perf_counter() - started
        cores = spark.sparkContext.defaultParallelism
        probes = (
            spark.sparkContext.parallelize(range(8 * cores), 8 * cores).map(lambda _: worker_peak()).collect()
        )
    finally:
        spark.stop()
    peaks = {pid: mb for pid, mb in probes if mb}
    return {"master": master, "seconds": took, "articles": report.articles + report.known,
            "events": report.events, "skips": report.skips, "workers": len(peaks),
            "peak_mb": max(peaks.values()) if peaks else None}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="first N articles only")
    ap.add_argument("--price-per-core-hour", type=float, default=0.048,
                    help="USD per vCPU-hour (default: on-demand general-purpose cloud VM, 2 vCPU at 0.096/h)")  # fmt: skip
    args = ap.parse_args()
    from dyadwatch.evaluation.geoparsing import GEOPARSING

    if not GEOPARSING.exists():
        print(f"skipped: the real-news corpus is absent ({GEOPARSING})")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp, "in"), Path(tmp, "out")
        folder.mkdir()
        n = write_corpus(folder, args.limit)
        print(f"corpus: {n} articles of TR-News, GeoWebNews and LGL in 4 part files; {os.cpu_count()} cores")
        loaded, took, events = single_process(folder)
        print(f"dyadwatch code (1 process): {n / took:6.1f} articles/s ({took:.1f} s, {events} events; "
              f"pipeline load {loaded:.1f} s apart)")  # fmt: skip
        per_core = 0.0
        for master in ("local[1]", "local[2]"):
            r = spark_run(master, folder, out / master)
            cores = int(master[6:-1])
            rate = r["articles"] / r["seconds"]
            peak = f"{r['peak_mb']:.0f} MB" if r["peak_mb"] else "n/a"
            print(f"spark code {master}: {rate:6.1f} articles/s ({r['seconds']:.1f} s, the workers' pipeline "
                  f"loads included); {r['events']} events, {r['skips']} skips; {r['workers']} Python workers "
                  f"with a pipeline, peak RSS {peak} each")  # fmt: skip
            per_core = rate / cores
        core_hours = 1e6 / per_core / 3600
        print(f"projected: {core_hours:,.0f} core-hours per million articles at the local[2] rate "
              f"= ${core_hours * args.price_per_core_hour:,.0f} at ${args.price_per_core_hour}/core-hour "
              f"(executor memory: one pipeline per core)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
