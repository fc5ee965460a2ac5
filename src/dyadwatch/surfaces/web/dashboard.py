"""The dashboard: server-rendered HTML pages over the analytics verbs, with our own JS and CSS.

Pages (``router``, included by :func:`dyadwatch.surfaces.api.app.create_app`):

* ``/`` — a dyad: pick two actors, see the timeline (stacked QuadClasses and the Goldstein line,
  drawn as SVG by ``static/dashboard.js`` from ``/api/dyads/{a}/{b}/timeline``), click a period for
  its events, click an event for its sentences with source, target and trigger highlighted;
* ``/events/{id}``, ``/articles/{id}`` — one event with every report; one article with its events;
* ``/actors/{code}`` — an actor's event mix, top partners and its partner network (SVG);
* ``/map`` — located events on an equirectangular graticule (SVG; no map tiles);
* ``/stories`` — stories with their member articles; ``/search?q=`` — actors and events.

Article text is untrusted: everything shown is escaped — on the server by :func:`markup.render`, which
escapes every value it inserts unless it is :class:`markup.Markup`, in the browser by setting
``textContent`` only. Every page is served with ``Content-Security-Policy: default-src 'self'``:
no inline script or style, nothing loaded from another origin, so the dashboard works offline.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from sqlalchemy import Engine, func, or_, select

from dyadwatch import analytics
from dyadwatch.datafiles import load_countries
from dyadwatch.errors import DyadwatchError
from dyadwatch.store.database import articles, event_mentions, events
from dyadwatch.surfaces.web.markup import (
    QUAD_NAMES,
    Markup,
    attribution,
    concat,
    count,
    event_line,
    highlighted,
    map_svg,
    network_svg,
    render,
    table,
)

STATIC = Path(__file__).resolve().parent / "static"
_MEDIA = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_STATUS = {"E206": 404, "E222": 404, "E303": 404, "E304": 404, "E305": 404, "E203": 503}
MAP_LIMIT = 2000  # located events drawn on /map

router = APIRouter(include_in_schema=False)


_LAYOUT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · dyadwatch</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/dashboard.css">
<script src="/static/dashboard.js" defer></script>
</head><body>
<header><a class="brand" href="/">dyadwatch</a><nav>{nav}</nav>
<form class="search" action="/search" method="get" role="search">
<input type="search" name="q" value="{q}" placeholder="actor, place, words…" aria-label="search actors and events">
<button type="submit">Search</button></form></header>
<main>{body}</main>
<footer>dyadwatch · events coded in CAMEO from news articles · <a href="/docs">API</a></footer>
</body></html>"""
_NAV = (("/", "Dyads"), ("/map", "Map"), ("/stories", "Stories"))


def page(title: str, body: Markup, request: Request, status: int = 200) -> HTMLResponse:
    path = request.url.path
    nav = concat(
        render('<a href="{href}"{current}>{label}</a>', href=href, label=label, current=_current(href, path))
        for href, label in _NAV
    )
    q = request.query_params.get("q", "") if path == "/search" else ""
    doc = render(_LAYOUT, title=title, nav=nav, body=body, q=q)
    return HTMLResponse(doc, status_code=status, headers=HEADERS)


def _current(href: str, path: str) -> Markup:
    return Markup(' aria-current="page"') if path == href else Markup("")


def error_page(request: Request, status: int, message: str, code: str | None = None) -> HTMLResponse:
    body = render(
        '<section class="error"><h1>{status}</h1><p class="message">{message}</p>{code}'
        '<p><a href="/">Back to the dashboard</a></p></section>',
        status=status,
        message=message,
        code=render("<p>error {code}</p>", code=code) if code else "",
    )
    return page("Not found" if status == 404 else "Error", body, request, status)


def _country_names() -> dict[str, str]:
    return {c.iso3: c.name for c in load_countries()}


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _serve(request: Request, title: str, build: Callable[[Engine], Markup]) -> HTMLResponse:
    """Build a page; a coded error becomes an HTML error page, never JSON or a traceback."""
    api = getattr(request.app.state, "api", None)
    if api is not None and api.reads_need_token:
        return error_page(request, 403, "The dashboard is off: this server's API reads need a token.")
    try:
        return page(title, build(_engine(request)), request)
    except DyadwatchError as exc:
        return error_page(request, _STATUS.get(exc.code, 400), exc.message, exc.code)


# --- the dyad view --------------------------------------------------------------------------------


def actor_options(engine: Engine) -> list[tuple[str, str]]:
    """(code, label) to pick from: countries (any actor of the country), then organisations."""
    names = _country_names()
    countries: dict[str, str] = {}
    others: dict[str, str] = {}
    for a in analytics.actors(engine, None, analytics.MAX_LIMIT):
        if a["country"]:
            countries[a["country"]] = names.get(a["country"], a["country"])
        if a["type"] not in ("state", "agent", "person") and a["code"] != a["country"]:
            others[a["code"]] = a["name"] or a["code"]
    ordered = sorted(countries.items(), key=lambda kv: kv[1]) + sorted(others.items(), key=lambda kv: kv[1])
    return [(code, f"{label} ({code})") for code, label in ordered]


def _select(name: str, label: str, options: list[tuple[str, str]], chosen: str | None) -> Markup:
    opts = concat(
        render(
            '<option value="{v}"{sel}>{t}</option>', v=v, t=t, sel=Markup(" selected") if v == chosen else ""
        )
        for v, t in options
    )
    return render(
        '<label>{label} <select name="{name}" id="pick-{name}">{opts}</select></label>',
        label=label,
        name=name,
        opts=opts,
    )


@router.get("/", response_class=HTMLResponse)
def dyad_page(
    request: Request, a: str | None = None, b: str | None = None, interval: str = "month"
) -> HTMLResponse:
    def build(engine: Engine) -> Markup:
        options = actor_options(engine)
        codes = [c for c, _ in options]
        first = a.upper() if a else ("RUS" if "RUS" in codes else (codes[0] if codes else None))
        second = b.upper() if b else ("MLI" if "MLI" in codes else (codes[1] if len(codes) > 1 else None))
        step = interval if interval in analytics.INTERVALS else "month"
        intervals = [(i, i) for i in analytics.INTERVALS]
        form = render(
            '<form class="dyad-form" method="get" action="/">{a}{b}{i}<button type="submit" id="show">Show</button></form>',
            a=_select("a", "Actor A", options, first),
            b=_select("b", "Actor B", options, second),
            i=_select("interval", "Interval", intervals, step),
        )
        legend = concat(
            render('<span class="key q{n}">{name}</span>', n=n, name=name)
            for n, name in enumerate(QUAD_NAMES, 1)
        )
        return render(
            """<h1>Dyad timeline</h1>{form}
<section id="dyad" data-a="{a}" data-b="{b}" data-interval="{interval}">
<h2>{a} – {b}</h2>
<p class="legend">{legend} <span class="key goldstein">mean Goldstein (right axis, −10…+10)</span></p>
<div id="timeline" class="chart"></div>
<p id="status" class="status" role="status">{status}</p>
</section>
<div class="columns"><section id="period" class="panel"><h2 id="period-title">Events</h2>
<p class="hint">Click a period of the timeline to list its events.</p><ul id="events" class="events"></ul></section>
<section id="event" class="panel"><h2>Event</h2><p class="hint">Click an event to read its reports.</p>
<div id="event-body"></div></section></div>""",
            form=form,
            a=first or "",
            b=second or "",
            interval=step,
            legend=legend,
            status="" if first and second else "No actors in this database yet: ingest some articles.",
        )

    return _serve(request, "Dyads", build)


# --- events, articles -----------------------------------------------------------------------------


def event_header(e: dict[str, Any]) -> Markup:
    place = e.get("location")
    where = render(" · in {name}", name=place["name"]) if place else ""
    flags = " · negated" if e["negated"] else ""
    flags += " · hypothetical" if e["hypothetical"] else ""
    return render(
        '<p class="event-line">{line}</p><p class="meta">QuadClass {quad} ({qname}) · Goldstein {g} · '
        "{m} in {n} from {s}{where}{flags}</p>",
        line=event_line(e),
        quad=e["quad_class"],
        qname=QUAD_NAMES[e["quad_class"] - 1],
        g=f"{e['goldstein']:+.1f}",
        m=count(e["num_mentions"], "report"),
        n=count(e["num_articles"], "article"),
        s=count(e["num_sources"], "source"),
        where=where,
        flags=flags,
    )


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> HTMLResponse:
    def build(engine: Engine) -> Markup:
        e = analytics.event_detail(engine, event_id)
        reports = concat(
            render(
                '<li class="mention">{sentence}{attribution}</li>',
                sentence=highlighted(m["segments"]),
                attribution=attribution(m),
            )
            for m in e["mentions"]
        )
        return render(
            '<h1>Event</h1>{header}<h2>Reports</h2><ol class="mentions">{reports}</ol>',
            header=event_header(e),
            reports=reports,
        )

    return _serve(request, "Event", build)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    def build(engine: Engine) -> Markup:
        art = analytics.article(engine, article_id)
        paragraphs = concat(render("<p>{p}</p>", p=p) for p in art["text"].split("\n") if p.strip())
        coded = concat(
            render(
                '<li><a class="event q{quad}" href="/events/{id}">{code} {name}</a> {src} → {tgt} · <q>{sentence}</q></li>',
                quad=e["quad_class"],
                id=e["event_id"],
                code=e["event_code"],
                name=e["event_name"],
                src=e["source_code"] or "—",
                tgt=e["target_code"] or "—",
                sentence=e["sentence"],
            )
            for e in art["events"]
        )
        return render(
            '<h1 class="article-title">{title}</h1>{attribution}<div class="columns"><article class="article-text panel">{text}</article>'
            '<section class="panel"><h2>Events read in it</h2><ul class="events">{coded}</ul></section></div>',
            title=art["title"] or art["id"],
            attribution=attribution({**art, "article_id": art["id"]}),
            text=paragraphs,
            coded=coded or Markup("<li>none</li>"),
        )

    return _serve(request, "Article", build)


# --- actors ---------------------------------------------------------------------------------------


@router.get("/actors/{code}", response_class=HTMLResponse)
def actor_page(request: Request, code: str) -> HTMLResponse:
    def build(engine: Engine) -> Markup:
        d = analytics.actor_detail(engine, code, top=12)
        partners = d["partners"]
        rows = [
            (
                render('<a href="/actors/{id}">{label}</a>', id=p["id"], label=p["label"]),
                p["events"],
                p["outgoing"],
                p["incoming"],
                render(
                    "{v} / {w} / {x} / {y}",
                    v=p["verbal_coop"],
                    w=p["material_coop"],
                    x=p["verbal_conflict"],
                    y=p["material_conflict"],
                ),
                p["cci"] if p["cci"] is not None else "—",
                render('<a href="/?a={a}&amp;b={b}">timeline</a>', a=d["code"], b=p["id"]),
            )
            for p in partners
        ]
        roots = table(
            ("root", "events"), ((f"{r['root_code']} {r['name']}", r["events"]) for r in d["roots"]), "roots"
        )
        matches = concat(
            render("<li>{code} — {name} ({n})</li>", code=m["code"], name=m["name"], n=m["events"])
            for m in d["matches"]
        )
        return render(
            """<h1>{name} <small>{code}</small></h1>
<p class="meta">{events} events ({src} as source, {tgt} as target) · {first} … {last} · CCI {cci}</p>
<div class="columns"><section class="panel"><h2>Top partners</h2>{partners}</section>
<section class="panel"><h2>Partner network</h2>{svg}</section></div>
<div class="columns"><section class="panel"><h2>Event mix</h2>{roots}</section>
<section class="panel"><h2>Matched actor codes</h2><ul>{matches}</ul></section></div>""",
            name=d["name"] or d["code"],
            code=d["code"],
            events=d["events"],
            src=d["as_source"],
            tgt=d["as_target"],
            first=d["first_date"] or "—",
            last=d["last_date"] or "—",
            cci=d["cci"] if d["cci"] is not None else "—",
            partners=table(
                ("partner", "events", "out", "in", "v.coop / m.coop / v.conf / m.conf", "CCI", ""),
                rows,
                "partners",
            ),
            svg=network_svg(d, partners),
            roots=roots,
            matches=matches,
        )

    return _serve(request, "Actor", build)


# --- map ------------------------------------------------------------------------------------------


def located_events(engine: Engine, limit: int = MAP_LIMIT) -> list[dict[str, Any]]:
    filters = analytics.event_filters(bbox="-180,-90,180,90")
    found: list[dict[str, Any]] = []
    cursor = None
    while len(found) < limit:
        got = analytics.events_page(engine, filters, cursor, min(analytics.MAX_LIMIT, limit - len(found)))
        found += got["items"]
        cursor = got["next_cursor"]
        if not cursor:
            break
    return found


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request) -> HTMLResponse:
    def build(engine: Engine) -> Markup:
        located = located_events(engine)
        rows = [(e["location"]["name"], e["location"].get("country") or "", event_line(e)) for e in located]
        listing = (
            table(("place", "country", "event"), rows, "located")
            if rows
            else Markup('<p class="status">No located events yet.</p>')
        )
        return render(
            '<h1>Where events happened</h1><p class="meta">{n} located events · equirectangular, Natural Earth borders</p>'
            '<div class="chart">{svg}</div>{listing}',
            n=len(located),
            svg=map_svg(located),
            listing=listing,
        )

    return _serve(request, "Map", build)


# --- stories, search ------------------------------------------------------------------------------


def _article_heads(engine: Engine, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    cols = (
        articles.c.id,
        articles.c.title,
        articles.c.published,
        articles.c.source,
        articles.c.attributed_source,
    )
    with engine.connect() as conn:
        return {
            row.id: dict(row._mapping) for row in conn.execute(select(*cols).where(articles.c.id.in_(ids)))
        }


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request) -> HTMLResponse:
    def build(engine: Engine) -> Markup:
        found = analytics.stories(engine, analytics.MAX_LIMIT)
        heads = _article_heads(engine, sorted({a for s in found for a in s["article_ids"]}))
        items = []
        for s in found:
            members = concat(
                render(
                    '<li><a href="/articles/{id}">{title}</a> <span class="meta">{source} {published}</span></li>',
                    id=aid,
                    title=(heads.get(aid) or {}).get("title") or aid,
                    source=(heads.get(aid) or {}).get("attributed_source")
                    or (heads.get(aid) or {}).get("source")
                    or "",
                    published=(heads.get(aid) or {}).get("published") or "",
                )
                for aid in s["article_ids"]
            )
            actors = concat(
                render('<a class="actor" href="/actors/{c}">{c}</a> ', c=c) for c in s["top_actors"]
            )
            items.append(
                render(
                    '<li class="story"><h2>{label}</h2><p class="meta">{n} · {first} … {last} · {kind} · {actors}</p>'
                    '<ul class="members">{members}</ul></li>',
                    label=s["label"],
                    n=count(s["num_articles"], "article"),
                    first=s["first_date"] or "—",
                    last=s["last_date"] or "—",
                    kind=s["event_type"] or "",
                    actors=actors,
                    members=members,
                )
            )
        body = concat(items) if items else Markup('<li class="status">No stories yet.</li>')
        return render('<h1>Stories</h1><ul class="stories">{body}</ul>', body=body)

    return _serve(request, "Stories", build)


def search_events(engine: Engine, q: str, limit: int = 50) -> list[dict[str, Any]]:
    """Counted events whose sentence, event name or actor names contain ``q`` (any case)."""
    needle = q.strip().lower()
    cols = (events.c.event_name, events.c.source_name, events.c.target_name, event_mentions.c.sentence)
    stmt = (
        select(events.c.id)
        .join(event_mentions, event_mentions.c.event_id == events.c.id)
        .where(or_(*(func.lower(c).contains(needle, autoescape=True) for c in cols)))
        .where(events.c.negated.is_(False), events.c.hypothetical.is_(False))
        .group_by(events.c.id, events.c.date)
        .order_by(events.c.date.desc(), events.c.id)
        .limit(limit)
    )
    with engine.connect() as conn:
        ids = list(conn.scalars(stmt))
    return [analytics.event_detail(engine, i) for i in ids]


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = "") -> HTMLResponse:
    def build(engine: Engine) -> Markup:
        if not q.strip():
            return Markup(
                '<h1>Search</h1><p class="hint">Type an actor code or name, a place or words of a sentence.</p>'
            )
        found_actors = analytics.actors(engine, q.strip(), 50)
        found_events = search_events(engine, q)
        actor_items = concat(
            render(
                '<li><a class="actor" href="/actors/{code}">{name}</a> {code} · {n} events</li>',
                code=a["code"],
                name=a["name"] or a["code"],
                n=a["events"],
            )
            for a in found_actors
        )
        event_items = concat(
            render(
                '<li>{line}<p class="sentence">{s}</p></li>',
                line=event_line(e),
                s=e["mentions"][0]["sentence"],
            )
            for e in found_events
        )
        return render(
            '<h1>Search: {q}</h1><div class="columns"><section class="panel"><h2>Actors ({na})</h2><ul>{actors}</ul></section>'
            '<section class="panel"><h2>Events ({ne})</h2><ul class="events">{events}</ul></section></div>',
            q=q,
            na=len(found_actors),
            actors=actor_items or Markup("<li>none</li>"),
            ne=len(found_events),
            events=event_items or Markup("<li>none</li>"),
        )

    return _serve(request, "Search", build)


# --- static files and not found -------------------------------------------------------------------


@router.get("/static/{name}")
def static_file(request: Request, name: str) -> Any:
    path = STATIC / name
    if "/" in name or name.startswith(".") or path.suffix not in _MEDIA or not path.is_file():
        return error_page(request, 404, f"No static file {name!r}.")
    return FileResponse(path, media_type=_MEDIA[path.suffix], headers=HEADERS)


@router.get("/{path:path}", response_class=HTMLResponse)
def not_found(request: Request, path: str) -> Any:
    """Unknown pages get an HTML 404; unknown API paths keep the API's JSON 404."""
    if path.startswith("api/"):
        from starlette.exceptions import HTTPException

        raise HTTPException(404, "Not Found")
    return error_page(request, 404, f"No page at /{path}.")
