"""Build the bundled gazetteer extract from GeoNames per-country dumps.

    python scripts/build_gazetteer.py [DUMP ...] [--out src/dyadwatch/data/geo/geonames_extract.tsv.gz]

Default input: the seven dumps in ../shared/data/geonames (ML, BF, NE, SN, MR, CI, GN; CC BY 4.0,
GeoNames). Keeps populated places (class P) and ADM1–ADM3 areas, with Latin-script alternate names,
sorted by GeoNames id, gzip'd without a timestamp so the same input gives the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import io
from pathlib import Path

from dyadwatch.geo.extract import EXTRACT, keep, latin_alternates

ROOT = Path(__file__).resolve().parents[1]
DUMPS = ROOT / ".." / "shared" / "data" / "geonames"
COUNTRIES = ("ML", "BF", "NE", "SN", "MR", "CI", "GN")


def rows(path: Path) -> list[str]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line, text in enumerate(fh, start=1):
            c = text.rstrip("\n").split("\t")
            if len(c) < 19:
                raise SystemExit(f"{path}:{line}: {len(c)} columns, expected 19")
            if not keep(c[6], c[7]):
                continue
            alternates = ",".join(latin_alternates(c[3], [c[1], c[2]]))
            lat, lon = f"{float(c[4]):.5f}", f"{float(c[5]):.5f}"
            out.append(
                "\t".join((c[0], c[1], c[2], alternates, lat, lon, c[6], c[7], c[8], c[10], c[14] or "0"))
            )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dumps", nargs="*", type=Path, default=[DUMPS / f"{cc}.txt" for cc in COUNTRIES])
    ap.add_argument("--out", type=Path, default=EXTRACT)
    args = ap.parse_args()
    lines = sorted((r for path in args.dumps for r in rows(path)), key=lambda r: int(r.split("\t", 1)[0]))
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    args.out.write_bytes(buffer.getvalue())
    print(
        f"{args.out}: {len(lines):,} places from {len(args.dumps)} dumps, {len(buffer.getvalue()) / 1e6:.2f} MB"
    )


if __name__ == "__main__":
    main()
