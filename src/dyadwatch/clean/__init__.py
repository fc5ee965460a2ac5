"""Stage 2 — clean: ``Document`` → :class:`~dyadwatch.records.Article`, site chrome out.

Public verb: :func:`clean`. Reads one document (HTML through trafilatura, or flattened text), strips
captions, bios, comment forms and share boxes into :class:`~dyadwatch.records.Chrome` records, and
keeps the attribution and the publication date. Also :func:`article_id`, the content hash that keys
an article everywhere.
"""

from dyadwatch.clean.cleaner import article_id, clean

__all__ = ["article_id", "clean"]
