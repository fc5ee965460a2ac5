"""dyadwatch: political event data from news articles — who did what to whom, where and when.

The stages, one subpackage each, sequenced by :mod:`dyadwatch.pipeline`::

    ingest → clean → nlp → coding (actors, events) → geo → corpus (dedup, stories) → store
                                                                      → analytics / formats → surfaces

The library surface (loaded on first use, so ``import dyadwatch`` does not load spaCy)::

    import dyadwatch
    events = dyadwatch.code_text("ECOWAS imposed sanctions on Niger.", date="2023-08-10")
    store = dyadwatch.open_store("sqlite:///news.db", create=True)
    report = store.ingest(["news/"])                 # like `dyadwatch ingest`
    rows = store.events(dyad="RUS-MLI")          # records; store.table() Arrow, store.frame() pandas

See docs/library.md.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# public name → the module that defines it
_SURFACE = {
    "Pipeline": "dyadwatch.pipeline",
    "code": "dyadwatch.pipeline",
    "geoparse": "dyadwatch.pipeline",
    "Settings": "dyadwatch.settings",
    "Document": "dyadwatch.records",
    "Article": "dyadwatch.records",
    "Event": "dyadwatch.records",
    "Mention": "dyadwatch.records",
    "Actor": "dyadwatch.records",
    "Location": "dyadwatch.records",
    "Skip": "dyadwatch.records",
    "DyadwatchError": "dyadwatch.errors",
    "connect": "dyadwatch.store.database",
    "find_events": "dyadwatch.store.query",
    "find_mentions": "dyadwatch.store.query",
    "find_stories": "dyadwatch.store.query",
    "dyad_summary": "dyadwatch.store.query",
    "Store": "dyadwatch.surfaces.library",
    "open_store": "dyadwatch.surfaces.library",
    "code_text": "dyadwatch.surfaces.library",
}
__all__ = ["__version__", *_SURFACE]


def __getattr__(name: str) -> Any:
    module = _SURFACE.get(name)
    if module is None:
        raise AttributeError(f"module 'dyadwatch' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
