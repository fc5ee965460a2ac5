"""Ingest killed with SIGKILL at random points, then rerun, ends with exactly the uninterrupted result."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dyadwatch.store import database as store

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _snapshot(url: str) -> dict[str, object]:
    engine = store.connect(url)
    with engine.connect() as conn:
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in
                  (store.articles, store.events, store.event_mentions, store.stories,
                   store.article_signatures)}  # fmt: skip
        ids = sorted(r[0] for r in conn.execute(select(store.events.c.id)))
        corpus = sorted(conn.execute(select(store.articles.c.id, store.articles.c.dup_group,
                                            store.articles.c.dup_kind, store.articles.c.story_id)))  # fmt: skip
        stories = sorted(conn.execute(select(store.stories.c.id, store.stories.c.num_articles)))
        tallies = sorted(
            conn.execute(select(store.events.c.id, store.events.c.num_mentions, store.events.c.num_articles))
        )
    engine.dispose()
    return {
        "counts": counts,
        "event_ids": ids,
        "tallies": [tuple(t) for t in tallies],
        "corpus": [tuple(c) for c in corpus],
        "stories": [tuple(s) for s in stories],
    }


def _stored(path: Path) -> int:
    """Articles committed so far, read without touching the schema (the child may be migrating)."""
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def _ingest(src: Path, url: str, kill_at: tuple[int, float] | None = None) -> bool:
    """Run `dyadwatch ingest` in a child process. ``kill_at=(k, delay)``: SIGKILL it ``delay`` seconds
    after it has committed ``k`` more articles, so every kill lands mid-run. True if it finished."""
    db = Path(url.removeprefix("sqlite:///"))
    before = _stored(db)
    proc = subprocess.Popen([sys.executable, "-m", "dyadwatch", "ingest", str(src), "--db", url],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    if kill_at is None:
        return proc.wait(timeout=600) == 0
    k, delay = kill_at
    deadline = time.monotonic() + 600
    while proc.poll() is None and _stored(db) < before + k and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        return False
    return proc.returncode == 0


def test_sigkill_at_random_points_then_rerun_equals_uninterrupted(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCH))
    from corpus import generate

    src = tmp_path / "corpus.jsonl"
    originals = list(generate(280, seed=11))
    records: list[dict[str, object]] = []
    for i, rec in enumerate(originals):  # copies among them: duplicate groups and stories are at stake too
        records.append(rec)
        if i >= 24 and i - 24 < 60 and (i - 24) % 3 == 0:
            source = originals[i - 24]
            records.append(dict(source, id=f"copy-{i - 24}", text=source["text"].replace(".", " .", 2)))
    src.write_text("\n".join(json.dumps(r) for r in records))
    baseline_url = f"sqlite:///{tmp_path / 'baseline.db'}"
    assert _ingest(src, baseline_url)
    expected = _snapshot(baseline_url)
    assert expected["counts"]["articles"] == 300  # type: ignore[index]
    assert any(kind == "near" for _, _, kind, _ in expected["corpus"])  # type: ignore[attr-defined]
    rng = random.Random(5)
    kills = 0
    for run in range(2):
        url = f"sqlite:///{tmp_path / f'crash{run}.db'}"
        for _ in range(5):
            # after 1-8 more articles, then up to 0.3 s on: sometimes mid-transaction
            if not _ingest(src, url, kill_at=(rng.randint(1, 8), rng.uniform(0.0, 0.3))):
                kills += 1
        _ingest(src, url)
        assert _snapshot(url) == expected, f"run {run} differs after kills"
    if kills < 10:
        pytest.fail(f"only {kills} of 10 runs were killed mid-way; the corpus is too small for this machine")


def test_a_full_disk_is_one_line_and_keeps_every_committed_article(tmp_path: Path) -> None:
    """The database on a 400 KB file system (a private tmpfs): ingest stops with one line (E203, exit
    2, no traceback), and what was committed is intact: whole articles, each with its signature."""
    import os
    import shutil

    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare to mount a small private file system")
    sys.path.insert(0, str(BENCH))
    from corpus import generate

    src = tmp_path / "corpus.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in generate(200, seed=11)))
    mnt = tmp_path / "small"
    mnt.mkdir()
    check = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); q = lambda s: c.execute(s).fetchone()[0]; "
        "print(q('pragma integrity_check'), q('select count(*) from articles'), "
        "q('select count(*) from articles a where not exists "
        "(select 1 from article_signatures s where s.article_id = a.id)'))"
    )
    script = (
        f"mount -t tmpfs -o size=400k tmpfs {mnt} || exit 99\n"
        f"{sys.executable} -m dyadwatch ingest {src} --db sqlite:///{mnt}/full.db "
        f"> {tmp_path}/out.txt 2> {tmp_path}/err.txt\n"
        f"echo $? > {tmp_path}/rc.txt\n"
        f'{sys.executable} -c "{check}" {mnt}/full.db > {tmp_path}/check.txt\n'
    )
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=1200)
    if done.returncode == 99:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    err = (tmp_path / "err.txt").read_text()
    assert (tmp_path / "rc.txt").read_text().strip() == "2", err
    assert "Traceback" not in err and err.count("\n") <= 2, err
    assert "error E203" in err and "full" in err, err
    integrity, stored, unsigned = (tmp_path / "check.txt").read_text().split()
    assert integrity == "ok" and int(stored) > 0 and unsigned == "0", (integrity, stored, unsigned)
