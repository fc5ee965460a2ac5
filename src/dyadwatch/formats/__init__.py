"""Formats — stored events out as GDELT 2.0, PLOVER, CSV, Parquet or JSON Lines.

Public verb: :func:`dyadwatch.formats.export.export`. ``export`` selects and flattens events and writes one format;
``gdelt`` maps our events to GDELT 2.0's 61 event / 16 mention columns and reads GDELT files.
Reads the store; writes files or a stream.
"""
