"""Ingest killed with SIGKILL at random points, then rerun, ends with exactly the uninterrupted result."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dyadwatch import store

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _snapshot(url: str) -> dict[str, object]:
    engine = store.connect(url)
    with engine.connect() as conn:
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in
                  (store.articles, store.events, store.event_mentions)}  # fmt: skip
        ids = sorted(r[0] for r in conn.execute(select(store.events.c.id)))
        tallies = sorted(
            conn.execute(select(store.events.c.id, store.events.c.num_mentions, store.events.c.num_articles))
        )
    engine.dispose()
    return {"counts": counts, "event_ids": ids, "tallies": [tuple(t) for t in tallies]}


def _ingest(src: Path, url: str, kill_after: float | None = None) -> bool:
    """Run `dyadwatch ingest` in a child process; kill it after `kill_after` seconds. True if it finished."""
    proc = subprocess.Popen([sys.executable, "-m", "dyadwatch", "ingest", str(src), "--db", url],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    if kill_after is None:
        return proc.wait(timeout=600) == 0
    time.sleep(kill_after)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        return False
    return proc.returncode == 0


def test_sigkill_at_random_points_then_rerun_equals_uninterrupted(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCH))
    from corpus import generate

    src = tmp_path / "corpus.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in generate(200, seed=11)))
    baseline_url = f"sqlite:///{tmp_path / 'baseline.db'}"
    assert _ingest(src, baseline_url)
    expected = _snapshot(baseline_url)
    assert expected["counts"]["articles"] == 200  # type: ignore[index]
    rng = random.Random(5)
    kills = 0
    for run in range(2):
        url = f"sqlite:///{tmp_path / f'crash{run}.db'}"
        for _ in range(6):
            if not _ingest(src, url, kill_after=rng.uniform(2.5, 7.0)):
                kills += 1
        _ingest(src, url)
        assert _snapshot(url) == expected, f"run {run} differs after kills"
    if kills < 10:
        pytest.fail(f"only {kills} of 12 runs were killed mid-way; the corpus is too small for this machine")
