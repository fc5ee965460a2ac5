"""Quality gate (trafilatura-style): scores on annotated sets must not fall below pinned floors.

Raising a floor needs no ceremony. Lowering one is a visible change to this file, to be justified
in the commit message.
"""

from __future__ import annotations

import itertools
import json
import re

import pytest

from dyadwatch.coding.coder import MUTUAL_CODES
from dyadwatch.evaluation.coding import actor_key, evaluate_petr2, evaluate_plover, load_plover_gsr
from dyadwatch.pipeline import Pipeline, code
from dyadwatch.records import Document, Event

from .conftest import DATA, shared_path

FLOORS = {
    # measured 0.757 (session 5; 0.756 in session 3; was 0.607); from session 5 each of the 322
    # records is scored on its own sentence (two shared an id and were scored on both)
    "plover_type_f1": 0.75,
    # Raised back above 0.60 (session 4, measured 0.619): places settle missing targets, own forces
    # are not targets, collective heads ("the al-Qaeda terror network") keep predicate targets. It had
    # been lowered to 0.58 in session 3 when guards against two false seed events cost 0.019.
    "plover_dyad_f1": 0.62,  # measured 0.622 (session 5: "calls by Kofi Annan" → the UN, …)
    # measured 255/267 = 0.955 (issue 18: destroying property needs no named owner); was 254/267
    "root_sentences_accuracy": 0.955,
    "no_event_rate_max": 0.01,  # measured 0/100 (session 5: the World Cup win no longer an assault)
    # measured 0.667 (session 5: passive doers, "its forces", claims of responsibility, shared
    # owners, lower-case names, reports speak for their issuer; GOLD_* 0.636); 0.547 in session 4,
    # 0.406 in session 3
    "petr2_root_dyad_f1": 0.66,
    # Lowered from 0.90: 10/12 of the records the gold leaves without events stay quiet. The two that
    # do not are "France condemned … allegations by Rwanda" and "France accused Rwanda of …", which
    # CAMEO codes 111/112; the first is new since targets are also read from inside the predicate.
    "petr2_no_event_quiet": 0.83,
    # The blind real-text dev set (420 sentences of TR-News/GWN/LGL, 119 with 156 gold events; each
    # sentence coded on its own). Baseline when the scorer arrived (issue 18): root P 0.500 R 0.035
    # F1 0.065, root+dyad F1 0.012, 111/119 event-bearing sentences silent, 2/301 no-event
    # sentences with an event. Then (unnamed doers of arrests and violence, police and occupational
    # agents): root P 0.571 R 0.056 F1 0.102, root+dyad F1 0.024, 108/119 silent, 2/301 false; then
    # (man, woman, teenager, boy, girl, child as civilians): root P 0.625 R 0.070 F1 0.126, root+dyad
    # F1 0.047, 107/119 silent, 2/301 false; then (irregular plurals pass the gate, gunmen and
    # criminals assault (18x) rather than fight, two groups of one kind keep source = target):
    # root P 0.684 R 0.091 F1 0.160, root+dyad F1 0.047, 104/119 silent, 2/301 false.
    "realdev_root_f1": 0.160,
    "realdev_root_dyad_f1": 0.047,
    "realdev_silent_max": 0.874,  # share of event-bearing sentences with no event (a ceiling)
    "realdev_false_events_max": 0.007,  # share of no-event sentences with an event (a ceiling)
    # the same sentences coded within their articles (as users ingest them; the annotators read them so)
    "realdev_article_root_f1": 0.168,
    "realdev_article_root_dyad_f1": 0.068,
    "realdev_article_silent_max": 0.857,
    "realdev_article_false_events_max": 0.017,
}


def test_plover_gsr_floor(pipeline: Pipeline) -> None:
    report = evaluate_plover(pipeline, shared_path("data/plover/PLOVER_GSR_CAMEO.txt"))
    type_f1, dyad_f1 = report.scores["type"].f1, report.scores["type+dyad"].f1
    print(f"PLOVER GSR: type F1 {type_f1:.3f}, type+dyad F1 {dyad_f1:.3f} over {report.records} records")
    assert type_f1 >= FLOORS["plover_type_f1"]
    assert dyad_f1 >= FLOORS["plover_dyad_f1"]


def test_every_plover_record_is_scored_on_its_own_sentence() -> None:
    # the file gives two different sentences one id; merged, each would be scored on both
    records = load_plover_gsr(shared_path("data/plover/PLOVER_GSR_CAMEO.txt"))
    assert len({r["id"] for r in records}) == len(records) == 322


def test_root_sentences_floor(pipeline: Pipeline) -> None:
    rows = [
        json.loads(line) for line in (DATA / "root_sentences.jsonl").read_text().splitlines() if line.strip()
    ]
    docs = [Document(origin=r["id"], text=r["text"], external_id=r["id"]) for r in rows]
    got: dict[str, list[Event]] = {}
    for e in code(pipeline, docs):
        if isinstance(e, Event):
            got.setdefault(e.doc_id, []).append(e)
    correct = sum(any(e.root_code == r["root"] for e in got.get(r["id"], [])) for r in rows)
    accuracy = correct / len(rows)
    print(f"root sentences: {correct}/{len(rows)} coded with the gold root ({accuracy:.3f})")
    assert accuracy >= FLOORS["root_sentences_accuracy"]
    assert all(actor_key(e.source) for events in got.values() for e in events)


@pytest.mark.parametrize("gate", [True])
def test_no_event_sentences_stay_quiet(pipeline: Pipeline, gate: bool) -> None:
    lines = [ln for ln in (DATA / "no_event.txt").read_text().splitlines() if ln.strip()]
    docs = [Document(origin=f"n{i}", text=ln, external_id=f"n{i}") for i, ln in enumerate(lines)]
    noisy = {e.doc_id for e in code(pipeline, docs) if isinstance(e, Event)}
    rate = len(noisy) / len(lines)
    print(f"no-event sentences producing an event: {len(noisy)}/{len(lines)} ({rate:.3f})")
    assert rate <= FLOORS["no_event_rate_max"]


def test_petr2_gsr_floor(pipeline: Pipeline) -> None:
    report = evaluate_petr2(pipeline, shared_path("data/petr2_gsr/PETR2_GSR_validation.xml"))
    f1, gold_f1 = report.scores["root+dyad"].f1, report.scores["root+dyad GOLD_*"].f1
    quiet = report.scores["no-event records quiet"].recall
    print(f"PETR2 GSR: root+dyad F1 {f1:.3f} (GOLD_* {gold_f1:.3f}), no-event records quiet {quiet:.3f}")
    assert f1 >= FLOORS["petr2_root_dyad_f1"]
    assert quiet >= FLOORS["petr2_no_event_quiet"]


@pytest.mark.parametrize("context", ["sentence", "article"])
def test_real_dev_floor(pipeline: Pipeline, context: str) -> None:
    from dyadwatch.evaluation.realdev import evaluate_realdev

    path = DATA / "real_dev" / "annotations.jsonl"
    report = evaluate_realdev(pipeline, path, shared_path("data/geoparsing"), context=context)
    root, dyad = report.scores["root"], report.scores["root+dyad"]
    silent = report.scores["silent event-bearing"].recall
    false = report.scores["false events on no-event"].recall
    print(
        f"real dev ({context}): root P {root.precision:.3f} R {root.recall:.3f} F1 {root.f1:.3f}, root+dyad F1 "
        f"{dyad.f1:.3f}, silent event-bearing {silent:.3f}, false events {false:.3f}"
    )
    key = "realdev_" if context == "sentence" else "realdev_article_"
    assert report.records == 420
    assert root.f1 >= FLOORS[key + "root_f1"] - 0.0005
    assert dyad.f1 >= FLOORS[key + "root_dyad_f1"] - 0.0005
    assert silent <= FLOORS[key + "silent_max"] + 0.0005
    assert false <= FLOORS[key + "false_events_max"] + 0.0005


def test_confidence_is_calibrated_and_ranks_events_on_held_out_sentences(pipeline: Pipeline) -> None:
    """The calibration was fit on the PLOVER records; on our own sentences, higher confidence must
    still mean more often right (per-bin precision never falls as confidence rises)."""
    from collections import defaultdict

    from dyadwatch.datafiles import load_calibration

    bins = load_calibration()
    assert bins and all(a[2] <= b[2] for a, b in itertools.pairwise(bins))
    rows = [
        json.loads(line) for line in (DATA / "root_sentences.jsonl").read_text().splitlines() if line.strip()
    ]
    gold = {r["id"]: r for r in rows}
    igo = {"ECOWAS", "UN", "NATO", "EU", "AU", "AES"}
    outcome: dict[float, list[bool]] = defaultdict(list)
    for e in code(pipeline, [Document(origin=r["id"], text=r["text"], external_id=r["id"]) for r in rows]):
        if isinstance(e, Event):
            g = gold[e.doc_id]
            src = "IGO" if g["source"] in igo else g["source"]
            # gold names organisations by short name (JNIM, HAMAS, WORLDBANK): match code or name too
            names = {e.source.actor.code.upper(), re.sub(r"\W", "", e.source.actor.name.upper())}
            named = any({"ISIS": "ISLAMICSTATE"}.get(g["source"], g["source"]) in n for n in names)
            # consulting/negotiating "with" someone is coded both ways: the gold target acts too
            other = "IGO" if g["target"] in igo else g["target"]
            sides = (src, g["source"]) + ((other,) if e.event_code in MUTUAL_CODES else ())
            outcome[e.confidence].append(e.root_code == g["root"] and (actor_key(e.source) in sides or named))
    assert set(outcome) <= {b[2] for b in bins}  # every confidence is a calibrated value
    precisions = [sum(v) / len(v) for _, v in sorted(outcome.items()) if len(v) >= 5]
    print("precision by confidence bin:", [round(p, 3) for p in precisions])
    assert len(precisions) >= 2 and precisions == sorted(precisions)
