"""Argument reading (stage 5, coding): the source and target of a matched trigger, from its own
slots in the parse — subject or passive doer, object, the entry's prepositions — for verbs and for
event nouns ("sanctions on", "an attack by")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dyadwatch.coding.actors import MentionFinder
from dyadwatch.coding.arguments import MEETING_ROOTS, SENDING_ROOTS, Args, own_forces
from dyadwatch.coding.syntax import COLLECTIVE_HEADS, LIGHT_VERBS, passive_doers, subject_of, unrelative
from dyadwatch.datafiles import CodebookEntry, TriggerEntry
from dyadwatch.records import Mention

RECEIVE_VERBS = frozenset({"receive", "obtain"})  # the "from" object gives, the subject receives
# Adjectival passives: "Israel is opposed to …", "Vietnam is committed to …" (the subject acts)
STATIVE_PASSIVES = frozenset({"oppose", "commit", "prepare", "determine", "resolve", "dedicate", "poise"})
PARTICIPATION_VERBS = frozenset({"engage", "participate", "take", "play"})  # X took part in <event>
HELP_VERBS = frozenset({"help", "assist"})  # "helped Syria defeat …": the helped is the clause's subject
TARGET_VERBS = frozenset({"target", "hit", "strike", "aim", "affect", "against"})
DEFAULT_NOUN_PREPS = ("on", "against", "with", "of", "to", "into")


class ArgumentReader:
    """Reads a trigger's arguments; the codebook tells which codes take a target at all."""

    def __init__(self, codebook: dict[str, CodebookEntry]) -> None:
        self.codebook = codebook

    def verb_args(self, tok: Any, entry: TriggerEntry, objects: list[Any], finder: MentionFinder) -> Args:
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
            targets = self.prep_targets(holders, entry.preps or ("with", "to", "on", "against"), finder)
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
                targets = self.prep_targets(base, ("with", "against", "to", "on", "for"), finder)
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
            targets = self.prep_targets([tok, *objects], ("against", "on", "to", "with", "for"), finder)
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
            targets = self.prep_targets([tok], ("against", "on", "with", "to"), finder)
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

    def noun_args(self, tok: Any, entry: TriggerEntry, finder: MentionFinder) -> Args:
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
        targets = engaged or self.prep_targets([tok], entry.preps or DEFAULT_NOUN_PREPS, finder)
        if not targets:
            for c in tok.children:
                if c.dep_ == "acl" and c.lemma_.lower() in TARGET_VERBS:
                    for obj in (o for o in c.children if o.dep_ in ("dobj", "obj")):
                        targets = finder.mentions_at(obj)
        if not targets and tok.head.pos_ == "VERB" and tok.dep_ in ("dobj", "obj"):
            targets = self.prep_targets([tok.head], entry.preps or ("on", "against"), finder)
        return Args(sources, [t for t in targets if t not in sources], direct, True, weak and not targets)

    def prep_targets(self, holders: list[Any], preps: Iterable[str], finder: MentionFinder) -> list[Mention]:
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
