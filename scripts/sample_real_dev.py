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

The splitter, the draw and the reader live in ``dyadwatch.evaluation.realdev`` (the scorer uses the
same code), so run this with the project's interpreter:

    .venv/bin/python scripts/sample_real_dev.py                     # the sample as JSON lines (no text)
    .venv/bin/python scripts/sample_real_dev.py --show --offset 0 --limit 40
    .venv/bin/python scripts/sample_real_dev.py --check tests/data/real_dev/annotations.jsonl
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the loader is the package's, so the sample and the scorer agree

from dyadwatch.evaluation import realdev  # noqa: E402

DEFAULT_ANNOTATIONS, DEFAULT_SHARED = realdev.ANNOTATIONS, realdev.GEOPARSING
MIN_WORDS, MAX_WORDS = realdev.MIN_WORDS, realdev.MAX_WORDS
collapse, load_corpus = realdev.collapse, realdev.load_corpus
sample, sentence_text, split_sentences = realdev.sample, realdev.sentence_text, realdev.split_sentences
CAMEO_CSV = "../cameo/cameo-codes.csv"  # relative to the geoparsing folder
_ACTOR = re.compile(r"^(?:[A-Z]{3}|---)(?:[A-Z]{3}){0,3}$")
EVENT_KEYS = {"code", "root", "source", "target"}
RECORD_KEYS = {"corpus", "doc", "start", "end", "events"}


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


def show(sentences: list[realdev.SentencePointer], shared_dir: Path, offset: int, context: int) -> None:
    for index, sentence in enumerate(sentences, offset):
        article = load_corpus(shared_dir, sentence.corpus)[sentence.doc]
        spans = split_sentences(article.text)
        here = spans.index((sentence.start, sentence.end))
        print(f"[{index}] {sentence.corpus}/{sentence.doc}/{sentence.start}-{sentence.end} | {article.title}")
        for start, end in spans[max(0, here - context) : here]:
            print(f"    < {collapse(article.text[start:end])}")
        print(f"  >>> {collapse(article.text[sentence.start : sentence.end])}")
        for start, end in spans[here + 1 : here + 1 + context]:
            print(f"    > {collapse(article.text[start:end])}")
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
