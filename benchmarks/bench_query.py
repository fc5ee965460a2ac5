"""Query latency at scale: generated stores of N events, then p50/p99 of what analysts ask.

    python benchmarks/bench_query.py --events 1000000 --backend sqlite
    python benchmarks/bench_query.py --events 10000000 --backend postgresql --calls 20

Builds a store through our own schema (``store.connect`` runs the migrations) and fills it with a
realistic skew: 200 actors (40 states × 5 roles), directed dyads drawn from a Zipf-like law so a few
dyads hold most events (RUS→MLI among the busiest), dates over ten years, CAMEO codes from the
codebook weighted towards statements and consultations, 1–3 mentions per event. Rows go in by
batched inserts (SQLite) or COPY (PostgreSQL, a throwaway server on loopback).

Then each request runs ``--calls`` times in-process (FastAPI's TestClient, no network) after one
warm-up, and the script prints p50 and p99 in milliseconds: the dyad timeline, events by dyad, by
actor and by a date range, an event with its mentions, the actor page, the dashboard home, the
network, and a CSV export of about 100,000 events (library call, timed once).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dyadwatch.datafiles import load_codebook
from dyadwatch.store import database as store
from pgserver import new_database, server_binaries, throwaway_server

STATES = (
    "RUS MLI FRA USA CHN NER BFA NGA GBR DEU UKR TUR IRN SAU ISR PSE EGY SYR IRQ AFG "
    "IND PAK SDN ETH SOM KEN COD CAF TCD DZA MAR LBY SEN CIV GIN MRT BRA MEX JPN KOR"
).split()
ROLES = ("", "GOV", "MIL", "REB", "CVL")
ROOT_WEIGHTS = {"01": 14, "02": 6, "03": 8, "04": 16, "05": 8, "06": 4, "07": 4, "08": 3, "09": 2, "10": 4}
ROOT_WEIGHTS |= {"11": 8, "12": 4, "13": 3, "14": 3, "15": 2, "16": 3, "17": 6, "18": 4, "19": 5, "20": 1}
START = dt.date(2015, 1, 1)
DAYS = 3650


def actors() -> list[tuple[str, str, str]]:
    """(code, country, role) for 40 states × 5 roles."""
    return [(iso + role, iso, role) for iso in STATES for role in ROLES]


def dyad_weights(
    pool: list[tuple[str, str, str]], rng: random.Random
) -> tuple[list[tuple[int, int]], list[float]]:
    pairs = [(a, b) for a in range(len(pool)) for b in range(len(pool)) if pool[a][1] != pool[b][1]]
    rng.shuffle(pairs)
    rus, mli = pool.index(("RUS", "RUS", "")), pool.index(("MLI", "MLI", ""))
    pairs.remove((rus, mli))
    pairs.insert(3, (rus, mli))  # among the busiest dyads, as in our users' questions
    return pairs, [1 / (rank + 1) ** 1.1 for rank in range(len(pairs))]


def generate(
    n: int, seed: int = 7
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]]:
    """Batches of (articles, events, mentions) rows in the store's schema."""
    rng = random.Random(seed)
    pool = actors()
    pairs, weights = dyad_weights(pool, rng)
    codebook = load_codebook()
    by_root: dict[str, list[Any]] = {}
    for entry in codebook.values():
        by_root.setdefault(entry.code[:2], []).append(entry)
    roots, root_w = list(ROOT_WEIGHTS), list(ROOT_WEIGHTS.values())
    now = dt.datetime(2026, 1, 1)
    batch = 20_000
    mention_id = 0
    for start in range(0, n, batch):
        size = min(batch, n - start)
        chosen = rng.choices(pairs, weights, k=size)
        arts, evs, ments = [], [], []
        for k, (a, b) in enumerate(chosen):
            i = start + k
            src, tgt = pool[a], pool[b]
            entry = rng.choice(by_root[rng.choices(roots, root_w)[0]])
            day = START + dt.timedelta(days=rng.randrange(DAYS))
            eid = f"ev-{i:016x}"
            evs.append(
                {
                    "id": eid,
                    "date": day,
                    "date_precision": "day",
                    **{f"source_{c}": v for c, v in zip(("code", "country", "role"), src, strict=True)},
                    **{f"target_{c}": v for c, v in zip(("code", "country", "role"), tgt, strict=True)},
                    "source_name": src[0],
                    "target_name": tgt[0],
                    "source_type": "state",
                    "target_type": "state",
                    "event_code": entry.code,
                    "root_code": entry.code[:2],
                    "event_name": entry.name,
                    "quad_class": entry.quad_class,
                    "goldstein": entry.goldstein,
                    "plover": None,
                    "negated": False,
                    "hypothetical": False,
                    "num_mentions": 0,
                    "num_articles": 0,
                    "num_sources": 1,
                    "first_seen": now,
                    "last_seen": now,
                    "location_name": tgt[1],
                    "location_country": tgt[1],
                    "location_lat": rng.uniform(-60, 70),
                    "location_lon": rng.uniform(-180, 180),
                    "location_precision": 3,
                    "location_how": "target",
                }
            )
            mentions = rng.choice((1, 1, 2, 2, 3))
            evs[-1]["num_mentions"] = evs[-1]["num_articles"] = mentions
            for _ in range(mentions):
                aid = f"{mention_id:016x}"
                mention_id += 1
                arts.append(
                    {
                        "id": aid,
                        "origin": "bench",
                        "title": f"report {aid}",
                        "source": f"site{rng.randrange(300)}.example",
                        "published": day,
                        "text": "generated",
                        "num_sentences": 1,
                        "ingested_at": now,
                    }
                )
                ments.append(
                    {
                        "event_id": eid,
                        "article_id": aid,
                        "sentence_index": 0,
                        "sentence": f"{src[0]} {entry.name.lower()} {tgt[0]}.",
                        "source_text": src[0],
                        "target_text": tgt[0],
                        "trigger": entry.name.split()[0].lower(),
                        "spans": None,
                        "confidence": 0.8,
                        "hedged": False,
                        "future": False,
                    }
                )
        yield arts, evs, ments


def fill(url: str, n: int) -> float:
    """Create the schema and load n events; seconds taken."""
    engine = store.connect(url)
    started = time.perf_counter()
    postgres = engine.dialect.name == "postgresql"
    for arts, evs, ments in generate(n):
        if postgres:
            _copy(engine, [("articles", arts), ("events", evs), ("event_mentions", ments)])
        else:
            with engine.begin() as conn:
                conn.execute(store.articles.insert(), arts)
                conn.execute(store.events.insert(), evs)
                conn.execute(store.event_mentions.insert(), ments)
        print(
            f"\r  loaded {len(evs):,} more events ({time.perf_counter() - started:.0f} s)", end="", flush=True
        )
    with engine.begin() as conn:  # the planner's statistics, as after any bulk load
        conn.exec_driver_sql("ANALYZE")
    print()
    return time.perf_counter() - started


def _copy(engine: Any, tables: list[tuple[str, list[dict[str, Any]]]]) -> None:
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for name, rows in tables:
            cols = list(rows[0])
            with cur.copy(f"COPY {name} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[c] for c in cols])
        raw.commit()
    finally:
        raw.close()


def timed(fn: Callable[[], Any], calls: int) -> tuple[float, float]:
    fn()  # warm-up: caches, prepared plans
    samples = []
    for _ in range(calls):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    p99 = samples[min(len(samples) - 1, round(0.99 * (len(samples) - 1)))]
    return statistics.median(samples), p99


def measure(url: str, calls: int) -> None:
    from fastapi.testclient import TestClient

    from dyadwatch.formats import export
    from dyadwatch.surfaces.api import ApiSettings, create_app

    client = TestClient(create_app(url, ApiSettings()))

    def get(path: str) -> Callable[[], Any]:
        def call() -> Any:
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code} {response.text[:200]}")
            return response

        return call

    first = get("/api/events?dyad=RUS-MLI&limit=1")().json()["items"][0]["event_id"]
    requests = {
        "dyad timeline RUS-MLI (month)": "/api/dyads/RUS/MLI/timeline?interval=month",
        "events by dyad RUS-MLI": "/api/events?dyad=RUS-MLI",
        "events by actor RUS": "/api/events?actor=RUS",
        "events in one month": "/api/events?since=2020-03-01&until=2020-03-31",
        "an event with its mentions": f"/api/events/{first}",
        "actor page RUS": "/api/actors/RUS",
        "dashboard home": "/",
        "network (default limit)": "/api/network",
    }
    print(f"{'request':34} {'p50 ms':>9} {'p99 ms':>9}")
    for name, path in requests.items():
        p50, p99 = timed(get(path), calls)
        print(f"{name:34} {p50:9.1f} {p99:9.1f}")
    engine = store.connect(url)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        report = export.export(engine, "csv", Path(tmp) / "x", filters=export.Filters(actor="MLI"))
        took = time.perf_counter() - t
    print(f"{'CSV export, actor MLI':34} {report.events:,} events in {took:.1f} s")


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    if server_binaries() is None:
        raise SystemExit("PostgreSQL server binaries not found (apt-get install postgresql)")
    with throwaway_server() as server:
        yield new_database(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp, database(backend, Path(tmp)) as url:
            print(f"{backend}: {args.events:,} events")
            print(f"  load: {fill(url, args.events):.0f} s")
            measure(url, args.calls)


if __name__ == "__main__":
    main()
