"""Sample the blind real-text dev set from the geoparsing corpora in ../shared (read in place).

The corpora are GPL-licensed, so the dev set stores only pointers: corpus, article id and the
character offsets of a sentence inside the article's ``<text>`` (as ElementTree returns it). The
hand annotations in ``tests/data/real_dev/annotations.jsonl`` add an ``events`` list to each one.

1. Every article's text is split into sentences with a small rule-based splitter: at line breaks
   (except inside hard-wrapped paragraphs: a line that starts in lower case after a line without
   final punctuation continues it), then after ``.?!`` followed by whitespace and a capital,
   quote, bracket or digit, except after common abbreviations and initials. Sentences of 5-80
   words are kept.
2. Each corpus's sentences are pooled and drawn without replacement with ``random.Random(SEED)``
   (one generator, corpora in the order of ``QUOTAS``), at most ``PER_ARTICLE`` per article.

    python3 scripts/sample_real_dev.py                     # the sample as JSON lines (no text)
    python3 scripts/sample_real_dev.py --show --offset 0 --limit 40
    python3 scripts/sample_real_dev.py --check tests/data/real_dev/annotations.jsonl
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT / ".." / "shared" / "data" / "geoparsing"
DEFAULT_ANNOTATIONS = ROOT / "tests" / "data" / "real_dev" / "annotations.jsonl"
CAMEO_CSV = "../cameo/cameo-codes.csv"  # relative to the geoparsing folder

SEED = 20261203
PER_ARTICLE = 3
MIN_WORDS, MAX_WORDS = 5, 80
# corpus name -> (file, id attribute, number of sentences drawn); the order is the draw order
QUOTAS: dict[str, tuple[str, str, int]] = {
    "TR-News": ("TR-News.xml", "docid", 200),
    "GWN": ("GWN.xml", "file", 120),
    "LGL": ("lgl.xml", "docid", 100),
}

ABBREVIATIONS = frozenset(
    "mr. mrs. ms. dr. prof. gen. sen. rep. gov. lt. col. sgt. capt. cpl. maj. adm. cmdr. st. sr. jr. "
    "rev. hon. pres. supt. det. ft. mt. inc. co. corp. ltd. no. nos. vs. v. etc. approx. dept. "
    "jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec. "
    "u.s. u.n. u.k. e.u. a.m. p.m. i.e. e.g.".split()
)
_BOUNDARY = re.compile(r"[.?!]+[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])")
_CONTINUATION = re.compile(r"^[a-z\-\u2013\u2014,;]")
_FINAL = re.compile(r"[.?!:\"'\u201d\u2019)]\s*$")
_INITIALS = re.compile(r"^(?:[A-Za-z]\.)+$")  # J. / U.S. / a.m.
_ACTOR = re.compile(r"^(?:[A-Z]{3}|---)(?:[A-Z]{3}){0,3}$")
EVENT_KEYS = {"code", "root", "source", "target"}
RECORD_KEYS = {"corpus", "doc", "start", "end", "events"}


@dataclass(frozen=True)
class Sentence:
    corpus: str
    doc: str
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    doc: str
    title: str
    text: str


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` between line breaks; a hard-wrapped line (the line before it lacks final
    punctuation and it starts in lower case or with a dash, comma or semicolon) continues the last."""
    blocks: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        body = line.group(0).strip()
        if not body:
            continue
        if blocks and _CONTINUATION.match(body) and not _FINAL.search(text[blocks[-1][0] : blocks[-1][1]]):
            blocks[-1] = (blocks[-1][0], line.end())
        else:
            blocks.append((line.start(), line.end()))
    return blocks


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (whitespace-trimmed, never empty)."""
    spans: list[tuple[int, int]] = []
    for block_start, block_end in paragraphs(text):
        cut = block_start
        for m in _BOUNDARY.finditer(text, block_start, block_end):
            token = text[cut : m.start() + 1].split()[-1].lstrip("\"'\u201c\u2018([")
            if token.lower() in ABBREVIATIONS or (m.group(0)[0] == "." and _INITIALS.match(token)):
                continue
            spans.append((cut, m.end()))
            cut = m.end()
        spans.append((cut, block_end))
    trimmed = []
    for start, end in spans:
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        if start + lead < end - trail:
            trimmed.append((start + lead, end - trail))
    return trimmed


def clean(text: str) -> str:
    """``text`` with every run of whitespace collapsed to one space."""
    return " ".join(text.split())


@cache
def load_corpus(shared_dir: Path, corpus: str) -> dict[str, Article]:
    """Articles of one corpus by id, texts exactly as ElementTree returns them."""
    filename, id_attr, _ = QUOTAS[corpus]
    root = ET.parse(Path(shared_dir) / filename).getroot()
    articles = {}
    for node in root.iter("article"):
        doc = node.get(id_attr)
        if doc is None:
            raise ValueError(f"{filename}: an <article> has no {id_attr!r} attribute")
        title = " ".join((node.findtext("title") or "").split())
        articles[doc] = Article(doc, title, node.findtext("text") or "")
    return articles


def candidate_sentences(shared_dir: Path, corpus: str) -> list[Sentence]:
    """All 5-80-word sentences of a corpus, in document order."""
    pool = []
    for article in load_corpus(shared_dir, corpus).values():
        for start, end in split_sentences(article.text):
            if MIN_WORDS <= len(article.text[start:end].split()) <= MAX_WORDS:
                pool.append(Sentence(corpus, article.doc, start, end))
    return pool


def sample(shared_dir: Path) -> list[Sentence]:
    """The dev sample: ``QUOTAS`` sentences per corpus, at most ``PER_ARTICLE`` per article."""
    rng = random.Random(SEED)
    chosen: list[Sentence] = []
    for corpus, (_, _, quota) in QUOTAS.items():
        pool = candidate_sentences(shared_dir, corpus)
        rng.shuffle(pool)
        per_doc: Counter[str] = Counter()
        taken = 0
        for sentence in pool:
            if taken == quota:
                break
            if per_doc[sentence.doc] < PER_ARTICLE:
                per_doc[sentence.doc] += 1
                chosen.append(sentence)
                taken += 1
        if taken < quota:
            raise ValueError(f"{corpus}: only {taken} sentences available, {quota} wanted")
    return chosen


def sentence_text(record: dict[str, Any], shared_dir: Path = DEFAULT_SHARED) -> str:
    """The sentence a record points at (whitespace collapsed); ValueError when it does not resolve."""
    article = load_corpus(Path(shared_dir), record["corpus"]).get(record["doc"])
    if article is None:
        raise ValueError(f"no article {record['doc']!r} in {record['corpus']}")
    start, end = record["start"], record["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(article.text)):
        raise ValueError(f"offsets {start}-{end} outside the text of {record['corpus']}/{record['doc']}")
    return clean(article.text[start:end])


def load_sentences(
    annotations_path: Path, shared_dir: Path = DEFAULT_SHARED
) -> Iterator[tuple[dict[str, Any], str]]:
    """Yield (annotation record, sentence text) for every line of ``annotations_path``.

    The text is the slice ``start:end`` of the article with runs of whitespace (the line breaks of
    hard-wrapped sources) collapsed to one space.
    """
    with open(annotations_path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            try:
                yield record, sentence_text(record, shared_dir)
            except (KeyError, ValueError) as error:
                raise ValueError(f"{annotations_path}:{number}: {error}") from error


def _cameo_codes(shared_dir: Path) -> set[str]:
    with open(Path(shared_dir) / CAMEO_CSV, encoding="latin-1", newline="") as handle:
        return {row["code"] for row in csv.DictReader(handle)}


def _event_problems(events: Any, codes: set[str]) -> list[str]:
    if not isinstance(events, list):
        return [f"events is {type(events).__name__}, not a list"]
    problems: list[str] = []
    triples = set()
    for event in events:
        if not isinstance(event, dict) or set(event) != EVENT_KEYS:
            problems.append(f"event {event!r} lacks exactly the keys {sorted(EVENT_KEYS)}")
            continue
        code, source, target = event["code"], event["source"], event["target"]
        if code not in codes:
            problems.append(f"unknown CAMEO code {code!r}")
        if event["root"] != str(code)[:2]:
            problems.append(f"root {event['root']!r} for code {code!r}")
        if not _ACTOR.match(source):
            problems.append(f"bad source {source!r}")
        if target and not _ACTOR.match(target):
            problems.append(f"bad target {target!r}")
        if (code, source, target) in triples:
            problems.append(f"duplicate event {code} {source} {target}")
        triples.add((code, source, target))
    return problems


def check(
    annotations_path: Path, shared_dir: Path = DEFAULT_SHARED
) -> tuple[list[str], list[dict[str, Any]]]:
    """(problems, records) of an annotation file; no problems means every line resolves to its sampled
    sentence, in sample order, and every event has a known CAMEO code, its root and valid actor codes."""
    problems: list[str] = []
    records: list[dict[str, Any]] = []
    codes = _cameo_codes(shared_dir)
    with open(annotations_path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            try:
                record = json.loads(line)
                if not isinstance(record, dict) or set(record) != RECORD_KEYS:
                    raise ValueError(f"keys are not exactly {sorted(RECORD_KEYS)}")
                text = sentence_text(record, shared_dir)
            except (KeyError, ValueError) as error:  # JSONDecodeError is a ValueError
                problems.append(f"line {number}: {error}")
                continue
            records.append(record)
            words = len(text.split())
            if not MIN_WORDS <= words <= MAX_WORDS:
                problems.append(f"line {number}: {words} words")
            problems.extend(
                f"line {number}: {problem}" for problem in _event_problems(record["events"], codes)
            )
    expected = [(s.corpus, s.doc, s.start, s.end) for s in sample(shared_dir)]
    seen = [(r["corpus"], r["doc"], r["start"], r["end"]) for r in records]
    if seen != expected:
        problems.append(
            f"{len(seen)} readable lines do not match the {len(expected)} sampled sentences in order"
        )
    return problems, records


def summary(records: list[dict[str, Any]]) -> str:
    """Counts for the README: lines per corpus, event-bearing lines, events per CAMEO root."""
    corpora = Counter(record["corpus"] for record in records)
    bearing = Counter(record["corpus"] for record in records if record["events"])
    roots = Counter(event["root"] for record in records for event in record["events"])
    lines = [
        f"{len(records)} lines: "
        + ", ".join(f"{c} {n} ({bearing[c]} with events)" for c, n in corpora.items())
    ]
    lines.append(f"{sum(bearing.values())} event-bearing lines, {sum(roots.values())} events")
    lines.append("events per root: " + ", ".join(f"{root} {n}" for root, n in sorted(roots.items())))
    return "\n".join(lines)


def show(sentences: list[Sentence], shared_dir: Path, offset: int, context: int) -> None:
    for index, sentence in enumerate(sentences, offset):
        article = load_corpus(shared_dir, sentence.corpus)[sentence.doc]
        spans = split_sentences(article.text)
        here = spans.index((sentence.start, sentence.end))
        print(f"[{index}] {sentence.corpus}/{sentence.doc}/{sentence.start}-{sentence.end} | {article.title}")
        for start, end in spans[max(0, here - context) : here]:
            print(f"    < {clean(article.text[start:end])}")
        print(f"  >>> {clean(article.text[sentence.start : sentence.end])}")
        for start, end in spans[here + 1 : here + 1 + context]:
            print(f"    > {clean(article.text[start:end])}")
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the geoparsing corpora folder")
    parser.add_argument("--show", action="store_true", help="print the sampled sentences for annotators")
    parser.add_argument("--offset", type=int, default=0, help="first sample index to show")
    parser.add_argument("--limit", type=int, default=None, help="how many sentences to show")
    parser.add_argument("--context", type=int, default=0, help="neighbouring sentences to show")
    parser.add_argument(
        "--check",
        type=Path,
        nargs="?",
        const=DEFAULT_ANNOTATIONS,
        metavar="ANNOTATIONS",
        help="validate an annotation file (default: tests/data/real_dev/annotations.jsonl)",
    )
    args = parser.parse_args(argv)
    shared_dir = args.shared.resolve()
    if args.check:
        problems, records = check(args.check, shared_dir)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(f"{len(problems)} problem(s) in {args.check}", file=sys.stderr)
            return 1
        print(f"ok: {args.check}\n{summary(records)}")
        return 0
    chosen = sample(shared_dir)
    stop = None if args.limit is None else args.offset + args.limit
    if args.show:
        show(chosen[args.offset : stop], shared_dir, args.offset, args.context)
        return 0
    for sentence in chosen[args.offset : stop]:
        record = {
            "corpus": sentence.corpus,
            "doc": sentence.doc,
            "start": sentence.start,
            "end": sentence.end,
        }
        print(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
