"""The GDELT 2.0 event format: its schema, a reader for GDELT files and rows from our events.

GDELT 2.0 events files have 61 columns, mentions files 16, tab-separated without a header.
:func:`read_gdelt` parses either (real GDELT files and ours alike); :func:`gdelt_rows` turns stored
events and their mentions into such rows. Choices where our data and GDELT's differ:

* GLOBALEVENTID — GDELT needs an integer: the first 15 hex digits (60 bits) of our event id's hash
  read as an integer (``ev-35342cc3cc4ea33e`` → ``0x35342cc3cc4ea33``); stable across exports and
  databases, positive and within a signed 64-bit integer. A collision inside one export fails (E404);
  the export writes the mapping back to our ids beside the files.
* Actor codes are CAMEO codes as stored (their country part is ISO3, as CAMEO's is); the code is
  split in 3-letter parts into country/region, known group, religion and type codes.
* ActionGeo_CountryCode is FIPS 10-4 (``data/geo/iso3_fips.csv``), empty when unknown.
  ActionGeo_Type from our location precision: 1 (town) → 4 world city (3 in the USA), 2 (region) →
  5 world state/ADM1 (2 in the USA), 3 (country) → 1 country; 0 when the event has no place. We keep
  no ADM1 codes: ADM1Code is the FIPS country code alone, as GDELT writes for country-level places;
  FeatureID is the GeoNames id (the FIPS code for a country). Actor geography is not coded (type 0).
* SQLDATE is the event date, else the article's publication date, else the day we first saw it.
* We compute no tone: AvgTone and MentionDocTone are 0. IsRootEvent is 1 when the first report is
  in the article's first paragraph. Mention offsets are character offsets in the article text
  (sentence start + span start), -1 when a part is absent; SentenceID counts from 1. A mention with
  a URL is MentionType 1 (web); one without is 2 (citation) with ``dyadwatch:article/<id>``.
  Confidence is the coder's, in percent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from dyadwatch.datafiles import DATA_DIR, load_countries, load_roles, read_rows
from dyadwatch.errors import DyadwatchError


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def global_event_id(event_id: str) -> int:
    """GDELT's integer id for one of ours: 60 bits of the id's hash (see the module docstring)."""
    digits = event_id.removeprefix("ev-")
    if not re.fullmatch(r"[0-9a-f]{15,}", digits):
        digits = hashlib.sha256(event_id.encode()).hexdigest()
    return int(digits[:15], 16)


# --- the schema and the reader ------------------------------------------------------------------

# Column kinds: id (int, required), int, float, str, date (YYYYMMDD, required), stamp (YYYYMMDDHHMMSS).
_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code")
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
_GEO_KINDS = ("int", "str", "str", "str", "str", "float", "float", "str")
GDELT_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "events": (
        ("GLOBALEVENTID", "id"),
        ("SQLDATE", "date"),
        ("MonthYear", "int"),
        ("Year", "int"),
        ("FractionDate", "float"),
        *(
            (f"Actor{n}{part}", "str")
            for n in (1, 2)
            for part in (*_ACTOR, "Type1Code", "Type2Code", "Type3Code")
        ),
        ("IsRootEvent", "int"),
        ("EventCode", "str"),
        ("EventBaseCode", "str"),
        ("EventRootCode", "str"),
        ("QuadClass", "int"),
        ("GoldsteinScale", "float"),
        ("NumMentions", "int"),
        ("NumSources", "int"),
        ("NumArticles", "int"),
        ("AvgTone", "float"),
        *(
            (f"{who}Geo_{part}", kind)
            for who in ("Actor1", "Actor2", "Action")
            for part, kind in zip(_GEO, _GEO_KINDS, strict=True)
        ),
        ("DATEADDED", "stamp"),
        ("SOURCEURL", "str"),
    ),
    "mentions": (
        ("GLOBALEVENTID", "id"),
        ("EventTimeDate", "stamp"),
        ("MentionTimeDate", "stamp"),
        ("MentionType", "int"),
        ("MentionSourceName", "str"),
        ("MentionIdentifier", "str"),
        ("SentenceID", "int"),
        ("Actor1CharOffset", "int"),
        ("Actor2CharOffset", "int"),
        ("ActionCharOffset", "int"),
        ("InRawText", "int"),
        ("Confidence", "int"),
        ("MentionDocLen", "int"),
        ("MentionDocTone", "float"),
        ("MentionDocTranslationInfo", "str"),
        ("Extras", "str"),
    ),
}


def read_gdelt(path: Path, kind: str) -> Iterator[dict[str, Any]]:
    """Parse a GDELT 2.0 events or mentions file into typed rows (ints, floats, dates, strings).

    Checks every row's column count and every typed value; the first bad one fails with E405
    naming the file, line and column. Empty cells read as None.
    """
    if kind not in GDELT_COLUMNS:
        raise DyadwatchError("E406", kind=kind, choices=", ".join(GDELT_COLUMNS))
    columns = GDELT_COLUMNS[kind]
    try:
        fh = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise DyadwatchError("E405", path=path, line=0, kind=kind, reason=exc.strerror or str(exc)) from None
    with fh:
        for line_no, line in enumerate(fh, 1):
            cells = line.rstrip("\r\n").split("\t")
            if len(cells) != len(columns):
                reason = f"{len(cells)} columns, expected {len(columns)}"
                raise DyadwatchError("E405", path=path, line=line_no, kind=kind, reason=reason)
            row: dict[str, Any] = {}
            for (name, typ), cell in zip(columns, cells, strict=True):
                try:
                    row[name] = _parse_cell(typ, cell)
                except ValueError:
                    reason = f"{name}={cell!r} is not a valid {typ}"
                    raise DyadwatchError("E405", path=path, line=line_no, kind=kind, reason=reason) from None
            yield row


def _parse_cell(typ: str, cell: str) -> Any:
    if cell == "":
        if typ in ("id", "date"):
            raise ValueError(cell)
        return None
    if typ in ("id", "int"):
        return int(cell)
    if typ == "float":
        return float(cell)
    if typ == "date":
        return dt.datetime.strptime(cell, "%Y%m%d").date()
    if typ == "stamp":
        return dt.datetime.strptime(cell, "%Y%m%d%H%M%S")
    return cell


@lru_cache(maxsize=2)
def load_fips(path: Path = DATA_DIR / "geo/iso3_fips.csv") -> dict[str, str]:
    """ISO 3166 alpha-3 → FIPS 10-4 country code, validated (file and line of a bad entry)."""
    isos = {c.iso3 for c in load_countries()}
    out: dict[str, str] = {}
    for line, row in read_rows(path, ["iso3", "fips", "name"]):
        iso3, fips = row["iso3"], row["fips"]
        if iso3 not in isos or iso3 in out:
            raise DyadwatchError("E001", path=path, line=line, reason=f"unknown or duplicate ISO3 {iso3!r}")
        if not re.fullmatch(r"[A-Z]{2}", fips) or fips in out.values():
            raise DyadwatchError("E001", path=path, line=line, reason=f"bad or duplicate FIPS code {fips!r}")
        out[iso3] = fips
    return out


# CAMEO 3-letter parts that are not countries, known groups or types
_REGIONS = frozenset(
    "AFR ASA BLK CAS CAU CEU CFR CRB EAF EEU EIN EUR LAM MDT MEA NAF NMR PGS SAF SAM SAS SCN SEA WAF WST".split()
)
_RELIGIONS = frozenset(
    "ADR ALE ATH BAH BUD CHR CON CPT CTH DOX DRZ HIN HSD ITR JAN JEW JHW LDS MOS MRN NRM PAG PRO SFI SHI "
    "SHN SIK SUN TAO UDX ZRO".split()
)
_EXTRA_TYPES = frozenset("IMG INS MNC SEP RAD MOD ENV DEV".split())


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """(ISO3 country codes, CAMEO type codes)."""
    return frozenset(c.iso3 for c in load_countries()), frozenset(load_roles()) | _EXTRA_TYPES


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    return {c.iso3: c.name for c in load_countries()}


def actor_cells(code: str | None, name: str | None, country: str | None) -> list[str]:
    """Actor*Code … Actor*Type3Code from a CAMEO code split in 3-letter parts."""
    if not code:
        return [""] * 10
    isos, types = _vocabulary()
    parts = [code[i : i + 3] for i in range(0, len(code), 3) if len(code[i : i + 3]) == 3]
    country_code = country or next((p for p in parts[:1] if p in isos or p in _REGIONS), "")
    if not country_code and len(parts) > 1 and parts[1] in _REGIONS:
        country_code = parts[1]  # IGOEUREEC: the EU's region
    religions = [p for p in parts if p in _RELIGIONS][:2]
    roles = [p for p in parts if p in types][:3]
    other = (
        p for p in parts if p not in isos and p not in _REGIONS and p not in _RELIGIONS and p not in types
    )
    known = next(other, "")
    return [
        code,
        (name or "").upper(),
        country_code,
        known,
        "",
        *[*religions, "", ""][:2],
        *[*roles, "", "", ""][:3],
    ]


def _action_geo(e: dict[str, Any]) -> list[str]:
    if not e["location_name"] or e["location_precision"] not in (1, 2, 3):
        return ["0", "", "", "", "", "", "", ""]
    iso3, precision = e["location_country"], e["location_precision"]
    fips = load_fips().get(iso3 or "", "")
    usa = iso3 == "USA"
    geo_type = {1: 3 if usa else 4, 2: 2 if usa else 5, 3: 1}[precision]
    names = _country_names()
    parts = [e["location_name"]] if precision < 3 else []
    if precision == 1 and e["location_admin1"]:
        parts.append(e["location_admin1"])
    parts.append(names.get(iso3 or "", e["location_name"]))
    feature = fips if precision == 3 else _cell(e["location_geonames_id"])
    return [
        str(geo_type),
        ", ".join(dict.fromkeys(parts)),
        fips,
        fips,
        "",
        _cell(e["location_lat"]),
        _cell(e["location_lon"]),
        feature,
    ]


def _stamp(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return value.strftime("%Y%m%d%H%M%S")


def _clean(value: Any) -> str:
    """A GDELT cell: no tabs or line breaks inside."""
    return re.sub(r"[\t\r\n]+", " ", _cell(value))


def _identifier(m: dict[str, Any]) -> tuple[int, str, str]:
    """(MentionType, MentionSourceName, MentionIdentifier): a web URL, else a citation of our article."""
    source = m["attributed_source"] or m["article_source"] or ""
    if m["url"]:
        return 1, source or urlparse(m["url"]).netloc.removeprefix("www."), m["url"]
    return 2, source or "dyadwatch", f"dyadwatch:article/{m['article_id']}"


def _offsets(texts: dict[str, str], mentions: list[dict[str, Any]]) -> dict[int, int]:
    """Sentence start in its article for each mention (keyed by mention id), -1 when not found.

    A sentence is a verbatim slice of the article text; an article's sentences are looked up in
    order so a repeated sentence finds its own occurrence.
    """
    starts: dict[int, int] = {}
    by_article: dict[str, list[dict[str, Any]]] = {}
    for m in mentions:
        by_article.setdefault(m["article_id"], []).append(m)
    for aid, group in by_article.items():
        text, cursor = texts.get(aid, ""), 0
        for m in sorted(group, key=lambda m: m["sentence_index"]):
            at = text.find(m["sentence"], cursor)
            if at < 0:
                at = text.find(m["sentence"])
            starts[m["id"]] = at
            if at >= 0:
                cursor = at
    return starts


def gdelt_rows(
    events: list[dict[str, Any]], mentions: dict[str, list[dict[str, Any]]], texts: dict[str, str]
) -> tuple[list[str], list[str], dict[int, str]]:
    """Events lines, mentions lines (tab-separated, newline-terminated) and GLOBALEVENTID → event id.

    ``events`` are stored event rows, ``mentions`` their stored mentions with article fields
    (oldest first), ``texts`` the article texts by id.
    """
    ids: dict[int, str] = {}
    for e in events:
        gid = global_event_id(e["id"])
        if ids.setdefault(gid, e["id"]) != e["id"]:
            raise DyadwatchError("E404", gid=gid, a=ids[gid], b=e["id"])
    starts = _offsets(texts, [m for e in events for m in mentions[e["id"]]])
    event_lines: list[str] = []
    mention_lines: list[str] = []
    for e in events:
        ms = mentions[e["id"]]
        event_lines.append("\t".join(_event_cells(e, ms[0], texts, starts)) + "\n")
        mention_lines.extend("\t".join(_mention_cells(e, m, texts, starts)) + "\n" for m in ms)
    return event_lines, mention_lines, ids


def _event_cells(
    e: dict[str, Any], first: dict[str, Any], texts: dict[str, str], starts: dict[int, int]
) -> list[str]:
    day: dt.date = e["date"] or first["published"] or (e["first_seen"] or dt.datetime.now(dt.UTC)).date()
    text = texts.get(first["article_id"], "")
    lead_end = text.find("\n") if "\n" in text else len(text)
    root = 1 if 0 <= starts.get(first["id"], -1) < lead_end else 0
    cells = [
        str(global_event_id(e["id"])),
        day.strftime("%Y%m%d"),
        day.strftime("%Y%m"),
        str(day.year),
        f"{day.year + ((day.month - 1) * 30 + day.day) / 365:.4f}",
        *actor_cells(e["source_code"], e["source_name"], e["source_country"]),
        *actor_cells(e["target_code"], e["target_name"], e["target_country"]),
        str(root),
        e["event_code"],
        e["event_code"][:3],
        e["root_code"],
        str(e["quad_class"]),
        _cell(e["goldstein"]),
        str(e["num_mentions"]),
        str(e["num_sources"]),
        str(e["num_articles"]),
        "0",
        *(["0"] + [""] * 7) * 2,
        *_action_geo(e),
        _stamp(e["first_seen"] or day),
        _identifier(first)[2],
    ]
    return [_clean(c) for c in cells]


def _mention_cells(
    e: dict[str, Any], m: dict[str, Any], texts: dict[str, str], starts: dict[int, int]
) -> list[str]:
    start = starts.get(m["id"], -1)
    spans = m["spans"] or {}

    def offset(part: str) -> int:
        span = spans.get(part)
        return start + int(span[0]) if span and start >= 0 else -1

    src = spans.get("source")
    in_raw = 1 if src and m["sentence"][src[0] : src[1]] == m["source_text"] else 0
    kind, source_name, identifier = _identifier(m)
    cells = [
        str(global_event_id(e["id"])),
        _stamp(e["first_seen"] or e["date"]),
        _stamp(m["ingested_at"]),
        str(kind),
        source_name,
        identifier,
        str(m["sentence_index"] + 1),
        str(offset("source")),
        str(offset("target")),
        str(offset("trigger")),
        str(in_raw),
        str(round((m["confidence"] or 0.0) * 100)),
        str(len(texts.get(m["article_id"], ""))),
        "0",
        "",
        "",
    ]
    return [_clean(c) for c in cells]
