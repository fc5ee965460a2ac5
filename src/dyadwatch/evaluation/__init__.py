"""Evaluation — the coder scored against annotated corpora (the quality gate reads these).

Public verbs: :func:`evaluate_plover` and :func:`evaluate_petr2` (a pipeline → a :class:`Report` with
precision, recall and F1 and a confusion table). Reads gold files from ``../shared/data``; writes
nothing.
"""

from dyadwatch.evaluation.coding import Report, evaluate_petr2, evaluate_plover

__all__ = ["Report", "evaluate_petr2", "evaluate_plover"]
