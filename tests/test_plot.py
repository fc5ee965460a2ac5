"""`dyadwatch plot dyad`: the API's dyad timeline drawn to PNG and SVG, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch import analytics
from dyadwatch.errors import DyadwatchError
from dyadwatch.store import database as store
from dyadwatch.surfaces.cli import app
from dyadwatch.surfaces.plot import plot_dyad

from . import surfaces_data

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('plot') / 'hand.db'}"
    surfaces_data.build(url)
    return url


@pytest.mark.parametrize("interval", ["day", "week", "month", "year"])
def test_png_and_svg_are_written(db: str, tmp_path: Path, interval: str) -> None:
    png, svg = tmp_path / "rus-mli.png", tmp_path / "rus-mli.svg"
    res = runner.invoke(
        app, ["plot", "dyad", "RUS", "MLI", "--out", str(png), "--interval", interval, "--db", db]
    )
    assert res.exit_code == 0, res.output
    assert "7 events between RUS and MLI" in res.stdout
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    res = runner.invoke(
        app, ["plot", "dyad", "mli", "rus", "--out", str(svg), "--interval", interval, "--db", db]
    )
    assert res.exit_code == 0, res.output
    text = svg.read_text()
    assert "<svg" in text and text.count("<path") > 20 and len(text) > 10_000


def test_the_chart_draws_the_api_timeline(db: str, tmp_path: Path) -> None:
    engine = store.connect(db)
    drawn = plot_dyad(engine, "RUS", "MLI", tmp_path / "a.svg", "week", direction="ab")
    assert drawn == analytics.dyad_timeline(engine, "RUS", "MLI", "week")
    assert (tmp_path / "a.svg").stat().st_size > 10_000


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["RUS", "ZZZ"], "E303"),  # no such actor
        (["RUS", "IRN"], "E305"),  # both known, no events between them
        (["RUS", "RUS"], "E301"),  # not a dyad
        (["R$S", "MLI"], "E301"),  # not an actor code
        (["RUS", "MLI", "--interval", "decade"], "E301"),
        (["MLIGOV", "RUS", "--since", "2023-03-01", "--until", "2023-03-01", "--interval", "week"], "E312"),
        (["RUS", "MLI", "--direction", "sideways"], "E301"),
    ],
)
def test_bad_pairs_give_one_clear_line(db: str, tmp_path: Path, args: list[str], code: str) -> None:
    out = tmp_path / "x.png"
    res = runner.invoke(app, ["plot", "dyad", *args, "--out", str(out), "--db", db])
    assert res.exit_code == 2 and f"error {code}" in res.output and "Traceback" not in res.output
    assert not out.exists()


def test_bad_output_files(db: str, tmp_path: Path) -> None:
    res = runner.invoke(app, ["plot", "dyad", "RUS", "MLI", "--out", str(tmp_path / "x.pdf"), "--db", db])
    assert res.exit_code == 2 and "E309" in res.output and ".png or .svg" in res.output
    with pytest.raises(DyadwatchError) as exc:
        plot_dyad(store.connect(db), "RUS", "MLI", tmp_path / "missing" / "x.png")
    assert exc.value.code == "E309"
