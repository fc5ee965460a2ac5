"""The real-text dev set's scorer: the sentences it reads and how it counts events and actors."""

from __future__ import annotations

from typing import Any

from dyadwatch.evaluation.realdev import Triple, gold_key, score_sentences, split_sentences

from .conftest import DATA, shared_path


def _record(*events: tuple[str, str, str]) -> dict[str, Any]:
    return {"events": [{"code": c, "root": c[:2], "source": s, "target": t} for c, s, t in events]}


def test_scorer_counts_roots_dyads_silence_and_false_events() -> None:
    items: list[tuple[str, dict[str, Any], list[Triple]]] = [
        # right root and dyad (roles do not count: USACOP ~ USA), a second gold event missed
        ("a", _record(("173", "USACOP", "USACRM"), ("111", "USAGOV", "")), [("17", "USA", "USA")]),
        ("b", _record(("180", "JORUAF", "CANCVL")), []),  # event-bearing, silent
        ("c", _record(), [("19", "---", None)]),  # a false event
        ("d", _record(), []),
        ("e", _record(("112", "---UAF", "")), [("11", "---", None), ("11", "GBR", None)]),
    ]
    report = score_sentences(items)
    root, dyad = report.scores["root"], report.scores["root+dyad"]
    assert (root.tp, root.fp, root.fn) == (2, 1, 2)
    assert (dyad.tp, dyad.fp, dyad.fn) == (2, 2, 2)
    assert report.scores["silent event-bearing"].recall == 1 / 3
    assert report.scores["false events on no-event"].recall == 1 / 2


def test_gold_keys_are_three_characters_and_empty_is_no_actor() -> None:
    assert [gold_key(c) for c in ("USACOP", "IGOUNO", "NGOCHR", "---UAF", "")] == [
        "USA",
        "IGO",
        "NGO",
        "---",
        None,
    ]


def test_splitter_keeps_abbreviations_and_joins_hard_wraps() -> None:
    text = "Gov. Smith met Mr. Jones in the U.S. capital.\nPolice said the man\nwas arrested. He fled."
    spans = [text[s:e] for s, e in split_sentences(text)]
    assert spans == [
        "Gov. Smith met Mr. Jones in the U.S. capital.",
        "Police said the man\nwas arrested.",
        "He fled.",
    ]


def test_every_annotation_resolves_to_a_sentence_of_the_corpora() -> None:
    from dyadwatch.evaluation.realdev import load_sentences

    rows = list(load_sentences(DATA / "real_dev" / "annotations.jsonl", shared_path("data/geoparsing")))
    assert len(rows) == 420
    assert sum(bool(r["events"]) for r, _ in rows) == 119
    assert all(5 <= len(text.split()) <= 80 for _, text in rows)
