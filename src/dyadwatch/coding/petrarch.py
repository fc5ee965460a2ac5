"""Importer for TABARI/PETRARCH actor and agent dictionaries, so PETRARCH users can bring their lists.

Actor dictionaries: ``NAME [CODE]`` lines (``_`` joins words), ``+SYNONYM`` lines, and date-restricted
code blocks under an entry::

    GOLLUM
    +SMEAGOL
        [HOB < 950601]
        [HOBGOV 19950601 - 19990815]
        [HOBREB > 990816]

Dates are ``YYMMDD`` or ``YYYYMMDD``; ``<`` means before, ``>`` after, ``A - B`` between; a block
without a date is the default; ``[---]`` is the null code. Agent dictionaries: ``NAME {PLURALS}
[~CODE]`` (suffix: appended to the actor's code) or ``[CODE~]`` (prefix), and ``!MACRO! = A, B``
substitutions. :func:`resolve` gives the code of a name on a date, the most specific period first.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from dyadwatch.errors import DyadwatchError

_CODE_BLOCK = re.compile(r"\[\s*([^\]]*?)\s*\]")
_DATED = re.compile(
    r"^(?P<code>[^\s<>\d][^\s<>]*|)\s*(?:(?P<op>[<>])\s*(?P<d1>\d{6,8})|(?P<a>\d{6,8})\s*-\s*(?P<b>\d{6,8}))?$"
)


@dataclass(frozen=True, slots=True)
class Period:
    code: str
    start: dt.date | None = None
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


@dataclass
class PetrarchActor:
    names: list[str]
    periods: list[Period] = field(default_factory=list)
    line: int = 0


@dataclass(frozen=True, slots=True)
class PetrarchAgent:
    names: tuple[str, ...]
    code: str
    suffix: bool  # "~GOV": appended to the actor code; "GOV~": put before it
    line: int


def _name(raw: str) -> str:
    return " ".join(raw.replace("_", " ").split()).upper()


def _strip_comment(line: str) -> str:
    line = re.sub(r"<!--.*?-->|<!.*?>", "", line)
    return line.split("#", 1)[0].rstrip()


def _day(value: str, path: Path, line: int) -> dt.date:
    try:
        if len(value) == 6:  # YYMMDD: TABARI's two-digit years
            yy = int(value[:2])
            return dt.date((1900 if yy >= 30 else 2000) + yy, int(value[2:4]), int(value[4:6]))
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise DyadwatchError("E001", path=path, line=line, reason=f"bad date {value!r}") from None


def _period(block: str, path: Path, line: int) -> Period:
    m = _DATED.match(block.strip())
    if not m:
        raise DyadwatchError("E001", path=path, line=line, reason=f"cannot read code block [{block}]")
    code = (m.group("code") or "").upper()
    if m.group("op") == "<":
        return Period(code, None, _day(m.group("d1"), path, line) - dt.timedelta(days=1))
    if m.group("op") == ">":
        return Period(code, _day(m.group("d1"), path, line), None)
    if m.group("a"):
        return Period(code, _day(m.group("a"), path, line), _day(m.group("b"), path, line))
    return Period(code)


def read_actors(path: Path) -> list[PetrarchActor]:
    """Parse a TABARI/PETRARCH actor dictionary."""
    if not path.exists():
        raise DyadwatchError("E002", path=path)
    actors: list[PetrarchActor] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        text = _strip_comment(raw)
        if not text.strip():
            continue
        blocks = _CODE_BLOCK.findall(text)
        head = _CODE_BLOCK.sub("", text).strip()
        if text[:1].isspace() and not head:  # an indented dated block of the current entry
            if not actors:
                raise DyadwatchError("E001", path=path, line=n, reason="code block before any entry")
            actors[-1].periods.extend(_period(b, path, n) for b in blocks)
        elif head.startswith("+"):
            if not actors:
                raise DyadwatchError("E001", path=path, line=n, reason="synonym before any entry")
            actors[-1].names.append(_name(head[1:]))
        else:
            actors.append(PetrarchActor([_name(head)], [_period(b, path, n) for b in blocks], n))
    return actors


def read_agents(path: Path) -> list[PetrarchAgent]:
    """Parse a TABARI/PETRARCH agent dictionary (macros expanded, plurals added)."""
    if not path.exists():
        raise DyadwatchError("E002", path=path)
    macros: dict[str, list[str]] = {}
    agents: list[PetrarchAgent] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        text = _strip_comment(raw)
        if not text.strip():
            continue
        macro = re.match(r"^\s*(![A-Z]+!)\s*=\s*(.+)$", text)
        if macro:
            macros[macro.group(1)] = [w.strip() for w in macro.group(2).split(",") if w.strip()]
            continue
        blocks = _CODE_BLOCK.findall(text)
        if not blocks:
            raise DyadwatchError("E001", path=path, line=n, reason="agent entry without [code]")
        code_raw = blocks[0].replace(" ", "")
        suffix = code_raw.startswith("~")
        code = code_raw.strip("~").upper()
        head = _CODE_BLOCK.sub("", text)
        plural_block = re.search(r"\{([^}]*)\}", head)
        head = re.sub(r"\{[^}]*\}", "", head).strip()
        names = _expand(head, macros)
        if plural_block is not None:
            names += [_name(p) for p in plural_block.group(1).split(",") if p.strip()]
        elif "!" not in head:  # a regular plural unless {} is given; macros list their own forms
            names += [f"{x}S" for x in names if not x.endswith("S")]
        agents.append(PetrarchAgent(tuple(dict.fromkeys(names)), code, suffix, n))
    return agents


def _expand(head: str, macros: dict[str, list[str]]) -> list[str]:
    """``CONGRESS!PERSON!`` → CONGRESSMAN, CONGRESSWOMAN, …; ``!MINST!_OF_X`` → MINISTER OF X, …"""
    forms = [head]
    for key, values in macros.items():
        if any(key in f for f in forms):
            forms = [f.replace(key, v) for f in forms for v in values]
    return [_name(f) for f in forms]


def resolve(actors: list[PetrarchActor], name: str, day: dt.date | None = None) -> str | None:
    """The code a name has on a date: the narrowest period that covers it, else the default."""
    wanted = _name(name)
    for actor in actors:
        if wanted not in actor.names:
            continue
        dated = [p for p in actor.periods if p.start or p.end]
        if day is not None:
            covering = [p for p in dated if p.covers(day)]
            if covering:
                return min(covering, key=_span).code
        default = [p for p in actor.periods if not (p.start or p.end)]
        return default[0].code if default else None
    return None


def _span(period: Period) -> int:
    start = period.start or dt.date.min
    end = period.end or dt.date.max
    return (end - start).days


def export_csv(actors: list[PetrarchActor], out: Path, countries: set[str], roles: set[str]) -> int:
    """Write actors as a dyadwatch people/organisations-style CSV (one row per code period)."""
    rows = 0
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["code", "name", "aliases", "type", "country", "role", "start", "end"])
        for actor in actors:
            for p in actor.periods:
                if not re.fullmatch(r"[A-Z][A-Z0-9]{2,14}", p.code):
                    continue  # the null code ("---"), a discard ("+++"), or a code we cannot store
                country = p.code[:3] if p.code[:3] in countries else ""
                chunks = [p.code[k : k + 3] for k in range(3 if country else 0, len(p.code), 3)]
                role = next(
                    (c for c in chunks if c in roles), "GOV" if country and len(p.code) == 3 else "UAF"
                )
                start = p.start.isoformat() if p.start else ""
                end = p.end.isoformat() if p.end else ""
                aliases = "|".join(n.title() for n in actor.names[1:])
                writer.writerow([p.code, actor.names[0].title(), aliases, "group", country, role, start, end])
                rows += 1
    return rows


def export_agents_csv(agents: list[PetrarchAgent], out: Path, roles: set[str]) -> int:
    """Write agents as a dyadwatch agents.csv (lower-case phrase, role); codes we cannot map are noted."""
    rows = 0
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["phrase", "role", "notes"])
        for agent in agents:
            role = agent.code[:3]
            if role not in roles:
                continue
            for name in agent.names:
                if name.endswith("S") and name[:-1] in agent.names:
                    continue  # our matcher handles regular plurals itself
                writer.writerow([name.lower(), role, f"PETRARCH {'~' if agent.suffix else ''}{agent.code}"])
                rows += 1
    return rows


# --- verb dictionaries (PETRARCH's CAMEO.2.0.txt, TABARI-style verb files) ----------------------

_VERB_BLOCK = re.compile(r"^---\s*(?P<name>.*?)\s*\[(?P<code>[^\]]*)\]\s*---\s*$")
_PATTERN_CODE = re.compile(r"\[\s*([^\]]*?)\s*\]\s*$")
_PP = re.compile(r"\(([^()]*)\)")
_BRACED = re.compile(r"\{([^}]*)\}")
_MARKERS = frozenset("$+%^")  # source, target, either, skipped words
_PARTICLES = frozenset("up down off out in on over away back about around through".split())
_PREPOSITIONS = frozenset(
    "against at on to with into from for about over in upon toward towards by of onto".split()
)


@dataclass(frozen=True, slots=True)
class PetrarchVerb:
    """A verb of a synonym block (``objects``/``preps`` empty) or one of its patterns (a pattern
    holds for every verb of its block, as in PETRARCH, so it gives one of these per verb).

    ``objects``: heads of the noun phrase the pattern requires after the verb (synonym sets
    expanded); ``preps``: prepositions whose object is the target (``(WITH +)``); ``code`` is the
    CAMEO code, ``""`` for the null code (the pattern codes nothing)."""

    code: str
    verb: str
    particle: str | None
    objects: tuple[str, ...]
    preps: tuple[str, ...]
    line: int


def _pattern_code(raw: str) -> str:
    """``[190]`` → 190; ``[190:193]`` / ``[:1831]`` (active:passive) → the first code given."""
    parts = [p.strip() for p in raw.split(":")]
    code = next((p for p in parts if p), "")
    return "" if code.strip("-") == "" else code


def _lemma(word: str) -> str:
    """A PETRARCH noun (upper case, regular plurals listed) → our lower-case singular lemma."""
    w = word.lower().replace("_", " ").strip()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith(("ss", "us", "is", "as")) and len(w) > 3:
        return w[:-1]
    return w


def _verb_words(head: str) -> tuple[str, str | None] | None:
    """``DESTROY`` → (destroy, None); ``+WIPE_OUT`` → (wipe, out); ``WIRE_+TAP`` (words before the
    verb) and multiword verbs without a particle → None (spaCy gives us one-word lemmas)."""
    words = [w for w in head.strip().split("_") if w]
    if not words:
        return None
    marked = next((k for k, w in enumerate(words) if w.startswith("+")), 0)
    if marked > 0:
        return None
    rest = [w.lower() for w in words[1:]]
    if len(rest) > 1 or (rest and rest[0] not in _PARTICLES):
        return None
    return words[0].lstrip("+").lower(), rest[0] if rest else None


def _after_verb(post: str, synsets: dict[str, list[str]]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(object heads, target prepositions) of a pattern's part after ``*``; None when it asks for
    what our entries cannot say (a noun inside a prepositional phrase, several noun phrases)."""
    preps: list[str] = []
    for pp in _PP.findall(post):
        prep, *rest = pp.split()
        if len(rest) != 1 or rest[0] not in _MARKERS:
            return None
        preps.append(prep.lower())
    words = _BRACED.sub(lambda m: m.group(1).split()[-1] if m.group(1).split() else "", _PP.sub(" ", post))
    heads = [w for w in words.split() if w not in _MARKERS and not w.startswith("_")]
    while heads and heads[-1].lower() in _PREPOSITIONS:  # "* AGAINST": the target's preposition
        preps.append(heads.pop().lower())
    if len(heads) > 1 or any(h.lower() in _PREPOSITIONS for h in heads):
        return None
    objects: list[str] = []
    for head in heads:
        name = head.strip("_")
        if name.startswith("&"):
            if name.rstrip("_") not in synsets:
                return None  # an undefined synset: PETRARCH ignores the pattern too
            objects += [_lemma(m) for m in synsets[name.rstrip("_")]]
        else:
            objects.append(_lemma(name))
    return tuple(dict.fromkeys(o for o in objects if o and " " not in o)), tuple(preps)


def _patterns(
    text: str, block: list[tuple[str, str | None]], synsets: dict[str, list[str]], line: int
) -> list[PetrarchVerb]:
    """A pattern line (``- pre * post [code]``) for every verb of its block; none when it needs
    words before the verb or what :func:`_after_verb` cannot represent."""
    code_match = _PATTERN_CODE.search(text)
    if code_match is None or "*" not in text:
        return []
    pre, post = text[1 : code_match.start()].split("*", 1)
    after = _after_verb(post, synsets) if not pre.strip() else None
    if after is None or after == ((), ()):
        return []
    code = _pattern_code(code_match.group(1))
    return [PetrarchVerb(code, verb, particle, *after, line) for verb, particle in block]


def read_verbs(path: Path) -> list[PetrarchVerb]:
    """Parse a PETRARCH verb dictionary: synonym sets (``&NAME`` + ``+member`` lines), verb blocks
    (``--- NAME [code] ---``, verbs with optional ``{forms}`` and ``[code]``) and their patterns
    (``- pre * post [code]``). Patterns that need words before the verb or a noun inside a
    prepositional phrase are not representable in our dictionary and are left out; regular verb
    forms are not needed (we match lemmas)."""
    if not path.exists():
        raise DyadwatchError("E002", path=path)
    synsets: dict[str, list[str]] = {}
    current_set: str | None = None
    block_code = ""
    block: list[tuple[str, str | None]] = []  # the verbs of the current synonym block
    out: list[PetrarchVerb] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        header = _VERB_BLOCK.match(raw.strip())
        if header:
            block_code, current_set, block = _pattern_code(header.group("code")), None, []
            continue
        text = _strip_comment(raw).split(";", 1)[0].strip()  # ";": TABARI's comment mark
        if not text:
            current_set = None
            continue
        if text.startswith("&"):
            current_set = text.split()[0].rstrip("_")
            synsets[current_set] = []
        elif text.startswith("+") and current_set is not None:
            synsets[current_set].append(text[1:].strip().rstrip("_").replace("_", " "))
        elif text.startswith("-"):
            out.extend(_patterns(text, block, synsets, n))
        elif not text.startswith("~"):  # "~": transformations of nested verbs, not representable
            own = _CODE_BLOCK.search(_BRACED.sub("", text))
            verb = _verb_words(_CODE_BLOCK.sub("", _BRACED.sub("", text)))
            if verb is not None:
                block.append(verb)
                out.append(PetrarchVerb(_pattern_code(own.group(1)) if own else block_code, *verb, (), (), n))
    return out


def verb_rows(verbs: list[PetrarchVerb], codes: set[str], note: str = "PETRARCH") -> list[dict[str, str]]:
    """Our ``events/triggers.csv`` rows for the verbs whose code is in ``codes`` (first entry of a key
    wins; null-coded verbs and patterns are left out: our dictionary has no negative entries)."""
    rows: dict[tuple[str, str, str, str], dict[str, str]] = {}
    for v in verbs:
        if v.code not in codes:
            continue
        row = {
            "code": v.code,
            "kind": "verb",
            "lemma": v.verb,
            "object": "|".join(v.objects),
            "prep": "|".join(v.preps),
            "particle": v.particle or "",
            "notes": f"{note} line {v.line}",
        }
        rows.setdefault((row["lemma"], row["object"], row["prep"], row["particle"]), row)
    return list(rows.values())


def export_verbs_csv(verbs: list[PetrarchVerb], out: Path, codes: set[str], note: str = "PETRARCH") -> int:
    """Write verbs as a dyadwatch ``events/triggers.csv``; returns the number of rows."""
    rows = verb_rows(verbs, codes, note)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, ["code", "kind", "lemma", "object", "prep", "particle", "notes"])
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
