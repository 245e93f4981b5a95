"""Names of critics and outlets in a parsed sentence, by token shapes: runs of capitalised words.

"Den of Reels", "512 Review", "Lea Holt-Marsh", "The T.V. Desk" are each one name; "Ann Lee of Reelhouse"
is a person-shaped name, "of", and an outlet. Used by `epnlp.reviews.critics`.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

CRITIC_NOUNS = frozenset({"critic", "reviewer", "writer", "columnist", "editor", "journalist", "scholar", "contributor", "blogger"})
CRITIC_WORDS = CRITIC_NOUNS | {n + "s" for n in CRITIC_NOUNS}


def in_mask(tok: Token, mask: list[tuple[int, int]], base: int) -> bool:
    """Whether `tok` starts inside one of the spans of `mask` (offsets relative to `base`)."""
    i = tok.idx - base
    return any(a <= i < b for a, b in mask)


def is_name_word(t: Token) -> bool:
    """A word that can be part of a proper name: capitalised (or a number inside a name), not a critic
    noun; a sentence's first word only if the model reads it as a name or a singular noun."""
    if t.is_punct or t.is_space or t.lower_ in CRITIC_WORDS or t.tag_ == "POS":
        return False
    if t.text[:1].isdigit():
        return not (len(t.text) == 4 and t.text[:2] in ("19", "20")) and t.i + 1 < t.sent.end and t.nbor(1).text[:1].isupper()
    if not t.text[:1].isupper():
        return False
    if t.i == t.sent.start:
        return t.pos_ == "PROPN" or bool(t.ent_type_) or t.tag_ == "NN"
    return t.pos_ not in ("PRON", "DET", "ADP", "SCONJ", "CCONJ", "AUX") or t.pos_ == "PROPN"


_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")  # "G.H.", "J.R.R." in a person's name

# lowercase particles inside a person's name, between capitalised words ("Ana de la Cruz", "Jan van Dijk")
_PARTICLES = frozenset({"de", "da", "del", "della", "di", "du", "la", "le", "van", "von", "der", "den", "ter", "bin", "al", "dos", "das"})


def _step(doc, k: int, lo: int, hi: int, d: int) -> int:
    """How far the name run extends from index k in direction d (0 = not at all)."""
    j = k + d
    if not lo <= j < hi:
        return 0
    if is_name_word(doc[j]):
        return 1
    j2 = j + d
    if lo <= j2 < hi and is_name_word(doc[j2]):
        if doc[j].text in ("of", "&", "by"):  # "Den of Reels", "Frame by Frame Weekly"
            return 2
        first = min(k, j2)
        if doc[j].text == "-" and not doc[first].whitespace_ and not doc[first + 1].whitespace_:
            return 2
        if doc[j].text in _PARTICLES:  # "Vanessa de Cruz"
            return 2
    j3 = j2 + d  # "Ana de la Cruz", "Sound of the City"
    if lo <= j3 < hi and is_name_word(doc[j3]) and (
        (doc[j].text in _PARTICLES and doc[j2].text in _PARTICLES) or (doc[j].text, doc[j2].text) in (("of", "the"), ("the", "of"))
    ):
        return 3
    return 0


def name_chain(tok: Token) -> Span | None:
    """The run of name words around `tok` within its sentence ('The T.V. Desk', 'Den of Reels')."""
    if not is_name_word(tok):
        return None
    doc, lo, hi = tok.doc, tok.sent.start, tok.sent.end
    a, b = tok.i, tok.i + 1
    while n := _step(doc, a, lo, hi, -1):
        a -= n
    while n := _step(doc, b - 1, lo, hi, 1):
        b += n
    if a > lo and doc[a - 1].lower_ == "the":
        a -= 1
    return doc[a:b]


def name_span(tok: Token, outlet: bool = False) -> Span:
    """The proper-name phrase containing `tok` (kept for callers of the old API)."""
    return name_chain(tok) or tok.doc[tok.i : tok.i + 1]


def person_shaped(span: Span) -> bool:
    """Two to four capitalised words (initials and particles allowed), not starting with 'The': a person's name."""
    words = [t for t in span if t.text != "-" and t.text not in _PARTICLES]
    return 2 <= len(words) <= 4 and span[0].lower_ != "the" and all(
        t.text[:1].isupper() and not t.is_upper or len(t.text) <= 2 or _INITIALS.fullmatch(t.text) for t in words)


def is_person(span: Span) -> bool:
    """A critic's name: a PERSON entity of at least two words (outlets are often one word)."""
    words = [t for t in span if t.is_alpha or "." in t.text]
    return len(words) >= 2 and sum(t.ent_type_ == "PERSON" for t in span) >= len(words) - 1


def split_name(span: Span) -> tuple[Span | None, Span]:
    """(author, outlet) of 'Ann Lee of Reelhouse' (a person-shaped part before 'of'); else (None, span)."""
    for t in span:
        if t.lower_ == "of" and span.start < t.i < span.end - 1:
            left = span.doc[span.start : t.i]
            if person_shaped(left):
                return left, span.doc[t.i + 1 : span.end]
    return None, span


def name_at(tok: Token | None) -> Span | None:
    """The name at `tok`, past an article and up to two lowercase descriptors ('the website Nerdbeat')."""
    if tok is None:
        return None
    k = tok.i
    if tok.lower_ == "the":
        k += 1
    end = min(tok.sent.end, k + 3)
    while k < end and not is_name_word(tok.doc[k]) and tok.doc[k].is_lower and tok.doc[k].pos_ in ("NOUN", "ADJ"):
        k += 1
    return name_chain(tok.doc[k]) if k < tok.sent.end else None
