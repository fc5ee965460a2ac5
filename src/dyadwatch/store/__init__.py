"""Stage 8 — store: articles, events and mentions in SQL (SQLite by default, PostgreSQL).

Public verbs: :func:`connect` (URL → migrated engine) and :func:`save` (one article and its events in
one transaction). ``database`` holds the schema and writes; ``query`` the read side the CLI, API and
exports share; ``migrations`` the Alembic history for both back ends.
"""

from dyadwatch.store.database import connect, save

__all__ = ["connect", "save"]
