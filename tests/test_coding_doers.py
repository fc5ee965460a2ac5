"""Who did it: passive doers, possessive pronouns, shared owners, claims, lower-case names."""

from __future__ import annotations

import pytest

from dyadwatch.evaluation.coding import actor_key
from dyadwatch.pipeline import Pipeline, code
from dyadwatch.records import Document, Event


def _events(pipeline: Pipeline, text: str) -> list[Event]:
    date = "2015-06-18" if "obama" in text.lower() else "2024-05-01"  # inside Obama's term
    docs = [Document(origin="t", text=text, date=date)]
    return [e for e in code(pipeline, docs) if isinstance(e, Event)]


def _keys(pipeline: Pipeline, text: str) -> set[tuple[str | None, str, str | None]]:
    return {(actor_key(e.source), e.event_code, actor_key(e.target)) for e in _events(pipeline, text)}


@pytest.mark.parametrize(
    "text, expected",
    [
        # the means a passive act was done in names its doer; the place settles the victims
        ("Four children were killed in Israeli tank shelling in the east of the Gaza Strip.", ("ISR", "PSE")),
        ("Ten civilians were killed in a US drone strike in Somalia.", ("USA", "SOM")),
        # where a passive attack came from
        ("Rockets were fired from Lebanon at northern Israel.", ("LBN", "ISR")),
    ],
)
def test_a_passive_attack_without_agent_takes_its_doer_from_means_or_origin(
    pipeline: Pipeline, text: str, expected: tuple[str, str]
) -> None:
    keys = _keys(pipeline, text)
    assert any(k[1].startswith("19") and (k[0], k[2]) == expected for k in keys), keys


def test_an_accident_is_no_ones_attack(pipeline: Pipeline) -> None:
    text = "Interpol will help identify victims killed by the Malaysia Airlines crash in Ukraine."
    assert not any(k[1].startswith("19") for k in _keys(pipeline, text)), _keys(pipeline, text)


def test_origin_right_after_the_victims_is_not_the_doer(pipeline: Pipeline) -> None:
    assert not _keys(pipeline, "Two soldiers from Chad were killed in Mali.")


def test_it_in_a_reported_clause_is_the_speaker(pipeline: Pipeline) -> None:
    keys = _keys(pipeline, "Israel said a mortar bomb was fired at it from the Gaza Strip on Tuesday.")
    assert ("PSE", "193", "ISR") in keys and ("ISR", "112", "PSE") in keys, keys


def test_its_forces_belong_to_the_speaker_or_the_subject(pipeline: Pipeline) -> None:
    events = _events(pipeline, "Russia said that its forces had struck Kyiv.")
    strike = next(e for e in events if e.root_code == "19")
    assert strike.source.actor.code == "RUSMIL" and actor_key(strike.target) == "UKR"
    # own forces sent somewhere are what the source sends, not whom it acts on
    for text in (
        "Mali sent its troops to the border with Niger.",
        "Russia sent thousands of troops to the border.",
    ):
        events = _events(pipeline, text)
        assert not any(e.target and e.target.actor.country == e.source.actor.country for e in events), text


def test_claiming_ones_own_attack_is_a_claim_of_responsibility(pipeline: Pipeline) -> None:
    keys = _keys(pipeline, "Russia confirmed that its forces had struck Kyiv.")
    assert ("RUS", "015", "UKR") in keys, keys
    assert not any(k[1].startswith("11") for k in keys), keys
    # a third party confirming is neither a claim nor an accusation
    keys = _keys(pipeline, "The UN confirmed that Russia had attacked Kyiv.")
    assert not any(k[1].startswith(("01", "11")) for k in keys), keys


def test_two_owners_of_one_noun_both_act(pipeline: Pipeline) -> None:
    keys = _keys(pipeline, "US and British activists staged a dramatic protest in Beijing on Wednesday.")
    assert {("USA", "141", "CHN"), ("GBR", "141", "CHN")} <= keys, keys


def test_names_are_found_in_lower_case_only_where_the_tagger_reads_a_name(pipeline: Pipeline) -> None:
    keys = _keys(pipeline, "President obama expressed sorrow for the shootings in South Carolina.")
    assert ("USA", "018", "USA") in keys, keys
    assert ("USA", "033", "ISR") in _keys(pipeline, "The US Secretary of state wants to help iSrael.")
    doc = pipeline.nlp.nlp("We ate turkey from a hanging chad basket.")
    assert not [e.text for e in doc.ents if e.label_ in ("GPE", "NORP")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The US State department has advised against travel to Tunisia.", ("USA", "160", "TUN")),
        ("Obama said he would not give permission to Russia to help Israel.", ("USA", "124", "RUS")),
        ("Russia helped Syria defeat the rebels.", ("RUS", "070", "SYR")),
        ("Hundreds of UN troops withdrew from the Syrian sector of the Golan.", ("IGO", "0874", "SYR")),
        ("The UN inspectors want to re-examine the refineries in Iran.", ("IGO", "090", "IRN")),
    ],
)
def test_dictionary_patterns_added_for_petrarch_gaps(
    pipeline: Pipeline, text: str, expected: tuple[str, str, str]
) -> None:
    keys = _keys(pipeline, text)
    assert expected in keys, keys


def test_a_promise_of_a_hostile_act_is_one_event(pipeline: Pipeline) -> None:
    keys = _keys(pipeline, "Qatar has pledged to expel exiled leaders of Egypt's Muslim Brotherhood.")
    assert [k[1][:2] for k in keys] == ["13"], keys


def test_helping_without_anyone_helped_is_no_aid(pipeline: Pipeline) -> None:
    text = "The report alleged that the French military helped to plan the killings."
    assert not any(k[1].startswith("07") for k in _keys(pipeline, text))


def test_a_report_speaks_for_whoever_issued_it(pipeline: Pipeline) -> None:
    keys = _keys(
        pipeline, "A report released by Human Rights Watch accused Malian soldiers of killing civilians."
    )
    assert ("NGO", "112", "MLI") in keys, keys
    events = _events(pipeline, "A report released in Bamako said Wagner fighters had killed civilians.")
    claim = next(e for e in events if e.root_code == "11")
    assert claim.source.actor.code == "MLI" and claim.source.affiliation == "place"
    killing = next(e for e in events if e.root_code == "19")
    assert killing.reported_by == "A report"  # the speaker's phrase, not the clause after it


def test_taking_part_in_an_event_makes_the_subject_its_source(pipeline: Pipeline) -> None:
    keys = _keys(pipeline, "Russia played a role in the attack on Kyiv.")
    assert ("RUS", "190", "UKR") in keys, keys


def test_an_agreement_to_act_scopes_every_conjoined_act_and_keeps_the_specific_code(
    pipeline: Pipeline,
) -> None:
    text = "Saudi Arabia and Iran agreed to restore diplomatic relations and to reopen their embassies."
    keys = _keys(pipeline, text)
    assert ("SAU", "032", "IRN") in keys and ("IRN", "032", "SAU") in keys, keys
    assert all(k[1].startswith("03") and k[1] != "030" for k in keys), keys  # no bare 030, no actual 050


def test_a_win_in_a_game_is_no_assault(pipeline: Pipeline) -> None:
    assert not _keys(pipeline, "Morocco beat Portugal 1-0 in the World Cup quarter-final.")
    assert not _keys(pipeline, "France defeated Argentina on penalties in the final.")
    assert ("IRN", "182", "IRN") in _keys(pipeline, "Police beat protesters in Tehran.")


def test_a_capital_where_an_attack_happened_is_its_place_not_its_government(pipeline: Pipeline) -> None:
    events = _events(pipeline, "Gunmen attacked fans after the match in Cairo, killing 12.")
    assert events and all(e.target and e.target.actor.code == "EGY" for e in events), [
        (e.source.actor.code, e.event_code, e.target and e.target.actor.code) for e in events
    ]


def test_a_threat_is_one_event_with_the_threatened_act_coded(pipeline: Pipeline) -> None:
    keys = _keys(pipeline, "ECOWAS threatened to use force against the junta in Niger.")
    assert keys == {("IGO", "138", "NER")}, keys
    keys = _keys(pipeline, "Israel threatened to ban voting in East Jerusalem if Hamas ran in the election.")
    assert [k[1] for k in keys] == ["132"], keys
