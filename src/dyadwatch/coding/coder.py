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

from .actors import ActorDictionary, MentionFinder
from .arguments import (
    MEETING_ROOTS,
    SENDING_ROOTS,
    Args,
    domestic,
    implicit,
    own_forces,
    particle_objects,
    predicate_targets,
)
from .datafiles import CodebookEntry, TriggerEntry, load_calibration, load_composition
from .nlp import Parsed
from .records import Actor, Article, Event, Mention, Trigger
from .speech import OBLIGATION_ENTRY, accusation, obligation
from .syntax import (
    COLLECTIVE_HEADS,
    INTENT_ADJECTIVES,
    LIGHT_VERBS,
    MODALS,
    WISH_VERBS,
    clause_dep,
    clause_mode,
    in_condition,
    is_purpose,
    is_subject,
    modality,
    object_lemmas,
    objects_of,
    passive_doers,
    sporting,
    states_only,
    subject_of,
    under_demand,
    unrelative,
    wished_on_another,
)

RECEIVE_VERBS = frozenset({"receive", "obtain"})  # the "from" object gives, the subject receives
INTENT_ENTRY = TriggerEntry("030", "verb", ("ready",), frozenset(), (), None, 0)
# Adjectival passives: "Israel is opposed to …", "Vietnam is committed to …" (the subject acts)
STATIVE_PASSIVES = frozenset({"oppose", "commit", "prepare", "determine", "resolve", "dedicate", "poise"})
COOPERATIVE_ROOTS = frozenset({"03", "04", "05", "06", "07", "08"})
# "A and B agreed / met / negotiated / cooperated / signed": each side towards the other.
RECIPROCAL_CODES = ("03", "040", "044", "046", "050", "054", "057", "06")
ERGATIVE_VERBS = frozenset({"withdraw", "pull", "retreat"})  # "troops withdrew": the mover is the object
PARTICIPATION_VERBS = frozenset({"engage", "participate", "take", "play"})  # X took part in <event>
BARE_GOVERNOR_CODES = frozenset({"030", "130"})  # promise/threat verbs that govern a coded act
BENEFACTIVE_VERBS = frozenset({"help"})  # aid only when someone is helped
HELP_VERBS = frozenset({"help", "assist"})  # "helped Syria defeat …": the helped is the clause's subject
MUTUAL_CODES = frozenset({"040", "046"})  # consulting and negotiating "with" someone: both sides act
TARGET_VERBS = frozenset({"target", "hit", "strike", "aim", "affect", "against"})
DEFAULT_NOUN_PREPS = ("on", "against", "with", "of", "to", "into")
TARGETLESS_ROOTS = frozenset({"01", "12", "13", "14", "15", "18", "19", "20"})
TARGETLESS_CODES = ("0831", "0873", "0874")
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
        self.verbs: dict[str, list[TriggerEntry]] = {}
        self.nouns: dict[str, list[TriggerEntry]] = {}
        for entry in triggers:
            index = self.verbs if entry.kind == "verb" else self.nouns
            index.setdefault(entry.head, []).append(entry)

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
            entry, objects = self._match_verb(tok)
            if entry is None:
                return None
            consumed.update(o.i for o in objects)
            return entry, self._verb_args(tok, entry, objects, finder)
        if tok.pos_ in ("NOUN", "PROPN") and tok.i not in consumed:
            noun = self._match_noun(tok)
            return None if noun is None else (noun, self._noun_args(tok, noun, finder))
        return None

    def _intent_adjective(self, tok: Any, finder: MentionFinder) -> tuple[TriggerEntry, Args] | None:
        """ready/willing/prepared to do something the dictionary does not code on its own."""
        if tok.lemma_.lower() not in INTENT_ADJECTIVES or tok.dep_ not in ("acomp", "ROOT"):
            return None
        action = next((c for c in tok.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
        if action is None or action.lemma_.lower() in self.verbs:
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

    # --- trigger matching ----------------------------------------------------------------------

    def _match_verb(self, tok: Any) -> tuple[TriggerEntry | None, list[Any]]:
        entries = self.verbs.get(tok.lemma_.lower())
        if not entries:
            return None, []
        if tok.lemma_.lower() in WISH_VERBS and (
            not wished_on_another(tok) or any(c.dep_ == "aux" and c.lower_ in MODALS for c in tok.children)
        ):
            return None, []  # "wants to attack" is the wanter's own act; "might want" is speculation
        objects = objects_of(tok)
        found_lemmas = {lemma for o in objects for lemma in object_lemmas(o)}
        if tok.lemma_.lower() in ERGATIVE_VERBS and not objects:  # "the troops withdrew from …"
            found_lemmas |= {lemma for c in objects_of(tok, ("nsubj",)) for lemma in object_lemmas(c)}
        particles = {c.lower_ for c in tok.children if c.dep_ in ("prt", "prep", "advmod")}
        best: TriggerEntry | None = None
        for entry in entries:
            if entry.particle and entry.particle not in particles:
                continue
            held = {lemma for o in particle_objects(tok, entry) for lemma in object_lemmas(o)}
            if entry.objects and not entry.objects & (found_lemmas | held):
                continue
            if best is None or entry.specificity > best.specificity:
                best = entry
        if best is None or not best.objects:
            return best, []
        objects += particle_objects(tok, best)
        return best, [o for o in objects if object_lemmas(o) & best.objects]

    def _match_noun(self, tok: Any) -> TriggerEntry | None:
        entries = self.nouns.get(tok.lemma_.lower()) or self.nouns.get(tok.lower_)
        if not entries:
            return None
        left = [t.lemma_.lower() for t in tok.lefts if t.dep_ in ("compound", "amod", "nmod")]
        of_objects = {  # "withdrawal of troops", "troop withdrawal"
            p.lemma_.lower() for c in tok.children if c.lower_ == "of" for p in c.children if p.dep_ == "pobj"
        } | set(left)
        if tok.dep_ == "dobj" and tok.head.lemma_.lower() in LIGHT_VERBS:
            # "forces completed their withdrawal": the light verb's subject is what withdraws
            of_objects |= {c.lemma_.lower() for c in tok.head.children if c.dep_ == "nsubj"}
        best: TriggerEntry | None = None
        for entry in entries:
            if len(entry.words) > 1 and not all(w in left for w in entry.words[:-1]):
                continue
            if entry.objects and not entry.objects & of_objects:
                continue
            if best is None or entry.specificity > best.specificity:
                best = entry
        return best

    # --- argument finding ----------------------------------------------------------------------

    def _verb_args(self, tok: Any, entry: TriggerEntry, objects: list[Any], finder: MentionFinder) -> Args:
        # "soldiers killed in Ukraine": a participle modifying its noun is a passive with that noun as subject
        reduced = tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ in ("NOUN", "PROPN")
        passive = reduced or any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
        stative = passive and tok.lemma_.lower() in STATIVE_PASSIVES
        if stative and not any(c.dep_ == "agent" for c in tok.children):
            passive = False
        sources: list[Mention] = []
        direct_source = True
        subject: Any = None
        if passive:
            for doer in passive_doers(tok):
                means = doer.head.lower_ == "in"  # "in Israeli tank shelling": only its own modifiers
                sources = sources or finder.mentions_at(doer, 1 if means else 3)
        else:
            subject, direct_source = subject_of(tok)
            if subject is None and stative:
                subject = next((unrelative(c) for c in tok.children if c.dep_ == "nsubjpass"), None)
            if subject is not None:
                sources = finder.mentions_at(subject)
        thing_subject = (
            bool(sources)
            and subject is not None
            and subject.i not in finder.by_token
            and subject.lemma_.lower() not in COLLECTIVE_HEADS
        )
        targets: list[Mention] = []
        direct_target = True
        if entry.objects or entry.preps:
            holders = [tok, *objects, *(c for o in objects for c in o.children if c.dep_ == "conj")]
            targets = self._prep_targets(holders, entry.preps or ("with", "to", "on", "against"), finder)
        if not targets and not entry.objects:
            base = [c for c in tok.children if c.dep_ == ("nsubjpass" if passive else "dobj")]
            base += [tok.head] if reduced else []
            base += [c for c in tok.children if c.dep_ == "dative"]
            for b in base:
                if own_forces(b, sources, finder, self.codebook[entry.code].root == "15"):
                    continue  # "offered its troops to …", "mobilized reservists": not the target
                targets = finder.mentions_at(b)
                if targets:
                    break
            if (
                not targets and base
            ):  # "ratified an agreement with the EU", "presented evidence against Russia"
                targets = self._prep_targets(base, ("with", "against", "to", "on", "for"), finder)
        if not targets and (
            self.codebook[entry.code].root in ("02", "10", "11", "13") or tok.lemma_.lower() in HELP_VERBS
        ):  # "helped Syria defeat the rebels" → Syria
            for clause in (c for c in tok.children if c.dep_ in ("ccomp", "xcomp")):
                subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subject is not None:  # "demanded that the US cancel …" → the US
                    targets = [m for m in finder.mentions_at(subject) if m not in sources]
                    direct_target = False
        if not targets and entry.objects:  # "gave Tanzania a grant": the indirect object
            for dative in (c for c in tok.children if c.dep_ in ("dative", "iobj")):
                targets = [m for m in finder.mentions_at(dative) if m not in sources]
        if not targets and entry.objects:  # "restrictions against German goods" → DEU
            targets = self._prep_targets([tok, *objects], ("against", "on", "to", "with", "for"), finder)
            direct_target = False
        if not targets and entry.objects and self.codebook[entry.code].root not in MEETING_ROOTS:
            for obj in objects:  # "expelled the French ambassador" → FRA (not "talks in Bamako")
                if own_forces(obj, sources, finder, self.codebook[entry.code].root in SENDING_ROOTS):
                    continue  # "sent its troops to the border", "sent thousands of troops"
                targets = [m for m in finder.mentions_at(obj, 2) if m not in sources]
                if targets:
                    direct_target = False
                    break
        if not targets and not entry.objects and not entry.preps:
            targets = self._prep_targets([tok], ("against", "on", "with", "to"), finder)
            direct_target = False
        if not targets and tok.dep_ == "conj" and tok.head.pos_ == "VERB":
            # "is training Malian forces and providing support": the conjoined verb shares the object
            for obj in (c for c in tok.head.children if c.dep_ in ("dobj", "obj")):
                targets = [m for m in finder.mentions_at(obj) if m not in sources]
                if targets:
                    direct_target = False
                    break
        if tok.lemma_.lower() in RECEIVE_VERBS and "from" in entry.preps:
            # "Georgian demonstrators received weapons from the government": the giver acts
            return Args(targets, sources, direct_target, direct_source)
        return Args(sources, targets, direct_source, direct_target, thing_subject=thing_subject)

    def _noun_args(self, tok: Any, entry: TriggerEntry, finder: MentionFinder) -> Args:
        sources: list[Mention] = []
        direct, weak = True, False
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "by":
                sources = [m for p in c.children if p.dep_ == "pobj" for m in finder.mentions_at(p)]
            elif c.dep_ in ("poss", "compound", "amod", "nmod") and not sources and c.i in finder.by_token:
                sources, weak = [finder.by_token[c.i]], True
        if (
            not sources
            and tok.dep_ in ("dobj", "obj", "nsubjpass", "conj")
            and tok.head.pos_ in ("VERB", "NOUN")
        ):
            governor = tok.head if tok.dep_ != "conj" else tok.head.head
            if governor.pos_ == "VERB" and governor.lemma_.lower() in LIGHT_VERBS:
                subject, _ = subject_of(governor)
                if subject is not None:
                    sources = finder.mentions_at(subject)
                    direct = False
        engaged: list[Mention] = []
        governor = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "in" else tok
        if governor.lemma_.lower() in ("part", "role") and governor.dep_ in ("dobj", "obj"):
            governor = governor.head  # "took part in the killing", "played a role in the attack"
        if not sources and governor.lemma_.lower() in PARTICIPATION_VERBS:
            # "rebels engaged peacekeepers in a firefight" / "engaged in clashes with"
            subject, _ = subject_of(governor)
            if subject is not None:
                sources, direct = finder.mentions_at(subject), False
                engaged = [
                    m for o in governor.children if o.dep_ in ("dobj", "obj") for m in finder.mentions_at(o)
                ]
        targets = engaged or self._prep_targets([tok], entry.preps or DEFAULT_NOUN_PREPS, finder)
        if not targets:
            for c in tok.children:
                if c.dep_ == "acl" and c.lemma_.lower() in TARGET_VERBS:
                    for obj in (o for o in c.children if o.dep_ in ("dobj", "obj")):
                        targets = finder.mentions_at(obj)
        if not targets and tok.head.pos_ == "VERB" and tok.dep_ in ("dobj", "obj"):
            targets = self._prep_targets([tok.head], entry.preps or ("on", "against"), finder)
        return Args(sources, [t for t in targets if t not in sources], direct, True, weak and not targets)

    def _prep_targets(self, holders: list[Any], preps: Iterable[str], finder: MentionFinder) -> list[Mention]:
        """The first actor under one of the prepositions, in the order the entry lists them
        ("complained to the UN about Israeli raids": about|over before to)."""
        for prep in preps:
            for holder in holders:
                for c in holder.children:
                    if c.dep_ in ("prep", "dative") and c.lower_ == prep:
                        for pobj in (p for p in c.children if p.dep_ == "pobj"):
                            found = finder.mentions_at(pobj)
                            if found:
                                return found
        return []

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
        tok, cb, (negated, hedged, reported_by) = site.tok, site.cb, site.flags
        trigger = Trigger(tok.text, tok.idx, tok.idx + len(tok.text))
        out = []
        for source in args.sources:
            targets: list[Mention | None] = [*args.targets] or [None]
            for target in targets:
                if target is not None and (target == source or target.actor.code == source.actor.code):
                    continue
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


def _dedupe(found: list[tuple[Event, int]]) -> list[Event]:
    """One event per (source, target, root) in a sentence: the most specific pattern wins."""
    best: dict[tuple[str, str | None, str], tuple[Event, int]] = {}
    for event, spec in found:
        key = (event.source.actor.code, event.target.actor.code if event.target else None, event.root_code)
        if key not in best or (spec, event.confidence) > (best[key][1], best[key][0].confidence):
            best[key] = (event, spec)
    kept = {id(e) for e, _ in best.values()}
    return [e for e, _ in found if id(e) in kept]
