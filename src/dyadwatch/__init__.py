"""dyadwatch: political event data from news articles.

The pipeline is ``ingest → clean → nlp → actors → coding → store → query``; each stage is a
module with one public verb, and :mod:`dyadwatch.pipeline` only sequences them.
"""

__version__ = "0.1.0"
