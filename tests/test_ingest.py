"""Bad input never crashes: every unusable input becomes a coded, one-line Skip."""

from __future__ import annotations

import json
from pathlib import Path

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
