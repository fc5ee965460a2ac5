"""Fit the confidence calibration table from the PLOVER gold records (../shared).

Each coded event is judged correct when its PLOVER type and its source match the gold record. Raw
coder scores are binned, precision is computed per bin and made monotone (pool adjacent
violators), and the table is written to src/dyadwatch/data/events/calibration.csv. The test suite
checks the table against a different set (our own root sentences).

    .venv/bin/python scripts/calibrate.py
"""

from __future__ import annotations

import csv
import itertools
import sys
from pathlib import Path

from dyadwatch.evaluation.coding import _gold_codes, actor_key, load_plover_gsr, plover_type
from dyadwatch.pipeline import Pipeline, code
from dyadwatch.records import Document, Event
from dyadwatch.settings import Settings

OUT = Path(__file__).resolve().parents[1] / "src/dyadwatch/data/events/calibration.csv"
EDGES = [0.0, 0.45, 0.55, 0.62, 0.7, 0.8, 1.01]
MIN_EVENTS = 20


def main() -> None:
    pipeline = Pipeline(Settings())
    pipeline.coder.calibration = ()  # fit on raw scores
    gold = {r["id"]: r for r in load_plover_gsr()}
    docs = [Document(origin=i, text=r["text"], external_id=i) for i, r in gold.items()]
    pairs: list[tuple[float, bool]] = []
    for e in code(pipeline, docs):
        if isinstance(e, Event) and plover_type(e):
            rec = gold[e.doc_id]
            ok = plover_type(e) == rec["event"] and actor_key(e.source) in _gold_codes(rec.get("source"))
            pairs.append((e.confidence, ok))
    bins = []
    for lo, hi in itertools.pairwise(EDGES):
        inside = [ok for score, ok in pairs if lo <= score < hi]
        bins.append([lo, hi, sum(inside), len(inside)])
    # bins of fewer than MIN_EVENTS join their left neighbour (too few to measure a precision), then
    # pool adjacent violators: precision must not fall as the raw score rises
    sized: list[list[float]] = []
    for b in bins:
        if sized and (b[3] < MIN_EVENTS or sized[-1][3] < MIN_EVENTS):
            sized[-1] = [sized[-1][0], b[1], sized[-1][2] + b[2], sized[-1][3] + b[3]]
        else:
            sized.append(b)
    merged: list[list[float]] = []
    for b in sized:
        merged.append(b)
        while len(merged) > 1 and _prec(merged[-2]) > _prec(merged[-1]):
            hi_b = merged.pop()
            lo_b = merged.pop()
            merged.append([lo_b[0], hi_b[1], lo_b[2] + hi_b[2], lo_b[3] + hi_b[3]])
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["raw_min", "raw_max", "precision", "events", "notes"])
        for lo, hi, hits, n in merged:
            w.writerow(
                [f"{lo:.2f}", f"{hi:.2f}", f"{_prec([lo, hi, hits, n]):.3f}", int(n), "fit on PLOVER GSR"]
            )
    print(f"{len(pairs)} events; wrote {len(merged)} bins to {OUT}", file=sys.stderr)


def _prec(b: list[float]) -> float:
    return (b[2] + 1) / (b[3] + 2)  # Laplace-smoothed: small bins do not claim certainty


if __name__ == "__main__":
    main()
