"""Surfaces — what users touch: the command line, the REST API, the dashboard and charts.

``cli`` (one module per command group, assembled in :mod:`dyadwatch.surfaces.cli`), ``api``
(FastAPI app, pydantic schemas, article intake), ``web`` (server-rendered dashboard and its static
assets), ``plot`` (SVG/PNG charts). Surfaces call the runner and the stages; nothing below imports
them.
"""
