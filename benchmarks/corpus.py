"""Deterministic synthetic political-news corpus for benchmarks.

Each article has 8-20 sentences: roughly 40-50% are event sentences ("ACTOR VERB TARGET ...") spread
over CAMEO root codes, the rest are background sentences (economy, weather, history, analysis) with no
codable event, some of which still mention countries. Every article is generated from its own seeded
random stream, so the same (seed, index) always gives the same article and ``generate(n)`` is a prefix
of ``generate(n + 1)``.

Usage: ``python benchmarks/corpus.py N [SEED] > corpus.jsonl``
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys

# fmt: off
# Actor phrases: (text, kind); kind is one of "state", "org", "armed", "militant", "air" and "people".
ACTORS: tuple[tuple[str, str], ...] = (
    ("Mali", "state"), ("Niger", "state"), ("Burkina Faso", "state"), ("Nigeria", "state"),
    ("Senegal", "state"), ("Chad", "state"), ("Côte d'Ivoire", "state"), ("Algeria", "state"),
    ("France", "state"), ("Russia", "state"), ("Ukraine", "state"), ("the United States", "state"),
    ("China", "state"), ("Israel", "state"), ("Iran", "state"), ("Saudi Arabia", "state"),
    ("Turkey", "state"), ("Germany", "state"), ("the Malian government", "org"),
    ("the junta in Niamey", "org"), ("the Burkinabe authorities", "org"), ("the Kremlin", "org"),
    ("the French foreign ministry", "org"), ("ECOWAS", "org"), ("the African Union", "org"),
    ("the European Union", "org"), ("the UN Security Council", "org"), ("the United Nations", "org"),
    ("NATO", "org"), ("the Alliance of Sahel States", "org"), ("Malian troops", "armed"),
    ("the Wagner Group", "armed"), ("Ukrainian forces", "armed"), ("Russian forces", "armed"),
    ("Israeli jets", "air"), ("jihadist fighters", "militant"),
    ("gunmen in northern Burkina Faso", "militant"), ("Nigerian police", "armed"),
    ("Burkinabe soldiers", "armed"), ("protesters in Niamey", "people"), ("opposition leaders", "people"),
    ("human rights groups", "people"), ("local journalists", "people"), ("students in Dakar", "people"),
)

# Event phrases: (CAMEO root, verb phrase, allowed target kinds, allowed source kinds).
EVENTS: tuple[tuple[str, str, str, str], ...] = (
    ("01", "issued a statement on relations with", "state org", "state org"),
    ("02", "appealed for calm to", "state org armed people", "state org people"),
    ("02", "called on", "state org", "state org people"),
    ("03", "pledged to support", "state org", "state org"),
    ("04", "met with", "state org people", "state org people"),
    ("04", "held talks with", "state org", "state org"),
    ("04", "hosted a delegation from", "state org", "state org"),
    ("04", "visited", "state", "state org"),
    ("05", "signed an agreement with", "state org", "state org"),
    ("05", "praised", "state org people", "state org people"),
    ("06", "agreed to share intelligence with", "state org", "state org"),
    ("07", "provided military aid to", "state org armed", "state org"),
    ("07", "sent humanitarian aid to", "state", "state org"),
    ("08", "lifted sanctions on", "state org", "state org"),
    ("08", "released detained soldiers from", "state", "state org"),
    ("10", "demanded the withdrawal of", "armed", "state org people"),
    ("11", "criticized", "state org armed people", "state org people"),
    ("11", "accused", "state org armed militant", "state org people"),
    ("11", "condemned", "state org armed militant air", "state org people"),
    ("12", "rejected a proposal from", "state org", "state org"),
    ("13", "threatened", "state org armed", "state org armed militant"),
    ("13", "warned of military action against", "state org", "state org"),
    ("14", "protested against", "state org armed", "people"),
    ("14", "staged a demonstration against", "state org", "people"),
    ("16", "imposed sanctions on", "state org armed", "state org"),
    ("16", "withdrew troops from", "state", "state armed"),
    ("16", "expelled the ambassador of", "state", "state org"),
    ("16", "suspended cooperation with", "state org", "state org"),
    ("17", "arrested", "people", "state org armed"),
    ("17", "detained", "people armed", "state org armed"),
    ("18", "abducted", "people", "militant"),
    ("19", "attacked", "state armed militant people", "armed militant air"),
    ("19", "launched an offensive against", "militant", "state armed"),
    ("19", "carried out air strikes against", "militant armed", "state air"),
    ("19", "shelled positions held by", "armed militant", "armed"),
)

EVENT_LEADS: tuple[str, ...] = (
    "", "", "", "On Monday, ", "On Tuesday, ", "On Wednesday, ", "On Thursday, ", "On Friday, ",
    "Last week, ", "Earlier this month, ", "According to officials, ", "Local media reported that ",
)
EVENT_TAILS: tuple[str, ...] = (
    "", "", "", " on Monday", " in Bamako", " in Niamey", " in Abuja", " in Brussels", " in Kyiv",
    " near the border", " after weeks of tension", " over the security situation",
    " following a disputed election", ", officials said", ", according to a statement",
    ", a spokesman said", " in the north of the country", " despite international pressure",
)

COUNTRIES: tuple[str, ...] = (
    "Mali", "Niger", "Burkina Faso", "Nigeria", "Senegal", "Chad", "Ghana", "Guinea", "Côte d'Ivoire",
    "France", "Russia", "Ukraine", "Poland", "Israel", "Lebanon", "Iran", "Saudi Arabia", "Egypt",
)
INDEPENDENCE: dict[str, int] = {
    "Mali": 1960, "Niger": 1960, "Burkina Faso": 1960, "Nigeria": 1960, "Senegal": 1960,
    "Chad": 1960, "Ghana": 1957, "Guinea": 1958, "Côte d'Ivoire": 1960,
}
CITIES: tuple[str, ...] = (
    "Bamako", "Niamey", "Ouagadougou", "Abuja", "Dakar", "N'Djamena", "Accra", "Kyiv", "Brussels",
    "Beirut", "Gao", "Timbuktu", "Kano", "Mopti", "Agadez",
)
MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
BORDERS: tuple[tuple[str, str], ...] = (
    ("Mali", "Niger"), ("Mali", "Burkina Faso"), ("Mali", "Senegal"), ("Mali", "Guinea"),
    ("Niger", "Nigeria"), ("Niger", "Chad"), ("Burkina Faso", "Ghana"), ("Ghana", "Côte d'Ivoire"),
    ("Russia", "Ukraine"), ("Ukraine", "Poland"), ("Israel", "Lebanon"), ("Israel", "Egypt"),
)
# fmt: on
COMMODITIES: tuple[str, ...] = ("gold", "cotton", "uranium", "oil", "cocoa", "groundnuts", "livestock")

BACKGROUND: tuple[str, ...] = (
    # economy
    "Inflation in {country} rose to {pct} percent in {month}, driven by food and fuel prices.",
    "Exports of {commodity} account for a large share of {country}'s foreign earnings.",
    "The price of a bag of rice has roughly doubled in some markets of {city} since last year.",
    "The economy of {country} grew by about {small} percent last year, according to official figures.",
    "Many households in the region depend on farming and herding for their income.",
    "Fuel shortages have led to long queues at petrol stations in {city}.",
    "The currency has lost value against the dollar over the past twelve months.",
    # weather and geography
    "The rainy season usually begins in June and lasts until September.",
    "Temperatures in {city} regularly exceed {temp} degrees Celsius in the hot season.",
    "Heavy rains in {month} flooded several neighbourhoods of {city}.",
    "The Niger River crosses several countries before it reaches the Atlantic Ocean.",
    "{country} is a landlocked country with large desert areas in the north.",
    "{neighbour} and {neighbour2} share a long border.",
    # history
    "{indep_country} gained independence from France in {indep_year}.",
    "The city of {city} has long been a centre of trade across the Sahara.",
    "The region has experienced several military coups since the 1960s.",
    "The conflict in the Sahel began in 2012, when armed groups took control of much of northern Mali.",
    "The war in Ukraine has continued since February 2022.",
    # analysis and context
    "Analysts say the situation remains uncertain.",
    "It is not yet clear how the dispute will affect regional trade.",
    "Security experts say the coming months will be decisive for the region.",
    "The population of {country} is young, with a median age of under {age} years.",
    "Diplomats in {city} say relations between {country} and {country2} have been difficult for years.",
    "Officials did not give further details.",
    "The figures could not be independently verified.",
    "About {million} million people in the region need humanitarian assistance, according to aid agencies.",
    "Schools in parts of {country} have remained closed because of insecurity.",
    "Internet access in rural areas of {country} remains limited.",
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pick_actor(rng: random.Random, kinds: str, avoid: str = "") -> str:
    pool = [name for name, kind in ACTORS if kind in kinds.split() and name != avoid]
    return rng.choice(pool)


def _clashes(lead: str, core: str, tail: str) -> bool:
    """No "students in Dakar in Bamako", no double attribution, no "Last week, ... on Monday"."""
    return (
        (tail.startswith(" in ") and " in " in core)
        or (tail.startswith(",") and lead.startswith(("According", "Local media")))
        or (tail == " on Monday" and lead != "")
        or ("statement" in tail and "statement" in core)
    )


def _event_sentence(rng: random.Random) -> tuple[str, str]:
    """Return (sentence, headline) for one ACTOR VERB TARGET event."""
    _root, verb, target_kinds, source_kinds = rng.choice(EVENTS)
    source = _pick_actor(rng, source_kinds)
    target = _pick_actor(rng, target_kinds, avoid=source)
    lead = rng.choice(EVENT_LEADS)
    core = f"{source} {verb} {target}"
    tail = rng.choice(EVENT_TAILS)
    while _clashes(lead, core, tail):
        tail = rng.choice(EVENT_TAILS)
    sentence = f"{lead}{core}{tail}."
    return _cap(sentence), _cap(core)


def _background_sentence(rng: random.Random, template: str) -> str:
    country, country2 = rng.sample(COUNTRIES, 2)
    indep_country = rng.choice(sorted(INDEPENDENCE))
    neighbour, neighbour2 = rng.choice(BORDERS)
    values = {
        "country": country,
        "country2": country2,
        "city": rng.choice(CITIES),
        "month": rng.choice(MONTHS),
        "commodity": rng.choice(COMMODITIES),
        "pct": str(rng.randint(3, 25)),
        "small": f"{rng.uniform(0.5, 6.5):.1f}",
        "temp": str(rng.randint(38, 46)),
        "age": str(rng.randint(15, 20)),
        "million": str(rng.randint(2, 30)),
        "neighbour": neighbour,
        "neighbour2": neighbour2,
        "indep_country": indep_country,
        "indep_year": str(INDEPENDENCE[indep_country]),
    }
    return template.format(**values)


def _article(seed: int, index: int) -> dict[str, str]:
    rng = random.Random(f"dyadwatch-corpus:{seed}:{index}")
    n_sentences = rng.randint(8, 20)
    n_events = max(1, round(n_sentences * rng.uniform(0.40, 0.50)))
    events = [_event_sentence(rng) for _ in range(n_events)]
    background = [_background_sentence(rng, t) for t in rng.sample(BACKGROUND, n_sentences - n_events)]
    rest = [sentence for sentence, _ in events[1:]] + background
    rng.shuffle(rest)
    sentences = [events[0][0], *rest]  # news style: the lead sentence is an event
    paragraphs: list[str] = []
    i = 0
    while i < len(sentences):
        size = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[i : i + size]))
        i += size
    day = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(4 * 365))
    return {
        "id": f"synth-{seed}-{index:06d}",
        "title": events[0][1],
        "text": "\n\n".join(paragraphs),
        "date": day.isoformat(),
    }


def generate(n_articles: int, seed: int = 7) -> list[dict[str, str]]:
    """Return ``n_articles`` synthetic articles as {"id", "title", "text", "date"} records."""
    if n_articles < 0:
        raise ValueError("n_articles must be >= 0")
    return [_article(seed, i) for i in range(n_articles)]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or len(args) > 2 or not all(a.isdigit() for a in args):
        print("usage: python benchmarks/corpus.py N [SEED]", file=sys.stderr)
        return 2
    seed = int(args[1]) if len(args) == 2 else 7
    for record in generate(int(args[0]), seed):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
