"""The Spark job (issue 19): `spark code` + `load` store exactly what `dyadwatch ingest` stores.

One SparkSession (local[2]) for the module; one archive of 300 articles — originals and copies of
them (exact, edited, truncated, re-wrapped in chrome) spread over four partition files, plus bad rows
(malformed JSON, empty text, non-English, a binary file). Skipped with a printed reason where PySpark
(the ``dyadwatch[spark]`` extra) or a Java runtime is absent.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from dyadwatch.formats import export
from dyadwatch.pipeline import Pipeline, ingest
from dyadwatch.store import database as store

pytest.importorskip(
    "pyspark", reason="PySpark absent: pip install 'dyadwatch[spark]' (make test installs it)"
)
if shutil.which("java") is None:
    pytest.skip("no Java runtime (apt-get install openjdk-17-jre-headless): Spark tests skipped",
                allow_module_level=True)  # fmt: skip

from corpus import generate
from dedup_set import _chrome, _edit, _truncate
from dyadwatch.scale.job import spark_code, spark_session
from dyadwatch.scale.loader import load

ORIGINALS = 220
COPIED = 20  # each gets four copies: exact, edited, truncated, chrome: 300 articles in all
STORED = ORIGINALS + 2 * COPIED  # the exact and the chrome copies clean to the same body: stored once
FRENCH = ("Le gouvernement du Mali a annoncé mardi que les troupes françaises quitteront le pays avant la fin "
          "de l'année. Les autorités de Bamako ont critiqué la décision de Paris et demandé des explications.")  # fmt: skip


def build_archive(root: Path) -> None:
    """Four partition files; each original's copies go to the three other files."""
    rng = random.Random(19)
    parts: list[list[dict[str, Any]]] = [[] for _ in range(4)]
    for i, rec in enumerate(generate(ORIGINALS, seed=19)):
        base = {"title": rec["title"], "date": rec["date"], "source": f"wire{i % 7}.example"}
        parts[i % 4].append({"id": rec["id"], "text": rec["text"], **base})
        if i < COPIED:
            copies = [
                {"id": f"{rec['id']}-exact", "text": rec["text"], **base, "source": "mirror.example"},
                {"id": f"{rec['id']}-edit", "text": _edit(rec["text"], rng), **base, "source": "desk.example"},
                {"id": f"{rec['id']}-trunc", "text": _truncate(rec["text"]), **base},
                {"id": f"{rec['id']}-chrome", "text": _chrome(rec["title"], rec["text"], rng), **base,
                 "source": "portal.example"},
            ]  # fmt: skip
            for k, copy in enumerate(copies):
                parts[(i + 1 + k) % 4].append(copy)
    bad = [
        "{not json at all",
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps({"id": "fr", "text": FRENCH}),
    ]
    for k, rows in enumerate(parts):
        folder = root / f"year=2024/part={k}"
        folder.mkdir(parents=True)
        lines = [json.dumps(r) for r in rows] + (bad if k == 1 else [])
        (folder / f"part-{k}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = spark_session("local[2]", app="dyadwatch-tests")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, spark: Any, pipeline: Pipeline) -> dict[str, Any]:
    """The archive ingested on one machine, and coded on Spark then loaded (twice)."""
    root = tmp_path_factory.mktemp("spark")
    archive = root / "archive"
    build_archive(archive)
    single = f"sqlite:///{root / 'ingest.db'}"
    ingest(pipeline, [archive], single)
    out = root / "out"
    report = spark_code(str(archive), str(out), spark, pipeline.settings, partitions=4)
    loaded = f"sqlite:///{root / 'load.db'}"
    first = load(out, loaded)
    again = load(out, loaded)
    return {"single": single, "loaded": loaded, "out": out, "report": report, "first": first,
            "again": again, "root": root}  # fmt: skip


def rows(url: str, table: Any, skip: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    engine = store.connect(url)
    cols = [c for c in table.columns if c.name not in skip]
    with engine.connect() as conn:
        found = conn.execute(select(*cols)).all()
    return sorted((tuple(json.dumps(v, sort_keys=True) if isinstance(v, dict | list) else v for v in r)
                   for r in found), key=repr)  # fmt: skip


def test_the_archive_has_copies_across_partitions(runs: dict[str, Any]) -> None:
    report = runs["report"]
    assert report.files == 5
    assert report.known == 2 * COPIED
    assert report.articles == STORED
    with store.connect(runs["loaded"]).connect() as conn:
        kinds = conn.scalars(select(store.articles.c.dup_kind)).all()
    assert sum(1 for k in kinds if k != "original") >= 2 * COPIED  # edited, truncated, chrome copies


def test_spark_and_load_store_what_ingest_stores(runs: dict[str, Any]) -> None:
    single, loaded = runs["single"], runs["loaded"]
    art_cols = ("id", "origin", "published", "num_sentences", "dup_group", "dup_kind", "dup_of", "story_id")
    for what, table, skip in (
        ("articles", store.articles, tuple(c.name for c in store.articles.columns if c.name not in art_cols)),
        ("events", store.events, ("first_seen", "last_seen")),
        ("mentions", store.event_mentions, ("id",)),
        ("sources", store.sources, ("first_seen", "last_seen")),
        ("actors", store.actors, ("first_seen",)),
        ("stories", store.stories, ("updated_at", "centroid")),
        ("skips", store.skips, ("id", "at")),
        ("signatures", store.article_signatures, ("embedding",)),
    ):
        a, b = rows(single, table, skip), rows(loaded, table, skip)
        assert len(a) == len(b), what
        assert a == b, what
    with store.connect(loaded).connect() as conn:
        counts = conn.scalars(select(store.events.c.num_articles)).all()
    assert len(counts) > 500
    assert max(counts) > 1  # an event reported by several copies is one row


def test_scores_match_within_float_noise(runs: dict[str, Any]) -> None:
    single, loaded = runs["single"], runs["loaded"]
    engine_a, engine_b = store.connect(single), store.connect(loaded)
    q = select(store.articles.c.id, store.articles.c.dup_score)
    with engine_a.connect() as ca, engine_b.connect() as cb:
        sa, sb = dict(ca.execute(q).all()), dict(cb.execute(q).all())
    assert sa.keys() == sb.keys()
    assert all(abs(sa[k] - sb[k]) < 1e-3 for k in sa)


def test_loading_twice_adds_nothing(runs: dict[str, Any]) -> None:
    first, again = runs["first"], runs["again"]
    assert first.articles_new == STORED and first.mentions_new > 0
    assert again.articles_new == 0 and again.mentions_new == 0 and again.events_new == 0
    assert again.skips_new == 0 and first.skips_new == 4


def test_bad_rows_are_skips_with_reasons(runs: dict[str, Any]) -> None:
    import pyarrow.parquet as pq

    skips = pq.read_table(runs["out"] / "skips").to_pylist()
    codes = sorted(s["code"] for s in skips)
    assert codes == ["E103", "E106", "E106", "E107"]
    by_code = {s["code"]: s["message"] for s in skips}
    assert "binary" in by_code["E103"] and "English" in by_code["E107"]
    assert all(s["origin"] and s["message"] for s in skips)


def test_events_parquet_has_the_export_schema(runs: dict[str, Any]) -> None:
    import pyarrow.parquet as pq

    files = sorted((runs["out"] / "events").rglob("*.parquet"))
    assert files
    schema = pq.read_schema(files[0])
    assert [(f.name, str(f.type)) for f in schema] == [(f.name, str(f.type)) for f in export.arrow_schema()]
    spark_rows = pq.read_table(runs["out"] / "events").to_pylist()
    out = runs["root"] / "export.parquet"
    export.export(store.connect(runs["single"]), "parquet", out, filters=export.Filters(include_negated=True))
    single = {r["event_id"]: r for r in pq.read_table(out).to_pylist()}
    ours = {r["event_id"]: r for r in spark_rows}
    assert single.keys() <= ours.keys()
    keep = [n for n, _ in export.COLUMNS if n != "first_seen"]
    for eid, row in single.items():
        assert {k: row[k] for k in keep} == {k: ours[eid][k] for k in keep}, eid


def test_load_into_postgresql_with_copy(runs: dict[str, Any], request: pytest.FixtureRequest) -> None:
    from pgserver import new_database

    url = new_database(request.getfixturevalue("pg_server"))
    report = load(runs["out"], url)
    assert report.articles_new == STORED
    assert load(runs["out"], url).articles_new == 0
    for table, skip in ((store.events, ("first_seen", "last_seen")), (store.event_mentions, ("id",))):
        assert rows(url, table, skip) == rows(runs["loaded"], table, skip)


def test_spark_command_without_the_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from dyadwatch.surfaces.cli import app

    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark → ImportError
    result = CliRunner().invoke(app, ["spark", "code", "in", "out"])
    assert result.exit_code == 2
    assert "pip install 'dyadwatch[spark]'" in result.output


def test_load_refuses_a_folder_that_is_no_run(tmp_path: Path) -> None:
    from dyadwatch.surfaces.cli import app

    result = CliRunner().invoke(app, ["load", str(tmp_path), "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2
    assert "E704" in result.output


def test_a_parquet_archive_is_read_by_row(tmp_path: Path, spark: Any, pipeline: Pipeline) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from dyadwatch.ingest.readers import ingest as read_inputs
    from dyadwatch.pipeline import code
    from dyadwatch.records import Event

    good = [
        {"id": r["id"], "text": r["text"], "title": r["title"], "date": r["date"]}
        for r in generate(3, seed=5)
    ]
    archive = tmp_path / "archive"
    archive.mkdir()
    rows = [*good, {"id": "blank", "text": "", "title": None, "date": None}]
    rows.append({"id": "fr", "text": FRENCH, "title": None, "date": None})
    pq.write_table(pa.Table.from_pylist(rows), archive / "a.parquet")
    binary = pa.table({"id": ["scan"], "text": pa.array([b"\xff\xfe\x00\x89PNG"], pa.binary())})
    pq.write_table(binary, archive / "b.parquet")
    report = spark_code(str(archive), str(tmp_path / "out"), spark, pipeline.settings, partitions=2)
    assert report.articles == 3
    skips = {s["origin"]: s["code"] for s in pq.read_table(tmp_path / "out" / "skips").to_pylist()}
    assert skips == {
        f"{archive}/a.parquet:4": "E106",
        f"{archive}/a.parquet:5": "E107",
        f"{archive}/b.parquet:1": "E103",
    }
    jsonl = tmp_path / "same.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in good), encoding="utf-8")
    single = {
        (e.article_id, e.sentence_index, e.event_code)
        for e in code(pipeline, read_inputs([jsonl], pipeline.settings))
        if isinstance(e, Event)
    }
    mentions = pq.read_table(tmp_path / "out" / "mentions").to_pylist()
    assert single  # the articles do report events
    events = {m["event_id"]: m for m in mentions}
    ev_rows = {r["event_id"]: r for r in pq.read_table(tmp_path / "out" / "events").to_pylist()}
    assert events.keys() == ev_rows.keys()
    assert {
        (m["article_id"], m["sentence_index"], ev_rows[m["event_id"]]["event_code"]) for m in mentions
    } == single


def test_the_band_join_finds_exactly_the_single_machine_candidates() -> None:
    from collections import defaultdict

    from dyadwatch.corpus.dedup import DuplicateIndex, minhash
    from dyadwatch.scale.placement import band_keys, bucket_pairs

    rng = random.Random(7)
    texts = {}
    for rec in generate(40, seed=23):
        texts[rec["id"]] = rec["text"]
        texts[rec["id"] + "-edit"] = _edit(rec["text"], rng)
        texts[rec["id"] + "-trunc"] = _truncate(rec["text"])
    hashes = {k: minhash(t)[0] for k, t in texts.items()}
    index = DuplicateIndex()
    for k, mh in hashes.items():
        index.lsh.insert(k, mh)
    single = {tuple(sorted((k, o))) for k, mh in hashes.items() for o in index.lsh.query(mh) if o != k}
    order = {k: i for i, k in enumerate(hashes)}
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for k, mh in hashes.items():
        raw = mh.hashvalues.astype("<u4").tobytes()
        for key in band_keys(raw):
            buckets[key].append(order[k])
    names = list(hashes)
    joined = {tuple(sorted((names[a], names[b]))) for m in buckets.values() for a, b in bucket_pairs(m)}
    assert len(single) > 80  # copies and template-sharing originals
    assert joined == single


def test_load_command_then_events_and_dyads_read_the_store(runs: dict[str, Any]) -> None:
    from dyadwatch.surfaces.cli import app

    url = f"sqlite:///{runs['root'] / 'cli.db'}"
    result = CliRunner().invoke(app, ["load", str(runs["out"]), "--db", url])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[0])["articles_new"] == STORED
    listed = CliRunner().invoke(app, ["events", "--db", url, "--format", "jsonl"])
    assert listed.exit_code == 0 and len(listed.stdout.splitlines()) > 100
    assert CliRunner().invoke(app, ["dyads", "--db", url]).exit_code == 0
