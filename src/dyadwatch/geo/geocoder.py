"""Stage 6 — geo: place mentions → gazetteer places; each event's location and date.

1. candidates — capitalised word sequences of each sentence looked up, longest first, in the
   gazetteer (:mod:`dyadwatch.geo.gazetteer`) and in the actor dictionary;
2. place or actor — demonyms are never places; country, capital and organisation names are places
   only where the sentence uses them as places: after a locative preposition ("in", "near",
   "across", …), as "the town of X", "X region", "X-based" (read from the words around them, and
   from the dependency parse when the sentence was parsed). "Russia trains Malian troops": no place;
   "fighting in Mali": Mali, precision 3. Other gazetteer names (towns) are places wherever they
   appear, unless they look like a capitalised English word or part of a person's name;
3. disambiguation — each name's candidates scored by how the name matched, population, the
   article's country context (its actors and unambiguous places) and level (country names stand for
   the country; "Gao region" for the region, "Gao" for the town);
4. the article's primary place, and each event's :class:`~dyadwatch.records.Location` (tied →
   sentence → article → target) and date (:mod:`dyadwatch.geo.dates`).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from dyadwatch.coding.actors import ActorDictionary, placed
from dyadwatch.errors import DyadwatchError
from dyadwatch.geo import dates
from dyadwatch.geo.gazetteer import ARABIC_ARTICLES, Candidate, Gazetteer, Place, normalize
from dyadwatch.geo.ranking import ArticlePlaces as ArticlePlaces
from dyadwatch.geo.ranking import NameMatch, PlaceMention, Ranker, primary_place
from dyadwatch.nlp.parser import Parsed
from dyadwatch.records import Article, Event, Location

# Prepositions that make the next noun phrase a place ("fighting in Mali", "a convoy near Djibo").
LOC_PREPS = frozenset(
    "in near outside around across at from into between inside within throughout towards toward through "
    "along off".split()
)
# "the town of X", "north of X", "the outskirts of X", "the capital of X".
GEO_NOUNS = frozenset(
    """town towns city cities village villages region regions province provinces state district area areas
    outskirts suburb suburbs vicinity north south east west northeast northwest southeast southwest north-east
    north-west south-east south-west centre center heart capital border borders port commune communes
    municipality department governorate oblast county prefecture locality settlement camp base parts part
    countryside interior desert km kilometres kilometers miles locality zone""".split()
)
REGION_WORDS = frozenset(
    "region province state oblast governorate district county prefecture department division".split()
)
TOWN_WORDS = frozenset("town village city commune locality settlement hamlet".split())
# Words that may stand between a preposition and its place: "in the restive north-eastern Borno state".
_SKIP = frozenset(
    """the a an northern southern eastern western central north-eastern northeastern north-western
    northwestern south-eastern southeastern south-western southwestern north south east west northeast
    northwest southeast southwest far restive neighbouring neighboring nearby rural remote war-torn
    conflict-hit conflict-torn troubled volatile occupied besieged embattled landlocked coastal mainland
    greater upper lower insurgency-hit jihadist-hit militant-hit lawless vast mineral-rich oil-rich
    gold-rich border frontline front-line""".split()
)
# "between" makes places only of a geographic noun: "the border between Mali and Niger".
_BETWEEN_NOUNS = frozenset("border frontier road highway route area region corridor zone triangle".split())
# "support from Russia": a country after "from" is an actor when it follows one of these.
_ACTOR_NOUNS = frozenset(
    """support aid assistance help troops forces soldiers delegation delegations envoy envoys officials
    response pressure funding money weapons arms backing mercenaries instructors advisers advisors
    statement message call criticism condemnation investment investments loans backing""".split()
)
# A capital is a place, not its government, as the object of these ("missiles struck Kyiv").
_ATTACK_FORMS = frozenset(
    """attacked attack attacks attacking struck strike strikes striking hit hits shelled shelling shell
    bombed bombing bomb raided raid stormed storm besieged seized seize captured capture recaptured
    retook retake overran overrun targeted targeting target pounded pound entered enter occupied occupy
    encircled surrounded invaded bombarded liberated""".split()
)
_PASSIVE = frozenset("was were is are been being".split())
_TITLES = frozenset(
    """president minister general colonel col gen captain capt lieutenant lt commander leader spokesman
    spokeswoman spokesperson mr mrs ms dr sheikh imam chief prime king prince emir sergeant major""".split()
)
# Name words allowed in lower case inside a place name ("Fada N'Gourma", "Port-au-Prince", "Ras al-Ayn").
_CONNECTORS = frozenset(
    "de du des la le les al el ad as ash an ar az at of the and sur au aux en y di da do dos das bin ibn bou ben"
    " ould d".split()
)
_CALENDAR = frozenset(
    """january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday""".split()
)
_ALLOWED_NEIGHBOURS = _CALENDAR | REGION_WORDS | {"city"}  # "Gao Sunday", "Gao Region", "Gaza City"
# Areas wider than a country: matched (so "West Africa" is not read as "West" + "Africa") but never
# resolved; "Sahel" is also a Burkinabe region, which "Sahel region" still finds.
WIDE_AREAS = frozenset(
    normalize(area)
    for area in """africa|europe|asia|latin america|south america|north america|central america|middle east|
    west africa|east africa|north africa|southern africa|central africa|horn of africa|sub-saharan africa|
    sahel|maghreb|levant|balkans|caucasus|gulf|persian gulf|arabian peninsula|central asia|south asia|
    southeast asia|east asia|eastern europe|western europe|lake chad|lake chad basin|liptako-gourma|west|
    east""".split("|")
)
# Peoples of the Sahel and West Africa whose names are also villages in GeoNames: not places.
ETHNONYMS = frozenset(
    """bambara bamanan fulani fula fulbe fulfulde peul peuls peulh dogon tuareg tuaregs touareg touaregs
    tamasheq songhai songhay sonrai bozo bella moor moors mossi hausa kanuri zarma djerma soninke
    sarakole malinke mandinka mandingo wolof serer toucouleur senufo senoufo dozo dozos minianka
    gourmantche bobo samo dafing arab arabs berber berbers""".split()
)
# Capitalised English words that are also spellings of the Arabic article: never start a place name
# unless hyphenated ("As-Sidra").
_ENGLISH_ARTICLES = frozenset("as at an ad".split())
# A name before these is a facility's or a company's, not the event's place ("the Druzhba pipeline").
_FACILITIES = frozenset(
    """pipeline pipelines refinery refineries company corporation corp bank airlines airways holding
    holdings foundation fund""".split()
)
# "the Nara prefect", "the Gao governor": the name before an official's title is a place.
_OFFICIALS = frozenset("prefect prefecture governor governorate mayor sub-prefect subprefect".split())
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:['’]\w+)*|\S")


class _Token(NamedTuple):
    text: str
    start: int
    end: int
    norm: str  # gazetteer.normalize of a word, the text itself for punctuation
    cap: bool
    word: bool


def english_words(nlp: Any) -> frozenset[str]:
    """Lower-case English words from a spaCy pipeline's lemmatizer tables (empty if it has none)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words: set[str] = set(STOP_WORDS)
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except (KeyError, ValueError):
        return frozenset(words)
    for key in table:
        words.update(w for w in table[key] if w.isalpha())
    return frozenset(words)


class Geocoder:
    """Finds and resolves the places of articles and locates and dates their events."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        actors: ActorDictionary,
        lexicon: frozenset[str] = frozenset(),
        country: str | None = None,
    ):
        self.gaz = gazetteer
        self.ranker = Ranker(gazetteer)
        self.prior = country.strip().upper() if country else None  # the country the input reports on
        if self.prior is not None and self.gaz.country(self.prior) is None:
            raise DyadwatchError("E034", iso3=country)
        self.actors = actors
        # English words that look like place names when capitalised, less the names of large places
        # ("Gao" and "Reading" are nouns too): those are read as places wherever they are capitalised.
        self.lexicon = frozenset(w for w in lexicon if not self._well_known(w))
        self.actor_keys: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
        kinds: dict[str, set[str]] = defaultdict(set)
        countries: dict[str, set[str]] = defaultdict(set)
        for form, entries in actors.proper.items():
            if not form[:1].isupper():
                continue
            key = normalize(form)
            for e in entries:
                kinds[key].add(e.kind)
                country = e.key if e.kind != "org" else actors.orgs[e.key].country
                if country:
                    countries[key].add(country)
        for key, found in kinds.items():
            self.actor_keys[key] = (frozenset(found), tuple(sorted(countries[key])))
        self.max_words = min(max(self.gaz.max_words, max(k.count(" ") + 1 for k in self.actor_keys)), 8)

    def _well_known(self, word: str) -> bool:
        return any(
            c.strong and (c.place.curated or (c.place.level == "town" and c.place.population >= 50_000))
            for c in self.gaz.lookup(word)
        )

    # --- 1. candidates ---------------------------------------------------------------------------

    def _tokens(self, text: str) -> list[_Token]:
        out: list[_Token] = []
        for m in _TOKEN.finditer(text):
            word, start = m.group(), m.start()
            if len(word) > 2 and word[-2:] in ("'s", "’s"):  # "Mali's" → "Mali" + "'s"
                base = word[:-2]
                out.append(_Token(base, start, start + len(base), _norm(base), base[0].isupper(), True))
                start += len(base)
                word = word[-2:]
            if word[0].isalnum():
                out.append(_Token(word, start, start + len(word), _norm(word), word[0].isupper(), True))
            else:
                out.append(_Token(word, start, start + len(word), word, False, False))
        return out

    def _matches(self, text: str, index: int) -> list[NameMatch]:
        toks = self._tokens(text)
        out: list[NameMatch] = []
        i, n = 0, len(toks)
        while i < n:
            t = toks[i]
            starts = t.word and (t.cap or (t.norm in ("al", "el") and i + 1 < n and toks[i + 1].text == "-"))
            if t.norm in _ENGLISH_ARTICLES and not (i + 1 < n and toks[i + 1].text == "-"):
                starts = False  # "As Mali grapples …" is not "as-Mali"
            if not starts:
                i += 1
                continue
            best: tuple[int, str] | None = None
            parts: list[str] = []
            for j in range(i, min(n, i + 2 * self.max_words)):
                tj = toks[j]
                if not tj.word:
                    glued = tj.text in ("-", ".") and j > i and toks[j - 1].end == tj.start
                    if glued and (tj.text == "." or (j + 1 < n and toks[j + 1].start == tj.end)):
                        continue
                    break
                if j > i and not (tj.cap or tj.norm in _CONNECTORS):
                    break
                parts.append(tj.norm)
                if len(parts) > self.max_words:
                    break
                key = ARABIC_ARTICLES.sub("al ", " ".join(parts))  # keyed like gazetteer.normalize
                if tj.cap and (key in self.gaz or key in self.actor_keys or key in WIDE_AREAS):
                    best = (j, key)
            if best is None:
                i += 1
                continue
            j, key = best
            kinds, countries = self.actor_keys.get(key, (frozenset(), ()))
            start, end = toks[i].start, toks[j].end
            candidates = self.gaz.lookup(key) if "demonym" not in kinds else []
            out.append(NameMatch(index, i, j, start, end, text[start:end], key, candidates, kinds, countries))
            i = j + 1
        self._context(toks, out, text)
        return out

    # --- 2. place or actor -------------------------------------------------------------------------

    def _context(self, toks: list[_Token], matches: list[NameMatch], text: str) -> None:
        """Mark each match locative or not, and implausible where it looks like a word or a name."""
        words = [t for t in toks if t.word]
        headline = (
            len(words) >= 4 and sum(t.cap for t in words) >= 0.6 * len(words) and not text.endswith(".")
        )
        previous: NameMatch | None = None
        ends = {m.last: m for m in matches}
        for m in matches:
            k = m.first - 1
            while k >= 0 and (toks[k].norm in _SKIP or _possessive_at(toks, k)):
                k -= 2 if _possessive_at(toks, k) else 1
            before = toks[k].norm if k >= 0 else ""
            after = toks[m.last + 1].norm if m.last + 1 < len(toks) else ""
            m.region_word = after if after in REGION_WORDS else None
            m.town_word = before == "of" and k >= 1 and toks[k - 1].norm in TOWN_WORDS
            if before == "capital":  # "the capital Bamako Saturday"
                m.locative = m.town_word = True
            elif not m.kinds and after in _OFFICIALS:  # "the Nara prefect"
                m.town_word = True
            if {after, toks[m.last + 2].norm if m.last + 2 < len(toks) else ""} & _FACILITIES:
                m.facility = True  # "the Druzhba (oil) pipeline"
            if before in LOC_PREPS:
                m.locative = _prep_makes_place(before, toks, k)
                m.prep = before if m.locative else None
            elif before == "of" and k >= 1 and toks[k - 1].norm in GEO_NOUNS:
                m.locative = True
            elif before in ("and", "or", ",") and previous is not None and previous.last == k - 1:
                m.locative = previous.locative
            elif before in ("and", "or") and k >= 1 and toks[k - 1].text == "," and k - 2 in ends:
                m.locative = ends[k - 2].locative
            if m.region_word or (
                after == "-" and m.last + 2 < len(toks) and toks[m.last + 2].norm == "based"
            ):
                m.locative = True
            if _possessive_at(toks, m.last + 1) and not _geo_follows(toks, m.last + 2):
                m.locative = False  # "at Moscow's request", "Russia's interest"
            if not m.locative and (m.kinds <= {"capital"}):
                m.locative = _attack_object(toks, m)  # "missiles struck Kyiv", "forces captured Avdiivka"
            initial = m.first == 0 or toks[m.first - 1].text in ('"', "“", ":")
            m.plausible = self._plausible(toks, m, initial, headline)
            previous = m
        for a, b in itertools.pairwise(matches):
            between = [t.norm for t in toks[a.last + 1 : b.first]]
            if between in ([","], [",", "in"]):  # "Gwoza, Borno state", "Mubi, in Adamawa state"
                a.qualifiers = {
                    (c.place.country, c.place.admin1) for c in b.candidates if c.place.level != "town"
                }
                a.qualifiers |= {(country, None) for country in b.countries if "country" in b.kinds}

    def _plausible(self, toks: list[_Token], m: NameMatch, initial: bool, headline: bool) -> bool:
        if m.first > 0 and toks[m.first - 1].norm in _TITLES:
            return False  # "President Bazoum", "General Tiani"
        word = toks[m.first].text
        if m.first == m.last and not (m.kinds or initial or headline) and word.isupper() and len(word) <= 4:
            return False  # "a BAK launcher": an acronym in running text ("the UAE", "DRC" are actors)
        if not headline:  # in running text a capitalised neighbour makes a longer name
            for k in (m.first - 1, m.last + 1):  # "Vladimir Putin", "the National Police"
                if k >= 1 and k < len(toks) and _capitalised(toks[k]):
                    return False
        # "Police said", "Western nations": a capitalised English word, unless used as a place
        return m.locative or m.first != m.last or m.key not in self.lexicon

    def _is_place(self, m: NameMatch, weights: Counter[str]) -> bool:
        if not m.candidates or "demonym" in m.kinds or m.key in _CALENDAR:
            return False
        if m.key in WIDE_AREAS and not m.region_word:
            return False
        if m.facility:
            return False
        if m.key in ETHNONYMS and not (m.region_word or m.town_word):
            return False  # "Fulani herders", "the Dogon": peoples, though villages bear their names
        strong = [c for c in m.candidates if c.strong]
        supported = any(weights.get(c.place.country or "", 0) for c in m.candidates)
        if not strong and not (
            supported or m.locative or max(c.place.population for c in m.candidates) >= 100_000
        ):
            return False  # matched only by a (small) place's alternate name, in no context
        if m.kinds:  # a country, capital or organisation name: a place only where used as one
            return m.locative
        if not m.plausible:
            return False
        if (
            m.key in self.lexicon
            and strong
            and all(c.place.level == "admin1" for c in strong)
            and not m.region_word
        ):
            return False  # "in the West", "Plateau": a region only as "Plateau state"
        if m.locative or m.town_word:
            return True
        return supported or any(c.place.population > 0 or c.place.curated for c in strong)

    # --- the stage's verb ----------------------------------------------------------------------

    def geoparse(self, parsed: Sequence[Parsed]) -> ArticlePlaces:
        """The places of an article's sentences (in order), with its primary place."""
        matches = [m for p in parsed for m in self._matches(p.sentence.text, p.sentence.index)]
        docs = {p.sentence.index: p.doc for p in parsed if p.doc is not None}
        for m in matches:
            doc = docs.get(m.sentence_index)
            if doc is not None and m.kinds and not m.locative and m.candidates:
                m.locative = _parsed_locative(doc, m)
        weights = self._with_prior(self.ranker.weights(matches))
        kept = [m for m in matches if self._is_place(m, weights)]
        mentions = tuple(
            PlaceMention(m.text, m.sentence_index, m.start, m.end, place, m.locative, m.prep)
            for m, place in zip(kept, self.ranker.resolve_all(kept, weights), strict=True)
        )
        return ArticlePlaces(mentions, primary_place(mentions))

    def resolve_spans(self, text: str, spans: Sequence[tuple[int, int]]) -> list[Place | None]:
        """The place each given span of ``text`` names (toponym resolution given gold spans), in the
        context of the names the document's other lines hold; None where no candidate is known."""
        lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
        found = [m for i, (_, line) in enumerate(lines) for m in self._matches(line, i)]
        weights = self._with_prior(self.ranker.weights(found))
        gold: list[NameMatch | None] = []
        for start, end in spans:
            i = max((k for k, (at, _) in enumerate(lines) if at <= start), default=0)
            at, line = lines[i] if lines else (0, text)
            m = self._span_match(line, i, start - at, end - at)
            gold.append(m if m is not None and m.candidates else None)
        known = [m for m in gold if m is not None]
        places = iter(self.ranker.resolve_all(known, weights))
        return [next(places) if m is not None else None for m in gold]

    def _span_match(self, line: str, index: int, start: int, end: int) -> NameMatch | None:
        toks = self._tokens(line)
        inside = [k for k, t in enumerate(toks) if t.start >= start and t.end <= end and t.word]
        if not inside:
            return None
        first, last = inside[0], inside[-1]
        phrase = line[toks[first].start : toks[last].end]
        key = normalize(phrase.removeprefix("the ").removeprefix("The "))
        kinds, countries = self.actor_keys.get(key, (frozenset(), ()))
        candidates = self.gaz.lookup(key)
        if "demonym" in kinds or not candidates:  # "Turkish", "Malian": the country of the demonym
            states = [self.gaz.country(c) for c in countries]
            candidates = [Candidate(p, True) for p in states if p is not None] or candidates
        m = NameMatch(
            index, first, last, toks[first].start, toks[last].end, phrase, key, candidates, kinds, countries
        )
        self._context(toks, [m], line)
        return m

    # --- 4. events ----------------------------------------------------------------------------

    def annotate(self, article: Article, parsed: Sequence[Parsed], events: list[Event]) -> list[Event]:
        """Events with their location, date and date precision set."""
        if not events:
            return events
        places = self.geoparse(parsed)
        docs = {p.sentence.index: p.doc for p in parsed}
        out = []
        for e in events:
            doc = docs.get(e.sentence_index)
            when, precision = dates.event_date(e, doc, article.published)
            here = places.in_sentence(e.sentence_index)
            tied = _tied(doc, e, here) if here and doc is not None else None
            if tied is not None and tied.place.country:  # "attacks in northeastern Nigeria" → NGA
                e = placed(self.actors, e, tied.place.country, tied.text, tied.start, tied.end)
            location = self.locate(e, here, tied, places)
            out.append(dataclasses.replace(e, location=location, date=when, date_precision=precision))
        return out

    def locate(
        self, event: Event, here: list[PlaceMention], tied: PlaceMention | None, places: ArticlePlaces
    ) -> Location | None:
        """Where an event happened: the place ``tied`` to it (see :func:`_tied`), else the nearest of
        its sentence's places ``here``, the article's, its target's."""
        centre = (event.trigger.start + event.trigger.end) / 2
        nearest = sorted(
            here, key=lambda m: (not m.locative, m.place.precision, abs((m.start + m.end) / 2 - centre))
        )
        if tied is not None:
            return _within(tied.place, nearest).location("tied")
        if nearest:
            return _within(nearest[0].place, nearest).location("sentence")
        if places.primary is not None:  # only the article's context put it there: never a point claim
            where = places.primary.location("article")
            return dataclasses.replace(where, precision=max(where.precision, 2))
        country = self.gaz.country(event.target.actor.country if event.target else None)
        if country is not None:
            return country.location("target")
        prior = self.gaz.country(self.prior)  # a country-level place, never a point claim
        return prior.location("prior") if prior is not None else None

    def _with_prior(self, weights: Counter[str]) -> Counter[str]:
        """The document's country context, with the prior country on top of it."""
        if self.prior is not None:
            weights[self.prior] = max(weights.values(), default=0) + 1
        return weights


def _within(place: Place, mentions: Sequence[PlaceMention]) -> Place:
    """A region or country made precise by a place inside it in the same sentence ("Léré … in the
    Timbuktu region", "an airfield near Kursk in western Russia")."""
    if place.level == "town":
        return place
    for m in mentions:
        p = m.place
        inside = p.country == place.country and (place.level == "country" or p.admin1 == place.admin1)
        if inside and p.precision < place.precision:
            return p
    return place


# --- helpers on tokens --------------------------------------------------------------------------


def _norm(word: str) -> str:
    """A single token's key (no spaces, hyphens or periods in it): the fast path of normalize."""
    return word.lower() if word.isascii() else normalize(word)


def _capitalised(tok: _Token) -> bool:
    return tok.word and tok.cap and tok.norm not in _ALLOWED_NEIGHBOURS


def _possessive_at(toks: list[_Token], k: int) -> bool:
    return 0 <= k < len(toks) and toks[k].text in ("'s", "’s")


def _geo_follows(toks: list[_Token], k: int) -> bool:
    """After "Mali's": a geographic noun, possibly behind adjectives ("Mali's central Mopti region")."""
    while k < len(toks) and toks[k].norm in _SKIP:
        k += 1
    return k < len(toks) and (toks[k].norm in GEO_NOUNS or toks[k].cap)


def _prep_makes_place(prep: str, toks: list[_Token], k: int) -> bool:
    word_before = toks[k - 1].norm if k >= 1 else ""
    if prep == "from":
        return word_before not in _ACTOR_NOUNS
    if prep == "between":
        return word_before in _BETWEEN_NOUNS
    return True


def _attack_object(toks: list[_Token], m: NameMatch) -> bool:
    """ "missiles struck Kyiv", "Kyiv was shelled": the capital is where it happened."""
    before = toks[m.first - 1].norm if m.first > 0 else ""
    after = [t.norm for t in toks[m.last + 1 : m.last + 3]]
    return before in _ATTACK_FORMS or (len(after) == 2 and after[0] in _PASSIVE and after[1] in _ATTACK_FORMS)


def _parsed_locative(doc: Any, m: NameMatch) -> bool:
    """What the dependency parse says: a locative prepositional object, or a place-noun modifier."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    tok = span.root
    for _ in range(4):
        if tok.dep_ in ("conj", "appos") and tok.head is not tok:
            tok = tok.head
            continue
        if tok.dep_ in ("compound", "amod", "nmod") and tok.head.lemma_.lower() in GEO_NOUNS:
            tok = tok.head
            continue
        break
    if tok.dep_ != "pobj":
        return False
    prep = tok.head
    word = prep.lower_
    if word == "from":
        return bool(prep.head.pos_ in ("VERB", "AUX"))
    if word == "between":
        return bool(prep.head.lemma_.lower() in _BETWEEN_NOUNS)
    if word == "of":
        return bool(prep.head.lemma_.lower() in GEO_NOUNS)
    return word in LOC_PREPS


def _tied(doc: Any, event: Event, here: Sequence[PlaceMention]) -> PlaceMention | None:
    """The place whose phrase hangs off the event's trigger (or the clauses above it) in the parse."""
    anchored = dates.anchors(doc, event.trigger.start, event.trigger.end)
    src = event.source
    ranked = [
        (s, m.place.precision, i)
        for i, m in enumerate(here)
        if (s := dates.distance(doc, m.start, m.end, anchored)) is not None
        and not (src.start <= m.start < src.end)  # "killed in a US drone strike": the doer is not the place
    ]
    return here[min(ranked)[2]] if ranked else None


# --- the record behind `dyadwatch geo` -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GeoResult:
    article: Article
    places: ArticlePlaces

    def to_record(self) -> dict[str, Any]:
        return {
            "doc_id": self.article.doc_id,
            "places": [m.to_record() for m in self.places.mentions],
            "primary": self.places.primary.to_record() if self.places.primary else None,
        }
