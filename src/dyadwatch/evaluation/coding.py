"""Evaluation against annotated corpora (the quality gate reads these numbers).

``plover``: the PLOVER gold-standard records (``PLOVER_GSR_CAMEO.txt``, not strict JSON). Each
record is one sentence with one gold event type and gold source/target actor codes. We code the
sentence, map our CAMEO codes to PLOVER v0.5 event types, and score precision/recall/F1 for the
event type alone and for type + source + target (actors matched on country, or IGO/NGO).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dyadwatch.errors import DyadwatchError
from dyadwatch.pipeline import Pipeline, code
from dyadwatch.records import Document, Event, Mention

SHARED_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
PLOVER_GSR = SHARED_DATA / "plover" / "PLOVER_GSR_CAMEO.txt"
PETR2_GSR = SHARED_DATA / "petr2_gsr" / "PETR2_GSR_validation.xml"
_PETR_RECORD = re.compile(r"<Sentence\b([^>]*)/?>(.*?)<Text>(.*?)</Text>\s*(?:<Parse>(.*?)</Parse>)?", re.S)
_NO_SPACE_BEFORE = re.compile(r" ([.,;:!?%)\]]|'s\b|n't\b)")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_GOLD_ALIASES = {"JAP": "JPN", "ITL": "ITA", "UKG": "GBR", "GMY": "DEU"}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


@dataclass
class Report:
    name: str
    records: int
    scores: dict[str, Score]
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {"set": self.name, "records": self.records, **{k: v.as_dict() for k, v in self.scores.items()}}


def plover_type(event: Event) -> str | None:
    """Our CAMEO code → the PLOVER v0.5 type names used by the gold-standard records."""
    ptype = event.plover.get("type") or ""
    if not ptype:
        return None
    # Where PLOVER v0.5 (the gold records) and the 2021 table (our codebook) disagree.
    code = event.event_code
    if code.startswith("163"):
        return "SANCTION"
    if code.startswith("081"):  # easing restrictions, curfews, emergency rule
        return "CONCEDE"
    if code == "0831":  # stepping down
        return "RETREAT"
    if code == "1712":  # destroying property
        return "COERCE"
    if code.startswith("192"):  # taking territory is fighting in v0.5
        return "FIGHT"
    if event.root_code == "19" and _unarmed(event.target):
        return "ASSAULT"  # conventional force against civilians
    if event.event_code.startswith(("181", "184")):
        return "COERCE"
    if ptype == "ACCUSE":
        return "INVESTIGATE" if event.root_code == "09" else "DISAPPROVE"
    if ptype == "REQUEST":
        return "DEMAND"
    if ptype == "ASSAULT" and event.root_code == "19":
        return "FIGHT"
    return ptype


_UNARMED_ROLES = frozenset({"CVL", "REF", "MED", "BUS", "LAB", "EDU", "HLH", "AGR", "REL", "HRI", "NGO"})


def _unarmed(mention: Mention | None) -> bool:
    return mention is not None and (mention.actor.role or "") in _UNARMED_ROLES


def actor_key(mention: Mention | None) -> str | None:
    if mention is None:
        return None
    actor = mention.actor
    if actor.type == "igo":
        return "IGO"
    if actor.type == "ngo":
        return "NGO"
    if actor.type == "agent" and not actor.country:
        return "---"  # the gold records' code for an actor of unknown country ("insurgents")
    # Gold records code on the first three characters: "IMGMOSALQ" (al-Qaeda) is scored as "IMG".
    return actor.country or actor.code[:3]


def load_plover_gsr(path: Path = PLOVER_GSR) -> list[dict[str, Any]]:
    if not path.exists():
        raise DyadwatchError("E205", path=path)
    text = re.sub(r",\s*([}\]])", r"\1", path.read_text(encoding="utf-8"))
    records = [r for r in json.loads(text) if r.get("event") not in (None, "DOCUMENT") and r.get("text")]
    seen: Counter[str] = Counter()
    for r in records:  # the file gives two different sentences one id (COERCE-0004): keep them apart
        seen[r.get("id", "")] += 1
        if seen[r.get("id", "")] > 1:
            r["id"] = f"{r.get('id', '')}#{seen[r.get('id', '')]}"
    return records


def _in(key: str | None, gold: set[str]) -> bool:
    """Gold records code international organisations, NGOs included (Amnesty, Red Cross), as IGO."""
    return key in gold or (key == "NGO" and "IGO" in gold)


def _gold_codes(value: Any) -> set[str]:
    if not isinstance(value, list):
        return set()
    codes = {str(a.get("code", "")).upper() for a in value if isinstance(a, dict)}
    return {_GOLD_ALIASES.get(c, c) for c in codes if c}


def evaluate_plover(pipeline: Pipeline, path: Path = PLOVER_GSR) -> Report:
    gold = load_plover_gsr(path)
    docs = [Document(origin=r["id"], text=r["text"], external_id=r["id"]) for r in gold]
    predicted: dict[str, list[Event]] = {}
    for item in code(pipeline, docs):
        if isinstance(item, Event) and not item.negated:
            predicted.setdefault(item.doc_id, []).append(item)
    type_score, dyad_score = Score(), Score()
    confusion: Counter[tuple[str, str]] = Counter()
    for rec in gold:
        events = [e for e in predicted.get(rec["id"], []) if plover_type(e)]
        gold_type = rec["event"]
        types = {plover_type(e) for e in events}
        type_score.tp += gold_type in types
        type_score.fn += gold_type not in types
        type_score.fp += len(types - {gold_type})
        confusion.update((gold_type, str(t)) for t in types)
        if not types:
            confusion[(gold_type, "-")] += 1
        srcs, tgts = _gold_codes(rec.get("source")), _gold_codes(rec.get("target"))
        tuples = {(plover_type(e), actor_key(e.source), actor_key(e.target)) for e in events}
        hits = {t for t in tuples if t[0] == gold_type and _in(t[1], srcs) and (not tgts or _in(t[2], tgts))}
        dyad_score.tp += bool(hits)
        dyad_score.fn += not hits
        dyad_score.fp += len(tuples - hits)
    return Report("plover-gsr", len(gold), {"type": type_score, "type+dyad": dyad_score}, confusion)


def load_petr2_gsr(path: Path = PETR2_GSR) -> list[dict[str, Any]]:
    """Records of the PETRARCH-2 validation file (not strict XML: parsed record by record)."""
    if not path.exists():
        raise DyadwatchError("E205", path=path)
    out = []
    for attrs, codings, text, parse in _PETR_RECORD.findall(path.read_text(encoding="utf-8")):
        meta = dict(_ATTR.findall(attrs))
        if meta.get("evaluate", "true").lower() != "true":
            continue
        events = [dict(_ATTR.findall(c)) for c in re.findall(r"<EventCoding\b([^>]*)/>", codings)]
        gold = [
            (e["eventcode"][:2], _petr_actor(e.get("sourcecode", "")), _petr_actor(e.get("targetcode", "")))
            for e in events
            if "eventcode" in e
        ]
        if not text.strip():  # a record whose sentence is given only as its CoNLL parse
            text = _detokenize(parse)
        out.append(
            {"id": meta.get("id", ""), "date": meta.get("date"), "text": " ".join(text.split()), "gold": gold}
        )
    return out


def _detokenize(conll: str) -> str:
    """The sentence of a CoNLL-U parse: its word forms, with no space before punctuation."""
    forms = [
        cols[1] for line in conll.splitlines() if len(cols := line.split("\t")) > 1 and cols[0].isdigit()
    ]
    return _NO_SPACE_BEFORE.sub(r"\1", " ".join(forms))


def _petr_actor(code: str) -> str:
    head = code[:3].upper()
    return _GOLD_ALIASES.get(head, head)


def evaluate_petr2(pipeline: Pipeline, path: Path = PETR2_GSR) -> Report:
    """CAMEO root + dyad F1 on the PETRARCH-2 records; GOLD_* (human-coded) items scored apart too."""
    records = load_petr2_gsr(path)
    docs = []
    for r in records:
        date = r["date"]
        iso = f"{date[:4]}-{date[4:6]}-{date[6:8]}" if date and len(date) == 8 else None
        docs.append(Document(origin=r["id"], text=r["text"], external_id=r["id"], date=iso))
    predicted: dict[str, set[tuple[str, str | None, str | None]]] = {}
    for item in code(pipeline, docs):
        if isinstance(item, Event) and not item.negated:
            key = (item.root_code, actor_key(item.source), actor_key(item.target))
            predicted.setdefault(item.doc_id, set()).add(key)
    scores = {"root+dyad": Score(), "root+dyad GOLD_*": Score(), "no-event records quiet": Score()}
    confusion: Counter[tuple[str, str]] = Counter()
    for r in records:
        gold = set(r["gold"])
        got = {(root, src, tgt) for root, src, tgt in predicted.get(r["id"], set())}
        for score in [scores["root+dyad"]] + (
            [scores["root+dyad GOLD_*"]] if r["id"].startswith("GOLD") else []
        ):
            score.tp += len(gold & got)
            score.fp += len(got - gold)
            score.fn += len(gold - got)
        if not gold:
            quiet = scores["no-event records quiet"]
            quiet.tp += not got
            quiet.fn += bool(got)
        for root, _, _ in gold:
            confusion[(root, ",".join(sorted({g[0] for g in got})) or "-")] += 1
    return Report("petr2-gsr", len(records), scores, confusion)
