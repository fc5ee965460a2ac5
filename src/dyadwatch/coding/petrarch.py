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
