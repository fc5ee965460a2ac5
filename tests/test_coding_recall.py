"""Recall on real reports (issue 18): acts with an unnamed doer, occupational and police agents."""

from __future__ import annotations

import pytest

from dyadwatch.pipeline import Pipeline, code
from dyadwatch.records import Document, Event


def _events(pipeline: Pipeline, text: str) -> list[tuple[str, str, str | None, str | None]]:
    return [
        (e.event_code, e.source.actor.code, e.source.affiliation, e.target.actor.code if e.target else None)
        for e in code(pipeline, [Document(origin="t", text=text)])
        if isinstance(e, Event) and e.counted
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the doer the act implies (police for an arrest, an unidentified armed actor for violence),
        # placed in the country of the place the sentence ties to the act (affiliation "place")
        ("Two people were arrested in Kano on Monday.", ("173", "NGACOP", "place", "NGACVL")),
        ("A trader was abducted near the market in Maiduguri.", ("181", "NGAUAF", "place", "NGABUS")),
        ("Three farmers were shot in Benue state.", ("180", "NGAUAF", "place", "NGAAGR")),
        # a person the report does not identify further is a civilian
        ("A man was arrested after a shooting in Louisville.", ("173", "USACOP", "place", "USACVL")),
    ],
)
def test_agentless_passives_of_arrest_and_violence_get_an_unidentified_doer(
    pipeline: Pipeline, text: str, expected: tuple[str, str, str, str]
) -> None:
    assert _events(pipeline, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "A woman was killed when a tree fell on a wedding party.",  # an outcome accidents share
        "A passenger in the car was injured and taken to a hospital.",
        "Police will be arrested soon.",  # not done yet
        "The officers assisted the Highway Patrol at the scene of the crash.",  # no one is aided
    ],
)
def test_no_unnamed_doer_for_accidents_plans_or_help_to_no_one(pipeline: Pipeline, text: str) -> None:
    assert _events(pipeline, text) == []


def test_an_unidentified_person_alone_says_nothing_codable(pipeline: Pipeline) -> None:
    assert _events(pipeline, "A man said the weather was fine.") == []


def test_named_doer_wins_over_the_unnamed_one(pipeline: Pipeline) -> None:
    assert _events(pipeline, "Two journalists were arrested by Malian soldiers in Gao.") == [
        ("173", "MLIMIL", None, "MLIMED")
    ]


def test_sheriffs_and_officers_are_police(pipeline: Pipeline) -> None:
    assert [e[:2] for e in _events(pipeline, "The sheriff's office investigated the theft.")] == [
        ("091", "COP")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an irregular plural of an agent noun is an actor candidate for the gate (it was skipped)
        ("Unknown gunmen attacked a bus near Gao.", [("180", "MLIUAF", None, "MLI")]),
        ("Thieves attacked a shop in Kano.", [("180", "NGACRM", None, "NGA")]),
        # two groups of one kind named apart keep source = target (communal violence)
        ("Herdsmen attacked farmers in Benue state.", [("190", "NGAAGR", None, "NGAAGR")]),
        # destroying property needs no named owner; verbs the issue lists
        ("Gunmen torched three houses in Zamfara.", [("1712", "NGAUAF", None, "NGA")]),
        ("The army regained the town of Bama from Boko Haram.", [("192", "NGAMIL", None, "NGAREBBKH")]),
        # armed forces and rebels fight (19x); gunmen and criminals against people assault (18x)
        ("Rebels attacked an army base near Goma.", [("190", "CODREB", None, "CODMIL")]),
    ],
)
def test_irregular_violence_and_property_destruction(
    pipeline: Pipeline, text: str, expected: list[tuple[str, str, str | None, str | None]]
) -> None:
    got = [(c, s, None, t) for c, s, _, t in _events(pipeline, text)]
    assert got == expected


def test_one_actor_named_twice_is_not_its_own_target(pipeline: Pipeline) -> None:
    assert all(s != t for _, s, _, t in _events(pipeline, "Mali said Malian troops attacked rebels."))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a country's money or river is not the country ("US dollar", "the river Niger")
        (
            "Traders staged a protest against the US dollar exchange rate in Lagos.",
            [("141", "NGABUS", None, "NGAGOV")],
        ),
        ("Fishermen on the river Niger were attacked by gunmen.", [("180", "UAF", None, "AGR")]),
    ],
)
def test_names_inside_the_names_of_things_are_not_actors(
    pipeline: Pipeline, text: str, expected: list[tuple[str, str, str | None, str | None]]
) -> None:
    assert [(c, s, None, t) for c, s, _, t in _events(pipeline, text)] == expected
