"""What refers to an actor without naming it (part of stage 4, actors): "this group" and "the
country" (the last compatible actor of the article), "it" in a reported clause (the speaker),
"its/their forces" (the speaker or the clause's subject), and a report (whoever issued it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from dyadwatch.coding.syntax import REPORTING_VERBS
from dyadwatch.records import Actor, Mention


class MentionFinder(Protocol):
    """What reference resolution needs of :class:`dyadwatch.coding.actors.MentionFinder` (which
    calls these functions): its sentence, dictionary, mentions by head token, and how to add one."""

    doc: Any
    d: Any
    heads: dict[int, Mention]
    antecedent: Callable[[str], Actor | None] | None

    def register(
        self, start: int, end: int, head: Any, actor: Actor, affiliation: str | None, claimed: set[int]
    ) -> None: ...

    def replace(self, old: Mention, actor: Actor) -> None: ...

    def mentions_at(self, token: Any, max_depth: int = 3) -> list[Mention]: ...


# Nouns that, with "this"/"the", refer back to an actor named earlier, and the kind of actor they take.
REFERRING = {
    "group": "organisation",
    "organization": "organisation",
    "organisation": "organisation",
    "militia": "organisation",
    "movement": "organisation",
    "country": "state",
    "nation": "state",
    "junta": "government",
    "government": "government",
    "regime": "government",
    "ministry": "government",
    "bloc": "bloc",
    "alliance": "bloc",
}
REFERRING_PHRASES = frozenset(f"{det} {noun}" for det in ("this", "the", "that") for noun in REFERRING)
POSSESSIVES = frozenset({"its", "their"})
_DOCUMENTS = frozenset({"report", "statement", "communique", "communiqué", "study", "dossier", "document"})
_ISSUING = frozenset({"release", "issue", "publish", "present", "submit", "produce", "compile"})


def find_speakers(finder: MentionFinder, claimed: set[int]) -> None:
    """ "Israel said a mortar was fired at it": an object pronoun in a reported clause is the speaker."""
    for tok in finder.doc:
        if tok.lower_ != "it" or tok.dep_ not in ("pobj", "dobj") or tok.i in claimed:
            continue
        clause = tok.head
        while clause.dep_ in ("prep", "pobj", "dobj", "xcomp", "conj"):
            clause = clause.head  # not out of a subordinate clause ("when Amin expelled them")
        if clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in REPORTING_VERBS:
            continue
        subject = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
        speaker = finder.heads.get(subject.i) if subject is not None else None
        if speaker is not None:
            finder.register(tok.i, tok.i + 1, tok, speaker.actor, "coref", claimed)


def find_documents(finder: MentionFinder, claimed: set[int]) -> None:
    """A report speaks for whoever issued it: "a report released by HRW" → HRW; "a report
    released in the Rwandan capital" → Rwanda (affiliation "place")."""
    for tok in finder.doc:
        if tok.lemma_.lower() not in _DOCUMENTS or tok.i in claimed or tok.pos_ != "NOUN":
            continue
        for acl in (c for c in tok.children if c.dep_ == "acl" and c.lemma_.lower() in _ISSUING):
            by = [p for c in acl.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
            where = [p for c in acl.children if c.dep_ == "prep" and c.lower_ == "in" for p in c.children]
            issuer = next((m for p in by for m in finder.mentions_at(p, 1)), None)
            place = next((m for p in where for m in finder.mentions_at(p, 1)), None)
            if issuer is not None:
                finder.register(tok.i, tok.i + 1, tok, issuer.actor, "document", claimed)
            elif place is not None and place.actor.type == "state" and place.actor.country:
                finder.register(tok.i, tok.i + 1, tok, finder.d.state(place.actor.country), "place", claimed)


def find_possessors(finder: MentionFinder) -> None:
    """ "Russia said its forces struck Kyiv", "Mali sent its troops to the border": an agent with
    "its"/"their" belongs to the speaker of its clause, or to the subject of the clause it is an
    object in."""
    for tok in finder.doc:
        old = finder.heads.get(tok.i)
        if old is None or old.actor.type != "agent" or not old.actor.role:
            continue
        if not any(c.dep_ == "poss" and c.lower_ in POSSESSIVES for c in tok.children):
            continue
        verb = tok.head
        while verb.dep_ in ("prep", "pobj", "conj") and verb.pos_ != "VERB":
            verb = verb.head
        if tok.dep_ in ("nsubj", "nsubjpass"):  # the reported clause's subject: the speaker's
            if verb.dep_ != "ccomp" or verb.head.lemma_.lower() not in REPORTING_VERBS:
                continue
            verb = verb.head
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        owner = finder.heads.get(subject.i) if subject is not None else None
        if owner is not None and owner.actor.type == "state" and owner.actor.country:
            finder.replace(old, finder.d.compose(owner.actor, old.actor.role, old.actor.name))


def find_referring(finder: MentionFinder, claimed: set[int]) -> None:
    """Resolve "this group", "the country", "the bloc" to the last compatible actor named before."""
    if finder.antecedent is None:
        return
    for tok in finder.doc:
        kind = REFERRING.get(tok.lemma_.lower())
        if kind is None or tok.i in claimed or tok.pos_ != "NOUN":
            continue
        dets = [c for c in tok.children if c.dep_ == "det" and c.lower_ in ("this", "the", "that")]
        if (
            len(dets) != 1
            or dets[0].i != tok.i - 1
            or any(c.dep_ in ("appos", "compound") for c in tok.children)
        ):
            continue
        actor = finder.antecedent(kind)
        if actor is not None:
            finder.register(tok.i - 1, tok.i + 1, tok, actor, "coref", claimed)
