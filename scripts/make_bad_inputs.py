"""Generate the bad-input corpus: 70+ kinds of hostile or careless input, written into a directory.

    python scripts/make_bad_inputs.py OUT_DIR [--scale N]

Encodings (UTF-16 with and without BOM, Latin-1, cp1252, mixed), binary formats, empty and
whitespace-only files, truncated and malformed HTML/XML/RSS/Atom/JSON/CSV, entity-expansion and
external-entity XML, huge lines/fields/files, deep nesting, control and bidi characters, other
languages, special files (FIFO, socket, links), unreadable paths and odd file names. Each kind is
generated, not stored: ``tests/test_bad_inputs.py`` feeds them, mixed with good records, to
``dyadwatch ingest`` and ``dyadwatch code``. ``--scale`` multiplies the huge cases (the memory test
runs at 2x). Every text is unique (it names its kind), so no input is a copy of another.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import zlib
from dataclasses import dataclass
from pathlib import Path

ARTICLE = "Malian soldiers arrested two opposition activists in Bamako on Monday, the army said. "
QUIET = "Rain fell across the region for much of the week. "  # no actor, no trigger: cheap to process
HUGE_LINE = 2_000_000  # characters at scale 1
MAX_BYTES = 5_000_000  # the --max-bytes the corpus is run with: `too_large.txt` is just above it


@dataclass(frozen=True, slots=True)
class Kind:
    name: str  # what it is
    path: Path  # where it is (an argument of its own when `argument`)
    argument: bool = False  # give it to the CLI by itself (outside the corpus directory)
    unreadable: bool = False  # needs permissions a privileged user does not have


def _text(kind: str) -> str:
    return f"{ARTICLE}The {kind.replace('_', ' ')} report was filed on Tuesday, officials said."


def _files(scale: int) -> dict[str, bytes]:
    """Ordinary files: name → bytes."""
    en = _text
    html = "<html><head><title>{0}</title></head><body><article><p>{1}</p></article></body></html>"
    rss = '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{0}</channel></rss>'
    item = "<item><title>{0}</title><link>http://example.org/{0}</link><description>{1}</description></item>"
    deep = 200_000 * scale
    files: dict[str, bytes] = {
        # --- encodings
        "utf16_bom.txt": en("utf16 bom").encode("utf-16"),
        "utf16le_no_bom.txt": en("utf16 little endian").encode("utf-16-le"),
        "utf16be_no_bom.txt": en("utf16 big endian").encode("utf-16-be"),
        "utf8_bom.txt": b"\xef\xbb\xbf" + en("utf8 bom").encode(),
        "latin1.txt": (en("latin1") + " Troops of C\u00f4te d'Ivoire met in S\u00e3o Tom\u00e9.").encode(
            "latin-1"
        ),
        "cp1252.txt": (en("cp1252") + " \u201cWe agree,\u201d he said \u2014 twice.").encode("cp1252"),
        "mixed_utf8_latin1.txt": en("mixed").encode()
        + " C\u00f4te".encode()
        + " C\u00f4te".encode("latin-1"),
        "utf32.txt": en("utf32").encode("utf-32"),
        "invalid_utf8.txt": en("invalid utf8").encode() + b"\xc3\x28\xa0\xa1\xe2\x28\xa1",
        # --- binary formats
        "doc.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" + bytes(range(256)) * 8,
        "image.png.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        "archive.zip": b"PK\x03\x04" + bytes(range(256)) * 8,
        "text.gz": gzip.compress(en("gzip").encode()),
        "program.elf": b"\x7fELF\x02\x01\x01" + bytes(1000),
        "photo.jpg": b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8,
        "anim.gif": b"GIF89a" + bytes(range(256)) * 8,
        "random.bin": bytes((i * 7919 + 13) % 256 for i in range(20_000)),
        "store.sqlite": b"SQLite format 3\x00" + bytes(4000),
        "deflate.txt": zlib.compress(en("deflate").encode() * 50),
        # --- empty and white space
        "empty.txt": b"",
        "spaces.txt": b" " * 1000,
        "newlines.txt": b"\n\r\n" * 500,
        "unicode_spaces.txt": ("\u00a0\u2003\u3000\u2009\n" * 50).encode(),
        "bom_only.txt": b"\xef\xbb\xbf",
        # --- HTML
        "truncated.html": f"<html><body><article><p>{en('truncated html')}".encode()[:-20],
        "malformed.html": f"<html><body><div><p>{en('malformed html')}<p><b><i></div></span></body>".encode(),
        "script_only.html": b"<html><head><script>alert(1)</script></head><body><script>x()</script></body></html>",
        "tags_only.html": b"<html><body>" + b"<div><span></span></div>" * 2000 + b"</body></html>",
        "huge_attr.html": html.format("attr", en("huge attribute"))
        .replace("<p>", f'<p data-x="{"a" * 300_000}">')
        .encode(),
        "deep.html": (b"<div>" * 20_000) + en("deep html").encode() + (b"</div>" * 20_000),
        # --- XML, RSS, Atom
        "truncated.rss": rss.format(item.format("t", en("truncated rss"))).encode()[:120],
        "no_items.rss": rss.format("").encode(),
        "not_xml.xml": en("not xml").encode(),
        "atom_truncated.atom": f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title><content>{en("atom")}'.encode(),
        "empty_entries.rss": rss.format(item.format("e", "")).encode(),
        "billion_laughs.xml": (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(
                f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                for i in range(1, 10)
            )
            + ']><rss version="2.0"><channel><title>L</title><item><title>&lol9;</title>'
            + f"<description>{en('billion laughs')} &lol9;</description></item></channel></rss>"
        ).encode(),
        "external_entity.xml": (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            '<rss version="2.0"><channel><title>X</title><item><title>x</title>'
            f"<description>{en('external entity')} &xxe;</description></item></channel></rss>"
        ).encode(),
        "external_entity.html": (
            '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            f"<html><body><article><p>{en('external entity html')} &xxe;</p></article></body></html>"
        ).encode(),
        # --- JSON and JSON Lines
        "truncated.json": json.dumps({"id": "tj", "text": en("truncated json")}).encode()[:-10],
        "scalar.json": b"42",
        "wrong_types.json": json.dumps({"id": ["x"], "text": 5}).encode(),
        "mixed_array.json": json.dumps(
            [{"id": "ma-good", "text": en("mixed array")}, 1, None, {"title": "no text"}]
        ).encode(),
        "bad_lines.jsonl": "\n".join(
            [json.dumps({"id": "bl-good", "text": en("bad lines")}), "{broken", "[]", '"just a string"', "{}"]
        ).encode(),
        "deep.json": b"[" * deep + b"]" * deep,
        "deep.jsonl": b'{"text": ' + b"[" * deep + b"]" * deep + b"}\n",
        "big_int_id.json": b'{"id": ' + b"9" * 5000 + b', "text": "' + en("big integer id").encode() + b'"}',
        "lone_surrogate.jsonl": b'{"id": "ls", "text": "'
        + en("lone surrogate").encode()
        + b' \\ud800 \\udfff"}\n',
        "nul_in_json.jsonl": b'{"id": "nj", "text": "' + en("nul in json").encode() + b'\\u0000 after"}\n',
        "huge_string.json": json.dumps(
            {"id": "hs", "text": en("huge string") + QUIET * (HUGE_LINE * scale // len(QUIET))}
        ).encode(),
        # --- CSV
        "no_text_column.csv": b"id,body\n1,hello\n",
        "unterminated_quote.csv": f'id,text\nuq-1,"{en("unterminated one")}"\nuq-2,"never closed\nuq-3,"{en("unterminated three")}"\n'.encode(),
        "huge_field.csv": f'id,text\nhf-1,"{QUIET * (400_000 * scale // len(QUIET))}"\nhf-2,"{en("after huge field")}"\n'.encode(),
        "nul_byte.csv": f'id,text\nnb-1,"{en("nul one")}\x00"\nnb-2,"{en("nul two")}"\n'.encode(),
        "ragged.csv": f'id,text,title\nrg-1,"{en("ragged one")}"\nrg-2,"{en("ragged two")}",t,extra,extra\n'.encode(),
        "bom_header.csv": f'\ufeffid,text\nbh-1,"{en("bom header")}"\n'.encode(),
        "header_only.csv": b"id,text\n",
        # --- huge
        "huge_line.txt": (QUIET * (HUGE_LINE * scale // len(QUIET))).encode(),
        "long_word.txt": (en("long word") + " " + "x" * (1_200_000 * scale)).encode(),
        "many_lines.txt": "".join(f"Rain fell on day {i}.\n" for i in range(30_000 * scale)).encode(),
        "too_large.txt": (QUIET * (MAX_BYTES * 11 // 10 // len(QUIET))).encode(),
        # --- control, format and other-script characters
        "control_chars.txt": bytes(range(1, 9)) * 200 + en("control").encode(),
        "ansi_escape.txt": f"\x1b[31m{en('ansi escape')}\x1b[0m\x1b]0;title\x07".encode(),
        "bidi.txt": f"\u202e{en('bidi override')}\u202c \u2066isolate\u2069".encode(),
        "zero_width.txt": en("zero width").replace(" ", " \u200b").encode(),
        "chinese.txt": (
            "中国国家主席习近平周三在旧金山附近会见了美国总统拜登。双方讨论了台湾问题和贸易关系。" * 5
        ).encode(),
        "arabic.txt": ("قال الجيش إن القوات اعتقلت ناشطين معارضين في باماكو يوم الاثنين. " * 5).encode(),
        "french.txt": (
            "Le gouvernement malien a annoncé mardi la suspension de la coopération militaire avec la France. "
            * 3
        ).encode(),
        # --- odd names
        "new\nline.txt": en("newline name").encode(),
        "esc\x1b[31mape.txt": en("escape name").encode(),
        "-starts-with-dash.txt": en("dash name").encode(),
        "C\u00f4te d\u2019Ivoire \u2014 report.txt": en("unicode name").encode(),
        ("n" * 240) + ".txt": en("long name").encode(),
    }
    return files


def make(root: Path, scale: int = 1) -> list[Kind]:
    """Write every kind under ``root`` (created); return them. Special files where the OS allows."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    kinds = []
    for name, data in _files(scale).items():
        path = corpus / name
        path.write_bytes(data)
        kinds.append(Kind(name, path))
    raw = os.fsencode(corpus) + b"/bad-\xff\xfe-bytes.txt"  # a name that is not UTF-8
    with open(raw, "wb") as fh:
        fh.write(_text("undecodable name").encode())
    kinds.append(Kind("undecodable_name", Path(os.fsdecode(raw))))
    fifo = corpus / "pipe.fifo"
    os.mkfifo(fifo)
    kinds.append(Kind("fifo", fifo))
    sock_path = corpus / "listen.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
    kinds.append(Kind("socket", sock_path))
    loop = corpus / "loop.txt"
    loop.symlink_to(loop.name)
    kinds.append(Kind("symlink_loop", loop))
    dangling = corpus / "dangling.txt"
    dangling.symlink_to("nowhere/at/all.txt")
    kinds.append(Kind("dangling_symlink", dangling))
    locked = corpus / "locked.txt"
    locked.write_text(_text("locked file"))
    locked.chmod(0)
    kinds.append(Kind("unreadable_file", locked, unreadable=True))
    shut = corpus / "shut"
    shut.mkdir()
    (shut / "inside.txt").write_text(_text("inside unreadable directory"))
    shut.chmod(0)
    kinds.append(Kind("unreadable_dir", shut, unreadable=True))
    kinds.append(Kind("path_too_long", root / ("d" * 250) / ("p" * 5000), argument=True))
    kinds.append(Kind("not_a_directory", corpus / "empty.txt" / "child.txt", argument=True))
    kinds.append(Kind("char_device", Path("/dev/zero"), argument=True))
    kinds.append(Kind("missing", root / "missing.txt", argument=True))
    return kinds


def unlock(root: Path) -> None:
    """Give back the permissions taken by :func:`make` (so the directory can be removed)."""
    for name in ("locked.txt", "shut"):
        target = root / "corpus" / name
        if target.exists():
            target.chmod(0o755)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    kinds = make(args.out, args.scale)
    print(f"{len(kinds)} kinds of bad input under {args.out}")


if __name__ == "__main__":
    main()
