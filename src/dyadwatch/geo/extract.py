"""GeoNames rows beyond the packages' cities: the bundled Sahel/West Africa extract and the user's imports.

``data/geo/geonames_extract.tsv.gz`` is built by ``scripts/build_gazetteer.py`` from GeoNames'
per-country dumps of Mali, Burkina Faso, Niger, Senegal, Mauritania, Côte d'Ivoire and Guinea
(CC BY 4.0, GeoNames — see NOTICE): their populated places (class P) and administrative areas
(ADM1–ADM3), with these columns: geonameid, name, asciiname, alternate names (comma-separated, Latin
script), lat, lon, feature class, feature code, country code (ISO alpha-2), admin1 code, population.
Files the user adds with ``dyadwatch gazetteer add`` (:mod:`dyadwatch.geo.imports`) are read the same
way from the import store. :func:`add_rows` puts either into a gazetteer being built.
"""

from __future__ import annotations

import gzip
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path

from dyadwatch.datafiles import DATA_DIR
from dyadwatch.errors import DyadwatchError
from dyadwatch.geo.gazetteer import Gazetteer, Place

EXTRACT = DATA_DIR / "geo" / "geonames_extract.tsv.gz"
Row = tuple[int, str, str, str, float, float, str, str, str, str, int]
KEEP_CODES = frozenset({"ADM1", "ADM2", "ADM3"})  # with every class P feature
_LATIN = re.compile("[\u0000-\u024f\u0300-\u036f\u2018\u2019\u02bc]*")
_CODE = re.compile(r"^[A-Z0-9]{2,4}$")


def keep(fclass: str, fcode: str) -> bool:
    """The features the bundled extract holds: populated places and the first three admin levels."""
    return fclass == "P" or fcode in KEEP_CODES


def latin_alternates(names: str, own: Iterable[str]) -> list[str]:
    """A dump's comma-separated alternate names in Latin script, without codes or the place's own names."""
    seen = {n.casefold() for n in own}
    out = []
    for name in names.split(","):
        name = name.strip()
        if name and _LATIN.fullmatch(name) and not _CODE.match(name) and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


def read_extract(path: Path = EXTRACT) -> Iterator[Row]:
    """The bundled extract's rows (E001 with file and line on a bad one)."""
    if not path.exists():
        return
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line, text in enumerate(fh, start=1):
            cols = text.rstrip("\n").split("\t")
            try:
                yield (
                    int(cols[0]), cols[1], cols[2], cols[3], float(cols[4]), float(cols[5]),
                    cols[6], cols[7], cols[8], cols[9], int(cols[10] or 0),
                )  # fmt: skip
            except (ValueError, IndexError):
                raise DyadwatchError(
                    "E001", path=path, line=line, reason="expected 11 tab-separated columns"
                ) from None


def read_imports(store: Path) -> Iterator[Row]:
    """The places the user imported (none when there is no store)."""
    if not store.exists():
        return
    with closing(sqlite3.connect(store)) as db:
        yield from db.execute(
            "SELECT geonameid, name, asciiname, alternates, lat, lon, fclass, fcode, country, admin1, population "
            "FROM places"
        )


def add_rows(gaz: Gazetteer, rows: Iterable[Row], iso3_of: dict[str, str]) -> list[int]:
    """Index GeoNames rows not already in ``gaz`` (by GeoNames id); their admin1 names come from the
    rows' own ADM1 features. Returns the place numbers added."""
    known = {gid for n in range(len(gaz)) if (gid := gaz.places.geonames_id[n])}
    pending = [r for r in rows if r[0] not in known and r[8] in iso3_of]
    regions = {(r[8], r[9]): r[1] for r in pending if r[7] == "ADM1"}
    added = []
    for gid, name, ascii_name, alternates, lat, lon, fclass, fcode, cc, admin1, population in pending:
        if gid in known:
            continue
        known.add(gid)
        region = name if fcode == "ADM1" else regions.get((cc, admin1))
        place = Place(name, iso3_of[cc], region, lat, lon, fclass or "P", fcode or "PPL", population, gid)
        own = [name, ascii_name] if ascii_name else [name]
        added.append(gaz._add(place, own, latin_alternates(alternates, own)))
    return added
