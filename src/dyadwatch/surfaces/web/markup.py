"""HTML for the dashboard: escaping templates and the pieces pages are made of (SVG included).

:func:`render` fills a constant template and escapes every value it inserts unless the value is
:class:`Markup` built here — so text from articles (untrusted web content) can only ever appear
as text. Used by :mod:`dyadwatch.surfaces.web.dashboard`.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

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


def map_svg(located: list[dict[str, Any]], width: int = 960) -> Markup:
    """Equirectangular: x = lon, y = −lat; a 30° graticule, no coastlines or tiles.

    Events at one place share a dot (radius grows with their number, colour = their usual QuadClass)."""
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
    labels = [
        render('<text class="tick" x="4" y="{y}">{lat}°</text>', y=f"{(90 - lat) * sy - 3:.1f}", lat=lat)
        for lat in range(-60, 61, 30)
    ]
    places: dict[tuple[float, float], list[dict[str, Any]]] = {}
    for e in located:
        loc = e["location"]
        if loc is not None and loc.get("lat") is not None and loc.get("lon") is not None:
            places.setdefault((loc["lat"], loc["lon"]), []).append(e)
    dots = []
    for (lat, lon), here in places.items():
        quad = Counter(e["quad_class"] for e in here).most_common(1)[0][0]
        first = here[0]
        dots.append(
            render(
                '<a href="/events/{id}"><circle class="dot q{q}" cx="{x}" cy="{y}" r="{r}">'
                "<title>{place}: {n} events · latest {date} {name}</title></circle></a>",
                id=first["event_id"],
                q=quad,
                x=f"{(lon + 180) * sx:.1f}",
                y=f"{(90 - lat) * sy:.1f}",
                r=f"{4 + 2 * math.sqrt(len(here) - 1):.1f}",
                place=first["location"]["name"],
                n=len(here),
                date=first["date"] or "undated",
                name=first["event_name"],
            )
        )
    return render(
        '<svg class="map" viewBox="0 0 {w} {h}" role="img" aria-label="map of located events">'
        '<rect class="sea" x="0" y="0" width="{w}" height="{h}"/>{grid}{labels}{dots}</svg>',
        w=width,
        h=f"{height:.0f}",
        grid=concat(lines),
        labels=concat(labels),
        dots=concat(dots),
    )
