"""Regenerate src/dyadwatch/data/events/cameo.csv from the facts in ../shared.

Only facts are taken: code, short name, Goldstein score, and the PLOVER
type/mode/context each code maps to.  Descriptions, usage notes and example
sentences are deliberately not copied.  Run by hand when the sources change:

    python scripts/build_codebook.py ../shared/data
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/dyadwatch/data/events/cameo.csv"


def quad_class(root: int) -> int:
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    if root <= 13:
        return 3
    return 4


def plover_map(path: Path) -> dict[str, tuple[str, str, str]]:
    out: dict[str, tuple[str, str, str]] = {}
    line_re = re.compile(r"^(\d{2,4}):\s*([A-Z_]+)\s*(?:,([^,#]*))?(?:,([^#]*))?")
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        m = line_re.match(line)
        if not m:
            continue
        code, ptype, mode, context = m.group(1), m.group(2), m.group(3) or "", m.group(4) or ""
        mode = mode.strip()
        context = ";".join(p.strip() for p in context.split(";") if p.strip())
        out.setdefault(code, (ptype, mode, context))
    return out


def main(shared_data: Path) -> None:
    pmap = plover_map(shared_data / "plover/CAMEO2PLOVER-2021.txt")
    rows = []
    with (shared_data / "cameo/cameo-codes.csv").open(encoding="latin-1", newline="") as fh:
        for rec in csv.DictReader(fh):
            code = rec["code"].strip()
            root = int(code[:2])
            ptype, mode, context = pmap.get(code) or pmap.get(code[:3]) or pmap.get(code[:2]) or ("", "", "")
            if not ptype and code.startswith("02"):
                # PLOVER folds CAMEO's appeals into REQUEST; the 2021 table lists only root 10.
                ptype, mode = "REQUEST", "appeal"
            # Root 01 (public statements) has no PLOVER type on purpose: PLOVER does not code them.
            rows.append(
                {
                    "code": code,
                    "name": " ".join(rec["name"].split()).capitalize(),
                    "root": code[:2],
                    "level": len(code) - 1,
                    "goldstein": float(rec["goldstein"]),
                    "quad_class": quad_class(root),
                    "plover_type": ptype,
                    "plover_mode": mode,
                    "plover_context": context,
                }
            )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} codes to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
