"""Aliases the article states: a second name is another name of the same character.

- "Laurel Lance/Black Canary", "Rene Ramirez / Wild Dog": a combined credit (second name = alias);
- "X is (revealed to be) Y", "recognizes X as (the vigilante) Y": a codename or secret identity.

Both rewrite the alias mention's canonical name (source "context"); linking then joins every mention
of that name (`epnlp.link`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

if TYPE_CHECKING:
    from epnlp.entities import Mention


def slash_aliases(mentions: list[Mention]) -> None:
    """'Laurel Lance/Black Canary', 'Rene Ramirez / Wild Dog': the second name is the first's alias."""
    for a, b in zip(mentions, mentions[1:], strict=False):
        gap = a.span.doc[a.span.end : b.span.start]
        if len(gap) == 1 and gap[0].text == "/" and a.kind in ("person?", "character") and b.source not in ("infobox", "gazetteer"):
            b.canonical, b.kind, b.label = a.canonical, a.kind, a.label
            b.source = "context"


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
    if t.dep_ == "pobj" and t.head.lower_ == "as" and t.head.head.lemma_ in _REVEAL:
        obj = [c for c in t.head.head.children if c.dep_ == "dobj"]
        return obj[0] if obj else None
    return None


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
