"""The dashboard's HTML pages through FastAPI's TestClient: escaping, CSP, 404 pages, static files."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from dyadwatch.pipeline import Pipeline
from dyadwatch.surfaces.api.app import ApiSettings, create_app
from dyadwatch.surfaces.web import markup

from . import dashboard_data
from .dashboard_data import IMG, SCRIPT

PAGES = (
    "/",
    "/?a=RUS&b=MLI&interval=week",
    "/actors/RUS",
    "/actors/MLI",
    "/map",
    "/stories",
    "/search?q=russia",
)


@pytest.fixture(scope="module")
def site(pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, str]:
    url, hostile = dashboard_data.build(pipeline, tmp_path_factory.mktemp("web"))
    return TestClient(create_app(url, api=ApiSettings())), hostile


def _page(client: TestClient, url: str, status: int = 200) -> str:
    res = client.get(url)
    assert res.status_code == status, (url, res.text[:300])
    assert res.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in res.headers["content-security-policy"]
    assert res.headers["x-content-type-options"] == "nosniff"
    return res.text


class _Tags(HTMLParser):
    """Collects the tags and attributes a browser would act on."""

    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.bad.append("inline script")
        if tag in ("img", "iframe", "object", "embed"):
            self.bad.append(tag)
        self.bad += [f"{tag} {k}" for k, v in attrs if k.startswith("on")]
        self.bad += [
            f"{tag} {k}={v}" for k, v in attrs if (v or "").strip().lower().startswith("javascript:")
        ]


def _unsafe(text: str) -> list[str]:
    """Markup an attacker would want: script, img, event-handler attributes, javascript: links."""
    parser = _Tags()
    parser.feed(text)
    return parser.bad


def test_every_page_renders_with_csp_and_only_our_own_assets(site: tuple[TestClient, str]) -> None:
    client, _ = site
    for url in PAGES:
        text = _page(client, url)
        assert _unsafe(text) == [], url
        loaded = re.findall(r"<(?:script|link)[^>]*(?:src|href)=\"([^\"]+)\"", text)
        assert loaded and all(src.startswith("/static/") for src in loaded), loaded
        assert "style=" not in text  # CSP forbids inline styles: everything is in dashboard.css
        assert 'action="/search"' in text


def test_dyad_page_offers_the_actors_and_carries_the_pair(site: tuple[TestClient, str]) -> None:
    client, _ = site
    text = _page(client, "/?a=rus&b=MLI&interval=week")
    assert 'data-a="RUS"' in text and 'data-b="MLI"' in text and 'data-interval="week"' in text
    assert '<option value="RUS" selected>' in text and '<option value="MLI" selected>' in text
    assert '<option value="IGOEUREEC"' in text  # organisations too


def test_hostile_article_is_shown_as_text(site: tuple[TestClient, str]) -> None:
    client, hostile = site
    text = _page(client, f"/articles/{hostile}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert _unsafe(text) == [] and SCRIPT not in text and IMG not in text
    assert "javascript:" not in text  # the article's javascript: URL is not made a link
    search = _page(client, "/search?q=" + "%3Cimg src=x")
    assert "&lt;img src=x" in search and _unsafe(search) == []
    events = re.findall(r'href="/events/([^"]+)"', text)
    assert len(events) >= 2
    for event_id in events:
        page = _page(client, f"/events/{event_id}")
        assert (
            _unsafe(page) == [] and '<mark class="hl-trigger"' in page and '<mark class="hl-source"' in page
        )


def test_actor_page_has_partners_and_a_network(site: tuple[TestClient, str]) -> None:
    client, _ = site
    text = _page(client, "/actors/MLI")
    assert '<svg class="network"' in text and text.count('class="node ') >= 3
    assert 'href="/actors/RUS"' in text and 'href="/?a=MLI&amp;b=RUS"' in text


def test_map_plots_located_events(site: tuple[TestClient, str]) -> None:
    client, _ = site
    text = _page(client, "/map")
    dots = re.findall(r'<circle class="dot q\d" cx="([\d.]+)" cy="([\d.]+)"', text)
    assert len(dots) >= 2
    # Bamako (12.65 N, 8.0 W) on the 960 × 480 plate
    # x = (lon + 180) · 960 / 360, y = (90 − lat) · 480 / 180: one marker for the Bamako events
    assert any(abs(float(x) - 458.7) <= 1 and abs(float(y) - 206.3) <= 1 for x, y in dots)


def _inside(x: float, y: float, path: str) -> bool:
    """Even-odd ray casting over every ring of an SVG path of M/L/Z commands."""
    hit = False
    for ring in path.split("Z"):
        pts = [tuple(map(float, p.split(","))) for p in re.findall(r"-?[\d.]+,-?[\d.]+", ring)]
        for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
    return hit


def test_map_draws_borders_and_each_marker_in_its_country(site: tuple[TestClient, str]) -> None:
    client, _ = site
    text = _page(client, "/map")
    land = dict(re.findall(r'<path class="land" data-iso3="(\w*)" d="([^"]+)"', text))
    assert len(land) >= 170 and {"MLI", "RUS", "FRA", "NER", "SAU", "IRN"} <= set(land)
    markers = re.findall(
        r'<circle class="dot q\d" cx="([\d.]+)" cy="([\d.]+)" r="[\d.]+" data-country="(\w+)"', text
    )
    assert len(markers) >= 2
    for x, y, iso3 in markers:  # Natural Earth 1:110m is coarse: a coastal town may sit just offshore
        near = [(float(x) + dx, float(y) + dy) for dx in (-2, 0, 2) for dy in (-2, 0, 2)]
        assert any(_inside(px, py, land[iso3]) for px, py in near), f"marker at {x},{y} is not in {iso3}"
    assert "verbal cooperation" in text and "material conflict" in text  # the legend
    assert 'data-zoom="in"' in text


def test_stories_list_member_articles(site: tuple[TestClient, str]) -> None:
    client, _ = site
    text = _page(client, "/stories")
    assert "<h1>Stories</h1>" in text
    stories = text.count('<li class="story">')
    assert stories == 0 or text.count('href="/articles/') >= stories


def test_unknown_pages_get_an_html_404(site: tuple[TestClient, str]) -> None:
    client, _ = site
    for url in ("/no/such/page", "/events/ev-0000000000000000", "/actors/ZZZZZ", "/articles/nope"):
        text = _page(client, url, 404)
        assert "<h1>404</h1>" in text and 'href="/"' in text
    assert "E206" in _page(client, "/events/ev-0000000000000000", 404)
    res = client.get("/api/no-such-endpoint")
    assert res.status_code == 404 and res.headers["content-type"].startswith("application/json")
    hostile = _page(client, "/" + SCRIPT.replace("/", "%2F"), 404)
    assert _unsafe(hostile) == []


def test_static_files_are_ours_and_contained(site: tuple[TestClient, str]) -> None:
    client, _ = site
    for name, kind in (
        ("dashboard.js", "text/javascript"),
        ("dashboard.css", "text/css"),
        ("favicon.svg", "image/svg+xml"),
    ):
        res = client.get(f"/static/{name}")
        assert res.status_code == 200 and res.headers["content-type"].startswith(kind)
        assert "default-src 'self'" in res.headers["content-security-policy"]
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", res.text), name  # no CDN, no fonts
    js = client.get("/static/dashboard.js").text
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "eval(" not in js
    for bad in ("../web.py", "..%2Fweb.py", ".hidden.js", "nope.js", "web.py"):
        assert client.get(f"/static/{bad}").status_code == 404


def test_dashboard_is_off_when_reads_need_a_token(
    site: tuple[TestClient, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    client, _ = site
    url = str(client.app.state.engine.url)  # type: ignore[attr-defined]
    guarded = TestClient(create_app(url, api=ApiSettings(read_token="t0ken")))
    res = guarded.get("/actors/RUS")
    assert res.status_code == 403 and "Russia" not in res.text


def test_render_escapes_values_but_not_markup() -> None:
    assert markup.render("<b>{x}</b>", x='<i onclick="x">') == "<b>&lt;i onclick=&quot;x&quot;&gt;</b>"
    assert markup.render("<b>{x}</b>", x=markup.Markup("<i>ok</i>")) == "<b><i>ok</i></b>"
    assert markup.render("{x}", x=None) == ""
    assert markup.highlighted([{"text": "<a>", "role": "source"}, {"text": " & b", "role": None}]) == (
        '<p class="sentence"><mark class="hl-source" title="source">&lt;a&gt;</mark> &amp; b</p>'
    )
