"""Event dates: the date expression of an event's sentence, resolved against the publication date.

Date expressions are found with our own regular expressions (``dateparser.search_dates`` takes
about 13 ms a sentence and reads "two days after a raid" as a date after publication). Absolute
expressions ("5 March", "March 5, 2023", "January 2024") are parsed by ``dateparser`` with
``RELATIVE_BASE`` = the publication date and ``PREFER_DATES_FROM`` = past; relative ones
("on Tuesday", "last week", "two days ago", "earlier this month") are computed here, because news
usage differs from dateparser's ("on Thursday" in a Thursday paper is that day).

Each date has a precision — ``day``, ``week``, ``month`` or ``year`` — and is the first day of the
period meant ("last week" → Monday of last week, "in January" → 1 January, "in 2020" → 1 January
2020). A past-tense report never gets a date after its publication; an event with no date
expression keeps the publication date with precision ``None``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dyadwatch.records import Event

_MONTHS = "January February March April May June July August September October November December".split()
_MONTH_NUMBER = {m.lower(): i for i, m in enumerate(_MONTHS, 1)}
_MONTH_NUMBER |= {m[:3].lower(): i for i, m in enumerate(_MONTHS, 1)} | {"sept": 9}
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
# Month and weekday names are matched capitalised: "may" and "march" are also verbs.
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
NUM = r"(?i:\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("iso", rf"\b(?P<iso>{YEAR}-[01]\d-[0-3]\d)\b"),
    (
        "range",
        rf"\b(?P<d>{DAY})\s*(?:to|-|–|and)\s*{DAY}(?:\s+of)?\s+(?P<m>{MONTH})(?:,?\s+(?P<y>{YEAR}))?\b",
    ),
    ("dmy", rf"\b(?P<d>{DAY})(?:\s+of)?\s+(?P<m>{MONTH})(?:,?\s+(?P<y>{YEAR}))?(?![\w-])"),
    ("mdy", rf"\b(?P<m>{MONTH})\s+(?P<d>{DAY})(?:,?\s+(?P<y>{YEAR}))?(?![\w-])"),
    ("my", rf"\b(?i:(?:early|mid|late)[-\s]+)?(?P<m>{MONTH}),?\s+(?P<y>{YEAR})\b"),
    (
        "month",
        rf"\b(?i:in|during|since|until|by|throughout|from|early|late|mid)[-\s]+(?i:early\s+|late\s+|mid-)?"
        rf"(?P<m>{MONTH})(?![\w-])(?!,?\s+{YEAR})",
    ),
    (
        "year",
        rf"\b(?i:in|during|since|until|by|throughout|early|late|mid|of)[-\s]+(?i:early\s+|late\s+|mid-)?(?P<y>{YEAR})\b",
    ),
    ("ago", rf"\b(?P<n>{NUM})\s+(?P<u>(?i:day|week|month|year))s?\s+(?i:ago)\b"),
    ("before", r"\b(?i:the\s+day\s+before\s+yesterday)\b"),
    ("yesterday", r"\b(?i:yesterday)\b"),
    ("today", r"\b(?i:today|this\s+morning|this\s+afternoon|this\s+evening|tonight|earlier\s+today)\b"),
    ("tomorrow", r"\b(?i:tomorrow)\b"),
    (
        "period",
        r"\b(?P<w>(?i:last|past|previous|this|earlier\s+this|later\s+this|next|the\s+coming))\s+(?P<u>(?i:week|weekend|month|year))\b",
    ),
    ("weekend", r"\b(?i:over|at|during)\s+the\s+weekend\b"),
    ("weekday", rf"\b(?P<w>(?i:last|this\s+past|next|this)\s+)?(?P<day>{WEEKDAY})\b"),
)
_FUTURE_WORDS = ("next", "coming", "tomorrow", "later this")


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression of a sentence (character offsets relative to the sentence) and its date."""

    text: str
    start: int
    end: int
    date: dt.date
    precision: str  # day | week | month | year
    future: bool = False  # "next week", "tomorrow"


def _compiled() -> list[tuple[str, re.Pattern[str]]]:
    return [(name, re.compile(rx)) for name, rx in _PATTERNS]


_COMPILED = _compiled()


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """The date expressions of a text, left to right, not overlapping; relative ones need ``published``."""
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for name, rx in _COMPILED:
        for m in rx.finditer(text):
            found.append((m.start(), -(m.end() - m.start()), name, m))
    found.sort(key=lambda f: (f[0], f[1]))
    out: list[DateMention] = []
    taken_until = -1
    for start, _, name, m in found:
        if start < taken_until:
            continue
        resolved = _resolve(name, m, published)
        if resolved is None:
            continue
        when, precision = resolved
        phrase = m.group().lower()
        future = name == "tomorrow" or any(w in phrase for w in _FUTURE_WORDS)
        out.append(DateMention(m.group(), m.start(), m.end(), when, precision, future))
        taken_until = m.end()
    return out


def _resolve(name: str, m: re.Match[str], published: dt.date | None) -> tuple[dt.date, str] | None:
    """The date an expression names, or None (also when it falls outside years 1..9999: "the day
    before" 0001-01-01, "next year" from 9999-12-31)."""
    try:
        return _resolve_in_range(name, m, published)
    except (OverflowError, ValueError):
        return None


def _resolve_in_range(name: str, m: re.Match[str], published: dt.date | None) -> tuple[dt.date, str] | None:
    groups = {k: v for k, v in m.groupdict().items() if v is not None}
    if name == "iso":
        try:
            return dt.date.fromisoformat(groups["iso"]), "day"
        except ValueError:
            return None
    if name in ("range", "dmy", "mdy", "my", "month", "year"):
        return _absolute(name, groups, published)
    if published is None:
        return None
    return _relative(name, groups, published)


def _absolute(name: str, g: dict[str, str], published: dt.date | None) -> tuple[dt.date, str] | None:
    year = int(g["y"]) if "y" in g else None
    if name == "year":
        return (dt.date(year, 1, 1), "year") if year else None
    month = _MONTH_NUMBER.get(g["m"].rstrip(".").lower())
    if month is None:
        return None
    if name in ("my", "month"):
        if year is None:
            if published is None:
                return None
            year = published.year if month <= published.month else published.year - 1
        return dt.date(year, month, 1), "month"
    day = int(re.match(r"\d+", g["d"]).group())  # type: ignore[union-attr]
    if year is None and published is None:
        return None
    parsed = _dateparser(f"{day} {_MONTHS[month - 1]}" + (f" {year}" if year else ""), published)
    return (parsed, "day") if parsed else None


@lru_cache(maxsize=4096)
def _dateparser(expression: str, published: dt.date | None) -> dt.date | None:
    """dateparser on one extracted expression, relative to the publication date, past preferred."""
    import dateparser

    base = dt.datetime.combine(published or dt.date.today(), dt.time())
    settings: Any = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(expression, languages=["en"], settings=settings)
    return parsed.date() if parsed is not None else None


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _month_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def _relative(name: str, g: dict[str, str], pub: dt.date) -> tuple[dt.date, str] | None:
    if name in ("yesterday", "before", "today", "tomorrow"):
        shift = {"yesterday": -1, "before": -2, "today": 0, "tomorrow": 1}[name]
        return pub + dt.timedelta(days=shift), "day"
    if name == "ago":
        n = int(g["n"]) if g["n"].isdigit() else _NUMBERS[g["n"].lower()]
        unit = g["u"].lower()
        if unit == "day":
            return pub - dt.timedelta(days=n), "day"
        if unit == "week":
            return _monday(pub - dt.timedelta(weeks=n)), "week"
        if unit == "month":
            return _month_back(pub, n), "month"
        return dt.date(pub.year - n, 1, 1), "year"
    if name == "weekend":
        return _last_weekday(pub, 5, strictly_before=True), "week"
    if name == "period":
        return _period(" ".join(g["w"].lower().split()), g["u"].lower(), pub)
    if name == "weekday":
        target = _WEEKDAYS.index(g["day"])
        which = " ".join((g.get("w") or "").lower().split())
        if which == "next":
            return pub + dt.timedelta(days=(target - pub.weekday() - 1) % 7 + 1), "day"
        return _last_weekday(pub, target, strictly_before=which in ("last", "this past")), "day"
    return None


def _period(which: str, unit: str, pub: dt.date) -> tuple[dt.date, str]:
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "the coming": 1}.get(which, 0)
    if unit == "weekend":
        if step > 0:
            return pub + dt.timedelta(days=(5 - pub.weekday()) % 7 or 7), "week"
        return _last_weekday(pub, 5, strictly_before=True), "week"
    if unit == "week":
        return _monday(pub + dt.timedelta(weeks=step)), "week"
    if unit == "month":
        return _month_back(pub, -step), "month"
    return dt.date(pub.year + step, 1, 1), "year"


def _last_weekday(pub: dt.date, weekday: int, strictly_before: bool) -> dt.date:
    back = (pub.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return pub - dt.timedelta(days=back)


def resolve(text: str, published: dt.date | None, future: bool = False) -> tuple[dt.date, str] | None:
    """The first usable date expression of a text (never after ``published`` unless ``future``)."""
    for d in find_dates(text, published):
        if _usable(d, published, future):
            return d.date, d.precision
    return None


def _usable(d: DateMention, published: dt.date | None, future: bool) -> bool:
    if future:
        return True
    return not d.future and (published is None or d.date <= published)


# Verbs that report an event rather than being one: a date or place on them dates or places the report.
REPORTING = frozenset(
    """say tell announce report state claim add confirm note accuse allege write tweet post declare
    insist stress warn""".split()
)


def event_date(event: Event, doc: Any | None, published: dt.date | None) -> tuple[dt.date | None, str | None]:
    """An event's date and precision: the date expression tied to its trigger, else the sentence's
    nearest one (not one dating a "said"), else the publication date with precision ``None``."""
    mentions = [d for d in find_dates(event.sentence, published) if _usable(d, published, event.future)]
    if not mentions:
        return published, None
    centre = (event.trigger.start + event.trigger.end) / 2
    if doc is not None:
        anchored = anchors(doc, event.trigger.start, event.trigger.end)
        tied = [(s, d) for d in mentions if (s := distance(doc, d.start, d.end, anchored)) is not None]
        if tied:
            best = min(tied, key=lambda sd: (sd[0], abs(sd[1].start - centre)))[1]
            return best.date, best.precision
        mentions = [d for d in mentions if not _dates_speech(doc, d)]
        if not mentions:  # "…, the army said on Wednesday": when the report was made, not the event
            return published, None
    best = min(mentions, key=lambda d: abs((d.start + d.end) / 2 - centre))
    return best.date, best.precision


def anchors(doc: Any, start: int, end: int) -> dict[int, int]:
    """Token → steps: an event's trigger and the clauses above it, up to a reporting verb.

    "29 soldiers died when militants attacked their post …, in the Tillabéri region": the region hangs
    off "died", which governs the trigger "attacked"; "the junta in Niamey said …" stops at "said".
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return {}
    tok = span.root
    out = {tok.i: 0}
    if tok.pos_ == "NOUN" and tok.head.pos_ in ("VERB", "AUX"):
        out[tok.head.i] = 0  # "launched an attack in Moura"
    for hops in range(1, 5):
        if tok.head is tok:
            break
        tok = tok.head
        if tok.lemma_.lower() in REPORTING:
            break
        if tok.pos_ in ("VERB", "AUX"):
            out.setdefault(tok.i, hops)
    return out


def distance(doc: Any, start: int, end: int, anchored: dict[int, int]) -> int | None:
    """Steps from a phrase up the parse to the nearest anchor (None: it hangs off none of them)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0 or not anchored:
        return None
    tok = span.root
    for steps in range(8):
        if tok.i in anchored:
            return steps + anchored[tok.i]
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def _dates_speech(doc: Any, d: DateMention) -> bool:
    """ "the army said on Wednesday": the date of the statement, not of the event."""
    span = doc.char_span(d.start, d.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    tok = span.root
    for _ in range(3):
        if tok.pos_ in ("VERB", "AUX"):
            return bool(tok.lemma_.lower() in REPORTING)
        if tok.head is tok:
            return False
        tok = tok.head
    return False
