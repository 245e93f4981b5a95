"""Aliases the article states: a second name is another name of the same character.

- "Ada Vance/The Shade", "Tom Reed / Nightjar": a combined credit (second name = alias);
- "Clark Vane (Nightjar)": a one-word name in brackets after a character (an actor there is a full name);
- "X is (revealed to be) Y", "recognizes X as (the vigilante) Y": a codename or secret identity;
- "X, now the vigilante Y", "X and Z, the vigilantes Y and W": a name given by apposition;
- "X ... her Y persona": a guise a possessive pronoun gives the person the sentence last named;
- 'a chant of "Brave Tobias"': in the plot, a quoted name ending in a person's name is a nickname.

Both rewrite the alias mention's canonical name (source "context"); linking then joins every mention
of that name (`epnlp.nlp.link`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from epnlp.nlp.names import as_head, quoted

if TYPE_CHECKING:
    from epnlp.nlp.known import Mention


def slash_aliases(mentions: list[Mention]) -> None:
    """'Ada Vance/The Shade', 'Tom Reed / Nightjar': the second name is the first's alias."""
    for a, b in zip(mentions, mentions[1:], strict=False):
        gap = a.span.doc[a.span.end : b.span.start]
        people = [m.kind for m in (a, b) if m.kind in ("person?", "character")]
        if len(gap) == 1 and gap[0].text == "/" and people and b.source not in ("infobox", "gazetteer"):
            b.canonical, b.kind, b.label = a.canonical, people[0], "PERSON"
            a.kind, a.label = people[0], "PERSON"  # one side acting as a person types both
            b.source = "context"


_NOT_PEOPLE = frozenset({"place", "vessel", "date", "other"})  # kinds a cue fixed (labels alone are weak)


def bracket_aliases(mentions: list[Mention]) -> None:
    """'her cousin Tom Reed (Nightjar)': a one-word name (or 'the X') in brackets right after a
    character's name is that character's other name; a full name there is an actor (`epnlp.nlp.cast`),
    and so is a one-name actor the infobox credits; an acronym or a name a cue makes a place is neither ('(FBI)')."""
    for a, b in zip(mentions, mentions[1:], strict=False):
        doc = a.span.doc
        gap = doc[a.span.end : b.span.start]
        words = [t for t in b.span if t.lower_ != "the"]
        closed = b.span.end < len(doc) and doc[b.span.end].text == ")"
        if not (len(gap) == 1 and gap[0].text == "(" and closed and len(words) == 1 and a.kind in ("person?", "character")):
            continue
        credited = b.source in ("infobox", "gazetteer", "cast")  # a credited one-name actor stays the actor
        if not credited and b.kind not in _NOT_PEOPLE and not (words[0].is_upper and len(words[0]) > 1):  # not "(FBI)"
            b.canonical, b.kind, b.label, b.source = a.canonical, a.kind, "PERSON", "context"


_REVEAL = {"recognize", "recognise", "identify", "reveal", "unmask", "expose", "know"}


def _identified_with(t: Token, start: int) -> Token | None:
    """The token a name is said to be: 'X is (revealed to be) Y', 'recognizes X as (the vigilante) Y'
    (not apposition: the small model parses lists of names as appositions)."""
    doc, i = t.doc, start
    if i >= 2 and doc[i - 1].lemma_ == "be" and doc[i - 1].tag_ in ("VBZ", "VBD") and doc[i - 2].pos_ == "PROPN":
        return doc[i - 2]  # "Robbie Reyes is Ghost Rider" (surface form: the parse often misses it)
    if t.dep_ in ("attr", "acomp") and t.head.lemma_ == "be":
        verb = t.head.head if t.head.dep_ == "xcomp" else t.head
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        return subj[0] if subj else None
    if t.dep_ == "appos" and t.head.pos_ == "NOUN":
        t = t.head  # "as the vigilante Silver Moth"
    on = as_head(t)
    if on is not None and on.lemma_ in _REVEAL:
        obj = [c for c in on.children if c.dep_ == "dobj"]
        return obj[0] if obj else None
    if on is not None and on.dep_ == "dobj" and on.head.lemma_ in _REVEAL:
        return on  # "recognizes X as Y" with "as Y" parsed on X
    return None


def _described(t: Token) -> bool:
    """'the (Velari) vigilante Kestrel': a name after 'the' and a common noun that describes it."""
    kids = list(t.children)
    return any(c.lower_ == "the" for c in kids) and any(c.dep_ == "compound" and c.pos_ == "NOUN" and c.text.islower() for c in kids)


def _conjuncts(t: Token) -> list[Token]:
    """A token and the tokens conjoined after it ('X and Y')."""
    out = [t]
    while True:
        nxt = [c for c in out[-1].children if c.dep_ == "conj"]
        if not nxt:
            return out
        out.append(nxt[0])


def appositive_pairs(doc) -> list[tuple[Token, Token]]:
    """(name, its other name) stated by apposition: 'Ada Vance, now the vigilante Shade', 'the fallen
    Shade, Ada Vance' and, in order, 'Ada Vance and Tom Reed, the vigilantes Shade and Nightjar' (two
    bare names side by side are a list, not an apposition)."""
    out = []
    appos = (doc.to_array("DEP") == doc.vocab.strings["appos"]).tolist()  # one array read, not every token
    for t in (doc[i] for i, a in enumerate(appos) if a):
        if t.pos_ != "PROPN":
            continue
        head = t.head
        if head.pos_ == "PROPN" and _described(t):
            out.append((head, t))
        elif head.pos_ == "PROPN" and any(c.lower_ == "the" for c in head.children) and not any(c.lower_ == "the" for c in t.children):
            out.append((t, head))  # "the fallen Shade, Ada Vance": the bare name is the person
        elif head.pos_ == "NOUN" and head.text.islower() and head.dep_ == "appos" and head.head.pos_ == "PROPN" \
                and any(c.lower_ == "the" for c in head.children):
            names, others = _conjuncts(head.head), _conjuncts(t)
            if len(names) == len(others) > 1:
                out += list(zip(names, others, strict=True))
    return out


def appositive_aliases(mentions: list[Mention]) -> None:
    """A name the text gives a person by apposition (`appositive_pairs`) takes that person's canonical name."""
    if not mentions:
        return
    at = {t.i: m for m in mentions for t in m.span}
    for name, other in appositive_pairs(mentions[0].span.doc):
        first, m = at.get(name.i), at.get(other.i)
        if first is None or m is None or first is m or m.source in ("infobox", "gazetteer", "cast"):
            continue
        if first.kind in ("person?", "character") and m.kind not in ("date", "other", "work"):
            m.canonical, m.kind, m.source = first.canonical, first.kind, "context"


def identity_aliases(mentions: list[Mention]) -> None:
    """A name the text says another person is (a codename, a secret identity) takes that person's
    canonical name; linking then joins every mention of it."""
    at = {t.i: m for m in mentions for t in m.span}
    for m in mentions:
        if m.source in ("infobox", "gazetteer", "cast") or m.kind in ("date", "other") or m.span.start > 0 and m.span.doc[m.span.start - 1].text == "(":
            continue
        other = _identified_with(m.span.root, m.span.start)
        first = at.get(other.i) if other is not None else None
        if first is None or first is m or first.canonical == m.canonical or first.source == "cast":
            continue
        if "person?" not in (first.kind, m.kind) and "character" not in (first.kind, m.kind):
            continue
        m.canonical, m.kind, m.source = first.canonical, first.kind, "context"


def nickname_aliases(mentions: list[Mention]) -> None:
    """In the plot, a quoted name of capitalised words that ends in the name of a person this paragraph
    names ('what happened to Tobias ... a chant of "Brave Tobias"') is that person's nickname, not a
    title (a possessive, 'Tobias's Lament', is a title)."""
    people = {m.span.text: m for m in mentions if m.kind in ("person?", "character") and len(m.span) == 1}
    for m in mentions:
        words = m.span.text.split()
        if m.source != "model" or m.kind in ("person?", "character") or not 2 <= len(words) <= 3 or not quoted(m.span):
            continue
        owner = people.get(words[-1])
        if owner is not None and all(w[:1].isupper() and "'" not in w and "\u2019" not in w for w in words):
            m.canonical, m.kind, m.label, m.source = owner.canonical, owner.kind, "PERSON", "context"


_GUISE_NOUNS = frozenset({"persona", "identity", "alias", "codename", "guise", "alter"})
_POSSESSIVES = frozenset({"his", "her"})  # one person ('their' may stand for several)


def _guise(m: Mention, verbs: frozenset[str] = frozenset()) -> bool:
    """'her Y persona', 'his Y alter ego': the name is a guise of the person the pronoun stands for (a
    word the model reads as a group, 'his Velari identity', is a kind, not a name); 'she arrives as
    Y': one word one appears as (`verbs`, params `entities.guise_verbs`) is a guise of the subject."""
    doc, span = m.span.doc, m.span
    if m.label == "NORP":
        return False
    on = as_head(span.root)
    if len(span) == 1 and on is not None and on.lemma_ in verbs:
        return True
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    return after in _GUISE_NOUNS and span.start > 0 and doc[span.start - 1].lower_ in _POSSESSIVES


def _subject(m: Mention) -> Token | None:
    """The subject of the clause the guise sits in ('X ... hides his Y identity', 'X returns as Y': X)."""
    t = as_head(m.span.root) or m.span.doc[m.span.end]
    while t.dep_ not in ("ROOT", "relcl", "advcl", "ccomp", "xcomp", "conj") and t.head is not t:
        t = t.head
    subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
    return subj[0] if subj else None


def guise_aliases(mentions: list[Mention], verbs: frozenset[str] = frozenset()) -> None:
    """A guise (`_guise`) takes the canonical name of the subject of its clause if that is a person
    named before it, else of the nearest person named before it in its sentence ('Ada Vance (Jane Doe)
    ... her Shade persona': the credited actor is a person, not a candidate). A pronoun subject ('she
    arrives as Y') stands for the nearest person named before it in the sentence, the usual weak
    reading of a pronoun; the clause's own subject is never skipped for it."""
    for k, m in enumerate(mentions):
        if m.source in ("infobox", "gazetteer", "cast") or m.kind in ("date", "other", "work") or not _guise(m, verbs):
            continue
        sent = m.span.sent
        # a name the model reads as a person counts even where a cue made it a place ("in Ada's care")
        before = [o for o in mentions[:k] if o.span.start >= sent.start and (o.kind in ("person?", "character") or o.label == "PERSON")]
        if not before:
            continue
        subj = _subject(m)
        named = [o for o in before if subj is not None and o.span.start <= subj.i < o.span.end]
        owner = named[0] if named else before[-1]
        if owner.canonical != m.canonical:
            m.canonical, m.kind, m.source = owner.canonical, owner.kind if owner.kind in ("person?", "character") else "person?", "context"
