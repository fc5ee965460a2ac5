"""Stage 5 — coding: who did what to whom, from the dependency parse, into CAMEO events.

Every verb and event noun of a sentence is looked up in the event dictionary
(``data/events/triggers.csv``); the most specific matching entry gives the CAMEO code. The source
is the trigger's subject (followed through relative clauses, control and raising verbs, conjoined
and participial verbs, and passive "by" agents), the target its object or the noun phrase of the
entry's preposition. Nouns ("cyberattacks", "sanctions on") become events when a source is found:
a "by" phrase, a possessive or modifier, or the subject of a light verb ("launched an attack").
Each event carries flags for negation, hedging and reported speech.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from dyadwatch.coding.actors import ActorDictionary, MentionFinder
from dyadwatch.coding.arguments import (
    Args,
    domestic,
    implicit,
    predicate_targets,
    unknown_doer,
)
from dyadwatch.coding.slots import (
    ArgumentReader,
)
from dyadwatch.coding.speech import OBLIGATION_ENTRY, accusation, obligation
from dyadwatch.coding.syntax import (
    INTENT_ADJECTIVES,
    clause_dep,
    clause_mode,
    in_condition,
    is_purpose,
    is_subject,
    modality,
    sporting,
    states_only,
    under_demand,
    unrelative,
)
from dyadwatch.coding.triggers import TriggerIndex
from dyadwatch.datafiles import CodebookEntry, TriggerEntry, load_calibration, load_composition
from dyadwatch.nlp.parser import Parsed
from dyadwatch.records import Actor, Article, Event, Mention, Trigger

INTENT_ENTRY = TriggerEntry("030", "verb", ("ready",), frozenset(), (), None, 0)
COOPERATIVE_ROOTS = frozenset({"03", "04", "05", "06", "07", "08"})
# "A and B agreed / met / negotiated / cooperated / signed": each side towards the other.
RECIPROCAL_CODES = ("03", "040", "044", "046", "050", "054", "057", "06")
BARE_GOVERNOR_CODES = frozenset({"030", "130"})  # promise/threat verbs that govern a coded act
BENEFACTIVE_VERBS = frozenset({"help", "assist"})  # aid only when someone is helped
MUTUAL_CODES = frozenset({"040", "046"})  # consulting and negotiating "with" someone: both sides act
TARGETLESS_ROOTS = frozenset({"01", "12", "13", "14", "15", "18", "19", "20"})
TARGETLESS_CODES = ("0831", "0873", "0874", "1712")
# Intents, aid, investigations and demands with no addressee count when they are the sentence's own
# act ("demanded elections", "agreed to postpone the vote"), not the purpose of another act
# ("marched to demand …" is the protest). Measured on the PLOVER records: each root kept here raised
# type F1 without adding no-event noise; 04, 05, 08, 16, 17 did not help and stay out.
DOMESTIC_DEFAULT_ROOTS = frozenset({"14"})
# curfews, martial law, states of emergency, bans (and threats of them) with no target named fall
# on the imposing state's own country
EMERGENCY_RULE_CODES = ("1721", "1722", "1723", "1724", "1321", "1322", "1323", "1324")
MAIN_CLAUSE_TARGETLESS = frozenset(
    {"03", "07", "09", "10"}
)  # resigning, demobilising, pulling out or surrendering


@dataclass(frozen=True, slots=True)
class _Site:
    """Where an event was found and how it is coded (shared by all its source/target pairs)."""

    parsed: Parsed
    article: Article
    tok: Any
    entry: TriggerEntry
    cb: CodebookEntry
    flags: tuple[bool, bool, str | None]  # negated, hedged, reported_by
    future: bool = False
    hypothetical: bool = False


class Coder:
    """Turns parsed sentences into events using the trigger dictionary and the actor dictionary."""

    def __init__(
        self, actors: ActorDictionary, triggers: Iterable[TriggerEntry], codebook: dict[str, CodebookEntry]
    ) -> None:
        self.actors = actors
        self.codebook = codebook
        self.composition = load_composition()
        self.calibration = load_calibration()
        self._article: str | None = None
        self._history: list[Actor] = []  # actors named so far in the current article, in order
        self.triggers = TriggerIndex(triggers)
        self.arguments = ArgumentReader(codebook)

    def code(self, parsed: Parsed, article: Article) -> list[Event]:
        """Events of one sentence; sentences must arrive in article order (for "this group")."""
        if article.id != self._article:
            self._article, self._history = article.id, []
        if parsed.doc is None:
            # history is ordered by salience, most salient last: news sentences open with their subject
            for name in reversed(parsed.names):
                hit = self.actors.resolve_proper(name, article.published)
                if hit is not None:
                    self._history.append(hit[1])
            return []
        doc = parsed.doc
        finder = MentionFinder(self.actors, doc, article.published, self._antecedent, parsed.sentence.text)
        mentions = list(finder.all())  # subjects go last: "the country" prefers the previous subject
        self._history.extend(m.actor for m in sorted(mentions, key=lambda m: is_subject(doc, m)))
        if not finder.by_token:
            return []
        found: list[tuple[Event, int]] = []
        purposes: set[int] = set()  # events that are only the purpose of another act
        consumed: set[int] = set()  # nouns already used as the object of a verb entry
        coded: dict[int, list[Event]] = {}  # token → its events
        bare: list[tuple[Any, Event]] = []  # events of a bare promise or threat ("pledged", no object)
        for tok in doc:
            matched = self._match(tok, finder, consumed)
            if matched is None:
                continue
            entry, args = matched
            for event in self._events(parsed, article, tok, entry, args, finder):
                coded.setdefault(tok.i, []).append(event)
                if not entry.objects and entry.code in BARE_GOVERNOR_CODES:
                    bare.append((tok, event))
                # an event whose target was read in its own slot beats one whose target was inferred
                found.append((event, entry.specificity + (10 if args.direct_target else 0)))
                if is_purpose(tok):
                    purposes.add(id(event))
                if (claim := accusation(tok, event, finder)) is not None:  # "the US claimed ISIL attacked"
                    speech, claim_entry, (speakers, accused) = claim
                    claimed = Args(speakers, accused, True, True)
                    found += [
                        (e, 0) for e in self._events(parsed, article, speech, claim_entry, claimed, finder)
                    ]
        # "pledged to expel the leaders", "agreed to restore relations", "threatened to ban voting": the
        # promised or threatened act, composed with its mode, is the event (not where only the
        # governor names whom: "promised Egypt to …")
        promised = {
            id(e)
            for tok, e in bare
            for c in tok.children
            if c.dep_ == "xcomp"
            and any(x.root_code != e.root_code or x.target or not e.target for x in coded.get(c.i, ()))
        }
        found = [(e, spec) for e, spec in found if id(e) not in promised]
        if any(id(e) not in purposes for e, _ in found):
            # "students marched to demand reforms", "police fired to disperse the crowd": the act is
            # the event; its stated purpose is not a second one
            found = [(e, spec) for e, spec in found if id(e) not in purposes]
        return _dedupe(found)

    def _match(self, tok: Any, finder: MentionFinder, consumed: set[int]) -> tuple[TriggerEntry, Args] | None:
        """The dictionary entry a token triggers, with its source and target arguments."""
        if tok.pos_ in ("VERB", "AUX") and (demand := obligation(tok, finder)) is not None:
            return OBLIGATION_ENTRY, Args(*demand, True, False)  # "France said that Iraq must cooperate"
        if tok.pos_ == "ADJ" and (intent := self._intent_adjective(tok, finder)) is not None:
            return intent  # "Norway is willing to send material": intent to cooperate
        if tok.pos_ == "VERB":
            entry, objects = self.triggers.match_verb(tok)
            if entry is None:
                return None
            consumed.update(o.i for o in objects)
            return entry, self.arguments.verb_args(tok, entry, objects, finder)
        if tok.pos_ in ("NOUN", "PROPN") and tok.i not in consumed:
            noun = self.triggers.match_noun(tok)
            return None if noun is None else (noun, self.arguments.noun_args(tok, noun, finder))
        return None

    def _intent_adjective(self, tok: Any, finder: MentionFinder) -> tuple[TriggerEntry, Args] | None:
        """ready/willing/prepared to do something the dictionary does not code on its own."""
        if tok.lemma_.lower() not in INTENT_ADJECTIVES or tok.dep_ not in ("acomp", "ROOT"):
            return None
        action = next((c for c in tok.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
        if action is None or action.lemma_.lower() in self.triggers.verbs:
            return None  # "ready to send troops" is coded from "send" (intent composition)
        holder = tok.head if tok.dep_ == "acomp" else tok
        subject = next((c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:
            return None
        sources = finder.mentions_at(unrelative(subject))
        return INTENT_ENTRY, Args(sources, [], True, False)

    def _antecedent(self, kind: str) -> Actor | None:
        """The last actor of the article compatible with a referring phrase of this kind."""
        if kind == "home":  # the state named most often so far
            counts: dict[str, int] = {}
            for actor in self._history:
                if actor.type == "state" and actor.country:
                    counts[actor.country] = counts.get(actor.country, 0) + 1
            if not counts:
                return None
            iso = max(counts, key=lambda c: counts[c])
            return self.actors.state(iso)
        for actor in reversed(self._history):
            if kind == "organisation" and actor.type in ("armed_group", "group", "ngo", "party"):
                return actor
            if kind == "bloc" and actor.type == "igo":
                return actor
            if kind in ("state", "government") and actor.type == "state" and actor.country:
                name = self.actors.countries.get(actor.country, (actor.country, ""))[0]
                if kind == "state":
                    return Actor(actor.country, name, actor.country, "state", None)
                return self.actors.compose(
                    Actor(actor.country, name, actor.country, "state"), "GOV", "government"
                )
        return None

    # --- events ----------------------------------------------------------------------------------

    def _events(
        self,
        parsed: Parsed,
        article: Article,
        tok: Any,
        entry: TriggerEntry,
        args: Args,
        finder: MentionFinder,
    ) -> list[Event]:
        doer = None if args.sources else unknown_doer(tok, entry.code)
        if doer is not None:  # "two people were arrested", "a trader was abducted": doer unidentified
            unknown = implicit(tok, self.actors.agent_actor(*doer))
            args = Args([unknown], args.targets, False, args.direct_target)
        if not args.sources or args.weak_source:
            return []
        if not args.targets and tok.lemma_.lower() in BENEFACTIVE_VERBS:
            return []  # "helped to plan the killings" is no aid to anyone
        if under_demand(tok):
            return []  # "urged Mali to investigate": the appeal is the event, not the investigation
        if sporting(tok):
            return []  # "Morocco beat Portugal in the World Cup quarter-final": a game
        cb = self.codebook[entry.code]
        negated, hedged, reported_by = modality(tok)
        mode = clause_mode(tok, negated)
        composed = self._compose(mode, cb)
        future = mode == "future" and composed is None  # "the UN will investigate": not yet happened
        if doer is not None and (composed is not None or future or negated):
            return []  # an unnamed doer only for an act the sentence asserts as done
        if composed is not None:
            cb, hedged = composed, hedged and mode not in ("intent", "future", "threat")
            negated = False
        site = _Site(
            parsed, article, tok, entry, cb, (negated, hedged, reported_by), future, in_condition(tok)
        )
        if not args.targets and not args.thing_subject:  # "agreed to re-open its borders to UN peacekeepers"
            found = predicate_targets(tok, args.sources, finder, cb.root)
            if found:
                args = Args(args.sources, found, args.direct_source, False, args.weak_source)
        if not args.targets and cb.code.startswith(EMERGENCY_RULE_CODES) and args.sources[0].actor.country:
            # "Iraq's government is prepared to impose martial law": on its own country
            land = self.actors.state(args.sources[0].actor.country or "")
            args = Args(args.sources, [implicit(tok, land)], args.direct_source, False, args.weak_source)
        if args.targets and cb.code in MUTUAL_CODES and "with" in entry.preps and not composed:
            # "X held talks with Y": talks are held by both sides
            back = Args(args.targets, args.sources, args.direct_target, args.direct_source)
            return self._build(site, args) + self._build(site, back)
        if not args.targets and cb.root in DOMESTIC_DEFAULT_ROOTS:
            args = Args(args.sources, [], args.direct_source, False, args.weak_source)
            return [
                e for src in args.sources for e in self._build(site, domestic(self.actors, src, args, tok))
            ]
        if not args.targets and len(args.sources) > 1 and cb.code.startswith(RECIPROCAL_CODES):
            # "Saudi Arabia and Iran agreed to restore relations": each side towards the other.
            return [
                e
                for src in args.sources
                for e in self._build(
                    site,
                    Args(
                        [src],
                        [m for m in args.sources if m.actor.code != src.actor.code],
                        args.direct_source,
                        False,
                    ),
                )
            ]
        if not args.targets and cb.root == "13" and composed is None and states_only(tok):
            return []  # "aid agencies warned that …" is a statement; "threatened to strike" is a threat
        if (
            not args.targets
            and cb.root not in TARGETLESS_ROOTS
            and not cb.code.startswith(TARGETLESS_CODES)
            and not (cb.root in MAIN_CLAUSE_TARGETLESS and clause_dep(tok) in ("ROOT", "ccomp", "conj"))
            and composed is None
        ):
            return []
        return self._build(site, args)

    def _build(self, site: _Site, args: Args) -> list[Event]:
        tok, (negated, hedged, reported_by) = site.tok, site.flags
        trigger = Trigger(tok.text, tok.idx, tok.idx + len(tok.text))
        out = []
        for source in args.sources:
            targets: list[Mention | None] = [*args.targets] or [None]
            for target in targets:
                if target is not None and (target == source or _same_actor(source, target)):
                    continue
                cb = site.cb
                if cb.root == "19" and _irregular_violence(source, target):
                    cb = self.codebook["180"]  # gunmen or criminals shooting people: assault, not war
                out.append(
                    Event(
                        article_id=site.article.id,
                        doc_id=site.article.doc_id,
                        sentence_index=site.parsed.sentence.index,
                        sentence=site.parsed.sentence.text,
                        source=source,
                        target=target,
                        event_code=cb.code,
                        root_code=cb.root,
                        event_name=cb.name,
                        quad_class=cb.quad_class,
                        goldstein=cb.goldstein,
                        plover=cb.plover,
                        trigger=trigger,
                        confidence=self._calibrated(_confidence(site.entry, args, source, target)),
                        date=site.article.published,
                        negated=negated,
                        hedged=hedged,
                        reported_by=reported_by,
                        pattern=site.entry.label,
                        future=site.future,
                        hypothetical=site.hypothetical,
                    )
                )
        return out

    def _calibrated(self, raw: float) -> float:
        """The share of events with this raw score that were right on the PLOVER gold records."""
        for lo, hi, precision in self.calibration:
            if lo <= raw < hi:
                return precision
        return raw

    def _compose(self, mode: str | None, cb: CodebookEntry) -> CodebookEntry | None:
        """The code of "agreed to send aid" (033), "threatened to attack" (138), "refused to meet" (125)."""
        if mode is None:
            return None
        cooperative = cb.root in COOPERATIVE_ROOTS
        if mode == "future":
            mode = "intent" if cooperative else "threat"
        if mode == "intent" and not cooperative:
            mode = "threat"
        if (mode == "refuse") != cooperative and mode == "refuse":
            return None  # "refused to attack" stays an attack, flagged negated by modality
        if mode == "threat" and cb.root in ("13", "03"):
            return None
        if mode == "threat" and cooperative:
            return self.codebook["130"]  # threatening to do something cooperative, conditionally
        for prefix, code in self.composition.get(mode, ()):
            if cb.code.startswith(prefix):
                return self.codebook[code]
        return None


def _confidence(entry: TriggerEntry, args: Args, source: Mention, target: Mention | None) -> float:
    score = 0.5 + 0.06 * min(entry.specificity, 4)
    score += 0.08 if args.direct_source else -0.06
    score += 0.04 if args.direct_target else -0.04
    if target is None and not (entry.code[:2] in TARGETLESS_ROOTS or entry.code.startswith(TARGETLESS_CODES)):
        score -= 0.15  # the entry expects a target and none was found
    for m in (source, target):
        if m is not None and m.actor.country is None and m.actor.type == "agent":
            score -= 0.12
    return max(0.05, min(0.99, score))


def _same_actor(source: Mention, target: Mention) -> bool:
    """One actor on both sides ("Mali … Malian"), not two groups of one kind named apart ("herdsmen
    attacked farmers", "two gangs fought": agents with separate spans keep source = target)."""
    if source.actor.code != target.actor.code:
        return False
    apart = source.end <= target.start or target.end <= source.start
    return not (apart and source.actor.type == target.actor.type == "agent")


IRREGULAR_ROLES = frozenset({"UAF", "CRM"})
UNARMED_ROLES = frozenset({"CVL", "REF", "MED", "BUS", "LAB", "EDU", "HLH", "AGR", "REL", "ELI"})


def _irregular_violence(source: Mention, target: Mention | None) -> bool:
    """Violence by unidentified attackers or criminals against no one named or against unarmed
    people: CAMEO's 18x (assault), not 19x, the conventional force of armed forces and rebels."""
    if source.actor.role not in IRREGULAR_ROLES:
        return False
    return target is None or (target.actor.role or "") in UNARMED_ROLES


def _dedupe(found: list[tuple[Event, int]]) -> list[Event]:
    """One event per (source, target, root) in a sentence: the most specific pattern wins."""
    best: dict[tuple[str, str | None, str], tuple[Event, int]] = {}
    for event, spec in found:
        key = (event.source.actor.code, event.target.actor.code if event.target else None, event.root_code)
        if key not in best or (spec, event.confidence) > (best[key][1], best[key][0].confidence):
            best[key] = (event, spec)
    kept = {id(e) for e, _ in best.values()}
    return [e for e, _ in found if id(e) in kept]
