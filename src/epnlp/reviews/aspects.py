"""What each critic praised or faulted: clauses of review sentences, their targets and polarity.

A clause is the part of a sentence governed by one main verb (the root, or a verb joined by a
conjunction or as an adverbial clause: "..., but felt there was a lack of ..."). Its targets are the
people named in it (linked entities) and the aspects whose words it uses (a lexicon in params.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

_CLAUSE_DEPS = {"conj", "advcl"}


@lru_cache(maxsize=64)
def doc_text(doc: Doc) -> str:
    """`doc.text`, kept for the last docs read: spaCy joins every token's text each time it is asked,
    and a review reads its paragraph's text once per clause (identity-hashed, so never another doc's)."""
    return doc.text


@dataclass(frozen=True)
class Clause:
    """Clean-text offsets of a clause within its sentence's doc."""

    start: int
    end: int


def _clause_head(tok: Token, heads: set[int]) -> int:
    t = tok
    while t.i not in heads and t.head.i != t.i:
        t = t.head
    return t.i


def clauses(sent: Span, min_tokens: int = 3) -> list[Clause]:
    """Split a sentence into contiguous clauses where the governing verb changes (coordinated or
    adverbial verbs start a new clause); pieces shorter than `min_tokens` join their neighbour."""
    heads = {sent.root.i} | {t.i for t in sent if t.dep_ in _CLAUSE_DEPS and t.pos_ in ("VERB", "AUX") and t.i != sent.root.i}
    pieces: list[list[Token]] = []
    current = None
    for t in sent:
        h = _clause_head(t, heads)
        if h != current and not (t.is_punct and pieces):
            pieces.append([])
            current = h
        pieces[-1].append(t)
    merged: list[list[Token]] = []
    for piece in pieces:
        words = [t for t in piece if not t.is_punct]
        if merged and (len(words) < min_tokens or len([t for t in merged[-1] if not t.is_punct]) < min_tokens):
            merged[-1].extend(piece)
        else:
            merged.append(list(piece))
    out = []
    for piece in merged:
        toks = [t for t in piece if not (t.is_punct and t.text in ",;")]
        while toks and toks[0].dep_ == "cc":
            toks = toks[1:]
        while toks and (toks[-1].dep_ == "cc" or (toks[-1].is_punct and toks[-1].text not in "\"')")):
            toks = toks[:-1]
        if toks:
            out.append(Clause(toks[0].idx, toks[-1].idx + len(toks[-1])))
    return out


def aspect_matcher(lexicon: dict[str, Sequence[str]]) -> list[tuple[str, re.Pattern]]:
    """Compiled word patterns per aspect (whole words, case-insensitive)."""
    return [
        (aspect, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b", re.IGNORECASE))
        for aspect, words in sorted(lexicon.items())
    ]


def aspects_in(text: str, patterns: list[tuple[str, re.Pattern]]) -> list[tuple[str, int, int]]:
    """(aspect, start, end) of every aspect word in `text`, in text order."""
    found = [(a, m.start(), m.end()) for a, p in patterns for m in p.finditer(text)]
    return sorted(found, key=lambda x: (x[1], x[0]))


@dataclass(frozen=True)
class Judgement:
    """One clause of a review sentence and one thing it judges (a person or an aspect)."""

    sentence: Span
    clause: Clause
    target: str
    target_type: str  # person | aspect | episode


def judgements(
    sentences: Sequence[Span],
    patterns: list[tuple[str, re.Pattern]],
    people: Sequence[tuple[int, int, str]],
    to_raw,
    exclude: set[str] = frozenset(),
    evaluative=lambda text: True,
) -> list[Judgement]:
    """Clauses of `sentences` with their targets: people named in them (`people` are raw
    (start, end, canonical) spans; `to_raw(sent, a, b)` maps clean offsets to raw), aspect words,
    or, failing both and if `evaluative(text)`, the episode itself. Names in `exclude` (the critic)
    are not targets."""
    out = []
    for sent in sentences:
        for c in clauses(sent):
            text = doc_text(sent.doc)[c.start : c.end]
            rs, re_ = to_raw(sent, c.start - sent.start_char, c.end - sent.start_char)
            targets = list(dict.fromkeys(name for s, e, name in people if rs <= s and e <= re_ and not any(name in x for x in exclude)))
            kinds = ["person"] * len(targets)
            for aspect, _, _ in aspects_in(text, patterns):
                if aspect not in targets:
                    targets.append(aspect)
                    kinds.append("aspect")
            if not targets:
                if not evaluative(text):
                    continue
                targets, kinds = ["episode"], ["episode"]
            out.extend(Judgement(sent, c, t, k) for t, k in zip(targets, kinds, strict=True))
    return out
