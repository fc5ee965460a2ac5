"""Stage 6 — geo: place mentions → gazetteer places; each event's location and date.

Public verb: :meth:`Geocoder.annotate` (events of one article → the same events with ``location``
and ``date``). ``gazetteer`` is the offline place index (GeoNames data, cached), ``geonames`` builds
it, ``dates`` resolves the sentence's time phrases against the publication date. Reads the parse and
the gazetteer cache; writes only the cache.
"""

from dyadwatch.geo.gazetteer import Gazetteer
from dyadwatch.geo.geocoder import Geocoder
from dyadwatch.geo.geonames import load_gazetteer

__all__ = ["Gazetteer", "Geocoder", "load_gazetteer"]
