"""Stage 3 — nlp: ``Article`` → sentences → :class:`Parsed` (the only stage that owns spaCy).

Public verb: :meth:`NLP.parse` (after :meth:`NLP.sentences`). Loads the configured spaCy pipeline
and verifies its meta at start-up, adds the actor entity ruler before NER, and sends only sentences
that hold an actor candidate and an event trigger to the parser. Reads the actor lexicon and the
trigger forms it is given; writes nothing.
"""

from dyadwatch.nlp.parser import NLP, Parsed, load_pipeline

__all__ = ["NLP", "Parsed", "load_pipeline"]
