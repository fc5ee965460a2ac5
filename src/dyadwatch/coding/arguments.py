"""Argument helpers of stage 5 (coding): where an event's source and target are looked for when
the trigger's own slots are empty, and which noun phrases are not arguments at all (the source's
own forces, the place of a meeting, a concession)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dyadwatch.coding.actors import ActorDictionary, MentionFinder
from dyadwatch.coding.syntax import ACCIDENT_NOUNS, CONCESSIVE_PREPS, in_condition
from dyadwatch.datafiles import TriggerEntry
from dyadwatch.records import Actor, Mention

SENDING_ROOTS = frozenset({"07", "15"})  # the troops sent or shown are the source's, not its target


@dataclass(frozen=True, slots=True)
class Args:
    """The sources and targets found for one trigger, and how directly each was read."""

    sources: list[Mention]
    targets: list[Mention]
    direct_source: bool
    direct_target: bool
    weak_source: bool = False  # a noun's source read off a modifier only ("the French deployment")
    thing_subject: bool = False  # the subject is a thing an actor modifies ("Russia's involvement raises …")


MEETING_ROOTS = frozenset({"03", "04"})  # where talks or agreements happen is not a party
LOCATIVE_PREPS = frozenset(
    {"in", "at", "near", "inside", "across", "within", "around", "outside", "throughout"}
)
_PREDICATE_SKIP = frozenset(
    {"nsubj", "nsubjpass", "csubj", "punct", "cc", "mark", "advcl", "relcl", "parataxis"}
)


def predicate_targets(tok: Any, sources: list[Mention], finder: MentionFinder, root: str) -> list[Mention]:
    """The nearest actor inside the trigger's own predicate (objects, prepositions, controlled
    verbs), for events whose dictionary entry found no target in the expected slot."""
    taken = {m.actor.code for m in sources}
    frontier, seen = [tok], {tok.i}
    for depth in range(10):  # the whole predicate, nearest first
        nxt = []
        for node in frontier:
            for child in node.children:
                if child.dep_ in _PREDICATE_SKIP or child.i in seen or (depth == 0 and child.dep_ == "agent"):
                    continue
                seen.add(child.i)
                if child.dep_ == "appos" and node.i not in finder.by_token:
                    continue  # "its stance, the intersection of Russian influence …": a gloss, not an argument
                if child.dep_ == "prep" and child.lower_ in CONCESSIVE_PREPS:
                    continue
                if child.dep_ == "prep" and child.lower_ in LOCATIVE_PREPS and root in MEETING_ROOTS:
                    continue  # "met in Abuja": where they met, not with whom
                found = [
                    m
                    for m in finder.mentions_at(child, 0)
                    if m.actor.code not in taken and (m.actor.country or m.actor.type != "agent")
                ]
                if found and own_forces(child, sources, finder, root in SENDING_ROOTS):
                    found = []  # "sent its troops to …"
                if node.dep_ == "prep" and node.lower_ in LOCATIVE_PREPS:
                    # "attacked fans after the match in Cairo": a capital where it happened is a place
                    found = [m for m in found if not finder.d.is_capital(m.text)]
                if found:
                    return found
                nxt.append(child)
        frontier = nxt
    return []


def domestic(actors: ActorDictionary, source: Mention, args: Args, tok: Any) -> Args:
    """An undirected protest is aimed at the protesters' own state: "Algerians staged a hunger
    strike" → DZA vs the Algerian government (the ICEWS convention for domestic protest). The
    target mention carries the trigger's text and span and affiliation "implicit"."""
    iso = source.actor.country
    if not iso or source.actor.type not in ("state", "agent") or source.actor.role == "GOV":
        return Args([source], [], args.direct_source, False)
    government = actors.compose(actors.state(iso), "GOV", "government")
    return Args([source], [implicit(tok, government)], args.direct_source, False)


def own_forces(tok: Any, sources: list[Mention], finder: MentionFinder, force_root: bool) -> bool:
    """Whether an object is the source's own people ("its troops"; any countryless forces in a
    show of force): they are what the source acts with, not whom it acts on."""
    forces = finder.by_token.get(tok.i)
    own = any(c.dep_ == "poss" and c.pos_ == "PRON" for c in tok.children)
    if forces is None or not (own or force_root):
        return False
    return forces.actor.country is None or forces.actor.country in {m.actor.country for m in sources}


def particle_objects(tok: Any, entry: TriggerEntry) -> list[Any]:
    """The objects of an entry's own preposition: "travel" in "advised against travel"."""
    if not entry.particle or not entry.objects:
        return []
    preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == entry.particle]
    return [p for c in preps for p in c.children if p.dep_ == "pobj"]


def implicit(tok: Any, actor: Actor) -> Mention:
    """A target the text implies rather than names: the trigger's span, affiliation "implicit"."""
    return Mention(tok.text, tok.idx, tok.idx + len(tok.text), actor, "implicit")


# Agentless passives whose doer the text does not name ("two people were arrested", "a trader was
# abducted"): CAMEO and GDELT code them one-sided, with an unidentified doer of the kind the act
# implies. Code prefix → (role, phrase); the first matching prefix wins.
UNKNOWN_DOERS: tuple[tuple[str, tuple[str, str]], ...] = (
    ("173", ("COP", "police")),  # arrested, detained, charged
    ("18", ("UAF", "unidentified attackers")),
    ("19", ("UAF", "unidentified attackers")),
    ("20", ("UAF", "unidentified attackers")),
)


# Verbs that name an outcome accidents and named attacks share ("a woman was killed when a tree
# fell", "two raids in which 20 people were killed"): no unnamed doer. Measured (issue 18): with
# them the real dev set gained nothing more, PLOVER type+dyad lost 0.003 and PETR2 0.004.
OUTCOME_VERBS = frozenset({"kill", "wound", "injure", "hurt", "die"})


def unknown_doer(tok: Any, code: str) -> tuple[str, str] | None:
    """(role, phrase) of the unnamed doer of an agentless passive of arrest or violence, else None.

    Only a passive verb with a subject and no "by" phrase, not in a relative clause (the noun it
    modifies usually names the act and its doer: "two raids in which 20 people were killed"), not
    under a condition ("if it is attacked"), and not done in an accident ("killed in a car crash")."""
    if tok.pos_ != "VERB" or not any(c.dep_ == "nsubjpass" for c in tok.children):
        return None
    if in_condition(tok) or any(t.dep_ == "relcl" for t in (tok, *tok.ancestors)):
        return None
    if tok.lemma_.lower() in OUTCOME_VERBS:
        return None
    if any(c.dep_ == "agent" for c in tok.children):
        return None
    for prep in (c for c in tok.children if c.dep_ == "prep"):
        if any(p.lemma_.lower() in ACCIDENT_NOUNS for p in prep.subtree):
            return None
    return next((doer for prefix, doer in UNKNOWN_DOERS if code.startswith(prefix)), None)
