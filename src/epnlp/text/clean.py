"""Normalise text for the NLP through an offset map, so every span still points into the raw text.

Normalisation is a list of edits (raw span -> replacement); the clean text and the map are both
derived from the edits, which the clean stage also writes out as a tidy table.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# (rule name, pattern, replacement); applied in one combined pass, earlier rules win.
_RULES: list[tuple[str, str, str]] = [
    ("quote", "[\u2018\u2019\u201a\u201b\u2032\u00b4`]", "'"),
    ("double_quote", "[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]", '"'),
    ("dash", "[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]", "-"),
    ("ellipsis", "\u2026", "..."),
    ("invisible", "[\u00ad\u200b\u200c\u200d\u2060\ufeff]", ""),
    ("whitespace",
     r"(?:[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*[\r\n\f\v][\s\u00a0]*)+"
     r"|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000][ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*| {2,}", " "),
]
_COMBINED = re.compile("|".join(f"(?P<{name}>{pat})" for name, pat, _ in _RULES))
_REPL = {name: repl for name, _, repl in _RULES}
_NON_ASCII = re.compile("[^\x00-\x7f]")
_ASCII_TRIGGER = re.compile("[\t\n\r\f\v`]")  # the ASCII characters some rule replaces (besides "  ")


@dataclass(frozen=True)
class Edit:
    """Raw span [start, end) replaced by `replacement` (offsets relative to the cleaned text's base)."""

    start: int
    end: int
    replacement: str
    rule: str


@dataclass(frozen=True)
class OffsetMap:
    """Maps clean-text offsets back to raw offsets. Built from the edits; O(log n) per lookup."""

    base: int
    clean_starts: tuple[int, ...]  # clean offset where each edit's replacement begins
    edits: tuple[Edit, ...]

    @classmethod
    def of(cls, edits: list[Edit], base: int = 0) -> OffsetMap:
        """The map of sorted, non-overlapping edits (the clean text itself is not needed)."""
        starts, shift = [], 0
        for e in edits:
            starts.append(e.start + shift)
            shift += len(e.replacement) - (e.end - e.start)
        return cls(base, tuple(starts), tuple(edits))

    def clean_length(self, raw_length: int) -> int:
        """The length of the clean text of a raw text of `raw_length` characters under this map."""
        return raw_length + sum(len(e.replacement) - (e.end - e.start) for e in self.edits)

    def to_raw(self, clean_start: int, clean_end: int) -> tuple[int, int]:
        """Raw [start, end) covering clean [clean_start, clean_end); edits are never split."""
        return self._point(clean_start, left=True), self._point(clean_end, left=False)

    def _point(self, c: int, left: bool) -> int:
        starts, edits = self.clean_starts, self.edits
        if left:
            k = bisect_left(starts, c)
            if k < len(starts) and starts[k] == c:  # first edit at c: take in any deletions there
                return self.base + edits[k].start
            k -= 1  # last edit starting before c
        else:
            k = bisect_right(starts, c) - 1  # last edit starting at or before c
            if k >= 0 and starts[k] == c:
                e = edits[k]
                # a replacement starting at c lies after the span; deletions at c are taken in
                return self.base + (e.start if e.replacement else e.end)
        if k < 0:
            return self.base + c
        e, cs = edits[k], starts[k]
        ce = cs + len(e.replacement)
        if c < ce:  # inside a replacement: snap outward to the whole raw span
            return self.base + (e.start if left else e.end)
        return self.base + e.end + (c - ce)


def edits_for(text: str) -> list[Edit]:
    """The normalisation edits for `text` (offsets relative to `text`)."""
    if text.isascii() and "  " not in text and not _ASCII_TRIGGER.search(text):
        return []  # every rule needs a non-ASCII character, one of these, or two spaces: nothing to do
    edits = []
    for m in _COMBINED.finditer(text):
        rule = m.lastgroup or ""
        repl = _REPL[rule]
        if m.group(0) != repl:
            edits.append(Edit(m.start(), m.end(), repl, rule))
    # Other compatibility characters (ligatures, full-width forms) via NFKC, one char at a time.
    if not text.isascii():
        taken = {i for e in edits for i in range(e.start, e.end)}
        for m in _NON_ASCII.finditer(text):
            i = m.start()
            norm = _nfkc(m.group())
            if norm != m.group() and i not in taken:
                edits.append(Edit(i, i + 1, norm, "nfkc"))
        edits.sort(key=lambda e: e.start)
    return edits


@lru_cache(maxsize=4096)
def _nfkc(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


def apply_edits(text: str, edits: list[Edit], base: int = 0) -> tuple[str, OffsetMap]:
    """Apply sorted, non-overlapping edits; return the clean text and its offset map."""
    out, pos = [], 0
    for e in edits:
        out.append(text[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out), OffsetMap.of(edits, base)


def normalize(text: str, base: int = 0) -> tuple[str, OffsetMap]:
    """Normalise quotes, dashes, ellipses, invisible characters and whitespace, keeping offsets.

    `base` is the raw offset of `text[0]`, so the map returns offsets into the whole raw article.
    """
    return apply_edits(text, edits_for(text), base)


def clean_paragraphs(paragraphs: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    """Clean every paragraph row; returns clean-text rows and edit rows (raw offsets)."""
    clean_rows, edit_rows = [], []
    for aid, pid, start, text in zip(paragraphs["article_id"], paragraphs["paragraph_id"], paragraphs["start"], paragraphs["text"], strict=True):
        edits = edits_for(text)
        clean, _ = apply_edits(text, edits)
        clean_rows.append({"article_id": aid, "paragraph_id": pid, "clean_text": clean})
        edit_rows.extend(
            {
                "article_id": aid,
                "paragraph_id": pid,
                "start": start + e.start,
                "end": start + e.end,
                "text": text[e.start : e.end],
                "replacement": e.replacement,
                "rule": e.rule,
            }
            for e in edits
        )
    return clean_rows, edit_rows


def offset_map(edits: pd.DataFrame, base: int) -> OffsetMap:
    """The offset map of a paragraph starting at raw offset `base`, from its recorded edits (raw offsets,
    sorted): the clean text itself comes from the clean stage's table, not recomputed."""
    rows = zip(edits["start"], edits["end"], edits["replacement"], edits["rule"], strict=True)
    return OffsetMap.of([Edit(int(s) - base, int(e) - base, r, rule) for s, e, r, rule in rows], base)
