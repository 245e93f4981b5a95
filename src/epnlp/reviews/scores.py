"""Ranks, years and quotations as critics write them, found by pattern in clean text (scores:
`epnlp.text.scores`).

Everything here works on one sentence's clean text and returns clean-text offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span

from epnlp.text.scores import number

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-fifth": 25, "thirtieth": 30, "fiftieth": 50,
    "hundredth": 100,
}
_RANK = re.compile(
    rf"(?:\b(?P<n>\d+)(?:st|nd|rd|th)|\b(?P<w>{'|'.join(sorted(_ORDINALS, key=len, reverse=True))}))"
    r"[\s-]+(?P<dir>best|greatest|top|finest|worst|most\s+\w+)\b(?P<rest>[^.;:!?]*)",
    re.IGNORECASE,
)
_RANK_NO = re.compile(r"\b(?:ranked|placed|put|listed)\s+(?:it|the\s+episode)\s+(?:at\s+)?(?:number|no\.?|#)\s*(?P<n>\d+)(?P<rest>[^.;:!?]*)", re.IGNORECASE)
_YEAR = re.compile(r"\b(?P<y>(?:19|20)\d{2})\b")
_REL_YEAR = re.compile(
    r"\b(?P<same>(?:that|the)\s+same\s+year|same\s+year|also\s+in\s+that\s+year)"
    r"|\b(?P<next>the\s+following\s+year|the\s+next\s+year|a\s+year\s+later|one\s+year\s+later|the\s+year\s+after)"
    r"|\b(?P<k>two|three|four|five|\d+)\s+years\s+later"
    r"|\b(?P<prev>the\s+previous\s+year|the\s+year\s+before|a\s+year\s+(?:earlier|before))",
    re.IGNORECASE,
)
_QUOTE = re.compile(r'"(?P<q>[^"]+)"')


@dataclass(frozen=True)
class RankFact:
    """A rank in a list ("the 4th best episode that X wrote" -> 4, 'X episodes')."""

    rank: int
    rank_list: str
    start: int
    end: int


def _list_name(direction: str, rest: str) -> str:
    """The list a rank belongs to, as a plural phrase ('Jane Roe episodes', 'episodes')."""
    rest = rest.strip()
    prefix = "worst " if direction.lower() == "worst" else ""
    m = re.match(
        r"(?:episodes?|installments?|instal?ments?|entr(?:y|ies))\s+(?:that|which)\s+"
        r"(?P<p>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*)\s+(?:has\s+|had\s+)?(?:wrote|written|directed|penned|worked)",
        rest,
    )
    if m:
        return f"{prefix}{m.group('p')} episodes"
    m = re.match(
        r"(?:episodes?|installments?|entr(?:y|ies))\s+(?:of|in|from)\s+(?:all\s+of\s+)?(?P<x>.+?)"
        r"(?:,|\s+(?:and|but|while|noting|remarking|saying|calling|with|according|in|on|for|by|since|ever)\b|$)",
        rest,
    )
    if m:
        x = re.sub(r"^(?:the|all)\s+", "", m.group("x").strip())
        return f"{prefix}{x} episodes"
    m = re.match(r"(?P<x>(?:[\w.:'-]+\s+){1,4}?)(?:episodes?|installments?|entr(?:y|ies))\b", rest)
    if m:
        return f"{prefix}{m.group('x').strip()} episodes"
    return f"{prefix}episodes"


def find_ranks(text: str) -> list[RankFact]:
    """Ranks: '4th best episode that X wrote for', 'the fifth-best episode', 'ranked it number 3'."""
    out = []
    for m in _RANK.finditer(text):
        n = int(m.group("n")) if m.group("n") else _ORDINALS[m.group("w").lower()]
        d = m.group("dir").lower()
        out.append(RankFact(n, _list_name("worst" if d == "worst" else "best", m.group("rest")), m.start(), m.end("dir")))
    for m in _RANK_NO.finditer(text):
        rest = re.sub(r"^\s*(?:on|in)\s+(?:its|their|a|the)\s+list\s+of\s+(?:the\s+)?(?:best|greatest|top)\s+", "", m.group("rest"))
        out.append(RankFact(int(m.group("n")), _list_name("best", rest), m.start(), m.end("n")))
    return sorted(out, key=lambda r: r.start)


def find_year(text: str, prev_year: int | None) -> int | None:
    """The review's year: a four-digit year, or one relative to the previous review's year."""
    rel = _REL_YEAR.search(text)
    if rel and prev_year is not None:
        if rel.group("same"):
            return prev_year
        if rel.group("next"):
            return prev_year + 1
        if rel.group("prev"):
            return prev_year - 1
        if rel.group("k"):
            k = number(rel.group("k"))
            return prev_year + int(k) if k is not None else None
    m = _YEAR.search(text)
    return int(m.group("y")) if m else None


_SMALL = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with", "from"}


def is_title(quoted: str) -> bool:
    """A quoted work title ('"Paper Moons"'): up to eight words, each capitalised or a small word."""
    words = quoted.strip().split()
    return (
        0 < len(words) <= 8
        and quoted.strip()[-1:] not in ".!?,"
        and words[0][:1].isupper()
        and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _SMALL for w in words)
    )


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Clean offsets of quoted passages (marks excluded), leaving out quoted titles of works."""
    return [m.span("q") for m in _QUOTE.finditer(text) if m.group("q").strip() and not is_title(m.group("q"))]


def quote_mask(text: str, opened: bool = False) -> list[tuple[int, int]]:
    """Clean offsets of quoted passages including the quote marks (and an unclosed one to the end);
    `opened`: the text starts inside a quotation opened earlier (in a previous sentence), which runs to
    the first quote mark."""
    if opened:
        first = text.find('"')
        if first < 0:
            return [(0, len(text))]
        return [(0, first + 1)] + [(a + first + 1, b + first + 1) for a, b in quote_mask(text[first + 1 :])]
    spans = [m.span() for m in _QUOTE.finditer(text)]
    tail = text.count('"') % 2
    if tail:
        spans.append((text.rindex('"'), len(text)))
    return spans


def sentence_quote_mask(sent: Span) -> list[tuple[int, int]]:
    """`quote_mask` of a sentence, counting a quotation opened in an earlier sentence of its paragraph doc.

    The earlier quotation counts as open only when the next quote mark closes it (`_closes`):
    a stray unclosed quote earlier in the paragraph must not turn the next quotations inside out."""
    text, at = sent.doc.text, sent.start_char
    nxt = text.find('"', at)
    opened = text.count('"', 0, at) % 2 == 1 and nxt > 0 and _closes(text, nxt)
    return quote_mask(sent.text, opened=opened)


def _closes(text: str, k: int) -> bool:
    """Whether the quote mark at `k` closes a quotation: glued to what comes before it and followed by a
    space, punctuation or the end ('heart—" and', not 'triumph—"bold')."""
    before, after = text[k - 1], text[k + 1 : k + 2]
    return not before.isspace() and not after.isalnum()
