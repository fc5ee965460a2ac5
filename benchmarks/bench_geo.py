"""Geo benchmark: gazetteer load time and geocoding throughput on the evaluation reports.

    python benchmarks/bench_geo.py [--rounds N]

Prints the gazetteer's build time from the package data and the bundled GeoNames extract (no
cache), its load time from the cache (target ≤ 1 s), the time of ``gazetteer add`` for one country
dump (``../shared/data/geonames/ML.txt``, 24,312 rows; target ≤ 10 s), and places/s and sentences/s
of the geo step alone (target ≥ 5,000 places/s) (``Geocoder.geoparse`` on already split and gated
sentences of ``tests/data/geo_eval.jsonl``), then of the whole ``dyadwatch geo`` verb (clean, split,
gate, parse, geoparse) on the same reports.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

EVAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "geo_eval.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20, help="passes over the reports for the geo step")
    args = ap.parse_args()

    from dyadwatch.geo.gazetteer import PLACES_CSV
    from dyadwatch.geo.geonames import load_gazetteer
    from dyadwatch.pipeline import Pipeline, geoparse
    from dyadwatch.records import Document
    from dyadwatch.settings import Settings

    build = load_gazetteer.__wrapped__
    started = time.perf_counter()
    gaz = build(PLACES_CSV, False)
    built = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as cache:
        build(PLACES_CSV, Path(cache))
        cached = build(PLACES_CSV, Path(cache))
    print(f"gazetteer: {len(gaz):,} places, {len(gaz.names) + len(gaz.alternates):,} names")
    print(f"gazetteer load: build {built:.2f} s (no cache), from cache {cached.load_seconds:.2f} s")
    dump = EVAL.parents[3] / "shared" / "data" / "geonames" / "ML.txt"
    if dump.exists():
        from dyadwatch.geo.imports import add

        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            done = add(dump, Path(folder) / "imports.sqlite")
            print(f"gazetteer add {dump.name}: {done.rows:,} rows in {time.perf_counter() - started:.2f} s")
    else:
        print(f"gazetteer add: skipped ({dump} absent)")

    rows = [json.loads(line) for line in EVAL.read_text().splitlines() if line.strip()]
    docs = [Document(origin=r["id"], text=r["text"], external_id=r["id"], date=r["date"]) for r in rows]
    pipeline = Pipeline(Settings())
    articles = [a for a in pipeline.articles(docs) if hasattr(a, "text")]
    parsed = [list(pipeline.nlp.parse(pipeline.nlp.sentences(a))) for a in articles]  # type: ignore[arg-type]
    sentences = sum(len(p) for p in parsed)
    places = 0
    started = time.perf_counter()
    for _ in range(args.rounds):
        places += sum(len(pipeline.geo.geoparse(p).mentions) for p in parsed)
    step = time.perf_counter() - started
    print(
        f"geo step: {places / step:,.0f} places/s, {args.rounds * sentences / step:,.0f} sentences/s "
        f"({len(articles)} reports x {args.rounds}, {places // args.rounds} place mentions a pass)"
    )
    started = time.perf_counter()
    done = list(geoparse(pipeline, docs))
    verb = time.perf_counter() - started
    found = sum(len(r.places.mentions) for r in done if hasattr(r, "places"))
    print(
        f"geo verb (clean, split, parse, geoparse): {found / verb:,.0f} places/s, {len(done) / verb:,.0f} reports/s"
    )


if __name__ == "__main__":
    main()
