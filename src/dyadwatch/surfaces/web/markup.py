"""HTML for the dashboard: escaping templates and the pieces pages are made of (SVG included).

:func:`render` fills a constant template and escapes every value it inserts unless the value is
:class:`Markup` built here — so text from articles (untrusted web content) can only ever appear
as text. Used by :mod:`dyadwatch.surfaces.web.dashboard`.
"""

from __future__ import annotations

import html
import json
import math
from collections import Counter
from collections.abc import Iterable
from functools import cache
from typing import Any

from dyadwatch.datafiles import DATA_DIR
from dyadwatch.errors import DyadwatchError

QUAD_NAMES = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")


# --- escaping templates ---------------------------------------------------------------------------


class Markup(str):
    """HTML that is safe as it is: built here from constant templates and escaped values."""

    __slots__ = ()


def esc(value: object) -> Markup:
    """Escape a value for HTML text or a quoted attribute; Markup passes through, None is empty."""
    if isinstance(value, Markup):
        return value
    return Markup("" if value is None else html.escape(str(value), quote=True))


def render(template: str, **values: object) -> Markup:
    """Fill a constant template; every value is escaped unless it is Markup."""
    return Markup(template.format_map({key: esc(value) for key, value in values.items()}))


def count(n: int, noun: str) -> str:
    """``1 article``, ``3 articles``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def concat(parts: Iterable[object]) -> Markup:
    return Markup("".join(esc(p) for p in parts))


# --- shared pieces --------------------------------------------------------------------------------


def actor_link(actor: dict[str, Any] | None) -> Markup:
    if not actor:
        return Markup('<span class="none">—</span>')
    label = actor.get("name") or actor.get("text") or actor["code"]
    return render(
        '<a class="actor" href="/actors/{code}" title="{code}">{label}</a>', code=actor["code"], label=label
    )


def event_line(e: dict[str, Any]) -> Markup:
    """date · source → event → target, linking to the event page."""
    return render(
        '<span class="date">{date}</span> {source} <a class="event q{quad}" href="/events/{id}">{code} {name}</a> '
        "{target}",
        date=e.get("date") or "undated",
        source=actor_link(e.get("source")),
        quad=e["quad_class"],
        id=e["event_id"],
        code=e["event_code"],
        name=e["event_name"],
        target=actor_link(e.get("target")),
    )


def highlighted(segments: list[dict[str, Any]]) -> Markup:
    """A sentence with its source, target and trigger in ``<mark class="hl-ROLE">``."""
    parts = [
        render('<mark class="hl-{role}" title="{role}">{text}</mark>', role=s["role"], text=s["text"])
        if s.get("role")
        else esc(s["text"])
        for s in segments
    ]
    return render('<p class="sentence">{parts}</p>', parts=concat(parts))


def safe_url(url: str | None) -> str | None:
    """Only web links are made clickable (no javascript: or data: URLs from article metadata)."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def attribution(m: dict[str, Any]) -> Markup:
    url = safe_url(m.get("url"))
    link = (
        render(' · <a href="{url}" rel="noopener noreferrer nofollow">original</a>', url=url) if url else ""
    )
    credited = m.get("attributed_source")
    return render(
        '<p class="attribution"><a href="/articles/{aid}">{title}</a>{publisher}{credited} · {published}{link}</p>',
        aid=m["article_id"],
        title=m.get("title") or m["article_id"],
        publisher=render(" · {s}", s=m["source"]) if m.get("source") else "",
        credited=render(" · original source: {s}", s=credited) if credited else "",
        published=m.get("published") or "date unknown",
        link=link,
    )


def table(head: Iterable[str], rows: Iterable[Iterable[object]], cls: str = "") -> Markup:
    header = concat(render("<th>{h}</th>", h=h) for h in head)
    body = concat(
        render("<tr>{cells}</tr>", cells=concat(render("<td>{c}</td>", c=c) for c in row)) for row in rows
    )
    return render(
        '<table class="{cls}"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>',
        cls=cls,
        header=header,
        body=body,
    )


# --- drawings -------------------------------------------------------------------------------------


def _tone(cci: float | None) -> str:
    if cci is None:
        return "mixed"
    return "coop" if cci > 0.2 else "conflict" if cci < -0.2 else "mixed"


def network_svg(center: dict[str, Any], partners: list[dict[str, Any]], size: int = 560) -> Markup:
    """The actor in the middle, its partners on a circle; edge width by events, colour by CCI."""
    mid, radius = size / 2, size / 2 - 90
    heaviest = max((p["events"] for p in partners), default=1)
    edges, nodes = [], []
    for i, p in enumerate(partners):
        angle = 2 * math.pi * i / max(len(partners), 1) - math.pi / 2
        x, y = mid + radius * math.cos(angle), mid + radius * math.sin(angle)
        edges.append(
            render(
                '<line class="edge {tone}" x1="{mx}" y1="{mx}" x2="{x}" y2="{y}" stroke-width="{w}">'
                "<title>{label}: {n} events, CCI {cci}</title></line>",
                tone=_tone(p["cci"]),
                mx=f"{mid:.1f}",
                x=f"{x:.1f}",
                y=f"{y:.1f}",
                w=f"{1 + 7 * p['events'] / heaviest:.1f}",
                label=p["label"],
                n=p["events"],
                cci=p["cci"],
            )
        )
        anchor = "start" if math.cos(angle) > 0.3 else "end" if math.cos(angle) < -0.3 else "middle"
        dy = 22 if math.sin(angle) > 0.3 else -12 if math.sin(angle) < -0.3 else 4
        dx = 12 if anchor == "start" else -12 if anchor == "end" else 0
        nodes.append(
            render(
                '<a href="/actors/{id}"><circle class="node {kind}" cx="{x}" cy="{y}" r="9"><title>{label}</title></circle>'
                '<text x="{tx}" y="{ty}" text-anchor="{anchor}">{label}</text></a>',
                id=p["id"],
                kind=p["kind"],
                x=f"{x:.1f}",
                y=f"{y:.1f}",
                tx=f"{x + dx:.1f}",
                ty=f"{y + dy:.1f}",
                anchor=anchor,
                label=p["label"],
            )
        )
    hub = render(
        '<circle class="node hub" cx="{m}" cy="{m}" r="16"><title>{label}</title></circle>'
        '<text class="hub-label" x="{m}" y="{ty}" text-anchor="middle">{label}</text>',
        m=f"{mid:.1f}",
        ty=f"{mid + 34:.1f}",
        label=center.get("name") or center["code"],
    )
    return render(
        '<svg class="network" viewBox="0 0 {s} {s}" role="img" aria-label="partner network">{edges}{nodes}{hub}</svg>',
        s=size,
        edges=concat(edges),
        nodes=concat(nodes),
        hub=hub,
    )


WORLD_MAP = DATA_DIR / "geo" / "world-110m.json"  # Natural Earth 1:110m (scripts/build_world_map.py)


@cache
def world_paths(width: int = 960) -> Markup:
    """Country borders and coastlines as SVG paths (equirectangular, like the markers)."""
    try:
        data = json.loads(WORLD_MAP.read_text())
        countries = [(c["iso3"] or "", c["name"], c["rings"]) for c in data["countries"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DyadwatchError("E001", path=WORLD_MAP, line=0, reason=f"unreadable world map: {exc}") from None
    sx = sy = width / 360
    paths = []
    for iso3, name, rings in countries:
        d = " ".join(
            "M" + " L".join(f"{(lon + 180) * sx:.1f},{(90 - lat) * sy:.1f}" for lon, lat in r) + "Z"
            for r in rings
        )
        paths.append(
            render(
                '<path class="land" data-iso3="{iso}" d="{d}"><title>{name}</title></path>',
                iso=iso3,
                d=d,
                name=name,
            )
        )
    return concat(paths)


def map_svg(located: list[dict[str, Any]], width: int = 960) -> Markup:
    """Equirectangular: x = lon, y = −lat; Natural Earth country borders, a 30° graticule.

    Events at one place share a marker (radius grows with their number, colour = their usual
    QuadClass); markers closer than a degree are drawn as one cluster with the sum of their events.
    The page's script adds zoom (wheel, +/−) and pan (drag); a legend explains the colours."""
    height = width / 2
    sx, sy = width / 360, height / 180
    lines = [
        render(
            '<line class="grid{eq}" x1="0" y1="{y}" x2="{w}" y2="{y}"/>',
            eq=" equator" if lat == 0 else "",
            y=f"{(90 - lat) * sy:.1f}",
            w=width,
        )
        for lat in range(-60, 91, 30)
    ] + [
        render(
            '<line class="grid" x1="{x}" y1="0" x2="{x}" y2="{h}"/>',
            x=f"{(lon + 180) * sx:.1f}",
            h=f"{height:.1f}",
        )
        for lon in range(-150, 180, 30)
    ]
    clusters: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for e in located:
        loc = e["location"]
        if loc is not None and loc.get("lat") is not None and loc.get("lon") is not None:
            clusters.setdefault((round(loc["lat"]), round(loc["lon"])), []).append(e)
    dots = []
    for here in clusters.values():
        quad = Counter(e["quad_class"] for e in here).most_common(1)[0][0]
        first = here[0]
        places = Counter(e["location"]["name"] for e in here)
        top = next(e["location"] for e in here if e["location"]["name"] == places.most_common(1)[0][0])
        lat, lon = top["lat"], top["lon"]  # the cluster sits on its most reported place
        dots.append(
            render(
                '<a href="/events/{id}"><circle class="dot q{q}" cx="{x}" cy="{y}" r="{r}" data-country="{c}" '
                'data-events="{n}"><title>{place}: {n} events · mostly {quad} · latest {date} {name}</title>'
                "</circle></a>",
                id=first["event_id"],
                q=quad,
                x=f"{(lon + 180) * sx:.1f}",
                y=f"{(90 - lat) * sy:.1f}",
                r=f"{4 + 2 * math.sqrt(len(here) - 1):.1f}",
                c=top.get("country") or "",
                place=", ".join(name for name, _ in places.most_common(3)),
                n=len(here),
                quad=QUAD_NAMES[quad - 1] if 1 <= quad <= 4 else f"QuadClass {quad}",
                date=first["date"] or "undated",
                name=first["event_name"],
            )
        )
    legend = concat(
        render('<span class="key q{q}">{name}</span>', q=q, name=name) for q, name in enumerate(QUAD_NAMES, 1)
    )
    return render(
        '<div class="map-tools"><button type="button" data-zoom="in" aria-label="zoom in">+</button>'
        '<button type="button" data-zoom="out" aria-label="zoom out">−</button>'
        '<button type="button" data-zoom="reset">reset</button>'
        '<span class="meta">wheel to zoom, drag to pan; marker size = events at that place</span></div>'
        '<svg class="map" id="worldmap" viewBox="0 0 {w} {h}" role="img" aria-label="map of located events">'
        '<rect class="sea" x="0" y="0" width="{w}" height="{h}"/><g class="countries">{land}</g>{grid}{dots}</svg>'
        '<p class="legend">{legend} · borders: Natural Earth 1:110m</p>',
        w=width,
        h=f"{height:.0f}",
        land=world_paths(width),
        grid=concat(lines),
        dots=concat(dots),
        legend=legend,
    )
