"""The Python surface: a stored corpus as records, an Arrow table or a pandas DataFrame.

    import dyadwatch
    store = dyadwatch.open_store("sqlite:///news.db")
    rows = store.events(dyad="RUS-MLI", since="2021-01-01")        # the CLI's `events` filters
    report = store.ingest(["news/"])                                 # like `dyadwatch ingest`
    table = store.table(actor="MLI")                                 # pyarrow.Table, typed columns
    frame = store.frame(min_sources=2)                               # pandas (optional extra)
    events = dyadwatch.code_text("ECOWAS imposed sanctions on Niger.", date="2023-08-10")

Every method is the library call behind a CLI command with the same filters (``events``,
``mentions``, ``dyads``, ``stories``, ``export``), so a notebook and the command line agree. The
table has the columns and types of ``dyadwatch export --format parquet``: CAMEO codes stay strings
("043"), dates are dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from dyadwatch.errors import DyadwatchError
from dyadwatch.formats.export import Filters, arrow_schema, flat_rows, select_events
from dyadwatch.records import Document, Event, Skip
from dyadwatch.settings import Settings
from dyadwatch.store import database, query

if TYPE_CHECKING:  # the pipeline loads spaCy: imported when text is first coded, not on import
    from dyadwatch.pipeline import IngestReport, Pipeline


@dataclass
class Store:
    """An opened event store (SQLite or PostgreSQL)."""

    url: str
    engine: Engine

    def ingest(self, paths: list[str | Path], pipeline: Pipeline | None = None) -> IngestReport:
        """Read, code and store articles (files, folders, records, feeds), like ``dyadwatch ingest``."""
        from dyadwatch.pipeline import ingest

        return ingest(pipeline or _pipeline(Settings.from_env()), paths, self.url)

    def events(
        self,
        actor: str | None = None,
        dyad: str | None = None,
        since: str | None = None,
        until: str | None = None,
        min_sources: int | None = None,
        include_negated: bool = False,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Events newest first, one record each (the shape of ``dyadwatch events --format jsonl``)."""
        return query.find_events(
            self.engine, actor, dyad, since, until, include_negated, limit=limit, min_sources=min_sources
        )

    def mentions(self, event_id: str) -> list[dict[str, Any]]:
        """Every report of one event: article, sentence, spans, confidence and flags."""
        return query.find_mentions(self.engine, event_id)

    def dyads(self, actor: str | None = None) -> list[dict[str, Any]]:
        """Directed dyads: events per QuadClass and mean Goldstein."""
        return query.dyad_summary(self.engine, actor=actor)

    def stories(self, limit: int = 100) -> list[dict[str, Any]]:
        """Stories, newest first, with their articles."""
        return query.find_stories(self.engine, limit=limit)

    def table(
        self,
        actor: str | None = None,
        dyad: str | None = None,
        since: str | None = None,
        until: str | None = None,
        min_sources: int | None = None,
        include_negated: bool = False,
    ) -> Any:
        """The selected events as a ``pyarrow.Table`` (the Parquet export's columns and types)."""
        import pyarrow as pa

        sel = select_events(self.engine, Filters(actor, dyad, since, until, min_sources, include_negated))
        return pa.Table.from_pylist(flat_rows(sel), schema=arrow_schema())

    def frame(self, **filters: Any) -> Any:
        """The selected events as a pandas DataFrame (needs the ``pandas`` extra); codes stay strings."""
        try:
            import pandas  # noqa: F401
        except ImportError:
            raise DyadwatchError("E407") from None
        return self.table(**filters).to_pandas()


def open_store(url: str, create: bool = False) -> Store:
    """Open a store; a SQLite file that does not exist is an error unless ``create`` (E207)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DyadwatchError("E203", url=url, reason=str(exc).splitlines()[0]) from None
    if parsed.get_backend_name() == "sqlite" and not create:
        path = parsed.database or ""
        if path in ("", ":memory:") or not Path(path).is_file():
            raise DyadwatchError("E207", url=url)
    return Store(url, database.connect(url))


_PIPELINES: dict[Settings, Pipeline] = {}


def _pipeline(settings: Settings) -> Pipeline:
    """One pipeline per settings and process (loading spaCy takes seconds)."""
    from dyadwatch.pipeline import Pipeline

    if settings not in _PIPELINES:
        _PIPELINES[settings] = Pipeline(settings)
    return _PIPELINES[settings]


def code_text(
    text: str,
    date: str | dt.date | None = None,
    title: str | None = None,
    settings: Settings | None = None,
) -> list[Event]:
    """Code one text without a store: its events (the pipeline is built once per settings)."""
    from dyadwatch.pipeline import code

    pipeline = _pipeline(settings or Settings.from_env())
    day = date.isoformat() if isinstance(date, dt.date) else date
    doc = Document(origin="text", text=text, title=title, date=day)
    events: list[Event] = []
    for item in code(pipeline, [doc]):
        if isinstance(item, Skip):  # empty, not English, …: say why instead of returning nothing
            raise DyadwatchError("E208", reason=f"{item.code} {item.message}")
        events.append(item)
    return events
