"""The blind real-text dev set: real news sentences read in place, scored against hand annotations.

The annotations (``tests/data/real_dev/annotations.jsonl``) hold pointers only — corpus, article id
and character offsets into the GPL-licensed geoparsing corpora in ``../shared/data/geoparsing`` — so
the sentences are read from the corpora here, by the same splitter that drew the sample
(``scripts/sample_real_dev.py`` imports it; its ``--check`` re-draws the sample with it).

Scoring (:func:`evaluate_realdev`), counted events only (negated and hypothetical ones are not events
for the annotators either). Two ways to code: ``context="article"`` (the default) codes each sampled
sentence's whole article — title and text, as a user ingests it — and keeps the events of the
sentence that matches the sampled one (the annotators read the article too: "the officers" are
Turkish because the article is about Ankara); ``context="sentence"`` codes each sentence alone, a
harder test of what one sentence says by itself. Measures:

- ``root``: the set of CAMEO roots of a sentence against the gold roots (tp/fp/fn per root);
- ``root+dyad``: (root, source key, target key) triples, actors compared like the PETR2 scorer — the
  first three characters of the code (``USACOP`` → ``USA``), ``IGO``/``NGO`` for organisations, and a
  gold ``---`` source (perpetrator of contested nationality) matching only an agent we could not
  place in any country (our ``---``). A gold ``UAF`` (unidentified armed force) counts by its
  country, like any actor: ``JORUAF`` is matched by any Jordanian source. A gold event with no target
  (``""``) is matched only by an event with no target;
- ``silent event-bearing``: the share of sentences with gold events where we code nothing;
- ``false events on no-event``: the share of sentences without gold events where we code something.

The two shares are given as a :class:`Score`'s recall (tp = sentences flagged, fn = the others).
"""

from __future__ import annotations

import json
import random
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dyadwatch.errors import DyadwatchError
from dyadwatch.evaluation.coding import Report, Score, actor_key

if TYPE_CHECKING:
    from dyadwatch.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[3]
GEOPARSING = ROOT / ".." / "shared" / "data" / "geoparsing"
ANNOTATIONS = ROOT / "tests" / "data" / "real_dev" / "annotations.jsonl"

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


@dataclass(frozen=True)
class SentencePointer:
    corpus: str
    doc: str
    start: int
    end: int


@dataclass(frozen=True)
class CorpusArticle:
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


def collapse(text: str) -> str:
    """``text`` with every run of whitespace collapsed to one space."""
    return " ".join(text.split())


@cache
def load_corpus(shared_dir: Path, corpus: str) -> dict[str, CorpusArticle]:
    """Articles of one corpus by id, texts exactly as ElementTree returns them."""
    filename, id_attr, _ = QUOTAS[corpus]
    path = Path(shared_dir) / filename
    if not path.exists():
        raise DyadwatchError("E205", path=path)
    articles = {}
    for node in ET.parse(path).getroot().iter("article"):
        doc = node.get(id_attr)
        if doc is None:
            raise ValueError(f"{filename}: an <article> has no {id_attr!r} attribute")
        title = collapse(node.findtext("title") or "")
        articles[doc] = CorpusArticle(doc, title, node.findtext("text") or "")
    return articles


def candidate_sentences(shared_dir: Path, corpus: str) -> list[SentencePointer]:
    """All 5-80-word sentences of a corpus, in document order."""
    pool = []
    for article in load_corpus(shared_dir, corpus).values():
        for start, end in split_sentences(article.text):
            if MIN_WORDS <= len(article.text[start:end].split()) <= MAX_WORDS:
                pool.append(SentencePointer(corpus, article.doc, start, end))
    return pool


def sample(shared_dir: Path = GEOPARSING) -> list[SentencePointer]:
    """The dev sample: ``QUOTAS`` sentences per corpus, at most ``PER_ARTICLE`` per article."""
    rng = random.Random(SEED)
    chosen: list[SentencePointer] = []
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


def sentence_text(record: dict[str, Any], shared_dir: Path = GEOPARSING) -> str:
    """The sentence a record points at (whitespace collapsed); ValueError when it does not resolve."""
    article = load_corpus(Path(shared_dir), record["corpus"]).get(record["doc"])
    if article is None:
        raise ValueError(f"no article {record['doc']!r} in {record['corpus']}")
    start, end = record["start"], record["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(article.text)):
        raise ValueError(f"offsets {start}-{end} outside the text of {record['corpus']}/{record['doc']}")
    return collapse(article.text[start:end])


def load_sentences(
    annotations_path: Path = ANNOTATIONS, shared_dir: Path = GEOPARSING
) -> Iterator[tuple[dict[str, Any], str]]:
    """Yield (annotation record, sentence text) for every line of ``annotations_path``.

    The text is the slice ``start:end`` of the article with runs of whitespace (the line breaks of
    hard-wrapped sources) collapsed to one space.
    """
    if not Path(annotations_path).exists():
        raise DyadwatchError("E205", path=annotations_path)
    with open(annotations_path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            try:
                yield record, sentence_text(record, shared_dir)
            except (KeyError, ValueError) as error:
                raise ValueError(f"{annotations_path}:{number}: {error}") from error


Triple = tuple[str, str | None, str | None]


def gold_key(code: str) -> str | None:
    """A gold actor code → the key :func:`actor_key` gives our actors (``""`` → no actor)."""
    return code[:3] or None


def _gold(record: dict[str, Any]) -> tuple[set[str], set[Triple]]:
    events = record["events"]
    roots = {e["root"] for e in events}
    return roots, {(e["root"], gold_key(e["source"]), gold_key(e["target"])) for e in events}


def score_sentences(
    items: Iterable[tuple[str, dict[str, Any], list[Triple]]],
) -> Report:
    """Scores of (sentence id, annotation record, our (root, source key, target key) triples)."""
    scores = {
        "root": Score(),
        "root+dyad": Score(),
        # shares of sentences, given as a score's recall: tp = flagged, fn = not flagged
        "silent event-bearing": Score(),  # event-bearing sentences where we code nothing
        "false events on no-event": Score(),  # sentences without gold events where we code any
    }
    confusion: Counter[tuple[str, str]] = Counter()
    n = 0
    for _, record, triples in items:
        n += 1
        gold_roots, gold_triples = _gold(record)
        roots = {t[0] for t in triples}
        got = set(triples)
        for score, g, p in ((scores["root"], gold_roots, roots), (scores["root+dyad"], gold_triples, got)):
            score.tp += len(g & p)
            score.fp += len(p - g)
            score.fn += len(g - p)
        share = scores["silent event-bearing" if gold_roots else "false events on no-event"]
        flag = not got if gold_roots else bool(got)
        share.tp += flag
        share.fn += not flag
        for root in gold_roots:
            confusion[(root, ",".join(sorted(roots)) or "-")] += 1
        for root in roots - gold_roots:
            confusion[("-" if not gold_roots else "+", root)] += 1
    return Report("real-dev", n, scores, confusion)


def code_sentences(
    pipeline: Pipeline, annotations_path: Path = ANNOTATIONS, shared_dir: Path = GEOPARSING
) -> list[tuple[str, dict[str, Any], list[Triple]]]:
    """Each sentence coded on its own: (id ``corpus/doc/start``, record, counted event triples)."""
    from dyadwatch.pipeline import code
    from dyadwatch.records import Document, Event

    rows = [
        (f"{r['corpus']}/{r['doc']}/{r['start']}", r, text)
        for r, text in load_sentences(annotations_path, shared_dir)
    ]
    docs = [Document(origin=key, text=text, external_id=key) for key, _, text in rows]
    found: dict[str, list[Triple]] = {}
    for item in code(pipeline, docs):
        if isinstance(item, Event) and item.counted:
            triple = (item.root_code, actor_key(item.source), actor_key(item.target))
            found.setdefault(item.doc_id, []).append(triple)
    return [(key, record, found.get(key, [])) for key, record, _ in rows]


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def same_sentence(ours: str, sampled: str) -> float:
    """How well one of our sentences matches a sampled one (1.0: one contains the other; else the
    share of the shorter one's words the two share) — our sentencizer and the sampler's differ."""
    a, b = collapse(ours), collapse(sampled)
    if a and (a in b or b in a):
        return 1.0
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0


def code_articles(
    pipeline: Pipeline, annotations_path: Path = ANNOTATIONS, shared_dir: Path = GEOPARSING
) -> list[tuple[str, dict[str, Any], list[Triple]]]:
    """Each sampled sentence's article coded whole; an event belongs to the sampled sentence its own
    sentence matches best (at least 0.6, see :func:`same_sentence`)."""
    from dyadwatch.pipeline import code
    from dyadwatch.records import Document, Event

    rows = [
        (f"{r['corpus']}/{r['doc']}/{r['start']}", r, text)
        for r, text in load_sentences(annotations_path, shared_dir)
    ]
    by_article: dict[str, list[tuple[str, str]]] = {}
    for key, record, text in rows:
        by_article.setdefault(f"{record['corpus']}/{record['doc']}", []).append((key, text))
    docs = []
    for article_key in by_article:
        corpus, doc = article_key.split("/", 1)
        article = load_corpus(shared_dir, corpus)[doc]
        docs.append(
            Document(
                origin=article_key, text=article.text, title=article.title or None, external_id=article_key
            )
        )
    found: dict[str, list[Triple]] = {}
    for item in code(pipeline, docs):
        if not isinstance(item, Event) or not item.counted:
            continue
        scored = [(same_sentence(item.sentence, text), key) for key, text in by_article.get(item.doc_id, [])]
        best = max(scored, default=(0.0, ""))
        if best[0] >= 0.6:
            found.setdefault(best[1], []).append(
                (item.root_code, actor_key(item.source), actor_key(item.target))
            )
    return [(key, record, sorted(set(found.get(key, [])), key=str)) for key, record, _ in rows]


def evaluate_realdev(
    pipeline: Pipeline,
    annotations_path: Path = ANNOTATIONS,
    shared_dir: Path = GEOPARSING,
    context: str = "article",
) -> Report:
    """Root and root + dyad P/R/F1, silent event-bearing share and false-event share on the dev set;
    ``context`` is ``"article"`` (each sentence coded within its article) or ``"sentence"`` (alone)."""
    if context not in ("article", "sentence"):
        raise DyadwatchError("E204", name=f"realdev context {context!r}", choices=["article", "sentence"])
    coder = code_articles if context == "article" else code_sentences
    report = score_sentences(coder(pipeline, annotations_path, shared_dir))
    report.name = f"real-dev ({context})"
    return report
