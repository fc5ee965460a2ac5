"""``dyadwatch geo``: JSON Lines or plain text in, one JSON line of places per document out."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dyadwatch.surfaces.cli import app

runner = CliRunner()
PLACE_FIELDS = {"text", "name", "country", "admin1", "lat", "lon", "precision", "geonames_id"}


def test_geo_reads_json_lines_and_writes_one_line_per_document(tmp_path: Path) -> None:
    records = [
        {
            "id": "a1",
            "text": "Jihadists attacked an army camp in Boulkessi on Tuesday.",
            "date": "2024-03-14",
        },
        {"id": "a2", "text": "Fighting in Mali has displaced thousands. Russia trains Malian troops."},
        {"id": "a3", "text": "The ministry published its annual report."},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    res = runner.invoke(app, ["geo", str(src)])
    assert res.exit_code == 0, res.output
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["doc_id"] for r in lines] == ["a1", "a2", "a3"]
    first = lines[0]
    assert set(first) == {"doc_id", "places", "primary"}
    assert set(first["places"][0]) >= PLACE_FIELDS
    assert first["places"][0]["name"] == "Boulkessi" and first["primary"]["country"] == "MLI"
    assert [(p["text"], p["precision"]) for p in lines[1]["places"]] == [("Mali", 3)]  # Russia is an actor
    assert lines[2]["places"] == [] and lines[2]["primary"] is None


def test_geo_reads_plain_text_from_stdin() -> None:
    res = runner.invoke(
        app, ["geo", "-"], input="Protesters in Niamey demanded the departure of French troops.\n"
    )
    assert res.exit_code == 0, res.output
    (line,) = [json.loads(x) for x in res.stdout.splitlines()]
    assert line["primary"]["name"] == "Niamey" and line["primary"]["country"] == "NER"


def test_geo_bad_input_is_one_line_and_never_a_traceback(tmp_path: Path) -> None:
    src = tmp_path / "mixed.jsonl"
    src.write_text('{"id": "ok", "text": "Gunmen attacked Djibo."}\nnot json\n{"id": "empty", "text": ""}\n')
    res = runner.invoke(app, ["geo", str(src)])
    assert res.exit_code == 0
    assert "Traceback" not in res.output
    assert res.stderr.count("skipped E106") == 2 and "skipped 2 inputs" in res.stderr
    assert [json.loads(x)["doc_id"] for x in res.stdout.splitlines()] == ["ok"]

    missing = runner.invoke(app, ["geo", str(tmp_path / "absent.txt")])
    assert missing.exit_code == 1 and "E101" in missing.stderr and "Traceback" not in missing.output
    assert missing.stdout == ""

    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02binary" * 50)
    res = runner.invoke(app, ["geo", str(binary)])
    assert res.exit_code == 1 and "E103" in res.stderr and "Traceback" not in res.output
