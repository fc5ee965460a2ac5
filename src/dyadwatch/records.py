"""Typed records passed between pipeline stages.

``Document`` (ingest) → ``Article`` (clean) → ``Sentence`` (nlp) → ``Mention``/``Actor``
(actors) → ``Event`` (coding). A stage that cannot use its input returns a ``Skip``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Format = Literal["text", "html"]


@dataclass(frozen=True, slots=True)
class Document:
    """Raw input as read from a file, feed entry or record, before cleaning."""

    origin: str
    text: str
    fmt: Format = "text"
    external_id: str | None = None
    title: str | None = None
    url: str | None = None
    date: str | None = None
    source: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that was not processed, with a coded one-line reason."""

    origin: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Chrome:
    """A piece of site chrome removed by the cleaner (kept for provenance and syndication signals)."""

    kind: str  # caption | author_bio | comment_form | share | attribution | counter | boilerplate
    text: str
    position: int = 0  # body paragraphs kept before it: 0 = above the body, len(body) = below it


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: body text only, with its metadata and what was removed."""

    id: str  # stable content hash of the cleaned text
    origin: str
    text: str
    external_id: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    attributed_source: str | None = None
    published: dt.date | None = None
    chrome: tuple[Chrome, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def doc_id(self) -> str:
        return self.external_id or self.id


@dataclass(frozen=True, slots=True)
class Sentence:
    article_id: str
    index: int
    text: str
    start: int  # character offset of the sentence in the article text


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor: CAMEO-style code = country (ISO3) or organisation code + role."""

    code: str
    name: str
    country: str | None
    type: str  # state | igo | ngo | armed_group | group | region | media | party | company | agent
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor as it appears in a sentence (character offsets relative to the sentence)."""

    text: str
    start: int
    end: int
    actor: Actor
    affiliation: str | None = None  # "pro" for "pro-Russian", "linked" for "linked to NATO"

    def to_record(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "name": self.actor.name,
            "code": self.actor.code,
            "country": self.actor.country,
            "type": self.actor.type,
            "role": self.actor.role,
            "affiliation": self.affiliation,
        }


@dataclass(frozen=True, slots=True)
class Trigger:
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Location:
    """Where an event happened: a gazetteer place with an ACLED-style precision.

    ``precision``: 1 = town/village, 2 = first-level region, 3 = country.
    ``how``: which rule chose it — ``tied`` (a place syntactically tied to the event: "in Moura"),
    ``sentence`` (the sentence's place), ``article`` (the article's main place; never finer than
    precision 2, as only the context put it there), ``target`` (the target actor's country) or
    ``prior`` (the country given with ``--country`` / ``DYADWATCH_COUNTRY``, country level).
    """

    name: str
    country: str | None  # ISO 3166 alpha-3
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: int
    geonames_id: int | None = None
    how: str = "tied"

    def to_record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "precision": self.precision,
            "geonames_id": self.geonames_id,
            "how": self.how,
        }


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event: who did what to whom, with its provenance in the sentence."""

    article_id: str
    doc_id: str
    sentence_index: int
    sentence: str
    source: Mention
    target: Mention | None
    event_code: str
    root_code: str
    event_name: str
    quad_class: int
    goldstein: float
    plover: dict[str, str]
    trigger: Trigger
    confidence: float
    date: dt.date | None = None
    date_precision: str | None = None  # day | week | month | year; None = publication date
    location: Location | None = None
    negated: bool = False
    hedged: bool = False
    future: bool = False
    hypothetical: bool = False
    reported_by: str | None = None
    pattern: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def counted(self) -> bool:
        """Negated and hypothetical events are kept with their flag but left out of counts by default."""
        return not (self.negated or self.hypothetical)

    def spans(self) -> dict[str, list[int] | None]:
        return {
            "source": [self.source.start, self.source.end],
            "target": [self.target.start, self.target.end] if self.target else None,
            "trigger": [self.trigger.start, self.trigger.end],
        }

    def to_record(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "article_id": self.article_id,
            "sentence_index": self.sentence_index,
            "sentence": self.sentence,
            "source": self.source.to_record(),
            "target": self.target.to_record() if self.target else None,
            "event_code": self.event_code,
            "root_code": self.root_code,
            "event_name": self.event_name,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "plover": self.plover,
            "trigger": self.trigger.text,
            "confidence": round(self.confidence, 3),
            "spans": self.spans(),
            "date": self.date.isoformat() if self.date else None,
            "date_precision": self.date_precision,
            "location": self.location.to_record() if self.location else None,
            "negated": self.negated,
            "hedged": self.hedged,
            "future": self.future,
            "hypothetical": self.hypothetical,
            "reported_by": self.reported_by,
            "pattern": self.pattern,
        }
