"""The runner: sequences the stages and nothing else.

1. ingest  — files/records/feeds → Document            (:mod:`dyadwatch.ingest.readers`)
2. clean   — chrome out, attribution kept → Article    (:mod:`dyadwatch.clean.cleaner`)
3. nlp     — sentences, gate, spaCy parse → Parsed     (:mod:`dyadwatch.nlp.parser`)
4. actors  — entities and agents → Mention/Actor       (:mod:`dyadwatch.coding.actors`)
5. coding  — triggers + parse → Event                  (:mod:`dyadwatch.coding.coder`)
6. store   — articles, events, mentions → SQL          (:mod:`dyadwatch.store.database`)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from weakref import WeakKeyDictionary

from sqlalchemy import Engine

from dyadwatch.clean.cleaner import clean
from dyadwatch.coding.actors import ActorDictionary
from dyadwatch.coding.coder import Coder
from dyadwatch.corpus.dedup import shared_embedder
from dyadwatch.corpus.index import Corpus
from dyadwatch.datafiles import load_codebook, load_triggers
from dyadwatch.errors import DyadwatchError
from dyadwatch.geo.geocoder import GeoResult
from dyadwatch.ingest.readers import ingest as read_inputs
from dyadwatch.nlp.parser import NLP, Parsed
from dyadwatch.records import Article, Document, Event, Skip
from dyadwatch.settings import Settings
from dyadwatch.store import database as store

ProgressHook = Callable[[str, int], None]  # (what, how many) after each article


@dataclass(frozen=True, slots=True)
class CodedArticle:
    article: Article
    events: list[Event]
    num_sentences: int


@dataclass
class IngestReport:
    articles_new: int = 0
    articles_known: int = 0
    mentions_new: int = 0
    duplicates: int = 0  # new articles that copy or rewrite a stored one
    skips: list[Skip] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def processed(self) -> int:
        return self.articles_new + self.articles_known


class Pipeline:
    """Dictionaries, spaCy and the coder, loaded once and reused for every article."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.codebook = load_codebook()
        triggers = load_triggers()
        self.actors = ActorDictionary.load(self.settings.actor_files)
        self.nlp = NLP(self.settings, self.actors, triggers)
        self.coder = Coder(self.actors, triggers, self.codebook)
        from dyadwatch.geo.geocoder import Geocoder, english_words
        from dyadwatch.geo.geonames import load_gazetteer  # 6. geo — places, event locations and dates

        self.geo = Geocoder(load_gazetteer(), self.actors, english_words(self.nlp.nlp), self.settings.country)

    def clean(self, doc: Document) -> Article | Skip:
        return clean(doc, self.nlp.has_finite_verb)

    def articles(self, docs: Iterable[Document | Skip]) -> Iterator[Article | Skip]:
        for doc in docs:
            if isinstance(doc, Skip):
                yield doc
                continue
            try:
                yield self.clean(doc)
            except Exception as exc:  # one bad input is that input's skip, never the batch's end
                yield failed(doc.origin, "cleaning", exc)

    def code_each(self, items: Iterable[Article]) -> Iterator[CodedArticle | Skip]:
        """:meth:`code_articles`, isolated: an article whose coding fails becomes its Skip (E110)."""
        it = iter(items)
        while batch := list(islice(it, 16)):
            try:
                yield from list(self.code_articles(batch))
            except Exception:
                for a in batch:  # find the culprit: code each alone
                    try:
                        yield from list(self.code_articles([a]))
                    except Exception as exc:
                        yield failed(a.origin, "coding", exc)

    def code_articles(self, items: Iterable[Article], chunk: int = 16) -> Iterator[CodedArticle]:
        """Code articles in chunks so nlp.pipe batches sentences across articles."""
        it = iter(items)
        while batch := list(islice(it, chunk)):
            by_id = {a.id: a for a in batch}  # identical bodies are parsed once
            sentences = [s for a in by_id.values() for s in self.nlp.sentences(a)]
            parsed_by: dict[str, list[Parsed]] = {aid: [] for aid in by_id}
            for parsed in self.nlp.parse(sentences):
                parsed_by[parsed.sentence.article_id].append(parsed)
            for a in batch:  # …but every input gets its own events (its own doc_id)
                found = [e for p in parsed_by[a.id] for e in self.coder.code(p, a)]
                found = self.geo.annotate(a, parsed_by[a.id], found)  # location, date, date precision
                yield CodedArticle(a, found, len(parsed_by[a.id]))


def failed(origin: str, stage: str, exc: BaseException) -> Skip:
    """The Skip (E110) of one input whose processing raised: the batch goes on without it."""
    reason = (
        f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:200]}"
        if str(exc).strip()
        else type(exc).__name__
    )
    return Skip(origin, "E110", DyadwatchError("E110", origin=origin, stage=stage, reason=reason).message)


def code(pipeline: Pipeline, docs: Iterable[Document | Skip]) -> Iterator[Event | Skip]:
    """Library verb behind ``dyadwatch code``: events of each input, skips for unusable ones."""
    pending: list[Article] = []

    def coded() -> Iterator[Event | Skip]:
        for c in pipeline.code_each(pending):
            yield from [c] if isinstance(c, Skip) else c.events

    for item in pipeline.articles(docs):
        if isinstance(item, Skip):
            yield item
            continue
        pending.append(item)
        if len(pending) >= 16:
            yield from coded()
            pending = []
    yield from coded()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input of an ingest: stored (with its duplicate match), known, or skipped."""

    index: int  # position of the input in the documents given
    origin: str
    status: str  # new | known | skipped
    article_id: str | None = None
    mentions_new: int = 0
    duplicate: str | None = None  # new articles: original | near | rewrite
    skip: Skip | None = None


OutcomeHook = Callable[[Outcome], None]


def ingest(
    pipeline: Pipeline, paths: Iterable[str | Path], db_url: str, progress: ProgressHook | None = None
) -> IngestReport:
    """Library verb behind ``dyadwatch ingest``: read, code and store; known articles are skipped."""
    return ingest_documents(pipeline, read_inputs(paths, pipeline.settings), db_url, progress)


def ingest_documents(
    pipeline: Pipeline,
    docs: Iterable[Document | Skip],
    db_url: str,
    progress: ProgressHook | None = None,
    on_outcome: OutcomeHook | None = None,
) -> IngestReport:
    """Clean, code, place (duplicate group, story) and store documents from any reader.

    Each new article is stored in one transaction with its events, mentions, signature and story
    update; ``on_outcome`` hears of every input, in input order for known and skipped ones and
    after its commit for new ones.
    """
    engine = store.connect(db_url)
    report = IngestReport()
    fresh: list[Article] = []
    positions: list[int] = []

    def tell(what: str, outcome: Outcome) -> None:
        if progress:
            progress(what, 1)
        if on_outcome:
            on_outcome(outcome)

    def skipped(index: int, skip: Skip) -> None:
        report.skips.append(skip)
        store.record_skip(engine, skip)
        tell("skip", Outcome(index, skip.origin, "skipped", skip=skip))

    def flush() -> None:
        if not fresh:
            return
        batch: list[CodedArticle] = []
        at: list[int] = []
        for item, index in zip(pipeline.code_each(fresh), positions, strict=True):
            if isinstance(item, Skip):
                skipped(index, item)
            else:
                batch.append(item)
                at.append(index)
        corpus = _corpus(pipeline, db_url, engine)
        sigs = corpus.sign([(c.article, c.events) for c in batch])
        for coded, sig, index in zip(batch, sigs, at, strict=True):
            art = coded.article
            try:  # a failure placing or storing this article is its skip; the batch goes on
                stage = "placing"
                placed = corpus.place(art, sig)
                rows = corpus.align(engine, placed, coded.events)
                stage = "storing"
                added = store.save(
                    engine,
                    art,
                    rows,
                    coded.num_sentences,
                    corpus=placed.article_fields,
                    signature=placed.signature_row,
                    after=placed.after(),
                )
            except (store.RecordError, ArithmeticError, ValueError) as exc:
                skipped(index, failed(art.origin, stage, exc))
                continue
            if added < 0:  # another writer (a process, the API) stored it meanwhile
                report.articles_known += 1
                tell("known", Outcome(index, art.origin, "known", art.id))
                continue
            corpus.commit(placed)
            report.mentions_new += added
            report.articles_new += 1
            if placed.match.kind != "original":
                report.duplicates += 1
            tell("article", Outcome(index, art.origin, "new", art.id, added, placed.match.kind))
        fresh.clear()
        positions.clear()

    seen: set[str] = set()
    for index, item in enumerate(pipeline.articles(docs)):
        if isinstance(item, Skip):
            skipped(index, item)
            continue
        report.notes.extend(f"{item.origin}: {n}" for n in item.notes)
        if item.id in seen or store.has_article(engine, item.id):
            report.articles_known += 1
            tell("known", Outcome(index, item.origin, "known", item.id))
            continue
        seen.add(item.id)
        fresh.append(item)
        positions.append(index)
        if len(fresh) >= 16:
            flush()
    flush()
    return report


_CORPORA: WeakKeyDictionary[Pipeline, dict[str, Corpus]] = WeakKeyDictionary()


def _corpus(pipeline: Pipeline, db_url: str, engine: Engine) -> Corpus:
    """The duplicate/story index of one database, kept across calls and synced with what is stored."""
    per_db = _CORPORA.setdefault(pipeline, {})
    corpus = per_db.get(db_url)
    if corpus is None:
        corpus = per_db[db_url] = Corpus(shared_embedder())
    corpus.sync(engine)
    return corpus


@dataclass
class WatchReport:
    files_new: int = 0
    files_seen: int = 0
    ingest: IngestReport = field(default_factory=IngestReport)


def watch_once(
    pipeline: Pipeline, directory: Path, db_url: str, progress: ProgressHook | None = None
) -> WatchReport:
    """One pass of ``dyadwatch watch``: ingest the files under ``directory`` not processed before.

    A file is processed once per (size, modification time), recorded in the database after its
    articles are stored; a run killed mid-file redoes that file, and known articles add nothing.
    """
    engine = store.connect(db_url)
    report = WatchReport()
    for path in sorted(p for p in directory.rglob("*") if p.is_file() and not p.name.startswith(".")):
        stat = path.stat()
        if store.file_seen(engine, str(path), stat.st_size, stat.st_mtime_ns):
            report.files_seen += 1
            continue
        one = ingest(pipeline, [path], db_url, progress)
        store.mark_file(engine, str(path), stat.st_size, stat.st_mtime_ns, one.articles_new, len(one.skips))
        report.files_new += 1
        report.ingest.articles_new += one.articles_new
        report.ingest.articles_known += one.articles_known
        report.ingest.mentions_new += one.mentions_new
        report.ingest.skips.extend(one.skips)
    return report


def geoparse(pipeline: Pipeline, docs: Iterable[Document | Skip]) -> Iterator[GeoResult | Skip]:
    """``dyadwatch geo``: the places of each input (cleaned and split like ``code``), or a Skip for unusable ones."""
    for item in pipeline.articles(docs):
        if isinstance(item, Skip):
            yield item
            continue
        parsed = list(pipeline.nlp.parse(pipeline.nlp.sentences(item)))
        yield GeoResult(item, pipeline.geo.geoparse(parsed))
