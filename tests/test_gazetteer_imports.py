"""``dyadwatch gazetteer add|info|remove``: GeoNames dumps imported into the gazetteer cache, streamed,
resumable, idempotent, and all-or-nothing on bad input (one line naming file and line)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.errors import DyadwatchError
from dyadwatch.geo import imports
from dyadwatch.geo.gazetteer import PLACES_CSV
from dyadwatch.geo.geonames import build
from dyadwatch.surfaces.cli import app

from .conftest import shared_path


def _row(gid: int, name: str, lat: str = "14.5", lon: str = "-4.2", cc: str = "ML") -> str:
    cols = [
        str(gid),
        name,
        name,
        "",
        lat,
        lon,
        "P",
        "PPL",
        cc,
        "",
        "05",
        "",
        "",
        "",
        "120",
        "",
        "300",
        "Africa/Bamako",
        "2020-01-01",
    ]
    return "\t".join(cols)


def _dump(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _empty(store: Path) -> bool:
    report = imports.info(store)
    return report["places"] == 0 and report["sources"] == []


def test_a_country_dump_imports_once(tmp_path: Path) -> None:
    ml = shared_path("data", "geonames", "ML.txt")
    store = tmp_path / "store.sqlite"
    first = imports.add(ml, store)
    assert first.new and first.kind == "places" and first.rows == 24_312
    again = imports.add(ml, store)
    assert not again.new and imports.info(store)["places"] == 24_312
    assert imports.info(store)["by_class"]["P"] == 15_448


def test_imported_places_join_the_gazetteer(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    imports.add(_dump(tmp_path / "XX.txt", [_row(99000001, "Zzyzxville"), _row(99000002, "Qwertown")]), store)
    gaz = build(PLACES_CSV, store)
    assert [(p.country, p.geonames_id) for p in gaz.find("Zzyzxville")] == [("MLI", 99000001)]
    assert imports.remove("XX.txt", store) == 1 and _empty(store)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("123\tOnly\tthree", "3 columns, expected 19"),
        (_row(5, "Badlat", lat="95.0"), "coordinates out of range"),
    ],
)
def test_a_bad_row_names_file_and_line_and_imports_nothing(tmp_path: Path, row: str, reason: str) -> None:
    store = tmp_path / "store.sqlite"
    dump = _dump(tmp_path / "ML.txt", [_row(1, "Aa"), _row(2, "Bb"), row, _row(4, "Dd")])
    with pytest.raises(DyadwatchError) as err:
        imports.add(dump, store)
    assert err.value.code == "E030" and f"ML.txt:3: {reason}" in err.value.message
    assert _empty(store)


def test_a_truncated_zip_or_another_format_is_one_clear_error(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    dump = _dump(tmp_path / "ML.txt", [_row(i, f"Place{i}") for i in range(1, 3000)])
    archive = tmp_path / "ML.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(dump, "ML.txt")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(DyadwatchError) as err:
        imports.add(cut, store)
    assert err.value.code == "E031" and "cut.zip" in err.value.message
    assert imports.add(archive, store).rows == 2999  # the whole zip imports
    csv = _dump(tmp_path / "places.csv", ["name,lat,lon", "Gao,16.2,-0.04"])
    with pytest.raises(DyadwatchError) as err:
        imports.add(csv, store)
    assert err.value.code == "E032"


def test_an_interrupted_import_resumes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store.sqlite"
    dump = _dump(tmp_path / "ML.txt", [_row(i, f"Place{i}") for i in range(1, 1001)])
    monkeypatch.setattr(imports, "BATCH", 300)
    calls = []

    def stop(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        imports.add(dump, store, stop)
    (source,) = imports.info(store)["sources"]
    assert source["status"] == "importing" and imports.info(store)["places"] == 600
    assert imports.add(dump, store).rows == 1000
    assert imports.info(store)["sources"][0]["status"] == "done"


def test_cli_add_info_remove(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DYADWATCH_CACHE", str(tmp_path / "cache"))
    dump = _dump(tmp_path / "SN.txt", [_row(7, "Kolda", cc="SN")])
    runner = CliRunner()
    res = runner.invoke(app, ["gazetteer", "add", str(dump), str(dump)])
    assert res.exit_code == 0, res.output
    assert "SN.txt: 1 places rows" in res.stdout and "already imported, nothing added" in res.stdout
    res = runner.invoke(app, ["gazetteer", "info"])
    assert "SN 1" in res.stdout and "P 1" in res.stdout
    bad = _dump(tmp_path / "bad.txt", [_row(8, "Ok", cc="SN"), "8\tshort"])
    res = runner.invoke(app, ["gazetteer", "add", str(bad)])
    assert res.exit_code == 2 and "bad.txt:2:" in res.output and "Traceback" not in res.output
    assert runner.invoke(app, ["gazetteer", "remove", "SN.txt"]).exit_code == 0
    assert "0 imported places" in runner.invoke(app, ["gazetteer", "info"]).stdout
