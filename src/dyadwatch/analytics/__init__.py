"""Analyst surfaces — library verbs over the store behind the REST API, the dashboard and plots.

Every verb takes an engine (SQLite or PostgreSQL, SQLAlchemy Core only) and returns plain,
JSON-ready dicts (dates as ISO strings); bad parameters raise ``DyadwatchError`` E301 naming the
field, unknown ids E206/E303/E304. The API, the dashboard and the CLI turn them into output.

Counting: an *event* is one row of ``events`` (who did what to whom on a day), counted once
however many articles report it. Negated ("did not attack") and hypothetical ("would sanction")
events are stored with their flag but left out unless asked for, as in ``dyadwatch events``.
Actor codes match as in :func:`dyadwatch.store.query.find_events`: a country ISO3 (any actor of that
country), a full code, or a code prefix (``MLI`` matches ``MLIGOV`` and ``MLIMIL``).

Cooperation–conflict index (CCI) of a set of events::

    cci = (coop − conflict) / (coop + conflict)

where ``coop`` counts events of QuadClass 1–2 (verbal and material cooperation) and ``conflict``
those of QuadClass 3–4 (verbal and material conflict). It runs from −1 (all conflict) through 0
(balanced) to +1 (all cooperation) and is ``None`` for no events.
"""

from dyadwatch.analytics.dyads import (
    CCI_DEFINITION,
    INTERVALS,
    QUADS,
    Tally,
    actor_detail,
    actors,
    dyad_timeline,
    network,
)
from dyadwatch.analytics.events import (
    article,
    decode_cursor,
    encode_cursor,
    event_detail,
    events_page,
    highlights,
    segments,
    stories,
)
from dyadwatch.analytics.params import (
    MAX_COUNT,
    MAX_LIMIT,
    MAX_TEXT,
    EventFilters,
    event_filters,
    parse_code,
    parse_date,
)

__all__ = [
    "CCI_DEFINITION",
    "INTERVALS",
    "MAX_COUNT",
    "MAX_LIMIT",
    "MAX_TEXT",
    "QUADS",
    "EventFilters",
    "Tally",
    "actor_detail",
    "actors",
    "article",
    "decode_cursor",
    "dyad_timeline",
    "encode_cursor",
    "event_detail",
    "event_filters",
    "events_page",
    "highlights",
    "network",
    "parse_code",
    "parse_date",
    "segments",
    "stories",
]
