"""Concurrent writers: two CLI ingests and API POSTs into one database at once equal a sequential run.

The same articles arrive through several writers (overlapping CLI files, the API), different ones
through each; afterwards the store holds every article once, every mention once, and the event,
actor and source tallies of a sequential ingest — on SQLite and on PostgreSQL. Deadlocks and busy
databases are retried inside :func:`dyadwatch.store.database.save`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dyadwatch.pipeline import Pipeline, ingest
from dyadwatch.store import database as store
from dyadwatch.surfaces.api.app import ApiSettings, create_app

TOKEN = "concurrency-token"


def _records() -> list[dict[str, str]]:
    from corpus import generate  # benchmarks/ is on sys.path (conftest)

    return generate(24, seed=3)


def _state(url: str) -> dict[str, Any]:
    """What must not depend on who wrote first: articles, mentions, and every counter."""
    engine = store.connect(url)
    a, e, m = store.articles.c, store.events.c, store.event_mentions.c
    with engine.connect() as conn:
        state = {
            "articles": sorted(conn.scalars(select(a.id))),
            "mentions": sorted(tuple(r) for r in conn.execute(select(m.event_id, m.article_id, m.sentence_index))),
            "mention_rows": conn.execute(select(func.count()).select_from(store.event_mentions)).scalar(),
            "events": sorted(tuple(r) for r in conn.execute(select(e.id, e.num_mentions, e.num_articles, e.num_sources))),
            "actors": sorted(tuple(r) for r in conn.execute(select(store.actors.c.code, store.actors.c.num_mentions))),
            "sources": sorted(
                tuple(r) for r in conn.execute(
                    select(store.sources.c.id, store.sources.c.num_published, store.sources.c.num_attributed))
            ),
            "signatures": conn.execute(select(func.count()).select_from(store.article_signatures)).scalar(),
        }  # fmt: skip
    engine.dispose()
    return state


def _articles(url: str) -> int:
    try:
        engine = store.connect(url)
        with engine.connect() as conn:
            n = conn.execute(select(func.count()).select_from(store.articles)).scalar()
        engine.dispose()
        return int(n or 0)
    except Exception:  # the other writers may be creating the schema right now
        return 0


def test_two_cli_ingests_and_api_posts_at_once_equal_a_sequential_run(
    pipeline: Pipeline, tmp_path: Path, db_url: str, request: Any
) -> None:
    records = _records()
    everything = tmp_path / "all.jsonl"
    everything.write_text("\n".join(json.dumps(r) for r in records))
    if db_url.startswith("sqlite"):
        baseline = f"sqlite:///{tmp_path / 'sequential.db'}"
    else:
        from pgserver import new_database

        baseline = new_database(request.getfixturevalue("pg_server"))
    sequential = ingest(pipeline, [everything], baseline)
    assert sequential.articles_new == len(records) and not sequential.skips
    expected = _state(baseline)

    store.connect(db_url).dispose()  # the schema exists before the writers race
    halves = {"a.jsonl": records[:16], "b.jsonl": records[8:]}  # records 8-15 through both CLIs
    procs = []
    for name, part in halves.items():
        (tmp_path / name).write_text("\n".join(json.dumps(r) for r in part))
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "dyadwatch", "ingest", str(tmp_path / name), "--db", db_url],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    client = TestClient(create_app(db_url, api=ApiSettings(token=TOKEN), pipeline=pipeline))
    posted: list[int] = []

    def post() -> None:
        deadline = time.monotonic() + 300
        while _articles(db_url) == 0 and time.monotonic() < deadline:  # post while the CLIs write
            time.sleep(0.2)
        for record in records[4:12] + records[18:22]:  # some through every writer, some API-only
            res = client.post("/api/articles", json=record, headers={"Authorization": f"Bearer {TOKEN}"})
            posted.append(res.status_code)

    poster = threading.Thread(target=post)
    poster.start()
    outputs = [p.communicate(timeout=900) for p in procs]
    poster.join(timeout=900)
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "deadlock" not in err.lower(), err
    assert posted and all(code in (200, 201) for code in posted), posted
    got = _state(db_url)
    assert got["articles"] == expected["articles"], "an article was lost or stored twice"
    assert got["mention_rows"] == len(got["mentions"]) == expected["mention_rows"]
    assert got == expected
