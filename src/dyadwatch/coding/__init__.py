"""Stages 4–5 — actors and coding: ``Parsed`` sentence → :class:`~dyadwatch.records.Event`.

Public verb: :meth:`Coder.code`. ``actors`` finds actor mentions and resolves them against the actor
dictionaries (dated roles); ``coref`` resolves referring phrases; ``syntax`` and ``arguments`` read
subjects, objects and modality from the dependency parse; ``speech`` handles reported claims and
demands; ``coder`` matches triggers from the event dictionary and builds CAMEO events with
provenance. ``petrarch`` converts PETRARCH/TABARI dictionaries into our data files. Reads the
dictionaries under ``data/``; writes nothing.
"""

from dyadwatch.coding.actors import ActorDictionary
from dyadwatch.coding.coder import Coder

__all__ = ["ActorDictionary", "Coder"]
