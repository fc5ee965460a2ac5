"""Events a speaker commits by what it reports (part of stage 5, coding).

PETRARCH-style nested coding, read off the dependency parse:

- a clause with "must"/"should" that a speaker reports is the speaker's demand on the clause's
  subject ("France said that Iraq must cooperate" → FRA 100 IRQ);
- violence that a speaker says another actor committed is the speaker's accusation of that actor
  ("The US claimed that ISIL had attacked Iraq" → USA 112 ISIL, beside ISIL 190 IRQ reported by
  the US). Only where the speaker opens the claim ("X said that Y …"; a trailing "…, officials
  said" attributes the news), not for denials, not for news media (a report is not an
  accusation); a speaker that claims, admits or confirms its own violence claims responsibility
  for it (015) instead.
"""

from __future__ import annotations

from typing import Any

from dyadwatch.coding.actors import MentionFinder
from dyadwatch.coding.syntax import subject_of
from dyadwatch.datafiles import TriggerEntry
from dyadwatch.records import Actor, Event, Mention

OBLIGATION_SPEAKERS = frozenset(
    """say declare reiterate announce insist conclude state tell stress warn add argue write""".split()
)
OBLIGATION_ENTRY = TriggerEntry("100", "verb", ("must",), frozenset(), (), None, 0)
ACCUSING_VERBS = frozenset("say claim allege charge insist assert contend maintain".split())
ACCUSATION_ENTRY = TriggerEntry("112", "verb", ("claim",), frozenset(), (), None, 0)
CLAIMING_VERBS = frozenset("claim admit acknowledge confirm".split())  # own violence claimed
CLAIM_SPEECH = ACCUSING_VERBS | CLAIMING_VERBS
RESPONSIBILITY_ENTRY = TriggerEntry("015", "verb", ("claim",), frozenset(), (), None, 0)
_Claim = tuple[list[Mention], list[Mention]]
ACCUSED_ROOTS = frozenset({"17", "18", "19", "20"})  # coercion, assault, fighting, mass violence


def obligation(tok: Any, finder: MentionFinder) -> tuple[list[Mention], list[Mention]] | None:
    """Speaker and subject of a reported must-clause headed by ``tok``, or None."""
    if tok.dep_ != "ccomp" or tok.head.lemma_.lower() not in OBLIGATION_SPEAKERS:
        return None
    if not any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in tok.children):
        return None
    speaker, _ = subject_of(tok.head)
    subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if speaker is None or subject is None:
        return None
    sources, targets = finder.mentions_at(speaker), finder.mentions_at(subject)
    if not sources or not targets:
        return None
    return sources, [t for t in targets if t not in sources]


def accusation(tok: Any, event: Event, finder: MentionFinder) -> tuple[Any, TriggerEntry, _Claim] | None:
    """The speech verb, entry and arguments that make reported violence ``event`` (triggered by
    ``tok``) the speaker's accusation of its doer, or (by claim/admit/confirm) the speaker's claim
    of responsibility for its own act ("The US claimed that they had attacked Iraq" → USA 015 IRQ)."""
    if event.root_code not in ACCUSED_ROOTS or event.negated or not event.reported_by:
        return None
    node = tok
    for _ in range(6):  # up the verb chain to the verb that reports the clause holding the trigger
        if node.dep_ == "ccomp" and node.head.lemma_.lower() in CLAIM_SPEECH:
            break
        if node.dep_ not in ("conj", "xcomp", "dobj", "pobj", "prep") or node.head is node:
            return None  # not through a noun's clause ("victims killed by …") or an adverbial clause
        node = node.head
    else:
        return None
    speech = node.head
    if speech.i > node.i or any(c.dep_ == "neg" for c in speech.children):
        return None  # "…, Thai military sources said": attribution of the news, not a charge
    speaker, _ = subject_of(speech)
    if speaker is None:
        return None
    accused = event.source.actor
    speakers = [m for m in finder.mentions_at(speaker) if m.actor.type not in ("media", "agent")]
    own = [m for m in speakers if m.actor.code == accused.code or _compatriots(m.actor, accused)]
    if speech.lemma_.lower() in CLAIMING_VERBS and event.target is not None and own:
        return speech, RESPONSIBILITY_ENTRY, (own, [event.target])
    if speech.lemma_.lower() not in ACCUSING_VERBS:
        return None  # "the UN confirmed that …" reports; it does not accuse
    speakers = [m for m in speakers if m.actor.code != accused.code and not _compatriots(m.actor, accused)]
    return (speech, ACCUSATION_ENTRY, (speakers, [event.source])) if speakers else None


def _compatriots(a: Actor, b: Actor) -> bool:
    return bool(a.country) and a.country == b.country
