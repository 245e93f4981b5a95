"""Scores, ranks, years and quotations as critics write them, found by pattern in clean text.

Everything here works on one sentence's clean text and returns clean-text offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span

_UNITS = {
    "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "half": 0.5,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-fifth": 25, "thirtieth": 30, "fiftieth": 50,
    "hundredth": 100,
}
# Grade points (A+ = 4.3, the top of the scale: a letter grade's norm is points / 4.3).
_GRADES = {
    "A+": 4.3, "A": 4.0, "A-": 3.7, "B+": 3.3, "B": 3.0, "B-": 2.7, "C+": 2.3, "C": 2.0,
    "C-": 1.7, "D+": 1.3, "D": 1.0, "D-": 0.7, "F": 0.0,
}
GRADE_MAX = 4.3
STARS_MAX = 5.0  # "three stars" with no maximum written
BARE_MAX = 10.0  # "a rating of 8.3" with no maximum written

_WORD = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_NUM = rf"(?:\d+\s?\u00bd|\d+(?:\.\d+)?|{_WORD}(?:[ -]and[ -]a[ -]half)?|(?:a|one)[ -]and[ -]a[ -]half|half(?: a)?)"
_UNIT = r"(?:\s*[ -]\s*(?:stars?|points?)(?:\s+(?:rating|review|score))?)"
_OUT_OF = re.compile(
    rf"\b(?P<n>{_NUM}){_UNIT}?(?:\s+(?:out\s+of|of(?:\s+a\s+possible)?|from)\s+|-out-of-)(?P<m>{_NUM})"
    rf"(?:\s+(?:stars?|points?))?",
    re.IGNORECASE,
)
_SLASH = re.compile(r"(?<![\d/.])(?P<n>\d+(?:\.\d+)?)\s*/\s*(?P<m>4|5|10|20|100|5\.0|10\.0)(?![\d/])(?!\s*(?:share|percent|%|rating|ratings)\b)(?:\s+stars?)?")
_STARS = re.compile(rf"\b(?P<n>{_NUM})[ -]stars?\b(?!\s+(?:out\s+of|of)\b)", re.IGNORECASE)
_GLYPHS = re.compile(r"(?P<full>\u2605+)(?P<half>\u00bd)?(?P<empty>\u2606*)")  # ★★★½ or ★★★☆☆
_BARE = re.compile(
    r"\b(?:rating|score|grade|mark)\s+of\s+(?P<n>\d{1,2}(?:\.\d+)?)(?![\d.]*\s*(?:%|percent|/|out\b|of\b|million))",
    re.IGNORECASE,
)
_PERFECT = re.compile(r"\bperfect\s+(?:score|rating|grade|mark|10|ten)\b(?!\s+of\b)", re.IGNORECASE)
_G = r"[\"']?(?P<g>[A-DF](?:[+\-]|[ -](?:plus|minus)\b)?)[\"']?(?![\w+\-])"
_OBJ = r"(?:(?:it|this|them|the(?:\s+[\w'-]+){1,3}?|\"[^\"]{1,60}\")\s+)?"
_GRADE = re.compile(
    r"\b(?:grade[ds]?|grading|gave|gives?|giving|awarded|awards?|awarding|rated|rates|scored|scores|assigned)\s+"
    + _OBJ + r"(?:(?:an?|the)\s+)?(?:(?:letter\s+)?(?:grade|rating|score|mark)\s+(?:of\s+)?)?" + _G
    + r"|\b(?:[Gg]rade|rating|mark)(?:\s+of|:)?\s+" + _G.replace("?P<g>", "?P<g1>")
    + r"|\b(?:an?\s+)" + _G.replace("?P<g>", "?P<g2>") + r"\s+(?:grade|rating)\b"
)
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
class ScoreFact:
    """A score as written (`text`, clean offsets) and its value on its scale."""

    text: str
    start: int
    end: int
    score: float
    score_max: float

    @property
    def norm(self) -> float:
        return round(self.score / self.score_max, 3) if self.score_max else float("nan")


@dataclass(frozen=True)
class RankFact:
    """A rank in a list ("the 4th best episode that X wrote" -> 4, 'X episodes')."""

    rank: int
    rank_list: str
    start: int
    end: int


def number(text: str) -> float | None:
    """A number written as digits or words ('three and a half' -> 3.5, 'half' -> 0.5)."""
    t = text.lower().replace("-", " ").strip()
    if t.endswith("\u00bd") and t[:-1].strip().isdigit():  # "3½"
        return int(t[:-1].strip()) + 0.5
    try:
        return float(t)
    except ValueError:
        pass
    half = 0.5 if "half" in t else 0.0
    head = t.split(" and ")[0].replace("half a", "").replace("half", "").strip()
    if not head:
        return half or None
    if head in _UNITS:
        return _UNITS[head] + half
    return None


def _loose_count(m: re.Match[str]) -> bool:
    """'Two of Five' (a name), 'one of ten': 'N of M' in words with no 'out' and no stars or points is a count
    or a name, not a score ('8 of 10' in digits, 'three of five stars' and 'three out of five' are)."""
    written = m.group(0).lower()
    if "out" in written or "star" in written or "point" in written:
        return False
    return not (m.group("n")[:1].isdigit() and m.group("m")[:1].isdigit())


def find_scores(text: str) -> list[ScoreFact]:
    """Scores in `text`: 'N out of M', 'N/M', letter grades (points / 4.3), 'N stars' (out of 5 when no
    maximum is written), 'a rating of N' (out of 10), 'a perfect score' (1)."""
    out: list[ScoreFact] = []
    taken: list[tuple[int, int]] = []

    def add(s: int, e: int, n: float | None, mx: float | None) -> None:
        if n is None or not mx or n > mx or any(a < e and s < b for a, b in taken):
            return
        taken.append((s, e))
        out.append(ScoreFact(text[s:e], s, e, n, mx))

    for m in _OUT_OF.finditer(text):
        if not _loose_count(m):
            add(m.start(), m.end(), number(m.group("n")), number(m.group("m")))
    for m in _SLASH.finditer(text):
        add(m.start(), m.end(), float(m.group("n")), float(m.group("m")))
    for m in _GRADE.finditer(text):
        g = next(k for k in ("g", "g1", "g2") if m.group(k))
        letter = m.group(g)
        grade = letter[0] + ("+" if letter.endswith("plus") else "-" if letter.endswith("minus") else letter[1:])
        add(*m.span(g), _GRADES[grade], GRADE_MAX)
    for m in _STARS.finditer(text):
        add(m.start(), m.end(), number(m.group("n")), STARS_MAX)
    for m in _GLYPHS.finditer(text):
        empty = len(m.group("empty"))
        n = len(m.group("full")) + (0.5 if m.group("half") else 0.0)
        add(m.start(), m.end(), n, float(len(m.group("full")) + bool(m.group("half")) + empty) if empty else STARS_MAX)
    for m in _BARE.finditer(text):
        add(m.start("n"), m.end("n"), float(m.group("n")), BARE_MAX)
    for m in _PERFECT.finditer(text):
        add(m.start(), m.end(), 1.0, 1.0)
    return sorted(out, key=lambda f: f.start)


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
