from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.pipeline import Pipeline, ingest
from dyadwatch.store import database as store
from dyadwatch.store import query
from dyadwatch.surfaces.cli import app

TEXT = """Sahel defence talks

Published: 2024-02-10

Malian troops attacked a JNIM base near Mopti on Friday, the army said.

The European Union imposed sanctions on the Wagner Group over abuses in Mali.

Rain fell across the region for much of the week.
"""


def test_ingest_is_idempotent_and_counts_mentions(pipeline: Pipeline, tmp_path: Path, db_url: str) -> None:
    src = tmp_path / "a.txt"
    src.write_text(TEXT)
    copy = tmp_path / "b.txt"
    copy.write_text(TEXT.replace("Sahel defence talks", "Sahel defence talks (copy)"))
    db = db_url
    first = ingest(pipeline, [src], db)
    assert first.articles_new == 1 and first.mentions_new >= 2
    again = ingest(pipeline, [src, copy], db)  # same body text: same content hash
    assert again.articles_new == 0 and again.articles_known == 2 and again.mentions_new == 0
    rows = query.find_events(store.connect(db))
    codes = {(r["source"]["country"], r["root_code"]) for r in rows}
    assert ("MLI", "19") in codes or ("MLI", "18") in codes
    assert any(r["source"]["code"].startswith("IGO") or r["source"]["type"] == "igo" for r in rows)
    # "on Friday" before a Saturday publication date: the day before; the rest on the publication date
    attack = [r for r in rows if r["source"]["country"] == "MLI" and r["root_code"] in ("18", "19")]
    assert attack and attack[0]["date"] == "2024-02-09" and attack[0]["date_precision"] == "day"
    assert attack[0]["location"]["name"] == "Mopti" and attack[0]["location"]["how"] == "tied"
    assert all(r["date"] in ("2024-02-09", "2024-02-10") for r in rows)
    assert all(r["num_mentions"] == 1 and r["num_articles"] == 1 for r in rows)


def test_events_command_formats_and_filters(pipeline: Pipeline, tmp_path: Path, db_url: str) -> None:
    src = tmp_path / "a.txt"
    src.write_text(TEXT)
    db = db_url
    ingest(pipeline, [src], db)
    runner = CliRunner()
    res = runner.invoke(app, ["events", "--db", db, "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    records = [json.loads(line) for line in res.stdout.splitlines()]
    assert records
    for r in records:
        assert {
            "doc_id",
            "sentence_index",
            "sentence",
            "source",
            "target",
            "event_code",
            "root_code",
            "event_name",
            "quad_class",
            "goldstein",
            "confidence",
            "spans",
            "date",
            "event_id",
            "num_mentions",
        } <= set(r)
        start, end = r["spans"]["trigger"]
        assert r["sentence"][start:end] == r["trigger"]
    res = runner.invoke(app, ["events", "--db", db, "--actor", "MLI", "--format", "csv"])
    assert res.exit_code == 0 and res.stdout.startswith("event_id,")
    res = runner.invoke(app, ["events", "--db", db, "--since", "2030-01-01", "--format", "jsonl"])
    assert res.exit_code == 0 and res.stdout == ""
    bad = runner.invoke(app, ["events", "--db", db, "--since", "yesterday"])
    assert bad.exit_code == 2 and "E201" in bad.output and "Traceback" not in bad.output
    bad = runner.invoke(app, ["events", "--db", db, "--dyad", "RUS"])
    assert bad.exit_code == 2 and "E202" in bad.output


def test_schema_comes_from_migrations_that_match_the_models(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(store.MIGRATIONS)).get_current_head()
    assert head == "0005"
    engine = store.connect(db_url)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head
        assert compare_metadata(MigrationContext.configure(conn), store.metadata) == []
    store.connect(db_url)  # connecting again is a no-op


def test_the_syndicated_seeds_on_every_backend(pipeline: Pipeline, db_url: str) -> None:
    from .conftest import shared_path

    seeds = sorted(shared_path("seeds").glob("*.txt"))
    ingest(pipeline, seeds, db_url)
    again = ingest(pipeline, seeds, db_url)
    assert again.articles_new == 0 and again.mentions_new == 0
    engine = store.connect(db_url)
    rows = query.find_events(engine)
    shared = [r for r in rows if r["num_articles"] == 2 and r["source"]["country"] == "RUS"]
    assert shared and shared[0]["num_mentions"] == 2
    assert shared[0]["num_sources"] == 1  # both rewrites credit the same original source
    assert [r["event_id"] for r in query.find_events(engine, min_sources=1)] == [r["event_id"] for r in rows]
    assert query.find_events(engine, min_sources=2) == []
    mentions = query.find_mentions(engine, shared[0]["event_id"])
    assert len({m["article_id"] for m in mentions}) == 2
    assert all(m["attributed_source"] == "messenger-inquirer.com" for m in mentions)
    runner = CliRunner()
    res = runner.invoke(app, ["mentions", shared[0]["event_id"], "--db", db_url, "--format", "jsonl"])
    assert res.exit_code == 0 and len(res.stdout.splitlines()) == 2
    res = runner.invoke(app, ["mentions", "ev-nosuchevent", "--db", db_url])
    assert res.exit_code == 2 and "E206" in res.output


def test_watch_processes_each_file_once_across_restarts(
    pipeline: Pipeline, tmp_path: Path, db_url: str
) -> None:
    import os

    from dyadwatch.pipeline import watch_once

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text(TEXT)
    (inbox / "b.txt").write_text("Niger and Mali signed a defence pact in Niamey on Tuesday.\n")
    first = watch_once(pipeline, inbox, db_url)
    assert (first.files_new, first.ingest.articles_new) == (2, 2)
    again = watch_once(pipeline, inbox, db_url)  # a restart: nothing new, nothing reprocessed
    assert (again.files_new, again.files_seen) == (0, 2)
    (inbox / "c.txt").write_text("France criticised the junta in Bamako on Monday.\n")
    third = watch_once(pipeline, inbox, db_url)
    assert (third.files_new, third.ingest.articles_new) == (1, 1)
    changed = inbox / "b.txt"
    changed.write_text("Burkina Faso accused Niger of harbouring rebels.\n")
    os.utime(changed, ns=(1, 2_000_000_000_000_000_000))
    fourth = watch_once(pipeline, inbox, db_url)
    assert (fourth.files_new, fourth.ingest.articles_new) == (1, 1)
    res = CliRunner().invoke(app, ["watch", str(inbox), "--db", db_url, "--once"])
    assert res.exit_code == 0 and "0 new files (3 seen before)" in res.stdout


def test_sources_and_actors_are_counted_and_rebuilt_by_the_migration(pipeline: Pipeline, db_url: str) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import select

    from .conftest import shared_path

    ingest(pipeline, sorted(shared_path("seeds").glob("*.txt")), db_url)
    engine = store.connect(db_url)

    def tables() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        with engine.connect() as conn:
            src = sorted(conn.execute(select(store.sources.c.id, store.sources.c.num_published,
                                             store.sources.c.num_attributed)).all())  # fmt: skip
            act = sorted(conn.execute(select(store.actors.c.code, store.actors.c.num_mentions)).all())
        return [tuple(r) for r in src], [tuple(r) for r in act]

    live = tables()
    assert ("messenger-inquirer.com", 0, 2) in live[0]
    assert ("MLIMIL", 2) in live[1] and ("RUSMILWGR", 2) in live[1]
    config = Config()
    config.set_main_option("script_location", str(store.MIGRATIONS))
    with engine.begin() as conn:  # down to 0004 (the tables go) and up again (rebuilt from what is stored)
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")
        command.upgrade(config, "head")
    assert tables() == live


GOOD = [
    "Malian troops attacked a JNIM base near Mopti on Friday, the army said.",
    "The European Union imposed sanctions on the Wagner Group over abuses in Mali.",
    "Niger and Mali signed a mutual defence agreement in Niamey on Tuesday, officials said.",
]


def test_one_bad_record_is_its_own_skip_on_every_backend(
    pipeline: Pipeline, tmp_path: Path, db_url: str
) -> None:
    """Issue 15 items 1, 4, 5: extreme dates with relative phrases, a lone surrogate, NUL bytes after
    the first 8 KB, a 5,000-digit id, 200,000-deep JSON and a 1.2-million-character paragraph
    do not stop the batch: every good record is stored, every other one stored or skipped."""
    filler = "Officials said the talks in Bamako would continue next week. " * 150  # > 8 KB
    records = [
        {"id": "good-0", "text": GOOD[0], "date": "2024-02-10"},
        {
            "id": "early",
            "text": "Malian troops attacked a base near Mopti yesterday, the army said.",
            "date": "0001-01-01",
        },
        {
            "id": "late",
            "text": "France will impose sanctions on Mali next year, the ministry said.",
            "date": "9999-12-31",
        },
        {"id": "surrogate", "text": "Russia condemned Ukraine \ud800 on Monday, officials said."},
        {"id": "nul", "text": filler + "Mali expelled the French ambassador\u0000 on Monday."},
        {"id": "good-1", "text": GOOD[1]},
    ]
    src = tmp_path / "mixed.jsonl"
    lines = [json.dumps(r) for r in records]
    lines.insert(2, '{"id": ' + "7" * 5000 + ', "text": "Mali recalled its ambassador from Paris."}')
    lines.insert(3, "[" * 200_000)
    src.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    huge = tmp_path / "l.txt"
    huge.write_text(
        "Rain fell across the region for much of the week. " * 21_000
    )  # 1.05 M characters, one line
    good = tmp_path / "good.txt"
    good.write_text(GOOD[2])
    report = ingest(pipeline, [src, huge, good], db_url)
    failed = [s for s in report.skips if s.code == "E110"]  # e.g. story windows overflow at 9999-12-31
    assert [s.code for s in report.skips if s not in failed] == ["E106"], (
        report.skips
    )  # the 200,000-deep line
    assert report.articles_new + len(failed) == 9 and all(s.origin.endswith(":5") for s in failed), failed
    engine = store.connect(db_url)
    with engine.connect() as conn:
        texts = {r.external_id: r.text for r in conn.execute(store.articles.select())}
        skipped = conn.execute(store.skips.select()).all()
    assert {"good-0", "good-1", "early", "surrogate", "nul", "7" * 5000} <= set(texts)
    assert "\x00" not in texts["nul"] and "\ufffd" in texts["nul"] and "\ufffd" in texts["surrogate"]
    assert len(skipped) == len(report.skips)
    assert any(GOOD[2] in t for t in texts.values())


def test_cli_lines_survive_markup_and_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dyadwatch.ingest.readers import ingest as read_inputs
    from dyadwatch.surfaces.cli.common import report_skip

    url = f"sqlite:///{tmp_path / 'm.db'}"
    res = CliRunner().invoke(app, ["events", "--db", url, "--since", "[/red]"])
    assert res.exit_code == 2 and ("E301" in res.output or "E201" in res.output), res.output
    assert "[/red]" in res.output and "Traceback" not in res.output
    odd = tmp_path / "two\nlines\x1b[31m\u202e.txt"
    odd.write_text("")
    (skip,) = list(read_inputs([odd]))
    report_skip(skip)
    line = capsys.readouterr().err
    assert line.count("\n") == 1 and "\x1b" not in line and "\u202e" not in line
    assert "two\\nlines\\x1b[31m\\u202e.txt" in line and "E102" in line


def test_saving_an_article_stored_meanwhile_adds_and_counts_nothing(db_url: str) -> None:
    """The race of two writers with one article: the second save sees the row (ON CONFLICT DO
    NOTHING … RETURNING; rowcount is -1 on PostgreSQL) and touches no counter."""
    from sqlalchemy import select

    from dyadwatch.records import Article

    engine = store.connect(db_url)
    article = Article(
        id="raced0000000000a", origin="a.txt", text="Mali and Russia met.", source="news.example"
    )
    assert store.save(engine, article, [], 1) == 0
    assert store.save(engine, article, [], 1) == -1
    with engine.connect() as conn:
        published = conn.execute(select(store.sources.c.num_published)).scalars().all()
        stored = conn.execute(select(store.articles.c.id)).scalars().all()
    assert published == [1] and stored == ["raced0000000000a"]
