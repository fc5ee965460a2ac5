"""Stage 7 — corpus: duplicates and stories across articles as they arrive.

Public verb: :meth:`Corpus.place` (a batch of coded articles → each one's duplicate group and story).
``dedup`` computes signatures (MinHash for near-copies, lead-sentence embeddings for rewrites) and
syndication signals; ``stories`` clusters articles into stories; ``index`` keeps the corpus state and
hands the store what to write. Reads the stored signatures; writes through the store's transaction.
"""

from dyadwatch.corpus.index import Corpus, Placement

__all__ = ["Corpus", "Placement"]
