"""Exports: GDELT 2.0 (checked against real GDELT files with one reader), PLOVER, CSV, Parquet, JSONL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

import dyadwatch
from dyadwatch.errors import DyadwatchError
from dyadwatch.evaluation.coding import load_plover_gsr
from dyadwatch.formats import export, gdelt, plover
from dyadwatch.pipeline import Pipeline, ingest
from dyadwatch.store import database as store
from dyadwatch.store import query
from dyadwatch.surfaces.cli import app
from dyadwatch.surfaces.cli.common import DEMO_DIR

from .conftest import shared_path

runner = CliRunner()
GDELT_DIR = ("data", "gdelt2")


@dataclass(frozen=True)
class Demo:
    url: str
    town: str  # an event placed in a town by the fixture
    country: str  # an event placed at country level


@pytest.fixture(scope="module")
def demo(pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    url = f"sqlite:///{tmp_path_factory.mktemp('export') / 'demo.db'}"
    assert ingest(pipeline, [DEMO_DIR], url).articles_new >= 6
    engine = store.connect(url)
    listed = query.find_events(engine)
    assert len(listed) > 20
    town, country = listed[0]["event_id"], listed[1]["event_id"]
    # whatever the geo stage found, give two events known places
    places = [
        (town, "Abuja", "NGA", "Federal Capital Territory", 9.0579, 7.4951, 1, 2352778),
        (country, "Niger", "NER", None, 17.0, 9.0, 3, 2440476),
    ]
    with engine.begin() as conn:
        for eid, name, iso3, admin1, lat, lon, precision, gid in places:
            conn.execute(
                update(store.events)
                .where(store.events.c.id == eid)
                .values(
                    location_name=name,
                    location_country=iso3,
                    location_admin1=admin1,
                    location_lat=lat,
                    location_lon=lon,
                    location_precision=precision,
                    location_geonames_id=gid,
                    location_how="tied",
                )
            )
        conn.execute(
            update(store.events)
            .where(store.events.c.id.not_in([town, country]))
            .values(location_name=None, location_precision=None)
        )
    return Demo(url, town, country)


def _export(db: str, *args: str) -> Any:
    res = runner.invoke(app, ["export", "--db", db, *args])
    assert res.exit_code == 0, res.output
    return res


def _first_types(rows: list[dict[str, Any]]) -> dict[str, type]:
    types: dict[str, type] = {}
    for row in rows:
        for key, value in row.items():
            if value is not None:
                types.setdefault(key, type(value))
    return types


@pytest.mark.parametrize(
    ("kind", "name", "rows"), [("events", "export", 2271), ("mentions", "mentions", 8462)]
)
def test_read_gdelt_parses_the_real_gdelt_files(kind: str, name: str, rows: int) -> None:
    path = shared_path(*GDELT_DIR, f"20150218230000.{name}.CSV")
    parsed = list(gdelt.read_gdelt(path, kind))
    assert len(parsed) == rows
    assert all(len(r) == len(gdelt.GDELT_COLUMNS[kind]) for r in parsed)
    assert len(gdelt.GDELT_COLUMNS["events"]) == 61 and len(gdelt.GDELT_COLUMNS["mentions"]) == 16
    first = parsed[0]
    assert first["GLOBALEVENTID"] == 410412347
    if kind == "events":
        assert first["SQLDATE"] == dt.date(2014, 2, 18) and first["EventCode"] == "043"
        assert first["GoldsteinScale"] == 2.8 and first["ActionGeo_CountryCode"] == "SF"
        assert first["DATEADDED"] == dt.datetime(2015, 2, 18, 23, 0)
    else:
        assert first["MentionTimeDate"] == dt.datetime(2015, 2, 18, 23, 0)
        assert first["Actor1CharOffset"] == -1 and first["Confidence"] == 50


def test_read_gdelt_names_the_file_line_and_column_of_a_bad_row(tmp_path: Path) -> None:
    good = shared_path(*GDELT_DIR, "20150218230000.mentions.CSV").read_text().splitlines()[:2]
    short = tmp_path / "short.CSV"
    short.write_text(good[0] + "\n" + good[1].rsplit("\t", 1)[0] + "\n")
    with pytest.raises(DyadwatchError) as info:
        list(gdelt.read_gdelt(short, "mentions"))
    assert info.value.code == "E405" and ":2:" in info.value.message and "15 columns" in info.value.message
    bad = tmp_path / "bad.CSV"
    bad.write_text(good[0].replace("\t1\t", "\tone\t", 1) + "\n")
    with pytest.raises(DyadwatchError, match="MentionType='one'"):
        list(gdelt.read_gdelt(bad, "mentions"))
    with pytest.raises(DyadwatchError, match="E406"):
        list(gdelt.read_gdelt(bad, "gkg"))


def test_gdelt_export_reads_back_with_the_same_reader_and_types_as_gdelt(demo: Demo, tmp_path: Path) -> None:
    res = _export(demo.url, "--format", "gdelt", "--out", str(tmp_path / "run1"))
    ours = list(gdelt.read_gdelt(tmp_path / "run1.export.CSV", "events"))
    our_mentions = list(gdelt.read_gdelt(tmp_path / "run1.mentions.CSV", "mentions"))
    engine = store.connect(demo.url)
    listed = query.find_events(engine)
    assert len(ours) == len(listed) and f"exported {len(listed)} events" in res.stderr
    assert len(our_mentions) == sum(r["num_mentions"] for r in listed)
    # our typed values have GDELT's own types, column by column
    theirs = list(gdelt.read_gdelt(shared_path(*GDELT_DIR, "20150218230000.export.CSV"), "events"))
    their_types, our_types = _first_types(theirs), _first_types(ours)
    assert {k: t for k, t in our_types.items() if k in their_types} == {
        k: their_types[k] for k in our_types if k in their_types
    }
    # GLOBALEVENTID ↔ our ids, through the mapping file
    with (tmp_path / "run1.ids.csv").open() as fh:
        mapping = {int(r["GLOBALEVENTID"]): r["event_id"] for r in csv.DictReader(fh)}
    assert sorted(mapping.values()) == sorted(r["event_id"] for r in listed)
    assert {r["GLOBALEVENTID"] for r in ours} == set(mapping) >= {m["GLOBALEVENTID"] for m in our_mentions}
    assert all(0 < gid < 2**63 for gid in mapping)
    assert gdelt.global_event_id("ev-35342cc3cc4ea33e") == 0x35342CC3CC4EA33
    by_id = {mapping[r["GLOBALEVENTID"]]: r for r in ours}
    for r in listed:
        row = by_id[r["event_id"]]
        assert row["Actor1Code"] == r["source"]["code"] and row["EventCode"] == r["event_code"]
        assert row["Actor1CountryCode"] == r["source"]["country"] or r["source"]["country"] is None
        assert row["EventRootCode"] == r["root_code"] and row["QuadClass"] == r["quad_class"]
        assert row["SQLDATE"].isoformat() == (r["date"] or row["DATEADDED"].date().isoformat())
        assert row["NumMentions"] == r["num_mentions"]
        assert row["NumSources"] == r["num_sources"] and row["GoldsteinScale"] == r["goldstein"]
    assert gdelt.actor_cells("RUSMILWGR", "Wagner Group", "RUS")[:4] == [
        "RUSMILWGR",
        "WAGNER GROUP",
        "RUS",
        "WGR",
    ]
    assert gdelt.actor_cells("RUSMILWGR", "Wagner Group", "RUS")[7] == "MIL"
    assert gdelt.actor_cells("IGOEUREEC", "EU", None)[2:4] == ["EUR", "EEC"]


def test_gdelt_mention_offsets_point_into_the_article_text(demo: Demo, tmp_path: Path) -> None:
    _export(demo.url, "--format", "gdelt", "--out", str(tmp_path))  # a directory gets dyadwatch.*
    rows = list(gdelt.read_gdelt(tmp_path / "dyadwatch.mentions.CSV", "mentions"))
    with (tmp_path / "dyadwatch.ids.csv").open() as fh:
        mapping = {int(r["GLOBALEVENTID"]): r["event_id"] for r in csv.DictReader(fh)}
    engine = store.connect(demo.url)
    with engine.connect() as conn:
        texts = dict(
            conn.execute(
                store.articles.select().with_only_columns(store.articles.c.id, store.articles.c.text)
            ).all()
        )  # type: ignore[arg-type]
    checked = 0
    for row in rows:
        (m,) = [
            m
            for m in query.find_mentions(engine, mapping[row["GLOBALEVENTID"]])
            if m["sentence_index"] + 1 == row["SentenceID"]
        ]
        text = texts[m["article_id"]]
        assert row["MentionDocLen"] == len(text)
        start = row["Actor1CharOffset"]
        assert text[start : start + len(m["source_text"])] == m["source_text"]
        trigger = row["ActionCharOffset"]
        assert text[trigger : trigger + len(m["trigger"])] == m["trigger"]
        if m["target_text"] is None:
            assert row["Actor2CharOffset"] == -1
        else:
            target = row["Actor2CharOffset"]
            assert text[target : target + len(m["target_text"])] == m["target_text"]
        assert 0 < row["Confidence"] <= 100 and row["MentionType"] in (1, 2)
        checked += 1
    assert checked == len(rows) > 30
    web = [r for r in rows if r["MentionType"] == 1]
    assert web and all(r["MentionIdentifier"].startswith("https://") for r in web)


def test_gdelt_action_geography_from_our_locations(demo: Demo, tmp_path: Path) -> None:
    _export(demo.url, "--format", "gdelt", "--out", str(tmp_path / "geo"))
    rows = {r["GLOBALEVENTID"]: r for r in gdelt.read_gdelt(tmp_path / "geo.export.CSV", "events")}
    abuja = rows[gdelt.global_event_id(demo.town)]
    assert abuja["ActionGeo_Type"] == 4  # a town → world city
    assert abuja["ActionGeo_FullName"] == "Abuja, Federal Capital Territory, Nigeria"
    assert (abuja["ActionGeo_CountryCode"], abuja["ActionGeo_Lat"], abuja["ActionGeo_Long"]) == (
        "NI",
        9.0579,
        7.4951,
    )
    assert abuja["ActionGeo_FeatureID"] == "2352778"
    niger = rows[gdelt.global_event_id(demo.country)]
    assert (niger["ActionGeo_Type"], niger["ActionGeo_CountryCode"], niger["ActionGeo_FullName"]) == (
        1,
        "NG",
        "Niger",
    )
    unplaced = [r for r in rows.values() if r["ActionGeo_FullName"] is None]
    assert unplaced and all(r["ActionGeo_Type"] == 0 and r["Actor1Geo_Type"] == 0 for r in unplaced)


def test_fips_data_file_is_validated(tmp_path: Path) -> None:
    fips = gdelt.load_fips()
    assert (fips["MLI"], fips["NER"], fips["RUS"], fips["BFA"], fips["GBR"]) == ("ML", "NG", "RS", "UV", "UK")
    assert len(fips) > 240
    bad = tmp_path / "fips.csv"
    bad.write_text("iso3,fips,name\nMLI,ML,Mali\nNER,N1,Niger\n")
    with pytest.raises(DyadwatchError) as info:
        gdelt.load_fips(bad)
    assert info.value.code == "E001" and ":3:" in info.value.message


def test_jsonl_export_is_the_events_listing(demo: Demo) -> None:
    exported = _export(demo.url, "--format", "jsonl", "--dyad", "SAU-IRN").stdout
    listed = runner.invoke(app, ["events", "--db", demo.url, "--format", "jsonl", "--dyad", "SAU-IRN"]).stdout
    assert exported == listed and len(exported.splitlines()) >= 3


def test_csv_and_plover_exports(demo: Demo, tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(demo.url, "--format", "csv").stdout)))
    assert len(rows) == len(query.find_events(store.connect(demo.url))) and list(rows[0]) == [
        name for name, _ in export.COLUMNS
    ]
    assert all(r["sentence"] and r["article_id"] and r["event_code"] for r in rows)
    assert {r["negated"] for r in rows} == {"false"}
    out = tmp_path / "sub" / "events.plover.jsonl"
    result = _export(
        demo.url, "--format", "plover", "--out", str(out), "--actor", "MLI", "--since", "2023-01-01"
    )
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert records and all(r["date"] >= "2023-01-01" for r in records)
    assert all(r["event"] for r in records)  # no PLOVER type (most of CAMEO 01/02): left out, and said so
    listed = query.find_events(store.connect(demo.url), actor="MLI", since="2023-01-01")
    dropped = sum(not (e["plover"] or {}).get("type") for e in listed)
    assert len(records) == len(listed) - dropped
    assert not dropped or f"left out {dropped} events" in result.stderr
    for r in records:
        ext = r[plover.EXTENSION]
        assert ext["article"]["id"] and r["text"] and ext["cameo_code"]
        codes = [a["code"] for side in ("source", "target") for a in r.get(side, [])]
        codes += [ext[side]["code"] for side in ("source", "target") if side in ext]
        assert any("MLI" in c for c in codes)


def _gold_shapes() -> tuple[dict[str, set[type]], set[str], set[str]]:
    """Field → JSON types, actor keys and eventLoc keys used by the PLOVER gold-standard records."""
    path = shared_path("data", "plover", "PLOVER_GSR_CAMEO.txt")
    fields: dict[str, set[type]] = {}
    actor_keys: set[str] = set()
    loc_keys: set[str] = set()
    for rec in load_plover_gsr(path):
        for key, value in rec.items():
            fields.setdefault(key, set()).add(type(value))
        for side in ("source", "target"):
            actor_keys.update(k for a in rec.get(side) or [] if isinstance(a, dict) for k in a)
        loc_keys.update(rec.get("eventLoc") or {})
    return fields, actor_keys, loc_keys


def test_plover_export_has_the_plover_records_shape(demo: Demo, tmp_path: Path) -> None:
    fields, actor_keys, loc_keys = _gold_shapes()
    out = tmp_path / "all.plover.jsonl"
    _export(demo.url, "--format", "plover", "--out", str(out))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) >= 20
    assert sum("(SRC: " in r["textInfo"]["markup"] for r in records) >= len(records) * 3 / 4
    for r in records:
        for key, value in r.items():
            if key == plover.EXTENSION:
                assert isinstance(value, dict)
                continue
            assert key in fields, f"{key!r} is not a PLOVER field"
            assert type(value) in fields[key], f"{key}: {type(value).__name__}, PLOVER has {fields[key]}"
            assert value is not None  # PLOVER records carry only non-null fields
        assert {"id", "date", "event", "eventText", "text", "textInfo", "language", "coder", "source"} <= set(
            r
        )
        for side in ("source", "target"):
            for actor in r.get(side, []):
                assert set(actor) <= actor_keys and len(actor["code"]) == 3 and actor["actorText"]
        assert set(r.get("eventLoc", {})) <= loc_keys
        assert len(r.get("eventLoc", {}).get("country code", "XX")) == 2
        markup = r["textInfo"]["markup"]
        assert "(EVT: " in markup  # a source read from another sentence (or implicit) has no mark here
        assert re.sub(r"\((?:SRC|TAR|EVT): ([^)]*)\)", r"\1", markup) == r["text"]


def test_parquet_round_trips_with_types(demo: Demo, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "events.parquet"
    _export(demo.url, "--format", "parquet", "--out", str(path), "--min-sources", "1")
    table = pq.read_table(path)
    assert table.schema.equals(export.arrow_schema())
    assert (
        table.schema.field("date").type == pa.date32() and table.schema.field("quad_class").type == pa.int8()
    )
    assert (
        table.schema.field("negated").type == pa.bool_()
        and table.schema.field("goldstein").type == pa.float64()
    )
    expected = export.flat_rows(export.select_events(store.connect(demo.url), export.Filters(min_sources=1)))
    assert table.to_pylist() == expected
    assert table.num_rows == len(expected) > 20 and isinstance(expected[0]["date"], dt.date)


def test_bad_format_and_unwritable_paths_fail_with_one_line(demo: Demo, tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["export", "--db", demo.url, "--format", "xml"]
    )  # refused by the option's choices
    assert res.exit_code == 2 and "'xml' is not one of" in res.output and "Traceback" not in res.output
    with pytest.raises(DyadwatchError, match="E401"):  # and by the library verb
        export.check_target("xml", None)
    res = runner.invoke(app, ["export", "--db", demo.url, "--format", "parquet"])
    assert res.exit_code == 2 and "E402" in res.output
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a directory")
    for fmt in ("csv", "parquet", "gdelt"):
        res = runner.invoke(app, ["export", "--db", demo.url, "--format", fmt, "--out", str(blocker / "x")])
        assert res.exit_code == 2 and "E403" in res.output and "Traceback" not in res.output, res.output
    res = runner.invoke(app, ["export", "--db", demo.url, "--since", "yesterday"])
    assert res.exit_code == 2 and "E201" in res.output


def test_export_paths_prefix_folder_and_force(demo: Demo, tmp_path: Path) -> None:
    _export(demo.url, "--format", "csv", "--out", str(tmp_path / "run1"))
    _export(demo.url, "--format", "parquet", "--out", str(tmp_path / "run1"))
    assert (tmp_path / "run1.csv").is_file() and (tmp_path / "run1.parquet").is_file()
    assert not (tmp_path / "run1").exists()  # a prefix gets the format's extension
    _export(demo.url, "--format", "csv", "--out", f"{tmp_path / 'new'}/")  # a folder not made yet
    _export(demo.url, "--format", "gdelt", "--out", f"{tmp_path / 'new'}/")
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == [
        "dyadwatch.export.CSV",
        "dyadwatch.ids.csv",
        "dyadwatch.mentions.CSV",
        "events.csv",
    ]
    before = (tmp_path / "run1.csv").read_bytes()
    refused = runner.invoke(
        app, ["export", "--db", demo.url, "--format", "csv", "--out", str(tmp_path / "run1")]
    )
    assert refused.exit_code == 2 and "exists: pass --force" in refused.output
    assert (tmp_path / "run1.csv").read_bytes() == before
    _export(demo.url, "--format", "csv", "--out", str(tmp_path / "run1.csv"), "--force", "--dyad", "SAU-IRN")
    assert (tmp_path / "run1.csv").read_bytes() != before
    bad = runner.invoke(app, ["export", "--db", demo.url, "--format", "json"])
    assert bad.exit_code == 2 and "is not one of" in bad.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"dyadwatch {dyadwatch.__version__}"
