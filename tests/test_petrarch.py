"""The TABARI/PETRARCH dictionary importer on PETRARCH-2's validation dictionaries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dyadwatch.coding import petrarch
from dyadwatch.datafiles import load_countries, load_people, load_roles
from dyadwatch.errors import DyadwatchError
from dyadwatch.pipeline import Pipeline, code
from dyadwatch.records import Document, Event
from dyadwatch.settings import Settings

from .conftest import shared_path


@pytest.fixture(scope="module")
def actors() -> list[petrarch.PetrarchActor]:
    return petrarch.read_actors(shared_path("data/petrarch2/PETR.Validate.actors.txt"))


@pytest.mark.parametrize(
    ("name", "day", "expected"),
    [
        ("GOLLUM", dt.date(1994, 1, 1), "HOB"),
        ("SMEAGOL", dt.date(1996, 1, 1), "HOBGOV"),  # a synonym, inside [HOBGOV 19950601 - 19990815]
        ("GOLLUM", dt.date(2001, 1, 1), "HOBREB"),
        ("SAM_GAMGEE", dt.date(2007, 1, 1), "HOBCIV"),
        ("SAM GAMGEE", dt.date(2010, 1, 10), "ORCHOB"),  # the narrower, overlapping period wins
        ("SAM GAMGEE", dt.date(2009, 1, 1), "HOBMIL"),
        ("SAM GAMGEE", None, "HOB"),  # no date: the default code
        ("ISRAELI_TROOPS", None, "ISRMIL"),
        ("ZIMBABWE", dt.date(1978, 1, 1), "RHO"),
        ("ZIMBABWE", dt.date(1990, 1, 1), "ZBW"),
        ("PRINCE OF DOL AMROTH", dt.date(1990, 1, 1), "---"),
        ("AUSTRALIAN", None, "AUS"),
        ("NO SUCH ACTOR", None, None),
    ],
)
def test_actor_entries_resolve_by_date(
    actors: list[petrarch.PetrarchActor], name: str, day: dt.date | None, expected: str | None
) -> None:
    assert petrarch.resolve(actors, name, day) == expected


def test_agents_with_macros_plurals_and_affixes() -> None:
    agents = petrarch.read_agents(shared_path("data/petrarch2/PETR.Validate.agents.txt"))
    by_name = {n: a for a in agents for n in a.names}
    assert by_name["FOREIGN MINISTER"].code == "GOVFRM" and by_name["FOREIGN MINISTER"].suffix
    assert "FOREIGN MINISTERS" in by_name  # regular plural added
    assert "ATTORNEYS GENERAL" in by_name  # explicit plural {ATTORNEYS_GENERAL}
    assert "MEDIAS" not in by_name  # {} means no plural
    assert {"MINISTER OF SILLY WALKS", "MINISTRY OF SILLY WALKS"} <= set(by_name)  # !MINST! macro
    assert "CONGRESSWOMAN" in by_name  # CONGRESS!PERSON!
    assert not by_name["HUMAN RIGHTS ORGANIZATION"].suffix  # [NGO~] is a prefix code


def test_export_validates_and_codes_by_date(actors: list[petrarch.PetrarchActor], tmp_path: Path) -> None:
    out = tmp_path / "petr.csv"
    rows = petrarch.export_csv(actors, out, {c.iso3 for c in load_countries()}, set(load_roles()))
    assert rows > 100
    entries = load_people(out, required=True)
    assert any(e.code == "HOBGOV" and e.name == "Gollum" for e in entries)
    pipeline = Pipeline(Settings(actor_files=(str(out),)))
    docs = [
        Document(origin=d, text="Gollum attacked Gondor.", external_id=d, date=d)
        for d in ("1994-01-01", "1996-06-01", "2001-01-01")
    ]
    got = {e.doc_id: e.source.actor.code for e in code(pipeline, docs) if isinstance(e, Event)}
    assert got == {"1994-01-01": "HOB", "1996-06-01": "HOBGOV", "2001-01-01": "HOBREB"}


def test_bad_code_block_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "actors.txt"
    bad.write_text("GONDOR [GON]\nROHAN\n\t[ROH 9999-]\n")
    with pytest.raises(DyadwatchError, match=r"actors.txt:3"):
        petrarch.read_actors(bad)


@pytest.fixture(scope="module")
def cameo_verbs() -> list[petrarch.PetrarchVerb]:
    return petrarch.read_verbs(shared_path("data/petrarch2/CAMEO.2.0.txt"))


def _find(verbs: list[petrarch.PetrarchVerb], verb: str, **kw: object) -> list[petrarch.PetrarchVerb]:
    return [v for v in verbs if v.verb == verb and all(getattr(v, k) == x for k, x in kw.items())]


def test_verb_blocks_give_each_verb_its_own_code_or_the_blocks(
    cameo_verbs: list[petrarch.PetrarchVerb],
) -> None:
    assert "182" in {v.code for v in _find(cameo_verbs, "beat", objects=())}  # BEAT {BEATS …} [182]
    assert _find(cameo_verbs, "annihilate", objects=())[0].code == "190"  # the DESTROY block's [190]
    assert _find(cameo_verbs, "demolish", objects=())[0].code == "1712"
    wipe = _find(cameo_verbs, "wipe", particle="out", objects=())  # +WIPE_OUT: verb and particle
    assert wipe and wipe[0].code == "190"


def test_patterns_hold_for_every_verb_of_their_block_with_synsets_expanded(
    cameo_verbs: list[petrarch.PetrarchVerb],
) -> None:
    ambush = [v for v in _find(cameo_verbs, "ambush") if v.objects]
    assert {"convoy", "rebel"} <= {o for v in ambush for o in v.objects}
    assert any("truck" in v.objects for v in ambush)  # - * &CAR [190]: the &CAR synonym set
    # a pattern with a noun inside a prepositional phrase ("died in clashes") is not representable
    assert not [v for v in _find(cameo_verbs, "die") if "clash" in v.objects]


def test_validation_verbs_read_objects_and_target_prepositions() -> None:
    verbs = petrarch.read_verbs(shared_path("data/petrarch2/PETR.Validate.verbs.txt"))
    assert any(v.verb == "restore" and v.objects == ("tie",) and v.code == "064" for v in verbs)
    assert any(v.verb == "agree" and v.preps == ("with",) and v.code == "031" for v in verbs)  # * WITH %


def test_converted_verbs_pass_our_trigger_validation(tmp_path: Path) -> None:
    from dyadwatch.datafiles import load_codebook, load_triggers

    verbs = petrarch.read_verbs(shared_path("data/petrarch2/CAMEO.2.0.txt"))
    out = tmp_path / "verbs.csv"
    rows = petrarch.export_verbs_csv(verbs, out, set(load_codebook()))
    entries = load_triggers(out)
    assert rows == len(entries) > 20000
    assert all(e.code for e in entries)  # null codes are not carried over
    assert any(e.words == ("ambush",) and "convoy" in e.objects for e in entries)
