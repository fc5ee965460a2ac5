"""Trigger matching (stage 5, coding): which entry of the event dictionary a verb or an event noun
triggers — the most specific entry whose particle and objects the sentence supplies."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dyadwatch.coding.arguments import particle_objects
from dyadwatch.coding.syntax import (
    LIGHT_VERBS,
    MODALS,
    WISH_VERBS,
    object_lemmas,
    objects_of,
    wished_on_another,
)
from dyadwatch.datafiles import TriggerEntry

ERGATIVE_VERBS = frozenset({"withdraw", "pull", "retreat"})  # "troops withdrew": the mover is the object


class TriggerIndex:
    """The event dictionary (``data/events/triggers.csv``) indexed by head lemma, verbs and nouns apart."""

    def __init__(self, triggers: Iterable[TriggerEntry]) -> None:
        self.verbs: dict[str, list[TriggerEntry]] = {}
        self.nouns: dict[str, list[TriggerEntry]] = {}
        for entry in triggers:
            index = self.verbs if entry.kind == "verb" else self.nouns
            index.setdefault(entry.head, []).append(entry)

    def match_verb(self, tok: Any) -> tuple[TriggerEntry | None, list[Any]]:
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

    def match_noun(self, tok: Any) -> TriggerEntry | None:
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
