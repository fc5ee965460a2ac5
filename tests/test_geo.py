"""Geoparsing: the gazetteer and its data file, place-or-actor, disambiguation, event locations, and an
evaluation gate (trafilatura-style) on our own annotated reports in ``tests/data/geo_eval.jsonl``.

The gate's reports ``geo001…`` were written first and the resolver tuned on them; ``held001…`` were
written afterwards and scored before any further change, so their floors show how it generalises.
Lowering a floor is a visible change to this file, to be justified in the commit message.
"""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import Any

import pytest

from dyadwatch.coding.actors import ActorDictionary
from dyadwatch.errors import DyadwatchError
from dyadwatch.geo.gazetteer import PLACES_CSV, distance_km, load_places, normalize
from dyadwatch.geo.geocoder import ArticlePlaces, Geocoder, GeoResult, english_words
from dyadwatch.geo.geonames import load_gazetteer
from dyadwatch.pipeline import Pipeline, code, geoparse
from dyadwatch.records import Article, Document, Event, Location

from .conftest import DATA, shared_path

FLOORS = {
    "country_accuracy": 0.99,  # measured 230/231 = 0.996 (2026-11-23)
    "within_25km": 0.99,  # measured 215/216 town-level reports = 0.995
    "region_country_level": 0.93,  # measured 14/15 region/country-level reports at the gold level
    "heldout_country_accuracy": 0.97,  # measured 34/35 = 0.971
    "heldout_within_25km": 0.94,  # measured 33/35 = 0.943 (within 25 km, or at the gold level)
}


def _rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / "geo_eval.jsonl").read_text().splitlines() if line.strip()]


def _docs(rows: list[dict[str, Any]]) -> list[Document]:
    return [Document(origin=r["id"], text=r["text"], external_id=r["id"], date=r["date"]) for r in rows]


def _located(pipeline: Pipeline, rows: list[dict[str, Any]]) -> dict[str, Location | None]:
    """Each report's location: its first event's, else the article's primary place."""
    out: dict[str, Location | None] = {}
    for e in code(pipeline, _docs(rows)):
        if isinstance(e, Event) and e.location is not None:
            out.setdefault(e.doc_id, e.location)
    for result in geoparse(pipeline, _docs(rows)):
        assert isinstance(result, GeoResult)
        primary = result.places.primary
        out.setdefault(result.article.doc_id, primary.location("article") if primary else None)
    return out


def _right(gold: dict[str, Any], got: Location | None) -> tuple[bool, bool]:
    """(country right, place right): within 25 km for a town, the same region or country otherwise."""
    if got is None:
        return False, False
    country = got.country == gold["country"]
    if gold["precision"] == 1:
        if got.lat is None or got.lon is None:
            return country, False
        return country, distance_km(got.lat, got.lon, gold["lat"], gold["lon"]) <= 25.0
    same_level = got.precision == gold["precision"] and (
        gold["precision"] == 3 or got.admin1 == gold["admin1"]
    )
    # a town inside the gold region is right at the region's level ("at Tassia, in the Tillabéri
    # region": gold Tillabéri, written when the gazetteer had no Tassia)
    inside = (
        gold["precision"] == 2
        and got.precision == 1
        and normalize(got.admin1 or "").startswith(normalize(gold["admin1"] or "-"))
    )
    return country, country and (same_level or inside)


def test_geo_eval_floor(pipeline: Pipeline) -> None:
    rows = _rows()
    assert len(rows) >= 150
    assert {r["country"] for r in rows} >= {
        "MLI",
        "BFA",
        "NER",
        "NGA",
        "UKR",
        "SYR",
        "SDN",
        "SOM",
        "COL",
        "MMR",
    }
    got = _located(pipeline, rows)
    scored = [(r, *_right(r, got.get(r["id"]))) for r in rows]
    towns = [s for s in scored if s[0]["precision"] == 1]
    levels = [s for s in scored if s[0]["precision"] != 1]
    held = [s for s in scored if s[0]["id"].startswith("held")]
    country = sum(c for _, c, _ in scored) / len(scored)
    within = sum(n for _, _, n in towns) / len(towns)
    level = sum(n for _, _, n in levels) / len(levels)
    held_country = sum(c for _, c, _ in held) / len(held)
    held_within = sum(n for _, _, n in held) / len(held)
    for r, _, n in scored:
        if not n:
            print("miss:", r["id"], r["place"], r["country"], "->", got.get(r["id"]))
    print(
        f"geo eval: country {country:.3f} ({len(scored)}), within 25 km {within:.3f} ({len(towns)} towns), "
        f"region/country level {level:.3f} ({len(levels)}); held-out country {held_country:.3f}, "
        f"place {held_within:.3f} ({len(held)})"
    )
    assert country >= FLOORS["country_accuracy"]
    assert within >= FLOORS["within_25km"]
    assert level >= FLOORS["region_country_level"]
    assert held_country >= FLOORS["heldout_country_accuracy"]
    assert held_within >= FLOORS["heldout_within_25km"]


# --- the seeds: countries are places only where the text uses them as places ---------------------


def _places(pipeline: Pipeline, text: str, date: str | None = None) -> ArticlePlaces:
    (result,) = list(geoparse(pipeline, [Document(origin="t", text=text, external_id="t", date=date)]))
    assert isinstance(result, GeoResult)
    return result.places


@pytest.mark.parametrize(("seed", "expected_places"), [("000", 4), ("001", 0)])
def test_seed_countries_are_places_only_after_a_locative_preposition(
    pipeline: Pipeline, seed: str, expected_places: int
) -> None:
    """Hand-checked on the two seed reports: every "in Mali"/"within Mali" is the country as a place;
    every other Mali, Russia and France (subject, possessive, "with Russia", "Russia-Mali") is an actor."""
    (path,) = shared_path("seeds").glob(f"{seed}_*.txt")
    (result,) = list(geoparse(pipeline, [Document(origin=str(path), text=path.read_text())]))
    assert isinstance(result, GeoResult)
    parsed = pipeline.nlp.parse(pipeline.nlp.sentences(result.article))
    sentences = {p.sentence.index: p.sentence.text for p in parsed}
    places = result.places
    found = {(m.sentence_index, m.start): m for m in places.mentions}
    expected: set[tuple[int, int]] = set()
    for index, text in sentences.items():
        for name in re.finditer(r"\b(?:Mali|Russia|France)\b", text):
            if re.search(r"\b(?:in|within)\s+$", text[: name.start()]):
                expected.add((index, name.start()))
    named = {k for k, m in found.items() if m.text in ("Mali", "Russia", "France")}
    assert named == expected
    assert len(expected) == expected_places
    iso = {"Mali": "MLI", "Russia": "RUS", "France": "FRA"}
    for key in named:
        m = found[key]
        assert m.place.precision == 3 and m.place.country == iso[m.text] and m.place.level == "country"


def test_seed_events_are_placed_in_mali_or_not_at_all(pipeline: Pipeline) -> None:
    for path in sorted(shared_path("seeds").glob("*.txt")):
        events = [
            e
            for e in code(pipeline, [Document(origin=str(path), text=path.read_text())])
            if isinstance(e, Event)
        ]
        assert events
        for e in events:
            assert e.location is None or e.location.country == "MLI", (e.sentence, e.location)


# --- place or actor, and disambiguation ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia trains Malian troops.", []),
        ("Fighting in Mali has displaced thousands.", [("Mali", "MLI", 3)]),
        ("Malian and Burkinabe soldiers patrolled together.", []),
        ("Moscow rejected the accusations.", []),
        ("Talks were held in Moscow.", [("Moscow", "RUS", 1)]),
        ("Russian missiles struck Kyiv overnight.", [("Kyiv", "UKR", 1)]),
        ("France condemned the coup in Niger.", [("Niger", "NER", 3)]),
        ("Concerns grew over Mali's alliance with Russia.", []),
        (
            "Gunmen killed 12 people near Djibo in northern Burkina Faso.",
            [("Djibo", "BFA", 1), ("Burkina Faso", "BFA", 3)],
        ),
        ("Armed men attacked villages in the Gao region.", [("Gao", "MLI", 2)]),
        ("Suicide bombers struck a market in Gao.", [("Gao", "MLI", 1)]),
        ("Jihadists killed ten people in Gwoza, Borno state.", [("Gwoza", "NGA", 1), ("Borno", "NGA", 2)]),
        ("Jihadist violence is spreading across West Africa and the Sahel.", []),
        ("Police said the Western-backed government had fallen.", []),
        ("President Vladimir Putin met the junta leader.", []),
        ("Lebanese troops deployed in Tripoli after clashes.", [("Tripoli", "LBN", 1)]),
        ("Clashes broke out in Tripoli, the Libyan government said.", [("Tripoli", "LBY", 1)]),
        ("Soldiers killed civilians in Moura, in central Mali.", [("Moura", "MLI", 1), ("Mali", "MLI", 3)]),
        ("Residents fled Léré, a town in Mali.", [("Léré", "MLI", 1), ("Mali", "MLI", 3)]),
    ],
)
def test_place_or_actor(pipeline: Pipeline, text: str, expected: list[tuple[str, str, int]]) -> None:
    places = _places(pipeline, text)
    assert [(m.text, m.place.country, m.place.precision) for m in places.mentions] == expected


def test_primary_place_is_the_most_precise_in_the_main_country(pipeline: Pipeline) -> None:
    text = (
        "Jihadists attacked the army camp in Boulkessi. The junta in Bamako said the attack in Mali "
        "was repelled. Russia condemned the attack."
    )
    primary = _places(pipeline, text).primary
    assert primary is not None and primary.name == "Boulkessi" and primary.country == "MLI"


# --- event location ------------------------------------------------------------------------------


def _first_event(pipeline: Pipeline, text: str) -> Event:
    events = [
        e for e in code(pipeline, [Document(origin="t", text=text, external_id="t")]) if isinstance(e, Event)
    ]
    assert events, text
    return events[-1]


@pytest.mark.parametrize(
    ("text", "name", "country", "precision", "how"),
    [
        ("Militants attacked an army camp near Boulkessi.", "Boulkessi", "MLI", 1, "tied"),
        ("In Gao, officials said that militants attacked the convoy.", "Gao", "MLI", 1, "sentence"),
        (
            "Fighting flared in Kidal on Sunday. Malian troops attacked the rebels.",
            "Kidal",
            "MLI",
            2,  # the article's place: coarser than a place named in the event's clause
            "article",
        ),
        ("Russia condemned Mali.", "Mali", "MLI", 3, "target"),
        (
            "Militants killed 20 soldiers in an attack on a base near Kursk in western Russia.",
            "Kursk",
            "RUS",
            1,
            "tied",
        ),
    ],
)
def test_event_location(
    pipeline: Pipeline, text: str, name: str, country: str, precision: int, how: str
) -> None:
    loc = _first_event(pipeline, text).location
    assert loc is not None
    assert (loc.name, loc.country, loc.precision, loc.how) == (name, country, precision, how)
    assert loc.lat is not None and loc.lon is not None


def test_events_carry_location_and_date_through_the_pipeline(pipeline: Pipeline) -> None:
    doc = Document(
        origin="t",
        text="Militants attacked the army camp in Boulkessi on Tuesday.",
        external_id="t",
        date="2024-03-14",
    )
    article = pipeline.clean(doc)
    assert isinstance(article, Article)
    (coded,) = list(pipeline.code_articles([article]))
    assert coded.events
    for e in coded.events:
        assert e.location is not None and e.location.name == "Boulkessi"
        assert str(e.date) == "2024-03-12" and e.date_precision == "day"
        assert e.to_record()["location"]["how"] == "tied"


# --- the gazetteer and its data file ---------------------------------------------------------------


def test_gazetteer_has_the_sahel_and_resolves_spellings() -> None:
    gaz = load_gazetteer()
    for name in ("Moura", "Kidal", "Ménaka", "Menaka", "Gao", "Tinzaouaten", "Tin-Zaouatene", "Djibo", "Mopti",
                 "Niamey", "Ouagadougou", "Tillabéri", "Tillaberi", "Diffa", "Timbuktu", "Tombouctou", "Léré",
                 "Boulkessi", "Ségou", "Segou", "Sévaré", "Sevare", "Kayes", "Arbinda", "Fada N'Gourma",
                 "Fada N’Gourma", "Maiduguri"):  # fmt: skip
        countries = {p.country for p in gaz.find(name) if p.level == "town"}
        assert countries & {"MLI", "BFA", "NER", "NGA"}, name
    assert normalize("Jisr al-Shughur") == normalize("Jisr ash Shughūr") == "jisr al shughur"
    mali = gaz.country("MLI")
    assert mali is not None and mali.precision == 3 and mali.geonames_id == 2453866 and mali.lat is not None
    region = gaz.region("MLI", "Gao")
    assert region is not None and region.precision == 2


def test_places_file_rows_are_facts_in_range() -> None:
    rows = load_places()
    assert len(rows) >= 20
    for row in rows:
        assert -90 <= row.lat <= 90 and -180 <= row.lon <= 180 and len(row.country) == 3


HEADER = (
    "name,alternate_names,country,admin1,lat,lon,feature_class,population,geonames_id,feature_code,notes\n"
)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("Moura,,MLI,Mopti,94.1,-4.5,P,,,PPL,\n", "coordinates out of range"),
        ("Moura,,MLX,Mopti,14.1,-4.5,P,,,PPL,\n", "ISO 3166-1 alpha-3"),
        ("Moura,,MLI,Mopti,north,-4.5,P,,,PPL,\n", "lat/lon must be numbers"),
        ("Moura,,MLI,Mopti,14.1,-4.5,X,,,PPL,\n", "feature_class"),
        ("Moura,,MLI,Mopti,14.1,-4.5,P,many,,PPL,\n", "population must be an integer"),
        ("Moura,,MLI,Mopti,14.1,-4.5,P,,,PPL,\nMoura,,MLI,Mopti,14.1,-4.5,P,,,PPL,\n", "duplicate place"),
        (",,MLI,Mopti,14.1,-4.5,P,,,PPL,\n", "name is empty"),
    ],
)
def test_a_bad_places_row_fails_loudly_with_file_and_line(tmp_path: Path, row: str, reason: str) -> None:
    path = tmp_path / "places.csv"
    path.write_text(HEADER + "# a comment line\n" + row, encoding="utf-8")
    with pytest.raises(DyadwatchError) as info:
        load_places(path)
    assert info.value.code == "E001"
    assert str(path) in info.value.message and reason in info.value.message
    assert re.search(r":[34]: ", info.value.message)


def test_a_places_file_with_a_wrong_header_fails(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text("place,lat,lon\nMoura,14,-4\n", encoding="utf-8")
    with pytest.raises(DyadwatchError, match="header must start with"):
        load_places(path)


def test_the_gazetteer_and_geocoding_need_no_network(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> socket.socket:
        raise OSError("network access during geocoding")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    built = load_gazetteer.__wrapped__(PLACES_CSV, tmp_path)  # build from the packages, write the cache
    cached = load_gazetteer.__wrapped__(PLACES_CSV, tmp_path)  # and read it back
    assert not built.from_cache and cached.from_cache and len(built) == len(cached) > 100_000
    geocoder = Geocoder(cached, ActorDictionary.load(), english_words(pipeline.nlp.nlp))
    article = pipeline.clean(Document(origin="t", text="Gunmen attacked a convoy near Djibo on 5 March."))
    assert isinstance(article, Article)
    places = geocoder.geoparse(list(pipeline.nlp.parse(pipeline.nlp.sentences(article))))
    assert places.primary is not None and places.primary.name == "Djibo"
    event = _first_event(pipeline, "Militants attacked the army camp in Boulkessi on 5 March 2024.")
    assert event.location is not None and str(event.date) == "2024-03-05"
