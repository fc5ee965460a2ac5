"""Bad input never crashes: every unusable input becomes a coded, one-line Skip."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dyadwatch.ingest.readers import ingest
from dyadwatch.records import Document, Skip
from dyadwatch.settings import Settings

ARTICLE = (
    "Malian soldiers arrested two opposition activists in Bamako on Monday. "
    "The government said the men had been detained for questioning."
)


def _one(path: Path, **kw: object) -> Document | Skip:
    items = list(ingest([path], Settings(**kw)))  # type: ignore[arg-type]
    assert len(items) == 1, items
    return items[0]


def test_plain_text(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE)
    doc = _one(p)
    assert isinstance(doc, Document) and doc.fmt == "text" and doc.text == ARTICLE


def test_binary_empty_missing(tmp_path: Path) -> None:
    png = tmp_path / "img.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n")
    for path, code in ((png, "E103"), (empty, "E102"), (tmp_path / "nope.txt", "E101")):
        item = _one(path)
        assert isinstance(item, Skip) and item.code == code and str(path) in item.message
        assert "\n" not in item.message


def test_huge_file_is_skipped_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # a sparse 50 MB file
        fh.truncate(50_000_000)
    item = _one(big)
    assert isinstance(item, Skip) and item.code == "E104" and "50.0 MB" in item.message


def test_legacy_encoding_is_decoded_with_a_note(tmp_path: Path) -> None:
    p = tmp_path / "latin1.txt"
    p.write_bytes(("Le président malien a rencontré l'ambassadeur. " + ARTICLE).encode("cp1252"))
    doc = _one(p)
    assert isinstance(doc, Document) and "président" in doc.text
    assert doc.notes and "not UTF-8" in doc.notes[0]


def test_jsonl_with_malformed_lines(tmp_path: Path) -> None:
    p = tmp_path / "r.jsonl"
    lines = [
        json.dumps({"id": "a", "text": ARTICLE, "date": "2024-01-02"}),
        "{broken",
        json.dumps({"id": "b"}),
        "[1]",
    ]
    p.write_text("\n".join(lines))
    items = list(ingest([p]))
    assert isinstance(items[0], Document) and items[0].external_id == "a" and items[0].date == "2024-01-02"
    assert [i.code for i in items[1:] if isinstance(i, Skip)] == ["E106", "E106", "E106"]
    assert f"{p}:2" in items[1].origin


def test_malformed_json_file(tmp_path: Path) -> None:
    p = tmp_path / "r.json"
    p.write_text('{"id": "a", "text": ')
    item = _one(p)
    assert isinstance(item, Skip) and item.code == "E106"


def test_csv_records(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_text(f'id,title,text\nx1,Arrests,"{ARTICLE}"\n')
    doc = _one(p)
    assert isinstance(doc, Document) and doc.external_id == "x1" and doc.title == "Arrests"
    bad = tmp_path / "bad.csv"
    bad.write_text("id,body\n1,hello\n")
    item = _one(bad)
    assert isinstance(item, Skip) and "'text'" in item.message


def test_rss_feed_and_malformed_feed(tmp_path: Path) -> None:
    feed = tmp_path / "f.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<item><title>Arrests in Bamako</title><link>http://example.org/1</link>"
        "<pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;{ARTICLE}&lt;/p&gt;</description></item></channel></rss>"
    )
    doc = _one(feed)
    assert isinstance(doc, Document) and doc.date == "2024-01-02" and doc.source == "Wire"
    assert doc.url == "http://example.org/1" and doc.fmt == "html"
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item><title>unclosed")
    item = _one(broken)
    assert isinstance(item, Skip) and item.code == "E106"


def test_directory_recursion_and_html_detection(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.html").write_text(
        f"<html><body><article><p>{ARTICLE}</p></article></body></html>"
    )
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / ".hidden").write_text("x")
    items = list(ingest([tmp_path]))
    assert [type(i).__name__ for i in items] == ["Document", "Document"]
    assert {i.fmt for i in items if isinstance(i, Document)} == {"text", "html"}


# --- hostile input (issue 15): each is that input's Skip, never the batch's end ---------------------


def test_special_files_are_skipped_without_reading_them(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    long_name = tmp_path / ("x" * 5000)
    not_dir = tmp_path / "a.txt"
    not_dir.write_text(ARTICLE)
    items = list(ingest([fifo, Path("/dev/zero"), long_name, not_dir / "child.txt", not_dir]))
    codes = [i.code if isinstance(i, Skip) else "doc" for i in items]
    assert codes == ["E109", "E109", "E111", "E111", "doc"]
    assert "FIFO" in items[0].message and "character device" in items[1].message  # type: ignore[union-attr]
    assert "file name too long" in items[2].message  # type: ignore[union-attr]


def test_unreadable_file_and_directory_are_reported(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "in.txt").write_text(ARTICLE)
    (tmp_path / "secret.txt").write_text(ARTICLE)
    (tmp_path / "ok.txt").write_text(ARTICLE)
    for p in (tmp_path / "locked", tmp_path / "secret.txt"):
        p.chmod(0)
    script = (
        "import sys; from dyadwatch.ingest.readers import ingest\n"
        "for i in ingest([sys.argv[1]]): print(type(i).__name__, getattr(i, 'code', '-'), i.origin)"
    )
    command = [sys.executable, "-c", script, str(tmp_path)]
    if os.geteuid() == 0:  # root reads anything: drop the capabilities that let it
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: permissions cannot be tested")
        drop = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}", "--", *command]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert run.returncode == 0, run.stderr
    lines = sorted(run.stdout.splitlines())
    assert lines == sorted([
        f"Skip E111 {tmp_path / 'locked'}",
        f"Skip E111 {tmp_path / 'secret.txt'}",
        f"Document - {tmp_path / 'ok.txt'}",
    ])  # fmt: skip


def test_bad_json_records_are_their_own_skips(tmp_path: Path) -> None:
    good = json.dumps({"id": "good", "text": ARTICLE})
    lines = [
        good,
        '{"id": ' + "9" * 5000 + ', "text": "x"}',  # int() refuses more than 4,300 digits
        "[" * 200_000 + "]" * 200_000,  # RecursionError inside json
        '{"id": "s", "text": "lone \\ud800 surrogate and a \\u0000 NUL"}',
    ]
    p = tmp_path / "r.jsonl"
    p.write_text("\n".join(lines))
    items = list(ingest([p]))
    assert [type(i).__name__ for i in items] == ["Document", "Document", "Skip", "Document"]
    assert items[1].external_id == "9" * 5000  # type: ignore[union-attr]  # kept as its digits
    assert "nested too deeply" in items[2].message  # type: ignore[union-attr]
    fixed = items[3]
    assert isinstance(fixed, Document) and fixed.text == "lone \ufffd surrogate and a \ufffd NUL"
    fixed.text.encode("utf-8")
    assert any("2 invalid character" in n for n in fixed.notes)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000)
    (skip,) = list(ingest([deep]))
    assert isinstance(skip, Skip) and skip.code == "E106"


def test_csv_rows_fail_alone(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    huge = "The army said talks went well. " * 6000  # 186,000 characters: over csv's default field limit
    p.write_text(f'id,text\n1,"{ARTICLE}"\n2,"{huge}"\n3,"unterminated\n4,"{ARTICLE}"\n5,{ARTICLE}\x00\n')
    items = list(ingest([p]))
    summary = [(i.origin.rsplit(":", 1)[1], type(i).__name__) for i in items]
    assert summary == [
        ("2", "Document"),
        ("3", "Document"),
        ("4", "Skip"),
        ("5", "Document"),
        ("6", "Document"),
    ]
    assert "malformed CSV row" in items[2].message  # type: ignore[union-attr]
    assert isinstance(items[1], Document) and len(items[1].text) == len(huge)
    assert isinstance(items[4], Document) and items[4].text.endswith("\ufffd")


def test_encodings_latin1_utf16_without_bom(tmp_path: Path) -> None:
    text = "Troops of C\u00f4te d'Ivoire and S\u00e3o Tom\u00e9 met in Abidjan, the ministry said on Monday."
    cases = {
        "latin1.txt": text.encode("latin-1"),
        "cp1252.txt": (text + " \u201cWe agree,\u201d he said.").encode("cp1252"),
        "le.txt": text.encode("utf-16-le"),
        "be.txt": text.encode("utf-16-be"),
        "bom.txt": text.encode("utf-16"),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        doc = _one(tmp_path / name)
        assert isinstance(doc, Document), (name, doc)
        assert doc.text.startswith(text), (name, doc.text[:60])


def test_a_csv_without_rows_is_reported(tmp_path: Path) -> None:
    p = tmp_path / "header.csv"
    p.write_text("id,text\n\n")
    item = _one(p)
    assert isinstance(item, Skip) and item.code == "E106" and "no rows" in item.message
