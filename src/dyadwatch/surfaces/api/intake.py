"""Articles submitted over the API: JSON records or uploaded files → the pipeline → the store.

The same stages as ``dyadwatch ingest`` (:func:`dyadwatch.pipeline.ingest`): records and files
are read by :mod:`dyadwatch.ingest.readers` (so a record or file means what it means on the command
line), then cleaned, coded, placed in the duplicate and story index and stored by
:func:`dyadwatch.pipeline.ingest_documents`, the same function behind ``dyadwatch ingest``.
An article already stored adds nothing.

The pipeline loads spaCy (seconds), so :class:`Intake` builds it on the first submission, once,
and runs one submission at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Engine

from dyadwatch.ingest.readers import _from_bytes, _record
from dyadwatch.records import Document, Skip
from dyadwatch.settings import Settings

if TYPE_CHECKING:
    from dyadwatch.pipeline import Outcome, Pipeline


@dataclass(slots=True)
class Submitted:
    """What became of one submitted article."""

    origin: str
    status: Literal["new", "known", "skipped"]
    article_id: str | None = None
    mentions_new: int = 0
    duplicate: str | None = None  # new articles: original | exact | near | rewrite
    code: str | None = None  # why it was skipped (E1xx)
    message: str | None = None


def documents_from_records(records: Iterable[dict[str, Any]]) -> list[Document | Skip]:
    """JSON records ``{id?, text, title?, url?, date?, source?}``, read like a JSON Lines file."""
    return [_record(r, f"api[{n}]", ()) for n, r in enumerate(records)]


def documents_from_file(name: str, data: bytes, settings: Settings) -> list[Document | Skip]:
    """An uploaded file, read by its suffix like a file given to ``dyadwatch ingest``."""
    return list(_from_bytes(data, f"upload:{name}", Path(name).suffix.lower(), settings))


def store_documents(
    pipeline: Pipeline, engine: Engine, db_url: str, docs: Iterable[Document | Skip]
) -> list[Submitted]:
    """Clean, code, place and store documents; one :class:`Submitted` per document, in order."""
    from dyadwatch.pipeline import ingest_documents

    outcomes: list[Outcome] = []
    ingest_documents(pipeline, docs, db_url, on_outcome=outcomes.append)
    return [
        Submitted(
            o.origin,
            o.status,  # type: ignore[arg-type]
            o.article_id,
            o.mentions_new,
            o.duplicate,
            o.skip.code if o.skip else None,
            o.skip.message if o.skip else None,
        )
        for o in sorted(outcomes, key=lambda o: o.index)
    ]


class Intake:
    """Submissions for one database: a pipeline built on first use, one submission at a time."""

    def __init__(
        self, settings: Settings, engine: Engine, db_url: str, pipeline: Pipeline | None = None
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.db_url = db_url
        self._pipeline = pipeline
        self._lock = threading.Lock()

    def submit(self, docs: Iterable[Document | Skip]) -> list[Submitted]:
        with self._lock:
            if self._pipeline is None:
                from dyadwatch.pipeline import Pipeline  # spaCy (and torch through thinc): load on first use

                self._pipeline = Pipeline(self.settings)
            return store_documents(self._pipeline, self.engine, self.db_url, docs)
