"""Disambiguation: which of a name's gazetteer candidates an article means, and its primary place.

:class:`Ranker` scores each candidate of a :class:`NameMatch` by how the name matched, population,
the article's country context (its actors and unambiguous places) and level (country names stand for
the country; "Gao region" for the region, "Gao" for the town). :func:`primary_place` picks where
an article's story happens from its resolved :class:`PlaceMention` s.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dyadwatch.geo.gazetteer import Candidate, Gazetteer, Place

ADMIN1_WORDS = frozenset("region province state oblast governorate".split())
NEAR_KM = 250.0  # a candidate this close to another place of the document is its neighbour
MAX_ANCHORS = 24  # the document's places a candidate is compared with (the first ones)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place as it appears in a sentence (character offsets relative to the sentence)."""

    text: str
    sentence_index: int
    start: int
    end: int
    place: Place
    locative: bool
    prep: str | None = None  # the locative preposition ("in", "near", "from"), if any

    def to_record(self) -> dict[str, Any]:
        return {"text": self.text, **self.place.to_record(), "sentence_index": self.sentence_index}


@dataclass(frozen=True, slots=True)
class ArticlePlaces:
    """The places of one article, in order, and its primary place (where the story happens)."""

    mentions: tuple[PlaceMention, ...]
    primary: Place | None

    def in_sentence(self, index: int) -> list[PlaceMention]:
        return [m for m in self.mentions if m.sentence_index == index]


@dataclass
class NameMatch:
    """A gazetteer or actor name found in a sentence, with what its context says about it."""

    sentence_index: int
    first: int  # token numbers
    last: int
    start: int  # characters
    end: int
    text: str
    key: str
    candidates: list[Candidate]
    kinds: frozenset[str]  # actor kinds: country | capital | demonym | org
    countries: tuple[str, ...]  # countries of the actors this name stands for
    locative: bool = False
    prep: str | None = None
    region_word: str | None = None  # "region" in "the Gao region"
    town_word: bool = False
    plausible: bool = True  # not a capitalised English word or part of a person's name
    facility: bool = False  # a pipeline's, a refinery's or a company's name ("the Druzhba pipeline")
    qualifiers: set[tuple[str | None, str | None]] = field(default_factory=set)  # "Gwoza, Borno state"


class Ranker:
    """Scores the candidates of names against an article's context."""

    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer

    def weights(self, matches: Iterable[NameMatch]) -> Counter[str]:
        """The article's country context: its actors' countries and its unambiguous places."""
        weights: Counter[str] = Counter()
        for m in matches:
            if not (m.locative and m.kinds <= {"capital"}):  # "in Tripoli": a place to resolve, not context
                for c in m.countries:
                    weights[c] += 1
            places = {c.place.country for c in m.candidates}
            if not m.kinds and len(places) == 1 and m.plausible:
                weights[places.pop() or ""] += 2 if m.locative else 1
        weights.pop("", None)
        return weights

    def resolve_all(self, matches: Sequence[NameMatch], weights: Counter[str]) -> list[Place]:
        """Each name's place, in two passes: the second counts the places the first found as the
        document's context (their countries, and nearness to them: "Paris" near "Dallas"). A name
        read the same way twice is resolved once per pass."""
        first = self._each(matches, lambda m: self.resolve(m, weights))
        if len(matches) < 2:
            return first
        context = Counter(weights)
        picked: dict[str, Place] = {}
        for m, p in zip(matches, first, strict=True):
            if m.key not in picked and p.country:
                context[p.country] += 1
            picked.setdefault(m.key, p)
        anchors = [
            (key, p.lat, p.lon)
            for key, p in picked.items()
            if p.lat is not None and p.lon is not None and p.level in ("town", "admin1")
        ][:MAX_ANCHORS]
        ambiguous = [m for m in matches if len(m.candidates) > 1]
        again = iter(
            self._each(
                ambiguous,
                lambda m: self.resolve(m, context, [(a, b) for key, a, b in anchors if key != m.key]),
            )
        )
        return [next(again) if len(m.candidates) > 1 else p for m, p in zip(matches, first, strict=True)]

    @staticmethod
    def _each(matches: Sequence[NameMatch], resolve: Callable[[NameMatch], Place]) -> list[Place]:
        done: dict[tuple[object, ...], Place] = {}
        out = []
        for m in matches:
            how = (m.key, m.region_word, m.town_word, frozenset(m.qualifiers))
            if how not in done:
                done[how] = resolve(m)
            out.append(done[how])
        return out

    def resolve(self, m: NameMatch, weights: Counter[str], near: Sequence[tuple[float, float]] = ()) -> Place:
        """The candidate with the best score: name match, population, country context, nearness to
        the document's other places, level."""
        top = max(weights.values(), default=0)
        strong = [c for c in m.candidates if c.strong]
        is_country = m.key in self.gaz.country_names
        regions = {c.place.country for c in m.candidates if c.place.level == "admin1"}
        seats = bool(regions) and not m.region_word  # "Gao": the town, not the Gao region
        big_towns = {
            c.place.country for c in strong if c.place.level != "country" and c.place.population >= 100_000
        } | {c.place.country for c in strong if c.place.level == "admin1"}
        local = any(weights.get(c.place.country or "", 0) for c in strong)
        towns = [c.place for c in strong if c.place.level == "town"]  # by their own names only
        sizes = [*sorted((p.population for p in towns), reverse=True), 0]
        dominant = sizes[0] if sizes[0] >= 200_000 and sizes[0] >= 10 * sizes[1] else -1
        if any(p.curated for p in towns):  # our own entries have no population figure
            dominant = -1

        def score(c: Candidate) -> float:
            p = c.place
            strong_name = c.strong or (seats and p.level == "town" and p.country in regions)  # "Kiev" → Kyiv
            s = 2.0 * strong_name + 0.5 * math.log10(p.population + 1) + 3.0 * p.curated
            if not strong_name and strong:  # alternate names count less, and never beat a local own name
                s -= 3.0 if local else 0.5
            s += 3.0 * weights.get(p.country or "", 0) / (top or 1)
            if near and p.lat is not None and p.lon is not None and _near(p.lat, p.lon, near):
                s += 3.0
            # Moscow, not Moscow (Idaho), whatever the context
            s += 4.0 * (c.strong and p.level == "town" and p.population == dominant)
            if (p.country, None) in m.qualifiers or (p.country, p.admin1) in m.qualifiers:
                s += 6.0  # "Gwoza, Borno state"
            if p.level == "country" and is_country:
                s += 10.0 if p.country not in big_towns else -1.0  # "Gaza" the city, "Gaza Strip" the region
            elif p.level == "admin1":
                s += 4.0 if m.region_word else (-3.0 if seats and self._has_seat(m, p) else 0.0)
            elif m.town_word:
                s += 1.0
            return s

        best = max(m.candidates, key=score).place
        if m.region_word in ADMIN1_WORDS and best.level == "town" and best.admin1:  # "Timbuktu region"
            region = self.gaz.region(best.country, best.admin1)
            return region or best
        return best

    @staticmethod
    def _has_seat(m: NameMatch, region: Place) -> bool:
        """A same-name town inside the region ("Gao" in the Gao region; not California, Maryland)."""
        return any(
            c.strong
            and c.place.level == "town"
            and c.place.country == region.country
            and c.place.admin1 == region.admin1
            for c in m.candidates
        )


def _near(lat: float, lon: float, points: Sequence[tuple[float, float]]) -> bool:
    """Within NEAR_KM of one of the points (an equirectangular approximation: fast, and close enough)."""
    scale = math.cos(math.radians(lat))
    limit = (NEAR_KM / 111.2) ** 2
    return any((lat - a) ** 2 + ((lon - b) * scale) ** 2 <= limit for a, b in points)


def primary_place(mentions: Sequence[PlaceMention]) -> Place | None:
    """The article's main place: in its most-mentioned country, the most precise, most mentioned, first."""
    if not mentions:
        return None
    by_country: Counter[str] = Counter()
    for m in mentions:  # "in X" counts double; "from X" (where someone came from) does not
        by_country[m.place.country or ""] += 2 if m.locative and m.prep != "from" else 1
    order = {c: i for i, c in reversed(list(enumerate(m.place.country or "" for m in mentions)))}
    country = max(by_country, key=lambda c: (by_country[c], -order[c]))
    inside = [m.place for m in mentions if (m.place.country or "") == country]
    counts = Counter(inside)
    first = {p: i for i, p in reversed(list(enumerate(inside)))}
    return min(counts, key=lambda p: (p.precision, -counts[p], first[p]))
