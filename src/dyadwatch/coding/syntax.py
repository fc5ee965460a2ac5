"""Clause structure the coder reads off a dependency parse: subjects (through control, raising,
relative clauses and reported speech), objects, how a governing verb or modal changes an event
(intent, threat, refusal, future), modality flags, and clauses that are not events of their own
(purposes, what a demand asks for).
"""

from __future__ import annotations

from typing import Any

from dyadwatch.records import Mention

LIGHT_VERBS = frozenset(
    """launch carry conduct stage hold impose step intensify increase mount begin start make undertake
    continue escalate announce order unleash wage perpetrate commit resume level issue express voice
    lodge file sign reach strike deliver provide offer extend give send host organize organise plan
    stage sustain renew expand boost ramp initiate execute perform agree join form forge seal
    conclude complete finish speed accelerate open institute reimpose""".split()
)

SPEECH_VERBS = frozenset(
    """say report claim allege state announce tell note highlight add insist confirm suggest indicate
    show reveal write argue believe think assert contend maintain stress admit acknowledge""".split()
)
REPORTING_VERBS = SPEECH_VERBS | {"warn", "threaten", "vow", "pledge", "promise", "decide", "declare"}
REPORT_NOUNS = frozenset(
    {"report", "claim", "allegation", "rumour", "rumor", "account", "sign", "indication"}
)
NEG_GOVERNORS = frozenset({"deny", "refuse", "decline", "fail", "reject", "avoid", "halt", "stop", "cease"})
HEDGE_GOVERNORS = frozenset(
    {"plan", "intend", "consider", "expect", "hope", "aim", "propose", "want", "seek"}
)
MODALS = frozenset({"could", "may", "might", "would", "should", "can"})
HEDGE_ADVERBS = frozenset(
    {"reportedly", "allegedly", "possibly", "likely", "apparently", "purportedly", "perhaps"}
)
RELATIVE = frozenset({"which", "who", "that", "whom", "whose"})
INTENT_GOVERNORS = frozenset(
    """agree offer promise pledge vow plan intend decide prepare commit aim hope undertake resolve propose
    expect seek want""".split()
)
INTENT_ADJECTIVES = frozenset({"ready", "willing", "prepared", "committed", "determined", "poised", "eager"})
THREAT_GOVERNORS = frozenset({"threaten", "warn"})
REFUSE_GOVERNORS = frozenset({"refuse", "decline", "reject", "renege", "balk"})
DEMAND_GOVERNORS = frozenset(
    {"demand", "urge", "call", "ask", "appeal", "press", "insist", "pressure", "push", "request"}
)
GENERIC_OBJECT_HEADS = frozenset(
    "effort mission program programme operation campaign process initiative package scheme plan".split()
)
WISH_VERBS = frozenset({"want", "wish"})  # "X wants Y to do Z" appeals to Y (a 020 trigger)
QUANTITY_NOUNS = frozenset(
    """ton tonne kg kilogram kilo million billion dollar euro pound worth amount quantity shipment
    consignment batch load package supply lot number part""".split()
)
COUNTS = frozenset({"hundreds", "thousands", "dozens", "scores", "tens", "millions"})
# Head nouns that make an actor of the name they carry ("the al-Qaeda terror network threatened …"),
# unlike abstract heads ("Russia's involvement raises alarms …": a thing, not an actor, acts).
COLLECTIVE_HEADS = frozenset(
    """network wing movement group faction coalition alliance front regime administration leadership
    team delegation side camp bloc organisation organization party cell branch council body agency
    ministry office unit contingent command junta cabinet parliament assembly""".split()
)
# Prepositions whose object stands apart from the act ("agreed to an extension despite Israel's wish").
CONCESSIVE_PREPS = frozenset({"despite", "notwithstanding", "unlike", "except", "besides"})
FUTURE_AUX = frozenset({"will", "would", "shall", "'ll", "wo"})
SUBJECT_DEPS = ("nsubj", "csubj")
OBJECT_DEPS = ("dobj", "obj", "attr", "oprd")


def clause_mode(tok: Any, negated: bool) -> str | None:
    """How a governing verb, adjective or modal changes the event: intent, future, threat, refuse."""
    if (
        tok.dep_ == "conj"
        and tok.pos_ == "VERB"
        and tok.head.pos_ == "VERB"
        and not any(c.dep_ in (*SUBJECT_DEPS, "aux", "auxpass") and c.lower_ != "to" for c in tok.children)
    ):  # "agreed to restore relations and to reopen embassies": the governor scopes both verbs
        return clause_mode(tok.head, negated)
    node = tok.head if tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "obj") else tok
    if node is not tok and node.lemma_.lower() in LIGHT_VERBS and node.dep_ in ("xcomp", "ccomp"):
        node = node.head  # "threatened to launch an offensive": the governor of the light verb
    if node is not tok or tok.dep_ in ("xcomp", "ccomp"):
        gov = node if node is not tok else tok.head
        lemma = gov.lemma_.lower()
        if lemma in THREAT_GOVERNORS:
            return "threat"
        if lemma in REFUSE_GOVERNORS:
            return "refuse"
        if lemma in INTENT_GOVERNORS or (gov.pos_ == "ADJ" and lemma in INTENT_ADJECTIVES):
            return "intent"
    auxes = {c.lower_ for c in node.children if c.dep_ in ("aux", "auxpass")}
    if auxes & FUTURE_AUX:
        if any(c.dep_ == "advcl" and marked(c, ("unless",)) for c in node.children):
            return "threat"  # "will withdraw its force unless …" is a threat, whatever is withdrawn
        return "refuse" if negated else "future"
    return None


def states_only(tok: Any) -> bool:
    """A verb that only reports a clause ("warned that …"): no object, no "to" infinitive."""
    deps = {c.dep_ for c in tok.children}
    return "ccomp" in deps and not deps & {"xcomp", "dobj", "obj"}


def clause_dep(tok: Any) -> str:
    """The dependency of the clause an event sits in (a noun's light verb for "opened a hearing")."""
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "obj") and tok.head.pos_ == "VERB":
        return str(tok.head.dep_)
    return str(tok.dep_)


def is_subject(doc: Any, mention: Mention) -> bool:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span is not None and any(t.dep_ in ("nsubj", "nsubjpass") for t in span)


def marked(clause: Any, marks: tuple[str, ...]) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in marks for c in clause.children)


def is_purpose(tok: Any) -> bool:
    """A to-infinitive adverbial clause ("… to demand reforms"), for a verb or a noun's verb."""
    verb = tok.head if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "obj") else tok
    return verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def under_demand(tok: Any) -> bool:
    """The event is what a demand asks for ("urged Mali to investigate", "demanded that the US match
    the EU's support"): the demand is the event."""
    node = tok.head if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "obj") else tok
    for _ in range(2):
        if node.dep_ in ("xcomp", "ccomp") and node.head.lemma_.lower() in WISH_VERBS:
            return wished_on_another(node.head)
        if node.dep_ in ("xcomp", "ccomp") and node.head.lemma_.lower() in DEMAND_GOVERNORS:
            return True
        if node.dep_ != "xcomp":
            return False
        node = node.head  # "urged Iran to be ready to negotiate": up through the controlling verb
    return False


def wished_on_another(verb: Any) -> bool:
    """ "The US wants Iran to halt enrichment": the wished clause has a subject of its own."""
    return any(
        c.dep_ in ("ccomp", "xcomp") and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
        for c in verb.children
    )


def object_lemmas(obj: Any) -> set[str]:
    """An object's lemma, and for generic heads their compound modifiers' ("mediation efforts" →
    effort, mediation); "the UN refugee agency" stays an agency, not refugees."""
    lemma = obj.lemma_.lower()
    if lemma not in GENERIC_OBJECT_HEADS:
        return {lemma}
    return {lemma} | {c.lemma_.lower() for c in obj.children if c.dep_ == "compound"}


def objects_of(tok: Any, deps: tuple[str, ...] = (*OBJECT_DEPS, "nsubjpass")) -> list[Any]:
    objs = [c for c in tok.children if c.dep_ in deps]
    objs += [c for o in objs for c in o.children if c.dep_ == "conj"]
    # "25,000 tons of food aid", "$50,000 worth of goods", "hundreds of troops": what is counted
    for o in list(objs):
        if o.lemma_.lower() in QUANTITY_NOUNS or o.pos_ == "NUM" or (o.tag_ == "NNS" and o.lower_ in COUNTS):
            objs += [
                p for prep in o.children if prep.lower_ == "of" for p in prep.children if p.dep_ == "pobj"
            ]
    return objs


def subject_of(verb: Any, depth: int = 0) -> tuple[Any | None, bool]:
    """The token that acts as the verb's subject, and whether it is the verb's own."""
    for c in verb.children:
        if c.dep_ in SUBJECT_DEPS:
            if c.tag_ == "PRP" and verb.dep_ == "ccomp" and verb.head.lemma_.lower() in REPORTING_VERBS:
                # "Nigeria announced that it will withdraw": the pronoun is the speaker
                speaker, _ = subject_of(verb.head, depth + 1)
                return speaker, False
            return unrelative(c), depth == 0
    if depth > 4:
        return None, False
    head = verb.head
    if verb.dep_ == "xcomp":
        if head.pos_ == "ADJ" and head.dep_ == "acomp":
            head = head.head  # "Norway is willing to send": the copula holds the subject
        for c in head.children:  # control ("agreed to send") and raising ("is said to provide")
            if c.dep_ in (*SUBJECT_DEPS, "nsubjpass"):
                if c.tag_ == "PRP" and head.dep_ == "ccomp":  # "said they attempted to assassinate"
                    return subject_of(head, depth + 1)[0], False
                return unrelative(c), False
        return subject_of(head, depth + 1)
    if verb.dep_ in ("conj", "advcl") and head.pos_ in ("VERB", "AUX"):
        return subject_of(head, depth + 1)
    if verb.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN"):
        return head, False
    return None, False


# What a passive act is done "in" ("killed in an Israeli air strike") and what no one does ("killed
# by the crash"): the first names its doer by a modifier, the second has no doer.
MEANS_NOUNS = frozenset(
    """attack strike airstrike raid shelling bombing bombardment ambush assault offensive operation
    barrage drone missile rocket artillery tank gunfire crossfire""".split()
)
ACCIDENT_NOUNS = frozenset(
    """crash accident earthquake flood flooding storm hurricane cyclone typhoon tsunami landslide mudslide
    avalanche collapse outbreak epidemic disease fire wildfire blaze drought heatwave""".split()
)


# A win in a game is no assault: "Morocco beat Portugal in the World Cup quarter-final".
SPORT_NOUNS = frozenset(
    """match game tournament championship league cup quarter-final semi-final semifinal final qualifier
    friendly derby playoff play-off penalty""".split()
)
WINNING_VERBS = frozenset({"beat", "defeat", "crush", "thrash", "rout", "edge", "overcome", "outplay"})


def sporting(tok: Any) -> bool:
    """Whether a verb reports a win in a game ("beat Portugal in the final", "defeated Argentina
    on penalties"), not a fight."""
    if tok.lemma_.lower() not in WINNING_VERBS:
        return False
    nouns = [p for c in tok.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
    return any(n.lemma_.lower() in SPORT_NOUNS for n in nouns)


def passive_doers(verb: Any) -> list[Any]:
    """The tokens that may name who did a passive act: its "by" agent (not an accident), else the
    means it was done "in" ("killed in Israeli tank shelling") and where it came "from" ("a mortar
    was fired at it from the Gaza Strip"), in that order."""
    agents = [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    if agents:
        return [p for p in agents if p.lemma_.lower() not in ACCIDENT_NOUNS]
    preps = [c for c in verb.children if c.dep_ == "prep"]
    means = [
        p
        for c in preps
        if c.lower_ == "in"
        for p in c.children
        if p.dep_ == "pobj" and p.lemma_.lower() in MEANS_NOUNS
    ]
    # not "soldiers from Chad were killed" read with "from Chad" hung on the verb
    after_subject = {s.right_edge.i + 1 for s in verb.children if s.dep_ == "nsubjpass"}
    origins = [c for c in preps if c.lower_ == "from" and c.i not in after_subject]
    return means + [p for c in origins for p in c.children if p.dep_ == "pobj"]


def unrelative(tok: Any) -> Any:
    """'which'/'who' as subject of a relative clause → the noun the clause modifies."""
    if tok.lower_ in RELATIVE:
        clause = tok.head
        while (
            clause.dep_ not in ("relcl", "acl")
            and clause.head is not clause
            and clause.dep_ in ("xcomp", "conj")
        ):
            clause = clause.head
        if clause.dep_ in ("relcl", "acl"):
            return clause.head
    return tok


def in_condition(tok: Any) -> bool:
    """Inside a condition: "if war starts", "unless Israel withdraws"."""
    node = tok
    for _ in range(6):
        if node.dep_ in ("advcl", "ccomp") and any(
            c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in node.children
        ):
            return True
        if node.head is node:
            return False
        node = node.head
    return False


LOCAL_DEPS = frozenset({"xcomp", "dobj", "obj", "nsubjpass", "attr", "pobj", "prep"})


def modality(tok: Any) -> tuple[bool, bool, str | None]:
    negated = hedged = False
    reported_by: str | None = None
    node, came_by = tok, ""
    for _ in range(6):
        # a verb's own negation and modals reach its objects and controlled verbs ("did not agree to
        # send", "did not launch an attack"), not a conjoined sibling or a clause it reports
        local = node is tok or came_by in LOCAL_DEPS
        for c in node.children if local else ():
            if c.dep_ == "neg":
                negated = True
            elif (c.dep_ == "aux" and c.lower_ in MODALS) or (
                c.dep_ == "advmod" and c.lower_ in HEDGE_ADVERBS
            ):
                hedged = True
        lemma = node.lemma_.lower()
        if node is not tok and came_by in ("xcomp", "ccomp", "dobj", "pcomp"):
            if lemma in NEG_GOVERNORS:
                negated = True
            if lemma in HEDGE_GOVERNORS:
                hedged = True
        if node is not tok and lemma in SPEECH_VERBS and came_by in ("ccomp", "xcomp", "advcl"):
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in node.children)
            speaker = next((c for c in node.children if c.dep_ in SUBJECT_DEPS), None)
            if passive or speaker is None:
                hedged = True
                reported_by = reported_by or "unattributed"
            else:
                reported_by = reported_by or phrase_of(speaker)
        if node is not tok and node.pos_ == "NOUN" and lemma in REPORT_NOUNS and came_by in ("acl", "ccomp"):
            reported_by = reported_by or node.text
        if node.head is node or node.dep_ in ("ROOT",):
            break
        came_by, node = node.dep_, node.head
    return negated, hedged, reported_by


def phrase_of(tok: Any) -> str:
    """A speaker's noun phrase as written, without its clauses and appositions ("A 500-page report",
    "The Syrian Observatory for Human Rights"), at most twelve words."""
    end = tok.i
    for child in tok.rights:
        if child.dep_ in ("relcl", "acl", "appos", "punct", "advcl", "cc", "conj"):
            break
        end = child.right_edge.i
    span = tok.doc[tok.left_edge.i : end + 1]
    return str(span[:12].text)
