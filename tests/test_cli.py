from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from dyadwatch.surfaces.cli import app

from .conftest import shared_path

runner = CliRunner()


def _gsr_sentences(limit: int | None = None) -> list[dict[str, str]]:
    text = re.sub(r",\s*([}\]])", r"\1", shared_path("data/plover/PLOVER_GSR_CAMEO.txt").read_text())
    recs = [r for r in json.loads(text) if r.get("text")]
    return [{"id": r["id"], "text": r["text"]} for r in recs][:limit]


def test_code_runs_on_hundreds_of_jsonl_records(tmp_path: Path) -> None:
    records = _gsr_sentences()
    assert len(records) >= 300
    src = tmp_path / "gsr.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in records))
    res = runner.invoke(app, ["code", str(src)])
    assert res.exit_code == 0, res.output
    events = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(events) > 100
    required = {
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
    }
    for e in events:
        assert required <= set(e)
        assert {"text", "name", "code", "country", "type"} <= set(e["source"])
        s, t = e["spans"]["source"]
        assert e["sentence"][s:t] == e["source"]["text"]


def test_code_reads_plain_text_from_stdin_and_prints_a_table() -> None:
    text = "ECOWAS imposed sanctions on Niger after the coup.\n"
    res = runner.invoke(app, ["code", "-", "--format", "table"], input=text)
    assert res.exit_code == 0, res.output
    assert "163" in res.stdout or "Impose" in res.stdout
    assert "NER" in res.stdout


def test_code_applies_the_same_cleaning_as_ingest(tmp_path: Path) -> None:
    raw = (
        "Niger pact\n\nA vibrant landscape showcasing golden tones at sunset.\n\n"
        "ECOWAS imposed sanctions on Niger in August.\n\nLeave a Reply\n\nFrance condemned Mali.\n"
    )
    src = tmp_path / "raw.txt"
    src.write_text(raw)
    res = runner.invoke(app, ["code", str(src)])
    events = [json.loads(line) for line in res.stdout.splitlines()]
    assert events and all("Leave" not in e["sentence"] and "France" not in e["sentence"] for e in events)


def test_bad_inputs_give_one_line_and_exit_status(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary" * 50)
    (tmp_path / "empty.txt").write_text("")
    inputs = tmp_path / "in"
    inputs.mkdir()
    (tmp_path / "bin.txt").rename(inputs / "bin.txt")
    (tmp_path / "empty.txt").rename(inputs / "empty.txt")
    res = runner.invoke(app, ["ingest", str(inputs), "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert res.exit_code == 1  # nothing could be processed
    assert "E103" in res.output and "E102" in res.output and "Traceback" not in res.output
    (inputs / "ok.txt").write_text("Malian troops attacked a JNIM camp near Gao on Monday.")
    res = runner.invoke(app, ["ingest", str(inputs), "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert res.exit_code == 0 and "1 new articles" in res.output and "2 skipped" in res.output
    res = runner.invoke(app, ["ingest", str(inputs / "ok.txt"), "--db", "nosuchdialect://x"])
    assert res.exit_code == 2 and "E203" in res.output


def test_code_on_a_thousand_sentences_prints_the_root_distribution(tmp_path: Path) -> None:
    rows = [
        json.loads(line)
        for line in (Path(__file__).parent / "data" / "root_sentences.jsonl").read_text().splitlines()
    ]
    src = tmp_path / "k.jsonl"
    with src.open("w") as fh:
        for n in range(1000):
            row = rows[n % len(rows)]
            fh.write(json.dumps({"id": f"{row['id']}-{n}", "text": row["text"]}) + "\n")
    res = runner.invoke(app, ["code", str(src)])
    assert res.exit_code == 0
    events = [json.loads(line) for line in res.stdout.splitlines()]
    assert len({e["doc_id"] for e in events}) > 800  # each input keeps its own id, duplicates included
    roots = re.search(r"events by root: (.*)", res.stderr)
    assert roots is not None
    counts = dict(pair.split(":") for pair in roots.group(1).split())
    assert set(counts) == {f"{i:02d}" for i in range(1, 21)}
    assert sum(int(n) for n in counts.values()) == len(events)
