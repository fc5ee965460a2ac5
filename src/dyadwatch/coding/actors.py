"""Stage 4 — actors: spaCy entities and agent nouns → canonical :class:`Actor` mentions.

Names come from the data files (countries, organisations, agents, roles). Country names,
aliases, demonyms, capitals and metonyms are matched by an entity ruler that runs before NER;
this module turns those entities, plus generic agent nouns ("troops", "the junta"), into
CAMEO-style actors: ``MLI`` (Mali), ``MLIMIL`` ("Malian troops"), ``RUSGOV`` ("the Kremlin").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dyadwatch.coding.coref import (
    POSSESSIVES,
    REFERRING_PHRASES,
    find_documents,
    find_possessors,
    find_referring,
    find_speakers,
)
from dyadwatch.coding.syntax import passive_doers
from dyadwatch.datafiles import load_agents, load_countries, load_organisations, load_people, load_roles
from dyadwatch.records import Actor, Event, Mention

_MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "npadvmod", "nummod"})
_SEARCH_DEPS = frozenset({"compound", "amod", "poss", "nmod", "appos", "prep", "pobj", "conj", "npadvmod"})
_SEARCH_PREPS = frozenset({"like", "of", "from", "including", "as", "in", "such", "among", "by"})
# "the junta", "the army": institutions a news story means its own country by.
_HOME_NOUNS = frozenset(
    """government junta regime authority army military administration presidency cabinet parliament police
    gendarmerie judiciary ministry""".split()
)
_MEMBER_ORGS = frozenset({"armed_group", "party", "group", "igo", "ngo"})
_LABELS = {"country": "GPE", "capital": "GPE", "demonym": "NORP", "org": "ORG"}
_LINK_VERBS = frozenset({"link", "tie", "affiliate", "connect", "associate", "ally", "back", "align"})


@dataclass(frozen=True, slots=True)
class _Proper:
    kind: str  # country | demonym | capital | org
    key: str  # ISO3 or organisation code


@dataclass
class ActorDictionary:
    """All actor names from the data files, indexed for the entity ruler and for resolution."""

    countries: dict[str, tuple[str, str]] = field(default_factory=dict)  # iso3 → (name, adjective)
    orgs: dict[str, Any] = field(default_factory=dict)  # code → OrgEntry
    roles: dict[str, str] = field(default_factory=dict)
    proper: dict[str, list[_Proper]] = field(default_factory=dict)  # surface form → entries
    agents: dict[tuple[str, ...], str] = field(default_factory=dict)  # lemma words → role

    @classmethod
    def load(cls, extra_files: tuple[str, ...] = ()) -> ActorDictionary:
        """Our dictionaries, plus extra actor files (organisations/people format) a user brings."""
        self = cls(roles=load_roles())
        for c in load_countries():
            adjective = c.demonyms[0] if c.demonyms else c.name
            self.countries[c.iso3] = (c.name, adjective)
            for form in (c.name, *c.aliases):
                self._add(form, _Proper("country", c.iso3))
            for form in c.demonyms:
                self._add(form, _Proper("demonym", c.iso3))
            for form in (*c.capitals, *c.metonyms):
                self._add(form, _Proper("capital", c.iso3))
        extra = [o for f in extra_files for o in load_people(Path(f), required=True)]
        named = [(o.code, o) for o in load_organisations()]  # organisation codes are unique
        # people and imported entries share codes across rows (MLIGOV is held by many people)
        named += [(f"{o.code}:{o.name}:{o.start}", o) for o in (*load_people(), *extra)]
        for key, o in named:
            self.orgs[key] = o
            for form in (o.name, *o.aliases):
                self._add(form, _Proper("org", key))
        for a in load_agents():
            self.agents[a.words] = a.role
        return self

    def _add(self, form: str, entry: _Proper) -> None:
        forms = [form]
        if form.lower().startswith("the ") and " " in form[4:]:
            forms.append(form[4:])  # "the Islamic State" → "Islamic State"; "the West" stays whole
        for f in forms:
            bucket = self.proper.setdefault(f, [])
            if entry not in bucket:
                bucket.append(entry)

    # --- what the nlp stage needs -------------------------------------------------------------

    def ruler_patterns(self) -> list[dict[str, str]]:
        """Entity-ruler patterns: one per surface form, its id naming the entry."""
        return [
            {"label": _LABELS[entries[0].kind], "pattern": form, "id": form}
            for form, entries in self.proper.items()
        ]

    def casefold_forms(self) -> list[tuple[str, str, frozenset[str]]]:
        """Names that may also match in any case ("President obama", "iSrael", "tunisian rioters"):
        four letters or more, not acronyms, with the label and the parts of speech every word must
        be tagged with (proper noun; an adjective too, for demonyms) so that "we ate turkey" keeps
        its noun and "a hanging chad" its verb."""
        out = []
        for form, entries in self.proper.items():
            words = form.split()
            if len(form) < 4 or form.isupper() or not all(w.isalpha() for w in words):
                continue
            tags = frozenset({"PROPN", "ADJ"} if entries[0].kind == "demonym" else {"PROPN"})
            out.append((form, _LABELS[entries[0].kind], tags))
        return out

    def candidate_phrases(self) -> set[str]:
        """Lower-case phrases whose presence makes a sentence worth parsing (for the gate)."""
        phrases = {f.lower() for f in self.proper}
        for words in self.agents:
            head = words[-1]
            plurals = {head, head + "s", head + "es", head[:-1] + "ies" if head.endswith("y") else head}
            plurals |= _irregular_plurals(head)  # gunmen, herdsmen, children, thieves
            phrases.update(" ".join((*words[:-1], p)) for p in plurals)
        phrases.update(REFERRING_PHRASES)
        return phrases

    # --- resolution ----------------------------------------------------------------------------

    def resolve_proper(self, form: str, date: dt.date | None) -> tuple[_Proper, Actor] | None:
        """The entry a name stands for on ``date``; undated text takes the current (latest) role."""
        entries = self.proper.get(form, [])
        if date is None and len(entries) > 1:
            entries = sorted(entries, key=self._recency, reverse=True)
        elif len(entries) > 1:  # the narrowest period that covers the date wins (PETRARCH's rule)
            entries = sorted(entries, key=self._span)
        for entry in entries:
            actor = self._proper_actor(entry, date)
            if actor is not None:
                return entry, actor
        return None

    def _span(self, entry: _Proper) -> int:
        o = self.orgs.get(entry.key) if entry.kind == "org" else None
        if o is None:
            return 10**6
        return ((o.end or dt.date.max) - (o.start or dt.date.min)).days

    def _recency(self, entry: _Proper) -> tuple[bool, dt.date]:
        o = self.orgs.get(entry.key) if entry.kind == "org" else None
        if o is None:
            return (True, dt.date.max)
        return (o.end is None, o.start or dt.date.min)

    def _proper_actor(self, entry: _Proper, date: dt.date | None) -> Actor | None:
        if entry.kind == "org":
            o = self.orgs[entry.key]
            if date is not None and ((o.start and date < o.start) or (o.end and date > o.end)):
                return None
            return Actor(o.code, o.name, o.country, o.type, o.role)
        name = self.countries[entry.key][0]
        if entry.kind == "capital":
            return Actor(entry.key + "GOV", f"{name} government", entry.key, "state", "GOV")
        return Actor(entry.key, name, entry.key, "state", None)

    def is_capital(self, form: str) -> bool:
        """Whether a name is written as a capital or metonym only ("Cairo", "the Kremlin")."""
        entries = self.proper.get(form) or self.proper.get(form.removeprefix("the "), [])
        return bool(entries) and all(e.kind == "capital" for e in entries)

    def state(self, iso: str) -> Actor:
        """The country ``iso`` as an actor (no role)."""
        return Actor(iso, self.countries.get(iso, (iso, ""))[0], iso, "state", None)

    def compose(self, base: Actor, role: str, phrase: str) -> Actor:
        """A country or organisation qualifying an agent noun: MLI + troops → MLIMIL."""
        if base.type != "state":
            return base  # an organisation's members are the organisation ("Wagner fighters")
        iso = base.country or base.code[:3]
        adjective = self.countries.get(iso, (iso, iso))[1]
        return Actor(iso + role, f"{adjective} {phrase}", iso, "state", role)

    def agent_actor(self, role: str, phrase: str) -> Actor:
        return Actor(role, phrase, None, "agent", role)


class MentionFinder:
    """Finds the actor mentions of one parsed sentence and maps tokens to them."""

    def __init__(
        self,
        dictionary: ActorDictionary,
        doc: Any,
        date: dt.date | None,
        antecedent: Callable[[str], Actor | None] | None = None,
        text: str | None = None,
    ) -> None:
        self.d = dictionary
        self.doc = doc
        self.text: str = text if text is not None else doc.text  # the sentence as written
        self.date = date
        self.antecedent = antecedent
        self.by_token: dict[int, Mention] = {}
        self.heads: dict[int, Mention] = {}
        self.shared: dict[int, list[Mention]] = {}  # a noun's other owners ("US and British activists")
        self._find()

    def _find(self) -> None:
        doc = self.doc
        claimed: set[int] = set()
        agent_spans = self._agent_spans()
        for ent in doc.ents:
            hit = self.d.resolve_proper(ent.ent_id_ or ent.text, self.date) if ent.ent_id_ else None
            if hit is None or _names_a_thing(ent):
                continue
            entry, actor = hit
            start, end, head = ent.start, ent.end, ent.root
            affiliation = self._affiliation(ent)
            # "Malian troops", "Mali's government", "Russian paramilitary organization"
            owner = self._agent_owning(ent, agent_spans)
            if owner is not None:
                a_start, a_end, role = owner
                phrase = doc[a_start:a_end].text.lower()
                actor = self.d.compose(actor, role, phrase)
                start, end, head = min(start, a_start), max(end, a_end), doc[a_end - 1]
            elif entry.kind == "demonym" and ent.start > 0 and doc[ent.start - 1].lower_ == "ethnic":
                # "ethnic Albanians in Serbia": a community, placed by the sentence (see _localize)
                actor, start = self.d.agent_actor("CVL", f"ethnic {ent.text}"), ent.start - 1
            elif entry.kind == "demonym" and head.pos_ == "NOUN" and head.tag_ == "NNPS":
                actor = self.d.compose(actor, "CVL", "people")
            if affiliation and head.i - 1 >= 0 and doc[ent.start - 1].text == "-":
                start = min(start, ent.start - 2)
            # "US and British activists": both own the noun, and both act
            prior = self.heads.get(head.i) if owner is not None and ent.root.dep_ == "conj" else None
            self.register(start, end, head, actor, affiliation, claimed)
            if (
                prior is not None
                and prior.affiliation is None
                and affiliation is None
                and prior.actor != actor
            ):
                self.shared.setdefault(head.i, []).append(prior)
        for a_start, a_end, role in agent_spans:
            if any(i in claimed for i in range(a_start, a_end)):
                continue
            head = doc[a_end - 1]
            phrase = doc[a_start:a_end].text.lower()
            linked = self._linked_actor(head)
            if linked is not None:
                mention, last = linked
                actor = self.d.compose(mention.actor, role, phrase)
                if actor.type != "state":
                    actor = Actor(
                        mention.actor.code,
                        f"{mention.actor.name}-linked {phrase}",
                        mention.actor.country,
                        mention.actor.type,
                        role,
                    )
                self.register(a_start, last + 1, head, actor, "linked", claimed)
            elif (place := self._place_of(head)) is not None:
                mention, last = place  # "opposition groups in Zimbabwe", "the government of Mali"
                actor = self.d.compose(mention.actor, role, phrase)
                self.register(a_start, max(a_end, last + 1), head, actor, None, claimed)
            elif (home := self._home_state(head, role)) is not None:
                self.register(a_start, a_end, head, self.d.compose(home, role, phrase), "coref", claimed)
            else:
                self.register(a_start, a_end, head, self.d.agent_actor(role, phrase), None, claimed)
        find_referring(self, claimed)
        find_speakers(self, claimed)
        find_documents(self, claimed)
        find_possessors(self)
        self._localize()

    def _localize(self) -> None:
        """Agents with no country ("the president", "rebels") in a sentence that names exactly one
        state belong to it: "opposition groups demand that President Mugabe resign … in Zimbabwe"."""
        mentions = {id(m): m for m in self.by_token.values()}.values()
        for old in [m for m in mentions if m.actor.type == "agent" and m.actor.role]:
            heads = [h for h, m in self.heads.items() if m is old]
            place = next((p for h in heads if (p := self._place_of(self.doc[h])) is not None), None)
            if place is not None:  # "ethnic Albanians in south Serbia": its own place first
                self.replace(old, self.d.compose(place[0].actor, old.actor.role or "", old.actor.name))
        mentions = {id(m): m for m in self.by_token.values()}.values()
        named = [
            m for m in mentions if m.actor.type == "state" and m.actor.country and m.affiliation != "coref"
        ]
        states: set[str] = {iso for m in named if (iso := m.actor.country)}
        if len(states) != 1:
            return
        (iso,) = states
        home = self.d.state(iso)
        state_verbs = {self._argument_of(h) for h, m in self.heads.items() if m in named}
        for old in [m for m in mentions if m.actor.type == "agent" and m.actor.role]:
            heads = [h for h, m in self.heads.items() if m is old]
            if any(self._argument_of(h) in state_verbs - {None} for h in heads):
                continue  # "Russia attacked rebels": the other side of the event is not its own
            self.replace(old, self.d.compose(home, old.actor.role or "", old.actor.name))

    def replace(self, old: Mention, actor: Actor) -> None:
        new = Mention(old.text, old.start, old.end, actor, "context")
        for table in (self.by_token, self.heads):
            for i, m in list(table.items()):
                if m is old:
                    table[i] = new

    def _argument_of(self, index: int) -> int | None:
        """The verb a mention is the subject or object of (passive "by" agents included)."""
        tok = self.doc[index]
        if tok.dep_ == "pobj" and tok.head.dep_ == "agent":
            return int(tok.head.head.i)
        means = tok
        while means.dep_ in _MODIFIER_DEPS and means.head.pos_ in ("NOUN", "PROPN"):
            means = means.head  # "killed in a US drone strike": the strike's doer
        if (
            means.dep_ == "pobj"
            and means.head.head.pos_ == "VERB"
            and means in passive_doers(means.head.head)
        ):
            return int(means.head.head.i)
        return int(tok.head.i) if tok.dep_ in _ARGUMENT_DEPS and tok.head.pos_ in ("VERB", "AUX") else None

    def _place_of(self, head: Any) -> tuple[Mention, int] | None:
        """The state or organisation an agent noun belongs to: "opposition groups in Zimbabwe",
        "the government of Mali", "activists from Fatah", "fighters of JNIM"."""
        preps = list(head.children)
        # "detained 49 soldiers from Côte d'Ivoire": "from" right after the noun, hung on the verb
        preps += [p for p in head.head.children if p.lower_ == "from" and p.i == head.right_edge.i + 1]
        for prep in preps:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "of", "from"):
                for pobj in prep.children:
                    mention = self.heads.get(pobj.i)
                    if mention is None:
                        continue
                    if mention.actor.type == "state" and mention.actor.country:
                        return mention, pobj.right_edge.i
                    if prep.lower_ != "in" and mention.actor.type in _MEMBER_ORGS:
                        return mention, pobj.right_edge.i
        return None

    def _home_state(self, head: Any, role: str) -> Actor | None:
        """ "the junta", "the government": the state the article is about, when one was named before."""
        if head.lemma_.lower() not in _HOME_NOUNS or self.antecedent is None:
            return None
        dets = [c for c in head.children if c.dep_ == "det"]
        if len(dets) != 1 or dets[0].lower_ != "the" or any(c.dep_ in _MODIFIER_DEPS for c in head.children):
            return None
        return self.antecedent("home")

    def register(
        self, start: int, end: int, head: Any, actor: Actor, affiliation: str | None, claimed: set[int]
    ) -> None:
        span = self.doc[start:end]
        text_start = span.start_char
        if span[0].lower_ in ("the", "a", "an") and len(span) > 1:
            text_start = span[1].idx if len(span) > 1 else text_start
        mention = Mention(
            self.text[text_start : span.end_char], text_start, span.end_char, actor, affiliation
        )
        for i in range(start, end):
            self.by_token[i] = mention
            claimed.add(i)
        self.heads[head.i] = mention

    def _agent_spans(self) -> list[tuple[int, int, str]]:
        out = []
        lemmas = [t.lemma_.lower() for t in self.doc]
        for tok in self.doc:
            if tok.pos_ not in ("NOUN", "PROPN"):
                continue
            for n in (3, 2, 1):
                start = tok.i - n + 1
                if start < 0:
                    continue
                words = tuple(lemmas[start : tok.i + 1])
                role = self.d.agents.get(words)
                if role is not None and words == ("force",) and not self._owned(tok):
                    break  # "forces" alone is too vague ("external forces"); "Malian forces" is MIL
                if role is not None:
                    out.append((start, tok.i + 1, role))
                    break
        return out

    def _owned(self, head: Any) -> bool:
        """Whether a noun has a possessive or modifier naming who it belongs to ("its forces" too)."""
        return any(
            c.dep_ in ("poss", "amod", "compound", "nmod") and (c.ent_id_ or c.lower_ in POSSESSIVES)
            for c in head.children
        )

    def _agent_owning(self, ent: Any, agents: list[tuple[int, int, str]]) -> tuple[int, int, str] | None:
        """The agent noun this entity modifies, if any (as modifier or possessor)."""
        root = ent.root
        for a_start, a_end, role in agents:
            head = self.doc[a_end - 1]
            if a_start <= root.i < a_end:
                continue
            if root.head.i == head.i and root.dep_ in _MODIFIER_DEPS:
                return a_start, a_end, role
            if (
                root.dep_ in _MODIFIER_DEPS
                and root.head.head.i == head.i
                and root.head.dep_ in _MODIFIER_DEPS
            ):
                return a_start, a_end, role
            if ent.end == a_start or (ent.end + 1 == a_start and self.doc[ent.end].dep_ == "case"):
                return a_start, a_end, role
        return None

    def _affiliation(self, ent: Any) -> str | None:
        if ent.start >= 2 and self.doc[ent.start - 1].text == "-" and self.doc[ent.start - 2].lower_ == "pro":
            return "pro"
        if ent.end + 1 < len(self.doc) and self.doc[ent.end].text == "-":
            nxt = self.doc[ent.end + 1].lemma_.lower()
            if nxt in _LINK_VERBS or nxt in {"backed", "linked", "aligned", "allied", "affiliated"}:
                return "linked"
        return None

    def _linked_actor(self, head: Any) -> tuple[Mention, int] | None:
        """The NATO mention (and the phrase's last token) of "municipalities linked to NATO"."""
        for child in head.children:
            if child.dep_ == "acl" and child.lemma_.lower() in _LINK_VERBS:
                for prep in child.children:
                    if prep.dep_ in ("prep", "agent"):
                        for pobj in prep.children:
                            if pobj.i in self.heads:
                                return self.heads[pobj.i], pobj.right_edge.i
        return None

    # --- used by the coder ---------------------------------------------------------------------

    def mentions_at(self, token: Any, max_depth: int = 3) -> list[Mention]:
        """The actor(s) a noun phrase headed by ``token`` refers to, shallowest first; conjuncts expand."""
        found = self._nearest(token, max_depth)
        if found is None:
            return []
        out = [found]
        out += [m for i, ms in self.shared.items() if self.heads.get(i) is found for m in ms]
        members = _conjuncts(token)
        if found.actor.type == "state":  # "The US, Russia, and Switzerland": parsed as appos + conj
            for child in token.children:
                listed = self.by_token.get(child.i) if child.dep_ == "appos" else None
                if (
                    listed is not None
                    and listed.actor.type == "state"
                    and listed.actor.country != found.actor.country
                ):
                    members += [child, *_conjuncts(child)]
        for conj in members:
            extra = self._nearest(conj, 2)
            if extra is not None and extra not in out:
                out.append(extra)
        return out

    def _nearest(self, token: Any, max_depth: int) -> Mention | None:
        frontier = [token]
        for _ in range(max_depth + 1):
            level = [self.by_token[tok.i] for tok in frontier if tok.i in self.by_token]
            if level:  # "the Al Qaeda-linked Somali militant group": Somali, not the group it is linked to
                plain = next((m for m in level if m.affiliation not in ("linked", "pro")), None)
                if plain is not None:
                    return plain
                modifiers = (c for tok in frontier for c in tok.children if c.dep_ in _MODIFIER_DEPS)
                own = (self.by_token[c.i] for c in modifiers if c.i in self.by_token)
                return next((m for m in own if m.affiliation not in ("linked", "pro")), level[0])
            nxt = []
            for tok in frontier:
                for child in tok.children:
                    if child.dep_ not in _SEARCH_DEPS:
                        continue
                    if child.dep_ == "prep" and child.lower_ not in _SEARCH_PREPS:
                        continue
                    if child.dep_ == "conj":
                        continue
                    nxt.append(child)
            frontier = nxt
            if not frontier:
                break
        return None

    def all(self) -> Iterable[Mention]:
        seen: list[Mention] = []
        for m in self.by_token.values():
            if m not in seen:
                seen.append(m)
        return seen


_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "obj", "dative"})


def _conjuncts(token: Any) -> list[Any]:
    out = []
    stack = [c for c in token.children if c.dep_ == "conj"]
    while stack:
        tok = stack.pop(0)
        out.append(tok)
        stack.extend(c for c in tok.children if c.dep_ == "conj")
    return out


# Nouns a country's name can qualify without the country acting: its money ("the US dollar
# exchange rate") and its rivers and lakes ("the river Niger", "the Congo basin").
CURRENCY_NOUNS = frozenset(
    """dollar euro pound yen yuan renminbi rupee naira cedi franc shilling rand peso ruble rouble
    dinar riyal rial lira dirham currency""".split()
)
WATER_NOUNS = frozenset("river lake delta basin gulf sea bay valley".split())


def _names_a_thing(ent: Any) -> bool:
    """A name that is part of a thing's name, not an actor: "the river Niger", "US dollar"."""
    doc = ent.doc
    if ent.start > 0 and doc[ent.start - 1].lower_ in WATER_NOUNS:
        return True
    if ent.root.dep_ not in ("compound", "amod", "nmod") or ent.end >= len(doc):
        return False
    things = CURRENCY_NOUNS | WATER_NOUNS
    return doc[ent.end].lemma_.lower() in things or (
        ent.root.head.i >= ent.end and ent.root.head.lemma_.lower() in things
    )


def _irregular_plurals(head: str) -> set[str]:
    """Plurals the regular endings miss: -man → -men (gunmen, policewomen), -f/-fe → -ves, child."""
    out = set()
    if head.endswith("man"):
        out.add(head[:-3] + "men")
    if head.endswith("f"):
        out.add(head[:-1] + "ves")
    if head.endswith("fe"):
        out.add(head[:-2] + "ves")
    if head == "child":
        out.add("children")
    return out


# Roots whose place settles a missing target (ACLED practice: an attack, a show of force, a
# crackdown or a protest in a place with no named target is aimed at that place's state).
PLACE_TARGET_ROOTS = frozenset({"14", "15", "17", "18", "19", "20"})
PLACE_TARGET_CODES = frozenset({"018"})  # condolences go to the people of the place
VERBAL_ROOTS = frozenset({"01", "02", "10", "11", "12", "13"})


def placed(actors: ActorDictionary, event: Event, iso: str, text: str, start: int, end: int) -> Event:
    """An event's arguments completed by the place tied to it (``text`` at ``start``–``end`` of the
    sentence, in country ``iso``): a missing target of a PLACE_TARGET_ROOTS event becomes that
    country ("launched attacks in northeastern Nigeria" → NGA); a protest abroad with only its
    implicit home-government target is aimed at the host government ("US activists protested in
    Beijing" → CHN government); agents of unknown country ("people", "insurgents") take the
    place's country. Filled arguments carry affiliation "place" and the place's span."""
    if iso not in actors.countries:
        return event
    land = actors.state(iso)
    if event.root_code not in VERBAL_ROOTS:  # where a statement is made says nothing of whom it is about
        source, target = _localized(actors, event.source, land), event.target
        target = _localized(actors, target, land) if target is not None else None
        if source is not event.source or target is not event.target:
            event = dataclasses.replace(event, source=source, target=target)
    return _place_target(actors, event, land, text, start, end)


def _localized(actors: ActorDictionary, m: Mention, land: Actor) -> Mention:
    """An agent of unknown country ("people", "insurgents") placed in ``land``."""
    if m.actor.type != "agent" or m.actor.country is not None or not m.actor.role:
        return m
    return Mention(m.text, m.start, m.end, actors.compose(land, m.actor.role, m.actor.name), "place")


def _place_target(
    actors: ActorDictionary, event: Event, land: Actor, text: str, start: int, end: int
) -> Event:
    target = event.target
    if event.event_code in PLACE_TARGET_CODES and target is None:  # "sorrow for the shootings in X"
        return dataclasses.replace(event, target=Mention(text, start, end, land, "place"))
    if event.root_code in PLACE_TARGET_ROOTS:
        protest = event.root_code == "14"
        host = actors.compose(land, "GOV", "government") if protest else land
        if target is None or (
            protest and target.affiliation == "implicit" and event.source.actor.country != land.code
        ):
            return dataclasses.replace(event, target=Mention(text, start, end, host, "place"))
    return event
