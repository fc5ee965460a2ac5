"""Loaders for the data files in ``dyadwatch/data`` (see docs/data-files.md).

Every loader validates each row and raises ``DyadwatchError('E001')`` naming the file and line of
the first bad entry, so a user extending a dictionary learns exactly what to fix.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dyadwatch.errors import DyadwatchError

DATA_DIR = Path(__file__).resolve().parent / "data"
_CODE_RE = re.compile(r"^\d{2,4}$")
_ISO3_RE = re.compile(r"^[A-Z]{3}$")
_ACTOR_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{2,14}$")
ORG_TYPES = frozenset(
    {"igo", "ngo", "armed_group", "group", "state", "party", "company", "media", "region", "person"}
)


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (cell or "").split("|") if p.strip())


def read_rows(path: Path, columns: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` for each data row, checking the header and skipping ``#`` comments."""
    if not path.exists():
        raise DyadwatchError("E002", path=path)
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None or [h.strip() for h in header[: len(columns)]] != columns:
            raise DyadwatchError("E001", path=path, line=1, reason=f"header must start with {columns}")
        for row in reader:
            line = reader.line_num
            if not row or not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
                continue
            if len(row) > len(header):
                raise DyadwatchError(
                    "E001", path=path, line=line, reason=f"{len(row)} cells, header has {len(header)}"
                )
            padded = row + [""] * (len(header) - len(row))
            yield line, {h.strip(): c.strip() for h, c in zip(header, padded, strict=True)}


def _fail(path: Path, line: int, reason: str) -> DyadwatchError:
    return DyadwatchError("E001", path=path, line=line, reason=reason)


def _parse_date(path: Path, line: int, value: str) -> dt.date | None:
    if not value:
        return None
    try:
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(path, line, f"bad date {value!r}") from None


# --- the CAMEO codebook -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodebookEntry:
    code: str
    name: str
    root: str
    level: int
    goldstein: float
    quad_class: int
    plover_type: str
    plover_mode: str
    plover_context: str

    @property
    def plover(self) -> dict[str, str]:
        return {"type": self.plover_type, "mode": self.plover_mode, "context": self.plover_context}


@lru_cache(maxsize=4)
def load_codebook(path: Path = DATA_DIR / "events/cameo.csv") -> dict[str, CodebookEntry]:
    cols = ["code", "name", "root", "level", "goldstein", "quad_class", "plover_type", "plover_mode"]
    out: dict[str, CodebookEntry] = {}
    for line, row in read_rows(path, cols):
        code = row["code"]
        if not _CODE_RE.match(code) or not 1 <= int(code[:2]) <= 20:
            raise _fail(path, line, f"bad CAMEO code {code!r}")
        if code in out:
            raise _fail(path, line, f"duplicate code {code}")
        try:
            goldstein, quad = float(row["goldstein"]), int(row["quad_class"])
        except ValueError:
            raise _fail(path, line, "goldstein must be a number and quad_class an integer") from None
        if not -10.0 <= goldstein <= 10.0 or quad not in (1, 2, 3, 4):
            raise _fail(path, line, "goldstein outside [-10, 10] or quad_class not in 1..4")
        out[code] = CodebookEntry(
            code,
            row["name"],
            code[:2],
            len(code) - 1,
            goldstein,
            quad,
            row["plover_type"],
            row["plover_mode"],
            row.get("plover_context", ""),
        )
    return out


# --- the event dictionary -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    code: str
    kind: str  # verb | noun
    words: tuple[str, ...]  # lemma split on spaces; the last word is the head
    objects: frozenset[str]
    preps: tuple[str, ...]
    particle: str | None
    line: int

    @property
    def head(self) -> str:
        return self.words[-1]

    @property
    def specificity(self) -> int:
        return 4 * bool(self.objects) + 2 * bool(self.particle) + bool(self.preps) + len(self.words) - 1

    @property
    def label(self) -> str:
        parts = [self.kind, " ".join(self.words)]
        if self.particle:
            parts.append(self.particle)
        if self.objects:
            parts.append("+" + "|".join(sorted(self.objects)))
        if self.preps:
            parts.append(">" + "|".join(self.preps))
        return f"{' '.join(parts)} ({self.code})"


@lru_cache(maxsize=4)
def load_triggers(path: Path = DATA_DIR / "events/triggers.csv") -> tuple[TriggerEntry, ...]:
    codebook = load_codebook()
    out: list[TriggerEntry] = []
    seen: set[tuple[object, ...]] = set()
    for line, row in read_rows(path, ["code", "kind", "lemma", "object", "prep", "particle"]):
        code, kind, lemma = row["code"], row["kind"], row["lemma"]
        if code not in codebook:
            raise _fail(path, line, f"CAMEO code {code!r} is not in the codebook")
        if kind not in ("verb", "noun"):
            raise _fail(path, line, f"kind must be verb or noun, not {kind!r}")
        if not lemma or lemma != lemma.lower():
            raise _fail(path, line, f"lemma must be non-empty lowercase, got {lemma!r}")
        words = tuple(lemma.split())
        if kind == "verb" and len(words) != 1:
            raise _fail(path, line, "a verb lemma is one word (use particle/object/prep for the rest)")
        entry = TriggerEntry(
            code,
            kind,
            words,
            frozenset(_split(row["object"])),
            _split(row["prep"]),
            row["particle"] or None,
            line,
        )
        key = (kind, words, entry.objects, entry.preps, entry.particle)
        if key in seen:
            raise _fail(path, line, f"duplicate entry {entry.label}")
        seen.add(key)
        out.append(entry)
    return tuple(out)


@lru_cache(maxsize=4)
def load_composition(
    path: Path = DATA_DIR / "events/composition.csv",
) -> dict[str, tuple[tuple[str, str], ...]]:
    """mode → ((embedded code prefix, resulting code), …), longest prefix first."""
    codebook = load_codebook()
    out: dict[str, list[tuple[str, str]]] = {}
    for line, row in read_rows(path, ["mode", "embedded", "code"]):
        if row["mode"] not in ("intent", "threat", "refuse"):
            raise _fail(path, line, f"mode must be intent, threat or refuse, not {row['mode']!r}")
        if not _CODE_RE.match(row["embedded"]) or row["code"] not in codebook:
            raise _fail(
                path, line, f"bad embedded prefix {row['embedded']!r} or unknown code {row['code']!r}"
            )
        out.setdefault(row["mode"], []).append((row["embedded"], row["code"]))
    return {mode: tuple(sorted(rows, key=lambda r: -len(r[0]))) for mode, rows in out.items()}


@lru_cache(maxsize=4)
def load_calibration(
    path: Path = DATA_DIR / "events/calibration.csv",
) -> tuple[tuple[float, float, float], ...]:
    """(raw_min, raw_max, precision) bins mapping coder scores to measured precision."""
    if not path.exists():
        return ()
    out: list[tuple[float, float, float]] = []
    for line, row in read_rows(path, ["raw_min", "raw_max", "precision"]):
        try:
            lo, hi, p = float(row["raw_min"]), float(row["raw_max"]), float(row["precision"])
        except ValueError:
            raise _fail(path, line, "raw_min, raw_max and precision must be numbers") from None
        if not (0.0 <= p <= 1.0 and lo < hi) or (out and (lo != out[-1][1] or p < out[-1][2])):
            raise _fail(path, line, "bins must be contiguous, with precision in [0, 1] never falling")
        out.append((lo, hi, p))
    return tuple(out)


# --- actor dictionaries -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CountryEntry:
    iso3: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]
    metonyms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrgEntry:
    code: str
    name: str
    aliases: tuple[str, ...]
    type: str
    country: str | None
    role: str
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True, slots=True)
class AgentEntry:
    words: tuple[str, ...]
    role: str


@lru_cache(maxsize=4)
def load_roles(path: Path = DATA_DIR / "actors/roles.csv") -> dict[str, str]:
    out: dict[str, str] = {}
    for line, row in read_rows(path, ["role", "name"]):
        if not re.fullmatch(r"[A-Z]{3}", row["role"]):
            raise _fail(path, line, f"role code must be three capitals, got {row['role']!r}")
        out[row["role"]] = row["name"]
    return out


@lru_cache(maxsize=4)
def load_countries(path: Path = DATA_DIR / "actors/countries.csv") -> tuple[CountryEntry, ...]:
    out: list[CountryEntry] = []
    seen: set[str] = set()
    for line, row in read_rows(path, ["iso3", "name", "aliases", "demonyms", "capitals", "metonyms"]):
        iso3 = row["iso3"]
        if not _ISO3_RE.match(iso3) or iso3 in seen:
            raise _fail(path, line, f"bad or duplicate ISO3 code {iso3!r}")
        if not row["name"]:
            raise _fail(path, line, "name is empty")
        seen.add(iso3)
        out.append(
            CountryEntry(
                iso3,
                row["name"],
                _split(row["aliases"]),
                _split(row["demonyms"]),
                _split(row["capitals"]),
                _split(row["metonyms"]),
            )
        )
    return tuple(out)


@lru_cache(maxsize=4)
def load_organisations(path: Path = DATA_DIR / "actors/organisations.csv") -> tuple[OrgEntry, ...]:
    return _load_named(path, unique_codes=True)


@lru_cache(maxsize=4)
def load_people(path: Path = DATA_DIR / "actors/people.csv", required: bool = False) -> tuple[OrgEntry, ...]:
    """Office holders, one row per role period: the same code (MLIGOV) is held by many people."""
    return _load_named(path, unique_codes=False) if required or path.exists() else ()


def _load_named(path: Path, unique_codes: bool) -> tuple[OrgEntry, ...]:
    roles = load_roles()
    isos = {c.iso3 for c in load_countries()}
    out: list[OrgEntry] = []
    seen: set[object] = set()
    for line, row in read_rows(path, ["code", "name", "aliases", "type", "country", "role", "start", "end"]):
        code = row["code"]
        key: object = code if unique_codes else (row["name"], row["start"], code)
        if not _ACTOR_CODE_RE.match(code) or key in seen:
            raise _fail(path, line, f"bad or duplicate entry {key!r}")
        if row["type"] not in ORG_TYPES:
            raise _fail(path, line, f"type must be one of {sorted(ORG_TYPES)}, not {row['type']!r}")
        if row["role"] not in roles:
            raise _fail(path, line, f"role {row['role']!r} is not in roles.csv")
        if row["country"] and row["country"] not in isos:
            raise _fail(path, line, f"country {row['country']!r} is not in countries.csv")
        start, end = _parse_date(path, line, row["start"]), _parse_date(path, line, row["end"])
        if start and end and end < start:
            raise _fail(path, line, "end is before start")
        seen.add(key)
        out.append(
            OrgEntry(
                code,
                row["name"],
                _split(row["aliases"]),
                row["type"],
                row["country"] or None,
                row["role"],
                start,
                end,
            )
        )
    return tuple(out)


@lru_cache(maxsize=4)
def load_agents(path: Path = DATA_DIR / "actors/agents.csv") -> tuple[AgentEntry, ...]:
    roles = load_roles()
    out: list[AgentEntry] = []
    for line, row in read_rows(path, ["phrase", "role"]):
        phrase = row["phrase"]
        if not phrase or phrase != phrase.lower():
            raise _fail(path, line, f"phrase must be non-empty lowercase, got {phrase!r}")
        if row["role"] not in roles:
            raise _fail(path, line, f"role {row['role']!r} is not in roles.csv")
        out.append(AgentEntry(tuple(phrase.split()), row["role"]))
    return tuple(out)
