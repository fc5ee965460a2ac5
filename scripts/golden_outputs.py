"""Write the CLI's outputs on fixed inputs into a folder, to compare a refactor before and after.

    python scripts/golden_outputs.py OUT_DIR [--seeds ../shared/seeds]
    diff -r before/ after/

Runs ``dyadwatch code`` on the demo articles and the seed articles (JSON Lines), ingests the demo
into a fresh SQLite database and writes ``events``, ``dyads``, ``stories``, ``duplicates`` and every
``export`` format. Volatile values (ingest times, temporary paths) are replaced by placeholders so
two runs of the same code give identical files; Parquet files are rewritten as sorted JSON rows.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "dyadwatch" / "data" / "demo"
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(\+00:00|Z)?")
_GDELT_TIME = re.compile(r"(?<=\t)(19|20)\d{12}(?=\t)")  # DATEADDED, MentionTimeDate: ingest times


def _run(args: list[str], tmp: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "dyadwatch", *args], capture_output=True, text=True, check=False, cwd=tmp
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(f"dyadwatch {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return _normal(proc.stdout, tmp)


def _normal(text: str, tmp: str) -> str:
    return _TIMESTAMP.sub("<time>", text.replace(tmp, "<tmp>"))


def _parquet_rows(path: Path) -> str:
    import pyarrow.parquet as pq

    rows = pq.read_table(path).to_pylist()
    lines = sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seeds", type=Path, default=ROOT / ".." / "shared" / "seeds")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        demo_files = sorted(str(p) for p in DEMO.iterdir() if p.suffix in (".txt", ".html"))
        (out / "code-demo.jsonl").write_text("".join(_run(["code", f], tmp) for f in demo_files))
        if args.seeds.is_dir():
            seeds = sorted(str(p) for p in args.seeds.glob("*.txt"))
            (out / "code-seeds.jsonl").write_text("".join(_run(["code", f], tmp) for f in seeds))
        db = f"sqlite:///{tmp}/golden.db"
        _run(["ingest", *demo_files, "--db", db], tmp)
        for name, extra in [
            ("events.jsonl", ["events", "--format", "jsonl", "--include-negated"]),
            ("dyads.txt", ["dyads"]),
            ("stories.jsonl", ["stories", "--format", "jsonl"]),
            ("duplicates.jsonl", ["duplicates", "--format", "jsonl"]),
        ]:
            (out / name).write_text(_run([*extra, "--db", db], tmp))
        for fmt in ("jsonl", "csv", "plover"):
            (out / f"export.{fmt}").write_text(_run(["export", "--format", fmt, "--db", db], tmp))
        gdelt = Path(tmp) / "gdelt"
        gdelt.mkdir()
        _run(["export", "--format", "gdelt", "--out", str(gdelt / "run"), "--db", db], tmp)
        for path in sorted(gdelt.iterdir()):
            (out / f"gdelt-{path.name}").write_text(_GDELT_TIME.sub("<time>", path.read_text()))
        parquet = Path(tmp) / "parquet"
        parquet.mkdir()
        _run(["export", "--format", "parquet", "--out", str(parquet / "run"), "--db", db], tmp)
        for path in sorted(parquet.rglob("*")):
            if path.is_file():
                (out / f"parquet-{path.name}.jsonl").write_text(_normal(_parquet_rows(path), tmp))
    print(f"golden outputs in {out}: {', '.join(sorted(p.name for p in out.iterdir()))}")


if __name__ == "__main__":
    main()
