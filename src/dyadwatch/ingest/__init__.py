"""Stage 1 — ingest: files, directories, records and feeds → :class:`~dyadwatch.records.Document`.

Public verb: :func:`ingest` (paths → ``Document`` or ``Skip``, one per input record). Reads plain
text, HTML, JSON Lines / JSON / CSV records and RSS/Atom feeds from disk or stdin; decodes bytes
(:func:`decode`). Writes nothing: bad input becomes a coded :class:`~dyadwatch.records.Skip`.
"""

from dyadwatch.ingest.readers import decode, ingest

__all__ = ["decode", "ingest"]
