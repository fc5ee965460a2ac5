"""Pydantic models of the REST API: what each endpoint accepts and returns (the OpenAPI schema).

They mirror the dicts of :mod:`dyadwatch.analytics`; a response that drifts from its model fails
validation in the tests instead of reaching a client.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from dyadwatch.analytics import CCI_DEFINITION, MAX_COUNT, MAX_LIMIT, MAX_TEXT

Span = tuple[int, int]


class ErrorOut(BaseModel):
    code: str | None = Field(None, description="dyadwatch error code (E3xx…), searchable in errors.py")
    message: str
    field: str | None = Field(None, description="the parameter or body field at fault")
    hint: str | None = None
    errors: list[dict[str, Any]] | None = Field(None, description="every validation error, if several")


# --- events ---------------------------------------------------------------------------------------


class EventQuery(BaseModel):
    """Filters and paging of ``GET /api/events``; an unknown parameter is an error, not ignored."""

    model_config = ConfigDict(extra="forbid")

    actor: str | None = Field(
        None, max_length=MAX_TEXT, description="actor on either side: ISO3, full code or prefix (MLIGOV)"
    )
    dyad: str | None = Field(
        None, max_length=MAX_TEXT, description="two actors joined by '-', either direction: RUS-MLI"
    )
    directed: bool = Field(False, description="with dyad: only source → target as written")
    country: str | None = Field(None, max_length=MAX_TEXT, description="ISO3 of where the event happened")
    root_code: list[str] = Field(
        [], max_length=20, description="CAMEO root codes (repeat or comma-separate): 18,19"
    )
    event_code: str | None = Field(None, max_length=MAX_TEXT, description="CAMEO code prefix: 163, 0841")
    quad_class: list[int] = Field([], max_length=4, description="QuadClasses 1-4 (repeat for several)")
    since: dt.date | None = Field(None, description="on or after this day, YYYY-MM-DD")
    until: dt.date | None = Field(None, description="on or before this day, YYYY-MM-DD")
    min_sources: int | None = Field(
        None, ge=0, le=MAX_COUNT, description="reported by at least this many sources"
    )
    bbox: str | None = Field(
        None, max_length=MAX_TEXT, description="min_lon,min_lat,max_lon,max_lat (located events only)"
    )
    include_negated: bool = Field(False, description="also events reported as not happening")
    include_hypothetical: bool = Field(False, description="also conditional/hypothetical events")
    hedged_only: bool = Field(False, description="only events with a hedged report")
    reported_only: bool = Field(False, description="only events with a report attributed to a speaker")
    cursor: str | None = Field(None, max_length=MAX_TEXT, description="next_cursor of the previous page")
    limit: int = Field(100, ge=1, le=MAX_LIMIT)


class ActorOut(BaseModel):
    text: str | None = Field(None, description="as written in the first report")
    code: str
    name: str | None = None
    country: str | None = None
    type: str | None = None
    role: str | None = None


class LocationOut(BaseModel):
    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: int | None = Field(None, description="1 town, 2 region, 3 country")
    geonames_id: int | None = None
    how: str | None = None


class SpansOut(BaseModel):
    """Character offsets [start, end) relative to the sentence."""

    source: Span | None = None
    target: Span | None = None
    trigger: Span | None = None


class EvidenceOut(BaseModel):
    article_id: str
    title: str | None = None
    attributed_source: str | None = None
    sentence_index: int
    sentence: str
    trigger: str | None = None
    spans: SpansOut | None = None
    confidence: float
    hedged: bool
    reported_by: str | None = None


class EventBase(BaseModel):
    event_id: str
    date: dt.date | None = None
    date_precision: str | None = None
    source: ActorOut | None = None
    target: ActorOut | None = None
    event_code: str
    root_code: str
    event_name: str
    quad_class: int
    goldstein: float
    plover: dict[str, Any] | None = None
    negated: bool
    hypothetical: bool
    num_mentions: int
    num_articles: int
    num_sources: int
    location: LocationOut | None = None


class EventOut(EventBase):
    evidence: EvidenceOut | None = Field(None, description="the first report of the event")


class EventPage(BaseModel):
    items: list[EventOut]
    next_cursor: str | None = Field(None, description="pass as cursor for the next page; null on the last")


class HighlightOut(BaseModel):
    role: Literal["source", "target", "trigger"]
    start: int
    end: int
    text: str


class SegmentOut(BaseModel):
    text: str
    role: Literal["source", "target", "trigger"] | None = None


class MentionOut(BaseModel):
    article_id: str
    title: str | None = None
    url: str | None = None
    source: str | None = Field(None, description="publisher")
    attributed_source: str | None = Field(None, description="original source credited by the article")
    published: dt.date | None = None
    origin: str | None = None
    sentence_index: int
    sentence: str
    source_text: str | None = None
    target_text: str | None = None
    trigger: str | None = None
    spans: SpansOut | None = None
    confidence: float
    hedged: bool | None = None
    future: bool | None = None
    reported_by: str | None = None
    pattern: str | None = None
    highlights: list[HighlightOut]
    segments: list[SegmentOut] = Field(description="the sentence cut into plain and highlighted pieces")


class EventDetailOut(EventBase):
    mentions: list[MentionOut]


# --- dyads, actors, network -----------------------------------------------------------------------


class TallyOut(BaseModel):
    events: int
    verbal_coop: int = Field(description="QuadClass 1")
    material_coop: int = Field(description="QuadClass 2")
    verbal_conflict: int = Field(description="QuadClass 3")
    material_conflict: int = Field(description="QuadClass 4")
    goldstein_sum: float
    goldstein_mean: float | None = None
    cci: float | None = Field(None, description=f"cooperation-conflict index: {CCI_DEFINITION}")


class DirectionsOut(BaseModel):
    ab: TallyOut = Field(description="a → b")
    ba: TallyOut = Field(description="b → a")
    both: TallyOut = Field(description="either direction, each event once")


class PeriodOut(BaseModel):
    period: dt.date = Field(description="first day of the period")
    end: dt.date = Field(description="last day of the period")
    label: str = Field(description="2023-05-12, 2023-W19, 2023-05 or 2023")
    ab: TallyOut = Field(description="a → b")
    ba: TallyOut = Field(description="b → a")
    both: TallyOut = Field(description="either direction, each event once")


class TimelineOut(BaseModel):
    a: str
    b: str
    interval: Literal["day", "week", "month", "year"]
    include_negated: bool
    undated: int = Field(description="events without a date: in totals, in no period")
    imprecise: int = Field(
        description="events dated more coarsely than the interval: in totals, in no period"
    )
    totals: DirectionsOut
    periods: list[PeriodOut] = Field(description="from the first to the last period with events, no gaps")


class ActorSummaryOut(BaseModel):
    code: str
    name: str | None = None
    country: str | None = None
    type: str | None = None
    events: int
    as_source: int
    as_target: int


class ActorListOut(BaseModel):
    items: list[ActorSummaryOut]


class ActorMatchOut(BaseModel):
    code: str
    name: str | None = None
    events: int


class RootCountOut(BaseModel):
    root_code: str
    name: str
    events: int


class PartnerOut(TallyOut):
    id: str = Field(description="ISO3 for a country, the actor code for an organisation")
    label: str
    kind: Literal["country", "organisation"]
    outgoing: int
    incoming: int


class ActorDetailOut(TallyOut):
    code: str
    name: str | None = None
    matches: list[ActorMatchOut] = Field(description="the stored actor codes this code matched")
    as_source: int
    as_target: int
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    roots: list[RootCountOut]
    partners: list[PartnerOut]


class NodeOut(BaseModel):
    id: str
    label: str
    kind: Literal["country", "organisation"]
    events: int = Field(description="summed weight of the node's edges")


class EdgeOut(TallyOut):
    source: str
    target: str
    weight: int = Field(description="events from source to target")


class NetworkOut(BaseModel):
    nodes: list[NodeOut]
    edges: list[EdgeOut]


# --- stories and articles -------------------------------------------------------------------------


class StoryArticleOut(BaseModel):
    id: str
    title: str | None = None
    published: dt.date | None = None
    dup_kind: str | None = Field(None, description="original | exact | near | rewrite")
    origin: str | None = None


class StoryOut(BaseModel):
    story_id: str
    label: str
    headline: str | None = Field(None, description="title of the earliest member with one")
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    num_articles: int
    top_actors: list[str]
    event_type: str | None = None
    article_ids: list[str]
    articles: list[StoryArticleOut] = []


class StoryListOut(BaseModel):
    items: list[StoryOut]


class ArticleEventOut(BaseModel):
    event_id: str
    sentence_index: int
    sentence: str
    trigger: str | None = None
    confidence: float
    date: dt.date | None = None
    event_code: str
    event_name: str
    quad_class: int
    goldstein: float
    source_code: str | None = None
    target_code: str | None = None
    negated: bool
    hypothetical: bool


class ArticleOut(BaseModel):
    id: str
    external_id: str | None = None
    origin: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    attributed_source: str | None = None
    published: dt.date | None = None
    text: str
    chrome: list[dict[str, Any]] | None = Field(None, description="site chrome removed by the cleaner")
    num_sentences: int | None = None
    ingested_at: AwareDatetime | None = Field(None, description="when it was stored (UTC)")
    dup_group: str | None = None
    dup_kind: str | None = None
    dup_of: str | None = None
    dup_score: float | None = None
    syndication: Any = None
    story_id: str | None = None
    events: list[ArticleEventOut]


class ArticleIn(BaseModel):
    """One article to ingest; fields as in a JSON Lines record for ``dyadwatch ingest``."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, description="your id for it (kept as external_id)")
    text: str = Field(min_length=1, description="body text or HTML")
    title: str | None = None
    url: str | None = None
    date: str | None = Field(None, description="publication date, e.g. 2023-05-12")
    source: str | None = Field(None, description="publisher")


class SubmittedOut(BaseModel):
    origin: str
    status: Literal["new", "known", "skipped"]
    article_id: str | None = None
    mentions_new: int
    duplicate: str | None = Field(None, description="new articles: original, exact, near or rewrite")
    code: str | None = Field(None, description="why it was skipped (E1xx)")
    message: str | None = None


class IngestOut(BaseModel):
    articles_new: int
    articles_known: int
    duplicates: int = Field(description="new articles that copy or rewrite a stored one")
    skipped: int
    mentions_new: int
    items: list[SubmittedOut]
