"""PLOVER records: our events in the field names and shapes of the PLOVER data model.

The shapes follow the PLOVER gold-standard records (``PLOVER_GSR_CAMEO.txt``, openeventdata/PLOVER):
``id``, ``date``, ``event`` (the PLOVER type), ``mode``, ``context``, ``source`` and ``target`` as
lists of actors ``{"actorText", "code", "sector"}`` (``code`` the country or ``IGO``/``NGO``/…,
``sector`` the role), ``eventText``, ``text``, ``textInfo`` with the in-line markup ``(SRC: …)``,
``(TAR: …)``, ``(EVT: …)``, ``eventLoc`` ``{"name", "country code"}`` (ISO 3166 alpha-2),
``language``, ``publication``, ``coder`` and ``dateCoded``. As in those records, only non-null
fields are written.

Everything PLOVER has no field for — the CAMEO code, Goldstein score and QuadClass, our full actor
codes and names, coordinates and precision, the date's precision, confidence, flags, counts and the
article — sits under one extension key, ``dyadwatch``, as PLOVER's guidance on compliant extensions
asks. Most of CAMEO's roots 01 (statements) and 02 (appeals) have no PLOVER type (PLOVER dropped
them): an event without one is not a PLOVER record, and the export leaves it out and says how many.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

EXTENSION = "dyadwatch"
_MARKS = (("trigger", "EVT"), ("source", "SRC"), ("target", "TAR"))  # the event first: an implicit
# actor is spanned on the trigger's words (marked once, as the event)


@cache
def _alpha2(iso3: str) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    return country.alpha_2 if country is not None else None


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _actor(row: dict[str, Any], side: str) -> dict[str, Any] | None:
    code = row[f"{side}_code"]
    if code is None:
        return None
    primary = row[f"{side}_country"] or code[:3]
    actor = {"actorText": row[f"{side}_text"] or row[f"{side}_name"], "code": primary}
    role = row[f"{side}_role"]
    if role and role != primary:
        actor["sector"] = role
    return actor


def markup(sentence: str, spans: dict[str, Any] | None) -> str:
    """The sentence with ``(SRC: …)``, ``(TAR: …)`` and ``(EVT: …)`` around the coded words."""
    marks: list[tuple[int, int, str]] = []
    for part, tag in _MARKS:
        span = (spans or {}).get(part)
        if not span or not 0 <= span[0] < span[1] <= len(sentence):
            continue
        if any(span[0] < end and start < span[1] for start, end, _ in marks):
            continue  # an implicit target shares the trigger's words: mark them once
        marks.append((int(span[0]), int(span[1]), tag))
    out, at = [], 0
    for start, end, tag in sorted(marks):
        out += [sentence[at:start], f"({tag}: {sentence[start:end]})"]
        at = end
    return "".join([*out, sentence[at:]])


def plover_record(row: dict[str, Any], mention: dict[str, Any]) -> dict[str, Any] | None:
    """One flat event row (:func:`dyadwatch.formats.export.flat_rows`) and its first stored mention
    as a PLOVER record; None for an event PLOVER has no type for."""
    if not row["plover_type"]:
        return None
    source, target = _actor(row, "source"), _actor(row, "target")
    place = None
    if row["location_name"]:
        place = {"name": row["location_name"], "country code": _alpha2(row["location_country"] or "")}
    record: dict[str, Any] = {
        "id": row["event_id"],
        "date": _iso(row["date"]),
        "event": row["plover_type"],
        "mode": row["plover_mode"],
        "context": row["plover_context"],
        "source": [source] if source else None,
        "target": [target] if target else None,
        "eventText": row["trigger"],
        "text": row["sentence"],
        "textInfo": {"markup": markup(row["sentence"] or "", mention.get("spans"))},
        "eventLoc": {k: v for k, v in place.items() if v is not None} if place else None,
        "language": "en",
        "publication": row["attributed_source"] or row["article_source"],
        "coder": "dyadwatch",
        "dateCoded": _iso(row["first_seen"].date()) if row["first_seen"] else None,
        EXTENSION: _extension(row),
    }
    return {k: v for k, v in record.items() if v is not None}


def _extension(row: dict[str, Any]) -> dict[str, Any]:
    def actor(side: str) -> dict[str, Any] | None:
        if row[f"{side}_code"] is None:
            return None
        keys = ("code", "name", "country", "type", "role")
        return {k: row[f"{side}_{k}"] for k in keys if row[f"{side}_{k}"] is not None}

    location = None
    if row["location_name"]:
        keys = ("name", "country", "admin1", "lat", "lon", "precision", "geonames_id", "how")
        location = {k: row[f"location_{k}"] for k in keys if row[f"location_{k}"] is not None}
    ext = {
        "cameo_code": row["event_code"],
        "root_code": f"{row['root_code']:02d}",
        "quad_class": row["quad_class"],
        "goldstein": row["goldstein"],
        "date_precision": row["date_precision"],
        "source": actor("source"),
        "target": actor("target"),
        "location": location,
        "confidence": row["confidence"],
        "negated": row["negated"],
        "hypothetical": row["hypothetical"],
        "hedged": row["hedged"],
        "future": row["future"],
        "reported_by": row["reported_by"],
        "num_mentions": row["num_mentions"],
        "num_articles": row["num_articles"],
        "num_sources": row["num_sources"],
        "article": {
            "id": row["article_id"],
            "title": row["article_title"],
            "url": row["article_url"],
            "published": _iso(row["published"]),
            "sentence_index": row["sentence_index"],
        },
    }
    return {k: v for k, v in ext.items() if v is not None}
