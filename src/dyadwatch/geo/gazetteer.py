"""The gazetteer: places and their names, indexed for lookup, built once per process and cached.

The places come from GeoNames data in installed packages (built by :mod:`dyadwatch.geo.geonames`) and
from our own ``data/geo/places.csv`` (validated here, like every data file: a bad row fails with
``file:line: reason``). Building takes seconds; the built index is cached as a pickle in the user
cache directory (no network, ever), so later processes load it in a fraction of a second.

Names are looked up by :func:`normalize` (case, accents, apostrophes, hyphens and the Arabic article
folded: "Jisr al-Shughur" finds "Jisr ash Shughūr").
"""

from __future__ import annotations

import math
import re
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from dyadwatch.datafiles import DATA_DIR, load_countries, read_rows
from dyadwatch.errors import DyadwatchError
from dyadwatch.records import Location

PLACES_CSV = DATA_DIR / "geo" / "places.csv"
PLACE_COLUMNS = "name alternate_names country admin1 lat lon feature_class population geonames_id".split()
FEATURE_CLASSES = frozenset("AHLPRSTUV")  # GeoNames feature classes
FORMAT = 8  # bump when the built index changes shape (invalidates caches)
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
# "Jisr al-Shughur" / "Jisr ash Shughur", "El Fasher" / "Al Fashir": one spelling of the article.
ARABIC_ARTICLES = re.compile(r"\b(?:al|el|ash|as|ad|ar|az|an|at|ath|adh|ul)\s(?=\w)")
_SPACES = re.compile(r"[\s,\-‐‑–—]+")


def normalize(name: str) -> str:
    """The lookup key of a name: lower case, no accents, one kind of apostrophe, hyphens as spaces."""
    if name.isascii():
        bare = name.lower().replace(".", "").replace("`", "'")
    else:
        folded = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
        bare = _MARKS.sub("", folded).casefold().replace(".", "")
    return ARABIC_ARTICLES.sub("al ", _SPACES.sub(" ", bare).strip())


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. ``country`` is ISO 3166-1 alpha-3; ``level`` is town | admin1 | country."""

    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    feature_class: str
    feature_code: str
    population: int
    geonames_id: int | None
    curated: bool = False

    @property
    def level(self) -> str:
        if self.feature_code.startswith("PCL") or self.feature_code == "CONT":
            return "country"
        if self.feature_code.startswith("ADM"):
            return "admin1"
        return "town"

    @property
    def precision(self) -> int:
        """ACLED-style geo precision: 1 = town/village, 2 = region, 3 = country."""
        return {"town": 1, "admin1": 2, "country": 3}[self.level]

    def location(self, how: str) -> Location:
        return Location(
            self.name,
            self.country,
            self.admin1,
            self.lat,
            self.lon,
            self.precision,
            self.geonames_id,
            how,
        )

    def to_record(self) -> dict[str, Any]:
        """The fields of a :class:`Location` record, without the rule that chose it."""
        record = self.location("").to_record()
        del record["how"]
        return record


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a name may stand for; ``strong`` unless matched only by a package alternate name."""

    place: Place
    strong: bool


Postings = list[int] | tuple[int, ...] | int  # place numbers of one name (an int when there is one)


def posting_ids(postings: Postings) -> Sequence[int]:
    return (postings,) if isinstance(postings, int) else postings


class PlaceTable:
    """The places, column by column: a fifth of the memory of one object per place, and fast to
    (un)pickle. ``get`` makes a :class:`Place` when one is asked for."""

    def __init__(self) -> None:
        self.strings: list[str | None] = [None]  # country, admin1, class and code strings, each once
        self.name: list[str] = []
        self.codes = array("I")  # four string numbers per place
        self.lat, self.lon = array("d"), array("d")  # NaN: unknown
        self.population, self.geonames_id = array("q"), array("q")  # geonames_id 0: unknown
        self.curated = array("b")
        self._number: dict[str | None, int] = {None: 0}

    def __len__(self) -> int:
        return len(self.name)

    def _string(self, value: str | None) -> int:
        n = self._number.get(value)
        if n is None:
            n = self._number[value] = len(self.strings)
            self.strings.append(value)
        return n

    def append(self, p: Place) -> int:
        self.name.append(p.name)
        self.codes.extend(self._string(v) for v in (p.country, p.admin1, p.feature_class, p.feature_code))
        self.lat.append(math.nan if p.lat is None else p.lat)
        self.lon.append(math.nan if p.lon is None else p.lon)
        self.population.append(p.population)
        self.geonames_id.append(p.geonames_id or 0)
        self.curated.append(p.curated)
        return len(self.name) - 1

    def set(self, n: int, p: Place) -> None:
        self.name[n] = p.name
        self.codes[4 * n : 4 * n + 4] = array(
            "I", (self._string(v) for v in (p.country, p.admin1, p.feature_class, p.feature_code))
        )
        self.lat[n] = math.nan if p.lat is None else p.lat
        self.lon[n] = math.nan if p.lon is None else p.lon
        self.population[n], self.geonames_id[n], self.curated[n] = p.population, p.geonames_id or 0, p.curated

    def get(self, n: int) -> Place:
        country, admin1, fclass, fcode = (self.strings[i] for i in self.codes[4 * n : 4 * n + 4])
        lat, lon, gid = self.lat[n], self.lon[n], self.geonames_id[n]
        return Place(
            self.name[n],
            country,
            admin1,
            None if math.isnan(lat) else lat,
            None if math.isnan(lon) else lon,
            fclass or "P",
            fcode or "PPL",
            self.population[n],
            gid or None,
            bool(self.curated[n]),
        )


@dataclass
class Gazetteer:
    """Places and a name index (normalized name → place numbers), built once per process."""

    places: PlaceTable = field(default_factory=PlaceTable)
    names: dict[str, Postings] = field(default_factory=dict)  # names, ASCII names, curated names
    alternates: dict[str, Postings] = field(default_factory=dict)  # package alternate names
    countries: dict[str, int] = field(default_factory=dict)  # ISO3 → place number
    country_names: dict[str, str] = field(default_factory=dict)  # normalized name → ISO3
    load_seconds: float = 0.0
    from_cache: bool = False

    def lookup(self, key: str) -> list[Candidate]:
        """Candidates for a normalized name, strong ones first."""
        strong = posting_ids(self.names.get(key, ()))
        out = [Candidate(self.places.get(i), True) for i in strong]
        out += [
            Candidate(self.places.get(i), False)
            for i in posting_ids(self.alternates.get(key, ()))
            if i not in strong
        ]
        return out

    def place(self, n: int) -> Place:
        return self.places.get(n)

    def __len__(self) -> int:
        return len(self.places)

    def __contains__(self, key: str) -> bool:
        return key in self.names or key in self.alternates

    def country(self, iso3: str | None) -> Place | None:
        i = self.countries.get(iso3 or "")
        return self.place(i) if i is not None else None

    def region(self, country: str | None, admin1: str) -> Place | None:
        """The first-level region called ``admin1`` in ``country``."""
        places = (c.place for c in self.lookup(normalize(admin1)))
        return next((p for p in places if p.level == "admin1" and p.country == country), None)

    def find(self, name: str, country: str | None = None) -> list[Place]:
        """Places called ``name`` (any spelling in the index), optionally in one country."""
        return [c.place for c in self.lookup(normalize(name)) if country in (None, c.place.country)]

    @property
    def max_words(self) -> int:
        return max((k.count(" ") + 1 for k in self.names), default=1)

    # --- building ------------------------------------------------------------------------------

    def _add(self, place: Place, names: Iterable[str], alternates: Iterable[str] = ()) -> int:
        n = self.places.append(place)
        self._index(n, names, alternates)
        return n

    def _index(self, n: int, names: Iterable[str], alternates: Iterable[str] = ()) -> None:
        keys = {normalize(x) for x in names} - {""}
        for key in keys:
            bucket = self.names.setdefault(key, [])
            if isinstance(bucket, list) and n not in bucket:
                bucket.append(n)
        for key in {normalize(x) for x in alternates} - keys - {""}:
            bucket = self.alternates.setdefault(key, [])
            if isinstance(bucket, list) and n not in bucket:
                bucket.append(n)

    def _freeze(self) -> None:
        """Posting lists to ints and tuples: a third of the memory."""
        for index in (self.names, self.alternates):
            for key, postings in index.items():
                ids = posting_ids(postings)
                index[key] = ids[0] if len(ids) == 1 else tuple(ids)


# --- our own data file ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlaceRow:
    name: str
    alternate_names: tuple[str, ...]
    country: str
    admin1: str | None
    lat: float
    lon: float
    feature_class: str
    population: int
    geonames_id: int | None
    feature_code: str
    line: int


def _fail(path: Path, line: int, reason: str) -> DyadwatchError:
    return DyadwatchError("E001", path=path, line=line, reason=reason)


@lru_cache(maxsize=4)
def load_places(path: Path = PLACES_CSV) -> tuple[PlaceRow, ...]:
    """Our places, each row checked: a bad row fails with ``file:line: reason`` (E001)."""
    import pycountry

    isos = {c.alpha_3 for c in pycountry.countries} | {c.iso3 for c in load_countries()}
    out: list[PlaceRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in read_rows(path, PLACE_COLUMNS):
        name, country = row["name"], row["country"]
        if not name:
            raise _fail(path, line, "name is empty")
        if country not in isos:
            raise _fail(path, line, f"country must be an ISO 3166-1 alpha-3 code, not {country!r}")
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError:
            raise _fail(path, line, f"lat/lon must be numbers, got {row['lat']!r}, {row['lon']!r}") from None
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            raise _fail(path, line, f"coordinates out of range: {lat}, {lon}")
        fclass = row["feature_class"]
        if fclass not in FEATURE_CLASSES or len(fclass) != 1:
            raise _fail(
                path, line, f"feature_class must be a GeoNames class (A H L P R S T U V), not {fclass!r}"
            )
        population = _int(path, line, "population", row["population"] or "0")
        gid = _int(path, line, "geonames_id", row["geonames_id"]) if row["geonames_id"] else None
        if population < 0 or (gid is not None and gid <= 0):
            raise _fail(path, line, "population must be ≥ 0 and geonames_id > 0")
        code = row.get("feature_code", "") or ("ADM1" if fclass == "A" else "PPL")
        if not re.fullmatch(r"[A-Z][A-Z0-9]{1,9}", code):
            raise _fail(path, line, f"bad feature_code {code!r}")
        key = (normalize(name), country)
        if key in seen:
            raise _fail(path, line, f"duplicate place {name!r} in {country} (first on line {seen[key]})")
        seen[key] = line
        alternates = tuple(a.strip() for a in row["alternate_names"].split("|") if a.strip())
        admin1 = row["admin1"] or None
        out.append(PlaceRow(name, alternates, country, admin1, lat, lon, fclass, population, gid, code, line))
    return tuple(out)


def _int(path: Path, line: int, column: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise _fail(path, line, f"{column} must be an integer, not {value!r}") from None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))
