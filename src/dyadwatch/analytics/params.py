"""Parameters of the analyst verbs: parsing with errors that name the field, and SQL filters."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select

from dyadwatch.errors import DyadwatchError
from dyadwatch.store.database import event_mentions, events
from dyadwatch.store.query import _side

MAX_LIMIT = 500
MAX_COUNT = 2**31 - 1  # counts in the store are 32-bit integers: a larger threshold matches nothing
MAX_TEXT = 200  # characters of a search or code parameter (longer ones are no actor, name or code)
_CODE_RE = re.compile(r"[A-Z][A-Z0-9]{1,31}")
_EVENT_CODE_RE = re.compile(r"\d{2,4}")


def bad(name: str, reason: str) -> DyadwatchError:
    return DyadwatchError("E301", field=name, reason=reason)


# --- parameters -----------------------------------------------------------------------------------


def parse_code(value: str, name: str = "actor") -> str:
    """An actor code as typed by a user (``rus``, `` MLIGOV``) → ``RUS``; E301 if it cannot be one."""
    code = value.strip().upper()
    if len(code) > MAX_TEXT or not _CODE_RE.fullmatch(code):
        raise bad(name, f"{value!r} is not an actor code (letters and digits, e.g. RUS or MLIGOV)")
    return code


def parse_date(value: str | dt.date | None, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise bad(name, f"{value!r} is not a date (expected YYYY-MM-DD)") from None


def check_range(since: dt.date | None, until: dt.date | None) -> None:
    if since and until and since > until:
        raise bad("until", f"{until} is before since={since}")


def check_limit(limit: int, name: str = "limit") -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise bad(name, f"{limit} is outside 1..{MAX_LIMIT}")
    return limit


@dataclass(frozen=True, slots=True)
class EventFilters:
    """What to list; build it with :func:`event_filters`, which validates every field."""

    actor: str | None = None  # either side
    dyad: tuple[str, str] | None = None  # either direction unless `directed` (then source → target)
    directed: bool = False
    country: str | None = None  # where the event happened (events.location_country, ISO3)
    root_codes: tuple[str, ...] = ()  # any of these CAMEO roots ("18", "19")
    event_code: str | None = None  # CAMEO code prefix: "163" or "0841"
    quad_classes: tuple[int, ...] = ()  # any of these QuadClasses (1..4)
    since: dt.date | None = None
    until: dt.date | None = None
    min_sources: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    include_negated: bool = False
    include_hypothetical: bool = False
    hedged_only: bool = False  # at least one hedged report ("reportedly", "may have")
    reported_only: bool = False  # at least one report attributed to a speaker ("…, the army said")


def _split_values(values: str | Iterable[str] | None) -> list[str]:
    items = [values] if isinstance(values, str) else list(values or ())
    return [v.strip() for item in items for v in item.split(",") if v.strip()]


def _parse_bbox(value: str | Sequence[float] | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        parts = [float(v) for v in (value.split(",") if isinstance(value, str) else value)]
    except ValueError:
        parts = []
    if len(parts) != 4:
        raise bad("bbox", f"{value!r}: expected min_lon,min_lat,max_lon,max_lat")
    w, s, e, n = parts
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90):
        raise bad("bbox", f"{value!r}: longitudes in -180..180, latitudes in -90..90, min_lat ≤ max_lat")
    return w, s, e, n


def event_filters(
    actor: str | None = None,
    dyad: str | None = None,
    directed: bool = False,
    country: str | None = None,
    root_code: str | Iterable[str] | None = None,
    event_code: str | None = None,
    quad_class: Iterable[int] | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    min_sources: int | None = None,
    bbox: str | Sequence[float] | None = None,
    include_negated: bool = False,
    include_hypothetical: bool = False,
    hedged_only: bool = False,
    reported_only: bool = False,
) -> EventFilters:
    """Validated filters from user input; a bad value raises E301 naming its field."""
    pair = None
    if dyad:
        ends = dyad.split("-")
        if len(ends) != 2:
            raise bad("dyad", f"{dyad!r}: expected two actor codes joined by '-', e.g. RUS-MLI")
        pair = (parse_code(ends[0], "dyad"), parse_code(ends[1], "dyad"))
    elif directed:
        raise bad("directed", "needs a dyad (directed=true lists source → target of the dyad)")
    if country is not None and not re.fullmatch(r"[A-Z]{3}", country.strip().upper()):
        raise bad("country", f"{country!r} is not an ISO 3166 alpha-3 code, e.g. MLI")
    roots = []
    for root in _split_values(root_code):
        if not (len(root) <= 2 and root.isdigit() and 1 <= int(root) <= 20):
            raise bad("root_code", f"{root!r} is not a CAMEO root code (01..20)")
        roots.append(f"{int(root):02d}")
    if event_code is not None and not (
        _EVENT_CODE_RE.fullmatch(event_code.strip()) and 1 <= int(event_code.strip()[:2]) <= 20
    ):
        raise bad("event_code", f"{event_code!r} is not a CAMEO code (2 to 4 digits, e.g. 163)")
    quads = tuple(sorted(set(quad_class or ())))
    if any(q not in (1, 2, 3, 4) for q in quads):
        raise bad("quad_class", f"{list(quads)}: QuadClass is 1, 2, 3 or 4")
    if min_sources is not None and not 0 <= min_sources <= MAX_COUNT:
        raise bad("min_sources", f"{min_sources} is outside 0..{MAX_COUNT}")
    lo, hi = parse_date(since, "since"), parse_date(until, "until")
    check_range(lo, hi)
    return EventFilters(
        actor=parse_code(actor) if actor else None,
        dyad=pair,
        directed=directed,
        country=country.strip().upper() if country else None,
        root_codes=tuple(sorted(set(roots))),
        event_code=event_code.strip() if event_code else None,
        quad_classes=quads,
        since=lo,
        until=hi,
        min_sources=min_sources or None,
        bbox=_parse_bbox(bbox),
        include_negated=include_negated,
        include_hypothetical=include_hypothetical,
        hedged_only=hedged_only,
        reported_only=reported_only,
    )


def counted(include_negated: bool = False, include_hypothetical: bool | None = None) -> list[Any]:
    hypothetical = include_negated if include_hypothetical is None else include_hypothetical
    conds = [] if include_negated else [events.c.negated.is_(False)]
    return conds if hypothetical else [*conds, events.c.hypothetical.is_(False)]


def date_range(since: dt.date | None, until: dt.date | None) -> list[Any]:
    conds = [] if since is None else [events.c.date >= since]
    return conds if until is None else [*conds, events.c.date <= until]


def conditions(f: EventFilters) -> list[Any]:
    conds = counted(f.include_negated, f.include_hypothetical) + date_range(f.since, f.until)
    if f.actor:
        conds.append(or_(_side("source", f.actor), _side("target", f.actor)))
    if f.dyad:
        a, b = f.dyad
        ab = and_(_side("source", a), _side("target", b))
        conds.append(ab if f.directed else or_(ab, and_(_side("source", b), _side("target", a))))
    if f.country:
        conds.append(events.c.location_country == f.country)
    if f.root_codes:
        conds.append(events.c.root_code.in_(f.root_codes))
    if f.event_code:
        conds.append(events.c.event_code.startswith(f.event_code))
    if f.quad_classes:
        conds.append(events.c.quad_class.in_(f.quad_classes))
    if f.min_sources:
        conds.append(events.c.num_sources >= f.min_sources)
    if f.bbox:
        w, s, e, n = f.bbox
        lon = events.c.location_lon
        lons = and_(lon >= w, lon <= e) if w <= e else or_(lon >= w, lon <= e)  # across the antimeridian
        conds += [events.c.location_lat.between(s, n), lons]
    if f.hedged_only:
        conds.append(_some_report(event_mentions.c.hedged.is_(True)))
    if f.reported_only:
        conds.append(_some_report(event_mentions.c.reported_by.is_not(None)))
    return conds


def _some_report(test: Any) -> Any:
    return select(event_mentions.c.id).where(event_mentions.c.event_id == events.c.id, test).exists()


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
