"""Build the dashboard's world map (``src/dyadwatch/data/geo/world-110m.json``) from Natural Earth.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_world_map.py package/countries-110m.json

``world-atlas`` (ISC; by Mike Bostock) is Natural Earth's 1:110m admin-0 countries as TopoJSON;
Natural Earth is in the public domain. This decodes the TopoJSON arcs (delta-encoded, quantized)
into rings of [lon, lat] rounded to 0.01°, keys each country by ISO 3166 alpha-3 (pycountry, from
the numeric id; a few Natural Earth units without an ISO code keep their name only) and writes one
compact JSON file the dashboard reads offline.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "src" / "dyadwatch" / "data" / "geo" / "world-110m.json"
# Natural Earth units without an ISO 3166 numeric code: the codes our actor data and GeoNames use
NO_ISO = {"Kosovo": "XKX", "Somaliland": "SOM", "N. Cyprus": "CYP"}


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs → absolute [lon, lat] points (the topology is quantized and delta-encoded)."""
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[list[float]]:
    """One polygon ring from arc indexes (a negative index ~i is arc i reversed)."""
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])  # consecutive arcs share their end point
    return [[round(lon, 2), round(lat, 2)] for lon, lat in points]


def build(source: Path) -> dict[str, Any]:
    import pycountry

    topology = json.loads(source.read_text())
    arcs = decode_arcs(topology)
    countries = []
    for geom in topology["objects"]["countries"]["geometries"]:
        polygons = [geom["arcs"]] if geom["type"] == "Polygon" else geom.get("arcs", [])
        rings = [ring(arcs, r) for polygon in polygons for r in polygon]
        if not rings:
            continue
        match = pycountry.countries.get(numeric=geom.get("id", "")) if geom.get("id") else None
        countries.append(
            {
                "iso3": match.alpha_3 if match else NO_ISO.get(geom["properties"]["name"]),
                "name": geom["properties"]["name"],
                "rings": rings,
            }
        )
    return {
        "source": "Natural Earth 1:110m admin-0 countries (public domain) via world-atlas 2.0.2 (ISC)",
        "projection": "none: [lon, lat] in degrees, rounded to 0.01",
        "countries": countries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="countries-110m.json from the world-atlas package")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    data = build(args.topojson)
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    named = sum(c["iso3"] is not None for c in data["countries"])
    size = args.out.stat().st_size / 1024
    print(f"{len(data['countries'])} countries ({named} with ISO codes) → {args.out} ({size:.0f} KB)")


if __name__ == "__main__":
    main()
