"""Dyads over time, actors and the actor network: counts per QuadClass, Goldstein and the CCI."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, and_, func, literal, or_, select, union_all
from sqlalchemy.engine import Connection, RowMapping

from dyadwatch.analytics.params import (
    MAX_COUNT,
    MAX_TEXT,
    bad,
    check_limit,
    check_range,
    counted,
    date_range,
    iso,
    parse_code,
    parse_date,
)
from dyadwatch.datafiles import load_codebook, load_countries
from dyadwatch.errors import DyadwatchError
from dyadwatch.store.database import events
from dyadwatch.store.query import _dyad_end, _side

QUADS = ("verbal_coop", "material_coop", "verbal_conflict", "material_conflict")
INTERVALS = ("day", "week", "month", "year")
# how fine a date is (events.date_precision; None = the publication day): an event goes in a period
# only if its date is at least as fine as the interval, else it counts as `imprecise`
_FINENESS = {None: 0, "day": 0, "week": 1, "month": 2, "year": 3}
MAX_PERIODS = 5000
CCI_DEFINITION = (
    "(coop - conflict) / (coop + conflict) over counted events, coop = QuadClass 1-2, "
    "conflict = QuadClass 3-4; -1 all conflict, +1 all cooperation, null without events"
)


# --- dyad timeline --------------------------------------------------------------------------------


@dataclass(slots=True)
class Tally:
    """Events of a set by QuadClass with their Goldstein sum; ``to_dict`` adds mean and CCI."""

    quads: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    goldstein: float = 0.0

    def add(self, quad_class: int, goldstein: float) -> None:
        self.quads[quad_class - 1] += 1
        self.goldstein += goldstein

    @property
    def events(self) -> int:
        return sum(self.quads)

    def to_dict(self) -> dict[str, Any]:
        n, coop = self.events, self.quads[0] + self.quads[1]
        return {
            "events": n,
            **dict(zip(QUADS, self.quads, strict=True)),
            "goldstein_sum": round(self.goldstein, 2),
            "goldstein_mean": round(self.goldstein / n, 2) if n else None,
            "cci": round((coop - (n - coop)) / n, 3) if n else None,
        }


def period_start(day: dt.date, interval: str) -> dt.date:
    if interval == "week":
        return day - dt.timedelta(days=day.weekday())  # ISO weeks start on Monday
    if interval == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1) if interval == "year" else day


def _next_period(start: dt.date, interval: str) -> dt.date | None:
    """The first day of the next period; None after the last period of the calendar (year 9999)."""
    try:
        if interval == "month":
            return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        if interval == "year":
            return start.replace(year=start.year + 1)
        return start + dt.timedelta(days=7 if interval == "week" else 1)
    except (OverflowError, ValueError):
        return None


def _label(start: dt.date, interval: str) -> str:
    if interval == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.isoformat()[: {"month": 7, "year": 4}.get(interval, 10)]


def dyad_timeline(
    engine: Engine,
    a: str,
    b: str,
    interval: str = "month",
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    include_negated: bool = False,
) -> dict[str, Any]:
    """Events between two actors per day, week (ISO, from Monday), month or year, both directions.

    Each period has ``ab`` (a → b), ``ba`` (b → a) and ``both`` (each event once), each with
    counts per QuadClass, summed and mean Goldstein and the CCI (module docstring). Periods run
    without gaps from the first to the last event. ``totals`` count every event, also those in
    no period: ``undated`` ones and ``imprecise`` ones, whose date is coarser than the interval
    ("in late 2021" is a year, not January 2021).
    """
    a, b = parse_code(a, "a"), parse_code(b, "b")
    if a == b:
        raise bad("b", f"{b} is the same actor as a; a dyad needs two")
    if interval not in INTERVALS:
        raise bad("interval", f"{interval!r}: choose day, week, month or year")
    lo, hi = parse_date(since, "since"), parse_date(until, "until")
    check_range(lo, hi)
    ab = and_(_side("source", a), _side("target", b))
    ba = and_(_side("source", b), _side("target", a))
    q = select(
        events.c.date,
        events.c.date_precision,
        events.c.quad_class,
        events.c.goldstein,
        ab.label("ab"),
        ba.label("ba"),
    )
    q = q.where(or_(ab, ba), *counted(include_negated), *date_range(lo, hi))
    with engine.connect() as conn:
        rows = conn.execute(q).all()
        if not rows:
            require_actor(conn, a, "a")
            require_actor(conn, b, "b")
    totals = {d: Tally() for d in ("ab", "ba", "both")}
    buckets: dict[dt.date, dict[str, Tally]] = defaultdict(lambda: {d: Tally() for d in totals})
    undated = imprecise = 0
    for day, precision, quad, goldstein, is_ab, is_ba in rows:
        placed = day is not None and _FINENESS.get(precision, 0) <= _FINENESS[interval]
        cells = [totals, buckets[period_start(day, interval)]] if placed and day else [totals]
        undated += day is None
        imprecise += day is not None and not placed
        for cell in cells:
            for direction, on in (("ab", is_ab), ("ba", is_ba), ("both", True)):
                if on:
                    cell[direction].add(quad, goldstein)
    return {
        "a": a,
        "b": b,
        "interval": interval,
        "include_negated": include_negated,
        "undated": undated,
        "imprecise": imprecise,
        "totals": {d: t.to_dict() for d, t in totals.items()},
        "periods": _dense(buckets, interval),
    }


def _dense(buckets: dict[dt.date, dict[str, Tally]], interval: str) -> list[dict[str, Any]]:
    if not buckets:
        return []
    out: list[dict[str, Any]] = []
    start: dt.date | None = min(buckets)
    last = max(buckets)
    while start is not None and start <= last:
        if len(out) >= MAX_PERIODS:
            raise bad(
                "interval", f"more than {MAX_PERIODS} {interval}s; choose a coarser interval or since/until"
            )
        nxt = _next_period(start, interval)
        cell = buckets.get(start) or {d: Tally() for d in ("ab", "ba", "both")}
        out.append(
            {
                "period": start.isoformat(),
                "end": (nxt - dt.timedelta(days=1) if nxt else dt.date.max).isoformat(),
                "label": _label(start, interval),
                **{d: t.to_dict() for d, t in cell.items()},
            }
        )
        start = nxt
    return out


def require_actor(conn: Connection, code: str, name: str = "code") -> None:
    """E303 unless some event (counted or not) has this actor on either side."""
    hit = conn.execute(
        select(events.c.id).where(or_(_side("source", code), _side("target", code))).limit(1)
    ).first()
    if hit is None:
        raise DyadwatchError("E303", actor=code, field=name)


# --- actors and the network -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    return {c.iso3: c.name for c in load_countries()}


def end_of(actor: dict[str, Any] | None) -> tuple[str, str, str] | None:
    """A dyad end (see :func:`dyadwatch.store.query._dyad_end`) as (id, label, kind)."""
    end = _dyad_end(actor)
    if end is None or actor is None:
        return None
    if end == actor["country"]:
        return end, _country_names().get(end, end), "country"
    return str(actor["code"]), str(actor["name"]), "organisation"


def actors(
    engine: Engine, q: str | None = None, limit: int = 100, include_negated: bool = False
) -> list[dict[str, Any]]:
    """Actor codes seen in events, most active first; ``q`` keeps codes or names containing it."""
    check_limit(limit)
    if q is not None and len(q) > MAX_TEXT:
        raise bad("q", f"{len(q):,} characters; at most {MAX_TEXT}")
    sides = []
    for side, as_source in (("source", 1), ("target", 0)):
        c = events.c
        sides.append(
            select(
                c.id.label("event_id"),
                c[f"{side}_code"].label("code"),
                c[f"{side}_name"].label("name"),
                c[f"{side}_country"].label("country"),
                c[f"{side}_type"].label("type"),
                literal(as_source).label("as_source"),
            ).where(c[f"{side}_code"].is_not(None), *counted(include_negated))
        )
    u = union_all(*sides).subquery()
    stmt = select(
        u.c.code,
        func.max(u.c.name).label("name"),
        func.max(u.c.country).label("country"),
        func.max(u.c.type).label("type"),
        func.count(func.distinct(u.c.event_id)).label("events"),
        func.sum(u.c.as_source).label("as_source"),
        func.count().label("sides"),
    ).group_by(u.c.code)
    if q and q.strip():
        needle = q.strip().lower()
        stmt = stmt.having(
            or_(
                func.lower(u.c.code).contains(needle, autoescape=True),
                func.lower(func.max(u.c.name)).contains(needle, autoescape=True),
            )
        )
    stmt = stmt.order_by(func.count(func.distinct(u.c.event_id)).desc(), u.c.code).limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return [
        {
            "code": r.code,
            "name": r.name,
            "country": r.country,
            "type": r.type,
            "events": r.events,
            "as_source": int(r.as_source),
            "as_target": r.sides - int(r.as_source),
        }
        for r in rows
    ]


def _event_rows(engine: Engine, *conds: Any) -> list[RowMapping]:
    cols = [events.c[f"{s}_{k}"] for s in ("source", "target") for k in ("code", "name", "country", "type")]
    q = select(events.c.id, events.c.date, events.c.root_code, events.c.quad_class, events.c.goldstein, *cols)
    with engine.connect() as conn:
        return [r._mapping for r in conn.execute(q.where(*conds))]


def _side_of(row: RowMapping, side: str) -> dict[str, Any] | None:
    if row[f"{side}_code"] is None:
        return None
    return {k: row[f"{side}_{k}"] for k in ("code", "name", "country", "type")}


def actor_detail(engine: Engine, code: str, top: int = 10, include_negated: bool = False) -> dict[str, Any]:
    """An actor (code, country or prefix): its event mix by root and QuadClass and top partners."""
    code = parse_code(code, "code")
    rows = _event_rows(engine, or_(_side("source", code), _side("target", code)), *counted(include_negated))
    if not rows:
        with engine.connect() as conn:
            require_actor(conn, code)
        raise DyadwatchError("E303", actor=code, field="code")  # only negated/hypothetical events
    codebook = load_codebook()
    total, roots, matched = Tally(), Counter[str](), Counter[str]()
    names: dict[str, Counter[str]] = defaultdict(Counter)
    partners: dict[tuple[str, str, str], dict[str, Any]] = {}
    as_source = as_target = 0
    for r in rows:
        total.add(r["quad_class"], r["goldstein"])
        roots[r["root_code"]] += 1
        mine = [s for s in ("source", "target") if _matches(r, s, code)]
        as_source += "source" in mine
        as_target += "target" in mine
        for side in mine:
            matched[r[f"{side}_code"]] += 1
            names[r[f"{side}_code"]][r[f"{side}_name"]] += 1
        if len(mine) != 1:
            continue  # both sides are this actor: internal, no partner
        other = end_of(_side_of(r, "target" if mine == ["source"] else "source"))
        if other is None:
            continue
        cell = partners.setdefault(other, {"tally": Tally(), "outgoing": 0, "incoming": 0})
        cell["tally"].add(r["quad_class"], r["goldstein"])
        cell["outgoing" if mine == ["source"] else "incoming"] += 1
    dates = sorted(r["date"] for r in rows if r["date"])
    ranked = sorted(partners.items(), key=lambda kv: (-kv[1]["tally"].events, kv[0][0]))[:top]
    return {
        "code": code,
        "name": _country_names().get(code) or _usual(names[matched.most_common(1)[0][0]]),
        "matches": [{"code": c, "name": _usual(names[c]), "events": k} for c, k in matched.most_common()],
        **total.to_dict(),
        "as_source": as_source,
        "as_target": as_target,
        "first_date": iso(dates[0]) if dates else None,
        "last_date": iso(dates[-1]) if dates else None,
        "roots": [
            {"root_code": root, "name": codebook[root].name if root in codebook else root, "events": n}
            for root, n in sorted(roots.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "partners": [
            {
                "id": pid,
                "label": label,
                "kind": kind,
                "outgoing": cell["outgoing"],
                "incoming": cell["incoming"],
                **cell["tally"].to_dict(),
            }
            for (pid, label, kind), cell in ranked
        ],
    }


def _usual(names: Counter[str]) -> str:
    """The name an actor code is most often read under (ties: alphabetically first)."""
    return min(names.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _matches(row: RowMapping, side: str, code: str) -> bool:
    """Python twin of :func:`dyadwatch.store.query._side` for one row."""
    own = row[f"{side}_code"]
    return own is not None and (own == code or row[f"{side}_country"] == code or own.startswith(code))


def network(
    engine: Engine,
    min_weight: int = 1,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    include_negated: bool = False,
) -> dict[str, Any]:
    """Directed, weighted edges between dyad ends (weight = events) and the nodes they join."""
    if not 1 <= min_weight <= MAX_COUNT:
        raise bad("min_weight", f"{min_weight} is outside 1..{MAX_COUNT}")
    lo, hi = parse_date(since, "since"), parse_date(until, "until")
    check_range(lo, hi)
    rows = _event_rows(
        engine, events.c.target_code.is_not(None), *counted(include_negated), *date_range(lo, hi)
    )
    edges: dict[tuple[str, str], Tally] = defaultdict(Tally)
    nodes: dict[str, tuple[str, str]] = {}
    for r in rows:
        src, tgt = end_of(_side_of(r, "source")), end_of(_side_of(r, "target"))
        if src is None or tgt is None or src[0] == tgt[0]:
            continue
        edges[(src[0], tgt[0])].add(r["quad_class"], r["goldstein"])
        nodes.update({src[0]: src[1:], tgt[0]: tgt[1:]})
    kept = {k: t for k, t in edges.items() if t.events >= min_weight}
    weight: Counter[str] = Counter()
    for (s, t), tally in kept.items():
        weight[s] += tally.events
        weight[t] += tally.events
    return {
        "nodes": [
            {"id": n, "label": nodes[n][0], "kind": nodes[n][1], "events": w}
            for n, w in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "edges": [
            {"source": s, "target": t, "weight": tally.events, **tally.to_dict()}
            for (s, t), tally in sorted(kept.items(), key=lambda kv: (-kv[1].events, kv[0]))
        ],
    }
