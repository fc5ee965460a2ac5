"""Ingest throughput into SQLite and PostgreSQL: the whole path, files to stored events.

    python benchmarks/bench_ingest.py [--articles N]

PostgreSQL is a throwaway server started from Debian's binaries on loopback (skipped with a reason
where they are absent). Prints articles/s for each back end and for a re-ingest of the same files
(every article already known).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate
from dyadwatch.pipeline import Pipeline, ingest
from dyadwatch.settings import Settings
from pgserver import new_database, server_binaries, throwaway_server


def _time(pipeline: Pipeline, src: Path, url: str) -> tuple[float, float]:
    start = time.perf_counter()
    first = ingest(pipeline, [src], url)
    mid = time.perf_counter()
    again = ingest(pipeline, [src], url)
    end = time.perf_counter()
    assert again.articles_new == 0 and first.articles_new > 0
    return first.articles_new / (mid - start), again.articles_known / (end - mid)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=300)
    args = ap.parse_args()
    pipeline = Pipeline(Settings())
    pipeline.nlp.nlp("Warm up.")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        src.write_text("\n".join(json.dumps(r) for r in generate(args.articles, seed=3)))
        rate, known = _time(pipeline, src, f"sqlite:///{tmp}/bench.db")
        print(f"SQLite      {rate:7.1f} articles/s ingested   {known:8.1f} articles/s re-ingest (all known)")
        if server_binaries() is None:
            print("PostgreSQL  skipped: server binaries not found (Debian package postgresql)")
            return
        with throwaway_server() as base:
            rate, known = _time(pipeline, src, new_database(base))
        print(f"PostgreSQL  {rate:7.1f} articles/s ingested   {known:8.1f} articles/s re-ingest (all known)")


if __name__ == "__main__":
    main()
