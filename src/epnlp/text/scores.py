"""Scores as critics write them ('three out of five', '7/10', 'a B+', 'four stars', '★★★½'), found by
pattern in one sentence's text, with their value on their scale.

Shared by the reviews layer (a review's score) and sentence sentiment (a sentence that states a score
states a verdict).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "half": 0.5,
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


@dataclass(frozen=True)
class ScoreFact:
    """A score as written (`text`, clean offsets) and its value on its scale."""

    text: str
    start: int
    end: int
    score: float
    score_max: float
    kind: str = ""  # out_of, slash, grade, stars, glyphs, bare ('a rating of 8'), perfect

    @property
    def norm(self) -> float:
        return round(self.score / self.score_max, 3) if self.score_max else float("nan")


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


# Every score pattern needs a digit, a star glyph or one of these word starts: a sentence with none is
# skipped in one pass (most sentences of an article; the patterns are run on every scored sentence).
_HINT = re.compile(r"[\d\u2605\u00bd]|out[\s-]+of|star|point|grad|gav|giv|award|rat|scor|assign|mark|perfect", re.IGNORECASE)


def find_scores(text: str) -> list[ScoreFact]:
    """Scores in `text`: 'N out of M', 'N/M', letter grades (points / 4.3), 'N stars' (out of 5 when no
    maximum is written), 'a rating of N' (out of 10), 'a perfect score' (1)."""
    if not _HINT.search(text):
        return []
    out: list[ScoreFact] = []
    taken: list[tuple[int, int]] = []

    def add(s: int, e: int, n: float | None, mx: float | None, kind: str) -> None:
        if n is None or not mx or n > mx or any(a < e and s < b for a, b in taken):
            return
        taken.append((s, e))
        out.append(ScoreFact(text[s:e], s, e, n, mx, kind))

    for m in _OUT_OF.finditer(text):
        if not _loose_count(m):
            add(m.start(), m.end(), number(m.group("n")), number(m.group("m")), "out_of")
    for m in _SLASH.finditer(text):
        add(m.start(), m.end(), float(m.group("n")), float(m.group("m")), "slash")
    for m in _GRADE.finditer(text):
        g = next(k for k in ("g", "g1", "g2") if m.group(k))
        letter = m.group(g)
        grade = letter[0] + ("+" if letter.endswith("plus") else "-" if letter.endswith("minus") else letter[1:])
        add(*m.span(g), _GRADES[grade], GRADE_MAX, "grade")
    for m in _STARS.finditer(text):
        add(m.start(), m.end(), number(m.group("n")), STARS_MAX, "stars")
    for m in _GLYPHS.finditer(text):
        empty = len(m.group("empty"))
        n = len(m.group("full")) + (0.5 if m.group("half") else 0.0)
        add(m.start(), m.end(), n, float(len(m.group("full")) + bool(m.group("half")) + empty) if empty else STARS_MAX, "glyphs")
    for m in _BARE.finditer(text):
        add(m.start("n"), m.end("n"), float(m.group("n")), BARE_MAX, "bare")
    for m in _PERFECT.finditer(text):
        add(m.start(), m.end(), 1.0, 1.0, "perfect")
    return sorted(out, key=lambda f: f.start)
