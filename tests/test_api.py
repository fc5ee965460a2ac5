"""The analyst REST API over the demo articles (real pipeline) and a hand-built store."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dyadwatch import analytics
from dyadwatch.errors import DyadwatchError
from dyadwatch.pipeline import Pipeline, ingest
from dyadwatch.store import database as store
from dyadwatch.store import query
from dyadwatch.surfaces.api.app import ApiSettings, create_app
from dyadwatch.surfaces.cli.common import DEMO_DIR

from . import surfaces_data

TOKEN = "s3cret-token"
ARTICLE = {
    "id": "api-1",
    "title": "Mali and Russia sign accord",
    "date": "2024-03-02",
    "source": "news.example",
    "text": "Mali and Russia signed a military cooperation agreement in Bamako on Friday.\n\n"
    "France condemned the Malian junta on Saturday.",
}


@pytest.fixture(scope="module")
def demo_db(pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'demo.db'}"
    report = ingest(pipeline, [DEMO_DIR], url)
    assert report.articles_new >= 6 and report.mentions_new > 20
    return url


@pytest.fixture(scope="module")
def client(demo_db: str) -> TestClient:
    return TestClient(create_app(demo_db, api=ApiSettings()))


@pytest.fixture(scope="module")
def hand(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    url = f"sqlite:///{tmp_path_factory.mktemp('hand') / 'hand.db'}"
    surfaces_data.build(url)
    return TestClient(create_app(url, api=ApiSettings()))


def _ok(client: TestClient, url: str, **params: Any) -> Any:
    res = client.get(url, params=params)
    assert res.status_code == 200, res.text
    return res.json()


def _walk(client: TestClient, limit: int, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(1000):
        page = _ok(client, "/api/events", limit=limit, **params, **({"cursor": cursor} if cursor else {}))
        assert len(page["items"]) <= limit
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
        assert len(page["items"]) == limit
    raise AssertionError("pagination does not end")


# --- events ---------------------------------------------------------------------------------------


def test_events_carry_their_first_report_with_spans(client: TestClient, demo_db: str) -> None:
    items = _ok(client, "/api/events", limit=500)["items"]
    assert len(items) == len(query.find_events(store.connect(demo_db)))
    for e in items:
        ev = e["evidence"]
        start, end = ev["spans"]["trigger"]
        assert ev["sentence"][start:end] == ev["trigger"]
        start, end = ev["spans"]["source"]
        assert ev["sentence"][start:end] == e["source"]["text"]
        assert not e["negated"] and not e["hypothetical"]
    dates = [e["date"] for e in items if e["date"]]
    assert dates == sorted(dates, reverse=True)
    assert all(e["date"] is None for e in items[len(dates) :])  # undated last


@pytest.mark.parametrize("limit", [1, 3, 7])
def test_pages_cover_every_event_once(client: TestClient, limit: int) -> None:
    whole = _ok(client, "/api/events", limit=500)
    assert whole["next_cursor"] is None
    walked = _walk(client, limit)
    ids = [e["event_id"] for e in walked]
    assert len(ids) == len(set(ids))
    assert ids == [e["event_id"] for e in whole["items"]]
    flagged = _walk(client, limit, include_negated=True, include_hypothetical=True, actor="MLI")
    every = _ok(
        client, "/api/events", limit=500, include_negated=True, include_hypothetical=True, actor="MLI"
    )
    assert [e["event_id"] for e in flagged] == [e["event_id"] for e in every["items"]]


def test_event_filters(client: TestClient, hand: TestClient) -> None:
    def ids(c: TestClient, **params: Any) -> set[str]:
        return {e["event_id"] for e in _ok(c, "/api/events", limit=500, **params)["items"]}

    def side(e: dict[str, Any], code: str) -> bool:
        return any(
            a and (a["code"].startswith(code) or a["country"] == code) for a in (e["source"], e["target"])
        )

    mali = _ok(client, "/api/events", actor="mli", limit=500)["items"]
    assert mali and all(side(e, "MLI") for e in mali)
    assert ids(client, root_code="19,16") == ids(client, root_code=["19", "16"])
    for e in _ok(client, "/api/events", event_code="16", limit=500)["items"]:
        assert e["event_code"].startswith("16")
    conflict = _ok(client, "/api/events", quad_class=[3, 4], limit=500)["items"]
    assert conflict and {e["quad_class"] for e in conflict} <= {3, 4}
    assert all(
        "2023-01-01" <= e["date"] <= "2023-12-31"
        for e in _ok(client, "/api/events", since="2023-01-01", until="2023-12-31")["items"]
    )
    # the demo's ECOWAS rewrite credits another site: the events both report have two sources
    two = _ok(client, "/api/events", min_sources=2, limit=500)["items"]
    assert two and all(e["num_sources"] >= 2 for e in two)
    assert ids(client, min_sources=3) == set()
    # the hand-built store has exact answers
    assert len(ids(hand, dyad="RUS-MLI")) == 7
    assert len(ids(hand, dyad="RUS-MLI", directed=True)) == 4  # RUS and Wagner → Mali, one undated
    assert len(ids(hand, dyad="MLI-RUS", directed=True)) == 3
    assert len(ids(hand, dyad="RUS-MLI", include_negated=True, include_hypothetical=True)) == 9
    assert len(ids(hand, dyad="RUS-MLI", include_negated=True)) == 8
    assert len(ids(hand, hedged_only=True)) == 1 and len(ids(hand, reported_only=True)) == 1
    assert len(ids(hand, actor="RUSMILWGR")) == 1


def test_event_location_filters(hand: TestClient, tmp_path: Path) -> None:
    from sqlalchemy import update

    url = f"sqlite:///{tmp_path / 'geo.db'}"
    surfaces_data.build(url)
    engine = store.connect(url)
    with engine.begin() as conn:  # Moura (Mali) and, across the antimeridian, Suva (Fiji)
        conn.execute(
            update(store.events)
            .where(store.events.c.event_code == "190")
            .values(location_name="Moura", location_country="MLI", location_lat=14.4, location_lon=-4.3)
        )
        conn.execute(
            update(store.events)
            .where(store.events.c.event_code == "050")
            .values(location_name="Suva", location_country="FJI", location_lat=-18.1, location_lon=178.4)
        )
    c = TestClient(create_app(url, api=ApiSettings()))
    sahel = _ok(c, "/api/events", bbox="-12,10,5,25")["items"]
    assert [e["location"]["name"] for e in sahel] == ["Moura"]
    assert [e["location"]["name"] for e in _ok(c, "/api/events", bbox="170,-30,-170,0")["items"]] == ["Suva"]
    assert [e["event_code"] for e in _ok(c, "/api/events", country="mli")["items"]] == ["190"]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"limit": 501}, "limit"),
        ({"limit": 0}, "limit"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2024-02-01", "until": "2024-01-01"}, "until"),
        ({"quad_class": 5}, "quad_class"),
        ({"root_code": "21"}, "root_code"),
        ({"event_code": "abc"}, "event_code"),
        ({"dyad": "RUS"}, "dyad"),
        ({"dyad": "RUS-M*LI"}, "dyad"),
        ({"actor": "R U S"}, "actor"),
        ({"country": "Mali"}, "country"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "0,50,10,40"}, "bbox"),
        ({"min_sources": -1}, "min_sources"),
        ({"directed": "true"}, "directed"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": base64.urlsafe_b64encode(b'{"a": 1}').decode()}, "cursor"),
        ({"quadclass": 1}, "quadclass"),
    ],
)
def test_bad_event_parameters_are_422_naming_the_field(
    client: TestClient, params: dict[str, Any], name: str
) -> None:
    res = client.get("/api/events", params=params)
    assert res.status_code == 422, res.text
    body = res.json()
    assert body["field"] == name and body["message"] and body["code"] in ("E301", "E302")


def test_event_detail_lists_every_report_with_highlights(hand: TestClient, client: TestClient) -> None:
    first = _ok(client, "/api/events", limit=1)["items"][0]
    detail = _ok(client, f"/api/events/{first['event_id']}")
    assert detail["event_id"] == first["event_id"] and detail["mentions"]
    for m in detail["mentions"]:
        assert "".join(s["text"] for s in m["segments"]) == m["sentence"]
        assert {h["role"] for h in m["highlights"]} >= {"source", "trigger"}
        for h in m["highlights"]:
            assert m["sentence"][h["start"] : h["end"]] == h["text"]
        assert {"title", "url", "attributed_source", "published", "article_id"} <= set(m)
    wagner = _ok(hand, "/api/events", actor="RUSMILWGR")["items"][0]
    mention = _ok(hand, f"/api/events/{wagner['event_id']}")["mentions"][0]
    assert mention["url"] == "https://news.example/3" and mention["attributed_source"] == "wire.example"
    assert [s["role"] for s in mention["segments"]] == ["source", None, "trigger", None, "target", None]


# --- dyads, actors, network -----------------------------------------------------------------------


def test_rus_mli_timeline_on_the_demo(client: TestClient) -> None:
    tl = _ok(client, "/api/dyads/RUS/MLI/timeline")
    assert (tl["a"], tl["b"], tl["interval"]) == ("RUS", "MLI", "month")
    assert tl["totals"]["ab"]["events"] >= 1  # Russian military contractors arriving in Mali
    both = tl["totals"]["both"]
    assert both["events"] == sum(p["both"]["events"] for p in tl["periods"]) + tl["undated"] + tl["imprecise"]
    assert both["events"] == len(_ok(client, "/api/events", dyad="RUS-MLI", limit=500)["items"])
    years = _ok(client, "/api/dyads/rus/mli/timeline", interval="year")
    assert years["totals"] == tl["totals"] and years["periods"]
    assert all(len(p["label"]) == 4 and p["period"].endswith("-01-01") for p in years["periods"])
    weekly = _ok(client, "/api/dyads/RUS/MLI/timeline", interval="week")
    assert weekly["totals"] == tl["totals"] and all("-W" in p["label"] for p in weekly["periods"])
    flipped = _ok(client, "/api/dyads/MLI/RUS/timeline")
    assert flipped["totals"]["ab"] == tl["totals"]["ba"] and flipped["totals"]["ba"] == tl["totals"]["ab"]


def test_timeline_counts_directions_classes_and_the_index(hand: TestClient) -> None:
    tl = _ok(hand, "/api/dyads/RUS/MLI/timeline", interval="month")
    assert [p["label"] for p in tl["periods"]] == ["2023-01", "2023-02", "2023-03"]  # February filled
    for p in tl["periods"]:
        for direction, (n, quads, goldstein) in surfaces_data.EXPECTED.get(p["label"], {}).items():
            cell = p[direction]
            assert cell["events"] == n
            assert [cell[q] for q in analytics.QUADS] == quads
            assert cell["goldstein_sum"] == pytest.approx(goldstein)
    feb = tl["periods"][1]["both"]
    assert feb["events"] == 0 and feb["cci"] is None and feb["goldstein_mean"] is None
    assert tl["periods"][0]["both"]["cci"] == 1.0 and tl["periods"][2]["both"]["cci"] == -0.333
    assert (tl["undated"], tl["imprecise"], tl["totals"]["both"]["events"]) == (1, 0, 7)
    assert tl["totals"]["both"]["cci"] == pytest.approx((5 - 2) / 7, abs=1e-3)
    flagged = _ok(hand, "/api/dyads/RUS/MLI/timeline", include_negated=True)
    assert flagged["totals"]["both"]["events"] == 9
    weeks = _ok(hand, "/api/dyads/RUS/MLI/timeline", interval="week")  # "in March" is no week
    assert (weeks["undated"], weeks["imprecise"]) == (1, 1) and weeks["totals"] == tl["totals"]
    assert sum(p["both"]["events"] for p in weeks["periods"]) == 5
    years = _ok(hand, "/api/dyads/RUS/MLI/timeline", interval="year")
    assert [(p["label"], p["both"]["events"]) for p in years["periods"]] == [("2023", 6)]
    days = _ok(hand, "/api/dyads/RUS/MLI/timeline", interval="day", since="2023-01-01", until="2023-01-31")
    assert len(days["periods"]) == 16 and days["undated"] == 0  # 10 to 25 January


@pytest.mark.parametrize(
    ("url", "status", "name"),
    [
        ("/api/dyads/RUS/MLI/timeline?interval=decade", 422, "interval"),
        ("/api/dyads/RUS/RUS/timeline", 422, "b"),
        ("/api/dyads/R-S/MLI/timeline", 422, "a"),
        ("/api/dyads/RUS/MLI/timeline?since=2024-13-01", 422, "since"),
        ("/api/dyads/RUS/ZZZ/timeline", 404, "b"),
        ("/api/actors/ZZZ", 404, "code"),
        ("/api/actors/M%20L", 422, "code"),
        ("/api/actors?limit=1000", 422, "limit"),
        ("/api/actors/MLI?top=0", 422, "top"),
        ("/api/network?min_weight=0", 422, "min_weight"),
        ("/api/network?since=soon", 422, "since"),
        ("/api/stories?limit=-1", 422, "limit"),
    ],
)
def test_bad_parameters_and_unknown_actors(client: TestClient, url: str, status: int, name: str) -> None:
    res = client.get(url)
    assert res.status_code == status, res.text
    assert res.json()["field"] == name and res.json()["message"]


def test_unknown_ids_are_404(client: TestClient) -> None:
    for url, code in (("/api/events/ev-nosuchevent", "E206"), ("/api/articles/nosucharticle", "E304")):
        res = client.get(url)
        assert res.status_code == 404 and res.json()["code"] == code
    res = client.get("/api/nosuchthing")
    assert res.status_code == 404 and res.json()["message"]


def test_actors_and_actor_detail(client: TestClient, hand: TestClient) -> None:
    listed = _ok(client, "/api/actors")["items"]
    assert [a["events"] for a in listed] == sorted((a["events"] for a in listed), reverse=True)
    assert all(a["as_source"] + a["as_target"] >= a["events"] for a in listed)
    assert [a["code"] for a in _ok(client, "/api/actors", q="wagner")["items"]] == ["RUSMILWGR"]
    mali = _ok(client, "/api/actors/MLI")
    assert mali["name"] == "Mali" and {m["code"] for m in mali["matches"]} >= {"MLI", "MLIGOV"}
    assert "FRA" in [p["id"] for p in mali["partners"]]
    assert sum(r["events"] for r in mali["roots"]) == mali["events"]
    assert sum(mali[q] for q in analytics.QUADS) == mali["events"]
    rus = _ok(hand, "/api/actors/RUS")
    assert rus["events"] == 7 and rus["as_source"] == 4 and rus["as_target"] == 3
    assert [(p["id"], p["outgoing"], p["incoming"]) for p in rus["partners"]] == [("MLI", 4, 3)]


def test_network(client: TestClient, hand: TestClient) -> None:
    net = _ok(client, "/api/network")
    ids = {n["id"] for n in net["nodes"]}
    assert net["edges"] and all(e["source"] in ids and e["target"] in ids for e in net["edges"])
    assert all(e["weight"] == e["events"] and e["source"] != e["target"] for e in net["edges"])
    strong = _ok(client, "/api/network", min_weight=2)
    assert strong["edges"] and all(e["weight"] >= 2 for e in strong["edges"])
    assert len(strong["edges"]) < len(net["edges"])
    edges = {(e["source"], e["target"]): e["weight"] for e in _ok(hand, "/api/network")["edges"]}
    # Wagner is an organisation end of its own (query._dyad_end), not Russia
    assert edges == {
        ("RUS", "MLI"): 3,
        ("RUSMILWGR", "MLI"): 1,
        ("MLI", "RUS"): 3,
        ("FRA", "MLI"): 1,
        ("SAU", "IRN"): 1,
    }


def test_stories_and_articles(hand: TestClient, client: TestClient) -> None:
    stories = _ok(hand, "/api/stories")["items"]
    assert [s["story_id"] for s in stories] == ["st-rus-mli"]
    assert stories[0]["num_articles"] == 3 and len(stories[0]["article_ids"]) == 3
    art = _ok(hand, f"/api/articles/{stories[0]['article_ids'][0]}")
    assert art["story_id"] == "st-rus-mli" and art["title"] == "Report 0" and art["text"]
    assert [e["event_code"] for e in art["events"]] == ["042"]
    assert _ok(hand, "/api/articles/ext-0")["id"] == art["id"]  # by the submitted id too
    assert isinstance(_ok(client, "/api/stories")["items"], list)
    first = _ok(client, "/api/events", limit=1)["items"][0]
    demo = _ok(client, f"/api/articles/{first['evidence']['article_id']}")
    assert first["event_id"] in {e["event_id"] for e in demo["events"]}


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    spec = _ok(client, "/openapi.json")
    paths = set(spec["paths"])
    assert {
        "/api/events",
        "/api/events/{event_id}",
        "/api/dyads/{a}/{b}/timeline",
        "/api/actors",
        "/api/actors/{code}",
        "/api/network",
        "/api/stories",
        "/api/articles",
        "/api/articles/{article_id}",
    } <= paths
    assert "post" in spec["paths"]["/api/articles"] and "HTTPBearer" in spec["components"]["securitySchemes"]
    docs = client.get("/docs")  # our own page: Swagger UI and ReDoc would load from a CDN
    assert docs.status_code == 200 and "GET /api/dyads/{a}/{b}/timeline" in docs.text
    assert "http://" not in docs.text and "https://" not in docs.text


# --- access and ingest ----------------------------------------------------------------------------


def test_post_is_refused_without_a_configured_token(client: TestClient) -> None:
    res = client.post("/api/articles", json=ARTICLE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert (
        res.status_code == 403
        and res.json()["code"] == "E306"
        and "DYADWATCH_API_TOKEN" in res.json()["hint"]
    )


def test_post_ingests_through_the_pipeline_once(pipeline: Pipeline, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'post.db'}"
    c = TestClient(create_app(url, api=ApiSettings(token=TOKEN), pipeline=pipeline))
    missing = c.post("/api/articles", json=ARTICLE)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    wrong = c.post("/api/articles", json=ARTICLE, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "E308"
    assert _ok(c, "/api/events")["items"] == []
    auth = {"Authorization": f"Bearer {TOKEN}"}
    res = c.post("/api/articles", json=ARTICLE, headers=auth)
    assert res.status_code == 201, res.text
    body = res.json()
    assert (body["articles_new"], body["articles_known"], body["skipped"]) == (1, 0, 0)
    assert body["mentions_new"] >= 1 and body["items"][0]["status"] == "new"
    stored = _ok(c, f"/api/articles/{body['items'][0]['article_id']}")
    assert stored["external_id"] == "api-1" and stored["published"] == "2024-03-02" and stored["events"]
    assert _ok(c, "/api/articles/api-1")["id"] == stored["id"]
    events = _ok(c, "/api/events", limit=500)["items"]
    assert len(events) == len({e["event_id"] for e in stored["events"]})
    assert any({e["source"]["country"], e["target"]["country"]} == {"MLI", "RUS"} for e in events)
    again = c.post("/api/articles", json=[ARTICLE], headers=auth)  # a list, same article
    assert (
        again.status_code == 200 and again.json()["articles_known"] == 1 and again.json()["mentions_new"] == 0
    )
    assert _ok(c, "/api/events", limit=500)["items"] == events
    upload = c.post(
        "/api/articles",
        files=[
            (
                "file",
                (
                    "ecowas.txt",
                    b"ECOWAS imposed sanctions on Niger after the coup in Niamey.\n",
                    "text/plain",
                ),
            ),
            ("file", ("blob.bin", b"\x00\x01\x02binary" * 40, "application/octet-stream")),
        ],
        headers=auth,
    )
    assert upload.status_code == 201, upload.text
    statuses = {i["origin"]: (i["status"], i["code"]) for i in upload.json()["items"]}
    assert statuses == {"upload:ecowas.txt": ("new", None), "upload:blob.bin": ("skipped", "E103")}
    assert len(_ok(c, "/api/events", limit=500)["items"]) > len(events)


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({"title": "no text"}, "text"),
        ({"text": ""}, "text"),
        ({"text": "Mali protested.", "colour": "red"}, "colour"),
        ([{"text": "ok"}, {"text": 5}], "1.text"),
        ([], "body"),
    ],
)
def test_bad_post_bodies_are_422(tmp_path: Path, body: Any, name: str) -> None:
    c = TestClient(create_app(f"sqlite:///{tmp_path / 'bad.db'}", api=ApiSettings(token=TOKEN)))
    res = c.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert res.status_code == 422, res.text
    assert res.json()["field"] == name
    res = c.post("/api/articles", content=b"{not json", headers={"Authorization": f"Bearer {TOKEN}"})
    assert res.status_code == 422 and res.json()["field"] == "body"


def test_reads_can_require_a_token(demo_db: str) -> None:
    c = TestClient(create_app(demo_db, api=ApiSettings(token=TOKEN, read_token="reader")))
    assert c.get("/api/events").status_code == 401
    assert c.get("/api/actors", headers={"Authorization": "Bearer wrong"}).status_code == 403
    for token in ("reader", TOKEN):
        assert c.get("/api/network", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert c.get("/openapi.json").status_code == 200
    with pytest.raises(DyadwatchError) as exc:
        create_app(demo_db, api=ApiSettings(protect_reads=True))
    assert exc.value.code == "E311"


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DYADWATCH_API_TOKEN", "w")
    monkeypatch.setenv("DYADWATCH_API_PROTECT_READS", "1")
    monkeypatch.delenv("DYADWATCH_API_READ_TOKEN", raising=False)
    api = ApiSettings.from_env()
    assert api.token == "w" and api.reads_need_token and api.read_token is None


def test_bad_database_url_fails_at_start() -> None:
    with pytest.raises(DyadwatchError) as exc:
        create_app("nosuchdialect://x")
    assert exc.value.code == "E203"


def test_the_api_starts_without_torch_or_spacy(demo_db: str) -> None:
    code = (
        "import sys, json; from dyadwatch.surfaces.api.app import create_app; from fastapi.testclient import TestClient; "
        f"c = TestClient(create_app({demo_db!r})); c.get('/api/events'); c.get('/api/dyads/RUS/MLI/timeline'); "
        "print(json.dumps([m for m in ('torch', 'sentence_transformers', 'spacy') if m in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_every_read_on_every_backend(db_url: str) -> None:
    """The same answers from SQLite and PostgreSQL (the hand-built store, so no spaCy here)."""
    surfaces_data.build(db_url)
    c = TestClient(create_app(db_url, api=ApiSettings()))
    tl = _ok(c, "/api/dyads/RUS/MLI/timeline")
    assert [p["both"]["events"] for p in tl["periods"]] == [3, 0, 3] and tl["undated"] == 1
    assert tl["totals"]["ab"]["events"] == 4 and tl["totals"]["ba"]["goldstein_sum"] == 9.0
    every = _ok(c, "/api/events", limit=500, include_negated=True, include_hypothetical=True)["items"]
    assert len(every) == len(surfaces_data.ROWS) and every[-1]["date"] is None
    walked = _walk(c, 3, include_negated=True, include_hypothetical=True)
    assert [e["event_id"] for e in walked] == [e["event_id"] for e in every]
    assert len(_ok(c, "/api/events", hedged_only=True, reported_only=False)["items"]) == 1
    assert len(_ok(c, "/api/events", actor="mli", quad_class=[3, 4], since="2023-02-01")["items"]) == 3
    actors = {a["code"]: a for a in _ok(c, "/api/actors")["items"]}
    assert actors["MLI"]["events"] == 4 and actors["MLI"]["as_target"] == 4
    assert [a["code"] for a in _ok(c, "/api/actors", q="malian")["items"]] == ["MLIGOV"]
    assert _ok(c, "/api/actors/MLI")["partners"][0]["id"] == "RUS"
    assert len(_ok(c, "/api/network", min_weight=2)["edges"]) == 2
    assert _ok(c, "/api/stories")["items"][0]["article_ids"][0] == "art0000000000000"
    event_id = every[0]["event_id"]
    assert _ok(c, f"/api/events/{event_id}")["mentions"][0]["segments"]
    assert _ok(c, "/api/articles/ext-3")["events"][0]["event_code"] == "190"


# --- hostile requests (issue 15): 4xx with a reason, never 500/503 ----------------------------------


@pytest.fixture(scope="module")
def extreme(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """The hand-built store with one RUS–MLI event moved to 9999-12-31 and one to 0001-01-01."""
    from sqlalchemy import update

    url = f"sqlite:///{tmp_path_factory.mktemp('extreme') / 'x.db'}"
    ids = surfaces_data.build(url)
    engine = store.connect(url)
    with engine.begin() as conn:
        for article_id, day in ((ids[0], "9999-12-31"), (ids[1], "0001-01-01")):
            ev = store.event_mentions.c
            event_id = conn.execute(store.event_mentions.select().where(ev.article_id == article_id)).first()
            assert event_id is not None
            conn.execute(
                update(store.events)
                .where(store.events.c.id == event_id.event_id)
                .values(date=__import__("datetime").date.fromisoformat(day))
            )
    return TestClient(create_app(url, api=ApiSettings()), raise_server_exceptions=False)


def test_timelines_hold_at_the_ends_of_the_calendar(extreme: TestClient) -> None:
    for interval in ("day", "week", "month", "year"):
        for params in (
            {},
            {"since": "9999-01-01"},
            {"until": "0001-12-31"},
            {"since": "0001-01-01", "until": "9999-12-31"},
        ):
            res = extreme.get("/api/dyads/RUS/MLI/timeline", params={"interval": interval, **params})
            assert res.status_code in (200, 422), (interval, params, res.text)
            if res.status_code == 422:  # too many periods for the interval: a reason, not a failure
                assert res.json()["field"] == "interval"
    year = _ok(extreme, "/api/dyads/RUS/MLI/timeline", interval="year", since="9000-01-01")
    assert year["periods"][-1]["end"] == "9999-12-31" and year["periods"][-1]["label"] == "9999"
    assert _ok(extreme, "/api/network", since="0001-01-01", until="9999-12-31")["edges"]


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/events", {"min_sources": 2**63}, "min_sources"),
        ("/api/events", {"min_sources": 2**31}, "min_sources"),
        ("/api/network", {"min_weight": 2**63}, "min_weight"),
        ("/api/actors", {"q": "x" * 60_000}, "q"),
        ("/api/events", {"actor": "A" * 60_000}, "actor"),
        ("/api/events", {"root_code": "1" * 5000}, "root_code"),
        ("/api/events", {"cursor": "c" * 10_000}, "cursor"),
        ("/api/dyads/RUS/MLI/timeline", {"since": "9" * 5000}, "since"),
        ("/api/dyads/" + "R" * 5000 + "/MLI/timeline", {}, "a"),
    ],
)
def test_out_of_range_parameters_are_422(
    extreme: TestClient, url: str, params: dict[str, Any], field: str
) -> None:
    res = extreme.get(url, params=params)
    assert res.status_code == 422, res.text
    assert res.json()["field"] == field and res.json()["code"] == "E301"


def test_405_names_the_allowed_methods_and_errors_are_documented(extreme: TestClient) -> None:
    res = extreme.delete("/api/events")
    assert res.status_code == 405 and res.headers["allow"] == "GET"
    spec = extreme.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            documented = set(op["responses"])
            assert {"400", "401", "405", "422"} <= documented, (method, path, documented)
            assert "Allow" in op["responses"]["405"]["headers"]
    stamp = spec["components"]["schemas"]["ArticleOut"]["properties"]["ingested_at"]
    assert any(s.get("format") == "date-time" for s in stamp["anyOf"])


def test_ingested_at_carries_its_timezone(client: TestClient, demo_db: str) -> None:
    import datetime as dt

    with store.connect(demo_db).connect() as conn:
        article_id = conn.execute(store.articles.select().limit(1)).first().id  # type: ignore[union-attr]
    art = _ok(client, f"/api/articles/{article_id}")
    assert dt.datetime.fromisoformat(art["ingested_at"]).utcoffset() == dt.timedelta(0)


def test_hostile_json_bodies_are_one_skip_or_a_422(pipeline: Pipeline, tmp_path: Path) -> None:
    c = TestClient(create_app(f"sqlite:///{tmp_path / 'h.db'}", api=ApiSettings(token=TOKEN), pipeline=pipeline),
                   raise_server_exceptions=False)  # fmt: skip
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    res = c.post("/api/articles", content=b"[" * 200_000, headers=auth)
    assert res.status_code == 422 and "nested too deeply" in res.json()["message"]
    records = [
        ARTICLE,
        {
            "id": "early",
            "date": "0001-01-01",
            "text": "Malian troops attacked a base near Mopti yesterday, the army said.",
        },
        {
            "id": "surrogate",
            "text": "Russia condemned Ukraine \ud800 on Monday, officials said the ministry.",
        },
        {
            "id": "nul",
            "text": "Officials met in Bamako on Monday. " * 300
            + "Mali expelled the French ambassador\u0000.",
        },
    ]
    body = (
        json.dumps(records)
        .encode()
        .replace(b"]", b', {"id": ' + b"5" * 5000 + b', "text": "Mali recalled its envoy."}]')
    )
    res = c.post("/api/articles", content=body, headers=auth)
    assert res.status_code == 201, res.text
    out = res.json()
    assert out["articles_new"] + out["skipped"] == 5 and out["articles_new"] >= 4, out
    assert out["items"][0]["status"] == "new"  # the good record of the same POST is kept
    huge = {"id": "long", "text": "Rain fell across the region for much of the week. " * 21_000}
    res = c.post("/api/articles", json=huge, headers=auth)
    assert res.status_code == 201 and res.json()["items"][0]["status"] == "new", res.text


def test_a_chunked_body_is_refused_once_it_passes_the_limit(tmp_path: Path) -> None:
    """A 200 MB chunked POST against a 1 MB limit: 413 after about 1 MB, nothing buffered whole."""
    import socket
    import threading
    import time

    import uvicorn

    from dyadwatch.settings import Settings

    url = f"sqlite:///{tmp_path / 'chunked.db'}"
    app = create_app(url, api=ApiSettings(token=TOKEN), settings=Settings(db_url=url, max_bytes=1_000_000))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        sent = 0
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            head = (
                "POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Authorization: Bearer {TOKEN}\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            conn.sendall(head.encode())
            chunk = b'{"text": "' + b"a" * 65_000 + b'",'
            frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
            try:
                while sent < 200_000_000:
                    conn.sendall(frame)
                    sent += len(chunk)
            except OSError:  # the server answered and closed: the rest is never read
                pass
            answer = b""
            try:
                while b"\r\n\r\n" not in answer:
                    part = conn.recv(65536)
                    if not part:
                        break
                    answer += part
            except OSError:
                pass
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert sent < 200_000_000, "the whole body was accepted"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
