"""The bad-input corpus (scripts/make_bad_inputs.py) through `dyadwatch ingest` and `dyadwatch code`.

70+ kinds of bad input mixed with good records: every good record is kept, every input is either
stored or named on one printable `skipped Exxx: …` line (and recorded in the skips table), the
command exits 0 (something was processed) with no traceback — on SQLite and on PostgreSQL. The
PostgreSQL run uses the corpus at twice the size of its huge cases, and its peak memory must stay
within a bound of the SQLite run's at 1x.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from dyadwatch.ingest.readers import printable_path
from dyadwatch.store import database as store
from dyadwatch.surfaces.cli.common import printable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from make_bad_inputs import MAX_BYTES, Kind, make, unlock  # noqa: E402

# the CLI in a child process that writes its peak resident memory (KB) to argv[1] when it exits
_MEASURED = (
    "import atexit, resource, sys\n"
    "out = sys.argv[1]\n"
    "atexit.register(lambda: open(out, 'w').write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))\n"
    "sys.argv = ['dyadwatch', *sys.argv[2:]]\n"
    "from dyadwatch.surfaces.cli import main\n"
    "main()\n"
)
PEAK_KB: dict[int, int] = {}
GOOD_IN_BAD_FILES = {
    "ma-good",
    "bl-good",
    "uq-1",
    "uq-3",
    "hf-1",
    "hf-2",
    "nb-1",
    "nb-2",
    "rg-1",
    "rg-2",
    "bh-1",
}


def _command(args: list[str], rss: Path) -> list[str]:
    command = [sys.executable, "-c", _MEASURED, str(rss), *args]
    if os.geteuid() == 0:  # root reads anything: drop the capabilities that let it
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: unreadable inputs cannot be tested")
        drop = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}", "--", *command]
    return command


def _good(tmp: Path) -> tuple[Path, set[str]]:
    from corpus import generate  # benchmarks/ is on sys.path (conftest)

    records = generate(6, seed=21)
    path = tmp / "good.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records))
    return path, {r["id"] for r in records}


def _inputs(tmp: Path, scale: int) -> tuple[list[Kind], list[str], set[str]]:
    kinds = make(tmp / "bad", scale)
    assert len(kinds) >= 60
    good, ids = _good(tmp)
    args = [str(tmp / "bad" / "corpus"), str(good), *(str(k.path) for k in kinds if k.argument)]
    return kinds, args, ids


def _shown(path: Path) -> str:
    return printable(printable_path(path))


@pytest.mark.parametrize("scale", [1, 2], ids=["1x", "2x"])
def test_ingest_keeps_every_good_record_and_names_every_bad_input(
    tmp_path: Path, db_url: str, scale: int
) -> None:
    if (scale == 2) != db_url.startswith("postgresql"):
        pytest.skip("the 1x corpus runs on SQLite, the 2x corpus on PostgreSQL")
    kinds, args, good_ids = _inputs(tmp_path, scale)
    rss = tmp_path / "rss.txt"
    try:
        run = subprocess.run(
            _command(["ingest", *args, "--db", db_url, "--max-bytes", str(MAX_BYTES)], rss),
            capture_output=True,
            text=True,
            timeout=1200,
        )
    finally:
        unlock(tmp_path / "bad")
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    lines = run.stderr.splitlines()
    skipped = [line for line in lines if line.startswith("skipped E")]
    assert all(line.isprintable() for line in lines), [line for line in lines if not line.isprintable()]
    engine = store.connect(db_url)
    with engine.connect() as conn:
        stored = conn.execute(
            select(store.articles.c.origin, store.articles.c.external_id, store.articles.c.text)
        ).all()
        recorded = conn.execute(select(store.skips.c.origin, store.skips.c.code)).all()
    engine.dispose()
    assert good_ids | GOOD_IN_BAD_FILES <= {r.external_id for r in stored}, "a good record was lost"
    assert len(recorded) == len(skipped), "every skip printed is recorded, and only those"
    assert not any("root:x:0:0" in r.text for r in stored), "an external entity was resolved"
    origins = [printable_path(r.origin) for r in stored]
    for kind in kinds:  # each input: stored, or named on a skip line
        shown = _shown(kind.path)
        named = any(f": {shown}" in line or f"E1{line[9:11]}: {shown}" in line for line in skipped) or any(
            shown in line for line in skipped
        )
        kept = any(o.startswith(printable_path(kind.path)) for o in origins)
        assert named or kept, f"{kind.name}: neither stored nor reported"
    for name, code in (("fifo", "E109"), ("socket", "E109"), ("char_device", "E109"), ("unreadable_file", "E111"),
                       ("unreadable_dir", "E111"), ("path_too_long", "E111"), ("empty.txt", "E102"),
                       ("doc.pdf", "E103"), ("too_large.txt", "E104"), ("deep.json", "E106")):  # fmt: skip
        (kind,) = [k for k in kinds if k.name == name]
        assert any(line.startswith(f"skipped {code}: {_shown(kind.path)}") for line in skipped), name
    PEAK_KB[scale] = int(rss.read_text())


def test_code_keeps_every_good_record(tmp_path: Path) -> None:
    _kinds, args, good_ids = _inputs(tmp_path, 1)
    rss = tmp_path / "rss.txt"
    try:
        run = subprocess.run(_command(["code", args[0]], rss), capture_output=True, text=True, timeout=1200)
        good = subprocess.run(_command(["code", args[1]], rss), capture_output=True, text=True, timeout=1200)
    finally:
        unlock(tmp_path / "bad")
    assert run.returncode == 0 and good.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr + good.stderr
    events: list[dict[str, Any]] = [json.loads(line) for line in run.stdout.splitlines()]
    assert {e["doc_id"] for e in events} >= {"uq-1", "bl-good", "ma-good"}
    skipped = [line for line in run.stderr.splitlines() if line.startswith("skipped E")]
    assert len(skipped) >= 30 and all(line.isprintable() for line in skipped)
    assert {json.loads(line)["doc_id"] for line in good.stdout.splitlines()} <= good_ids


def test_peak_memory_at_twice_the_largest_cases_stays_bounded() -> None:
    if set(PEAK_KB) != {1, 2}:
        pytest.skip("needs both ingest runs (SQLite 1x, PostgreSQL 2x) in this session")
    grown_mb = (PEAK_KB[2] - PEAK_KB[1]) / 1024
    assert grown_mb < 400, f"peak memory grew by {grown_mb:.0f} MB from the 1x to the 2x corpus"
    assert PEAK_KB[2] / 1024 < 4000, f"{PEAK_KB[2] / 1024:.0f} MB at 2x"
