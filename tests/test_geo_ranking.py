"""Disambiguation classes on a small hand-built gazetteer: each test names a class of error measured
on the real corpora (a foreign homonym by alternate name, population over a curated entry, no use of
the document's other places, peoples read as villages, "the capital X", "the X prefect")."""

from __future__ import annotations

import pytest

from dyadwatch.geo.gazetteer import Gazetteer, Place
from dyadwatch.geo.geocoder import Geocoder
from dyadwatch.nlp.parser import Parsed
from dyadwatch.pipeline import Pipeline
from dyadwatch.records import Sentence


def _town(name: str, country: str, lat: float, lon: float, population: int = 0, **kw: object) -> Place:
    return Place(name, country, None, lat, lon, "P", "PPL", population, None, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def geo(pipeline: Pipeline) -> Geocoder:
    gaz = Gazetteer()
    gaz._add(_town("Boni", "MLI", 15.08, -1.83, 2_000), ["Boni"])
    gaz._add(_town("Bonn", "DEU", 50.73, 7.10, 330_000), ["Bonn"], ["Boni"])  # an alternate name
    gaz._add(_town("Léré", "MLI", 15.71, -4.91, curated=True), ["Léré", "Lere"])
    gaz._add(_town("Lere", "NGA", 10.38, 8.57, 120_000), ["Lere"])
    gaz._add(_town("Dianké", "MLI", 15.63, -4.33, curated=True), ["Dianke"])
    gaz._add(_town("Paris", "FRA", 48.85, 2.35, 2_100_000), ["Paris"])
    gaz._add(_town("Paris", "USA", 33.66, -95.56, 25_000), ["Paris"])
    gaz._add(_town("Dallas", "USA", 32.78, -96.80, 1_300_000), ["Dallas"])
    gaz._add(_town("Dogon", "MLI", 14.5, -3.5, 300), ["Dogon"])
    gaz._add(_town("Fulani", "NGA", 11.0, 9.0, 300), ["Fulani"])
    gaz._add(_town("Nara", "MLI", 15.17, -7.29, 18_000), ["Nara"])
    gaz._add(_town("Bamako", "MLI", 12.65, -8.0, 1_800_000), ["Bamako"])
    gaz._freeze()
    return Geocoder(gaz, pipeline.actors)


def _places(geo: Geocoder, *sentences: str) -> list[tuple[str, str | None]]:
    parsed = [Parsed(Sentence("a", i, text, 0), None) for i, text in enumerate(sentences)]
    return [(m.text, m.place.country) for m in geo.geoparse(parsed).mentions]


def test_an_alternate_name_never_beats_a_local_primary_one(geo: Geocoder) -> None:
    assert ("Boni", "MLI") in _places(geo, "Gunmen attacked a convoy on the outskirts of Boni.")


def test_a_curated_entry_beats_a_populous_homonym(geo: Geocoder) -> None:
    assert _places(geo, "Clashes were reported between Lere and Dianke.") == [
        ("Lere", "MLI"),
        ("Dianke", "MLI"),
    ]


def test_the_documents_other_places_pull_a_homonym_near_them(geo: Geocoder) -> None:
    places = _places(
        geo, "A storm hit Dallas on Monday.", "Schools in Paris closed as the storm moved north."
    )
    assert ("Paris", "USA") in places
    assert ("Paris", "FRA") in _places(geo, "Schools in Paris closed on Monday.")


def test_peoples_are_not_places(geo: Geocoder) -> None:
    assert _places(geo, "Fulani herders and Dogon hunters clashed again.") == []
    assert ("Dogon", "MLI") in _places(geo, "The village of Dogon was attacked.")


def test_the_capital_and_the_prefect_name_places(geo: Geocoder) -> None:
    assert ("Nara", "MLI") in _places(geo, "Residents told the Nara prefect about the raid.")
    assert ("Bamako", "MLI") in _places(geo, "Thousands protested against France, the capital Bamako said.")


def test_a_country_prior_ranks_and_places_at_country_level(pipeline: Pipeline) -> None:
    from dyadwatch.errors import DyadwatchError
    from dyadwatch.geo.geocoder import ArticlePlaces
    from dyadwatch.pipeline import code
    from dyadwatch.records import Document, Event

    gaz = Gazetteer()
    gaz._add(_town("Boni", "MLI", 15.08, -1.83, 2_000), ["Boni"])
    gaz._add(_town("Boni", "BFA", 11.54, -3.40, 3_000), ["Boni"])
    gaz.countries["MLI"] = gaz._add(Place("Mali", "MLI", None, 17.0, -4.0, "A", "PCLI", 0, 2453866), ["Mali"])
    gaz._freeze()
    parsed = [Parsed(Sentence("a", 0, "Gunmen attacked a convoy on the outskirts of Boni.", 0), None)]
    assert [m.place.country for m in Geocoder(gaz, pipeline.actors).geoparse(parsed).mentions] == ["BFA"]
    prior = Geocoder(gaz, pipeline.actors, country="mli")
    assert [m.place.country for m in prior.geoparse(parsed).mentions] == ["MLI"]
    events = [e for e in code(pipeline, [Document(origin="t", text="Protesters demonstrated on Friday.")])]
    event = next(e for e in events if isinstance(e, Event))
    assert Geocoder(gaz, pipeline.actors).locate(event, [], None, ArticlePlaces((), None)) is None
    where = prior.locate(event, [], None, ArticlePlaces((), None))
    assert where is not None and (where.country, where.how, where.precision) == ("MLI", "prior", 3)
    with pytest.raises(DyadwatchError) as err:
        Geocoder(gaz, pipeline.actors, country="XYZ")
    assert err.value.code == "E034"


def test_a_country_name_stays_the_country_beside_a_same_name_region(pipeline: Pipeline) -> None:
    """'fled into Niger' in Nigerian news is the country, though Nigeria has a Niger state (giving
    same-name regions of the document's country the win lifts LGL's 'Georgia' but breaks this)."""
    from dyadwatch.pipeline import geoparse
    from dyadwatch.records import Document

    text = (
        "Gunmen killed 12 villagers in Zamfara state and Kaduna, Nigerian police said. "
        "The attackers then fled into Niger, officials in Abuja said."
    )
    (result,) = geoparse(pipeline, [Document(origin="t", text=text)])
    places = {m.text: (m.place.country, m.place.level) for m in result.places.mentions}  # type: ignore[union-attr]
    assert places["Niger"] == ("NER", "country") and places["Zamfara"] == ("NGA", "admin1")
