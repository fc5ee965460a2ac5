"""The geoparsing gate on the standard corpora (TR-News, GeoWebNews, LGL), read in place from
``../shared/data/geoparsing`` (skipped with a printed reason where that folder is absent).

Floors are what the geocoder reached when they were pinned (rounded down); raise them when it
improves, never lower one. ``resolution`` is toponym resolution given the gold spans; ``end_to_end``
our own detection and resolution, scored on the toponyms we found (``recall`` = found / gold).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from dyadwatch.evaluation.geoparsing import CORPORA, GeoReport, error_auc, evaluate_geoparsing, read_corpus
from dyadwatch.pipeline import Pipeline

from .conftest import shared_path

# Baseline before any change to the geocoder (2026-12-03), resolution given gold spans:
#   trnews acc@161 0.481 country 0.792 · gwn 0.425 / 0.763 · lgl 0.444 / 0.725; end to end (found
#   toponyms) trnews 0.617 / 0.856, recall 0.401 · gwn 0.694 / 0.925, 0.318 · lgl 0.530 / 0.900, 0.492
FLOORS: dict[str, dict[str, float]] = {
    # measured 2026-12-03 after countries' points, continents, document coherence and nearness:
    # trnews 0.647 / 0.827, e2e 0.723 (recall 0.403) · gwn 0.640 / 0.780, e2e 0.807 (0.319) ·
    # lgl 0.589 / 0.733, e2e 0.621 (0.493)
    "trnews": {"acc161": 0.64, "country": 0.82, "e2e_acc161": 0.72, "e2e_recall": 0.40},
    "gwn": {"acc161": 0.63, "country": 0.78, "e2e_acc161": 0.80, "e2e_recall": 0.31},
    "lgl": {"acc161": 0.58, "country": 0.73, "e2e_acc161": 0.62, "e2e_recall": 0.49},
}


@pytest.fixture(scope="module")
def reports(pipeline: Pipeline) -> dict[str, GeoReport]:
    for file in CORPORA.values():
        shared_path("data", "geoparsing", file)
    return {name: evaluate_geoparsing(pipeline, name) for name in CORPORA}


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_geoparsing_floors(reports: dict[str, GeoReport], name: str) -> None:
    report, floor = reports[name], FLOORS[name]
    r, e, d = report.resolution, report.end_to_end, report.detection
    assert e is not None and d is not None
    print(f"{name}: resolution {r.as_dict()}; end to end {e.as_dict()}; detection {d.as_dict()}")
    assert r.n > 1000, "the corpus should yield more than a thousand scored toponyms"
    assert r.acc161 >= floor["acc161"]
    assert r.country >= floor["country"]
    assert e.acc161 >= floor["e2e_acc161"]
    assert d.recall >= floor["e2e_recall"]


def test_corpora_read_with_aligned_spans() -> None:
    shared_path("data", "geoparsing", "TR-News.xml")
    for name in CORPORA:
        articles, skipped = read_corpus(name)
        toponyms = [(a.text, g) for a in articles for g in a.toponyms]
        assert skipped <= 0.01 * len(toponyms)
        assert all(
            text[g.start : g.end] == g.phrase or g.phrase.lower() in text.lower() for text, g in toponyms
        )
        assert sum(g.country is not None for _, g in toponyms) >= 0.9 * len(toponyms)  # continents: none


def test_error_auc_is_gritta_et_al() -> None:
    assert error_auc([0.0, 0.0, 0.0]) == 0.0
    assert error_auc([20039.0, 20039.0]) == pytest.approx(math.log1p(20039) / math.log(20039))
    # a sorted trapezoid: three errors of 0, 161 and 20039 km
    logs = [0.0, math.log1p(161), math.log1p(20039)]
    want = ((logs[0] + logs[1]) / 2 + (logs[1] + logs[2]) / 2) / (2 * math.log(20039))
    assert error_auc([20039.0, 0.0, 161.0]) == pytest.approx(want)


def test_cli_prints_ours_beside_mordecai3(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dyadwatch.surfaces.cli import app

    gold = tmp_path / "tiny.xml"
    gold.write_text(
        '<?xml version="1.0" encoding="utf-8"?><articles><article docid="1"><text><![CDATA['
        "Soldiers clashed with rebels in Bamako on Friday.]]></text><toponyms><toponym><start>32</start>"
        '<end>38</end><phrase>Bamako</phrase><gaztag geonameid="2460596"><name>Bamako</name>'
        "<lat>12.65</lat><lon>-8.0</lon><country>Mali</country></gaztag></toponym></toponyms>"
        "</article></articles>",
        encoding="utf-8",
    )
    res = CliRunner().invoke(app, ["evaluate", "geo-trnews", "--path", str(gold)])
    assert res.exit_code == 0, res.output
    assert "resolution (gold spans)" in res.stdout and "mordecai3 (published)" in res.stdout
    assert "0.978" in res.stdout  # mordecai3's published country accuracy on TR-News
    (articles, skipped) = read_corpus("trnews", gold)
    assert skipped == 0 and articles[0].toponyms[0].country == "MLI"
    res = CliRunner().invoke(app, ["evaluate", "geo-nowhere"])
    assert res.exit_code == 2 and "E204" in res.output
