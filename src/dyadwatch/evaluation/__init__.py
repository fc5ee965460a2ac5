"""Evaluation — the coder scored against annotated corpora (the quality gate reads these).

Public verbs: :func:`evaluate_plover` and :func:`evaluate_petr2` (a pipeline → a :class:`Report` with
precision, recall and F1 and a confusion table); :func:`evaluate_geoparsing` (TR-News, GeoWebNews,
LGL → a :class:`GeoReport`: accuracy@161 km, median error, AUC, country, GeoNames id). Reads gold
files from ``../shared/data``; writes nothing.
"""

from dyadwatch.evaluation.coding import Report, evaluate_petr2, evaluate_plover
from dyadwatch.evaluation.geoparsing import GeoReport, evaluate_geoparsing

__all__ = ["GeoReport", "Report", "evaluate_geoparsing", "evaluate_petr2", "evaluate_plover"]
