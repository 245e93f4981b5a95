"""The infobox: an `Infobox` line, then `- Key: Value` lines; multi-valued keys give one entry per value.

`Guests: Actor - Role` gives the actor as the value and the role beside it. Every entry keeps raw
offsets, and every problem (no colon, empty value, a repeated key) is an issue with its line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from epnlp.text.lines import BULLETS, Line, list_item, strip_span
from epnlp.text.raw import Issue

_INFOBOX = re.compile(r"^\s*infobox\b.*$", re.IGNORECASE)
_MAX_START_CHARS = 60  # a longer line that starts with "Infobox" is prose, not the block's first line
# Separators only; the pieces are stripped afterwards (no leading `\s*`: linear time).
_SPLIT = re.compile(r"(?:,|;|&|\band\b)(?:\s*\band\b)?", re.IGNORECASE)
# `(?<!\s)`: a whitespace run is tried once, from its start (no quadratic backtracking).
_GUEST = re.compile(r"(?<!\s)\s+(?:[-\u2013\u2014]|as)\s+")


@dataclass(frozen=True)
class InfoboxEntry:
    """One value of an infobox key (multi-valued keys give one entry per value)."""

    key: str
    position: int
    value: str
    start: int
    end: int
    line: int
    role: str | None = None
    role_start: int | None = None
    role_end: int | None = None


def split_values(text: str, start: int) -> Iterator[tuple[str, int, int]]:
    """Split a multi-valued infobox value on commas, semicolons, '&' and 'and', with offsets."""
    pos = 0
    for m in _SPLIT.finditer(text):
        yield from _piece(text, pos, m.start(), start)
        pos = m.end()
    yield from _piece(text, pos, len(text), start)


def _piece(text: str, a: int, b: int, base: int) -> Iterator[tuple[str, int, int]]:
    a, b = strip_span(text, a, b)
    if a < b:
        yield text[a:b], base + a, base + b


def _guest_entry(key: str, pos: int, val: str, s: int, e: int, line: int) -> InfoboxEntry:
    """A guest value: `Actor - Role` (or `Actor as Role`) splits into the actor and the role."""
    g = _GUEST.search(val)
    if not g:
        return InfoboxEntry(key, pos, val, s, e, line)
    return InfoboxEntry(key, pos, val[: g.start()], s, s + g.start(), line, val[g.end() :], s + g.end(), e)


def parse_infobox_line(
    line: Line, multi: set[str], guests: set[str]
) -> tuple[list[InfoboxEntry], Issue | None]:
    """Parse one `- Key: Value` line into entries (one per value for multi-valued keys)."""
    m = list_item(line.text)
    body_start = line.start + (m[0] if m else len(line.text) - len(line.text.lstrip()))
    body = line.text[m[0] : m[1]] if m else line.text.strip()
    if ":" not in body:
        return [], Issue("warning", "infobox_no_colon", f"infobox line has no 'Key: Value' colon: {body!r}", line.number)
    colon = body.index(":")
    key = body[:colon].strip()
    vs, ve = strip_span(line.text, body_start - line.start + colon + 1, len(line.text))
    value = line.text[vs:ve]
    if not key:
        return [], Issue("warning", "infobox_no_colon", f"infobox line has an empty key: {body!r}", line.number)
    if not value:
        return [], Issue("warning", "infobox_empty_value", f"infobox key {key!r} has an empty value", line.number)
    k = key.casefold()
    if k in multi or k in guests:
        pieces = list(split_values(value, line.start + vs))
    else:
        pieces = [(value, line.start + vs, line.start + ve)]
    if k in guests:
        return [_guest_entry(key, pos, val, s, e, line.number) for pos, (val, s, e) in enumerate(pieces)], None
    return [InfoboxEntry(key, pos, val, s, e, line.number) for pos, (val, s, e) in enumerate(pieces)], None


@dataclass
class InfoboxReader:
    """Reads the infobox block out of the article's lines, one line at a time (`take`).

    The block is the first `Infobox` line before any paragraph, then its item lines; blank lines inside
    it are skipped, but after a blank line an item without a colon starts a list in the lead instead.
    A key that repeats is kept, its values numbered on from the first occurrence's, with a warning.
    """

    multi: set[str]
    guests: set[str]
    entries: list[InfoboxEntry] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    found: bool = False
    _open: bool = False
    _gap: bool = False  # a blank line after the block's first item line
    _items: int = 0
    _first_line: dict[str, int] = field(default_factory=dict)  # key (casefolded) -> its first line
    _count: Counter = field(default_factory=Counter)  # key (casefolded) -> entries so far

    def take(self, line: Line, may_start: bool) -> bool:
        """Whether `line` belongs to the infobox (its first line, an item or a blank inside it).
        `may_start`: no paragraph came before, so an `Infobox` line here starts the block."""
        if self._open:
            if self._continues(line):
                return True
            self._open = False
        if not self.found and may_start and _INFOBOX.match(line.text) and len(line.text.strip()) < _MAX_START_CHARS:
            self._open = self.found = True
            return True
        return False

    def _continues(self, line: Line) -> bool:
        """Read `line` if the open block goes on with it (an item, or a blank line)."""
        stripped = line.text.strip()
        is_item = list_item(line.text) is not None or (len(stripped) == 1 and stripped in BULLETS)
        if is_item and not (self._gap and ":" not in stripped):
            self._gap = False
            self._items += 1
            self._add(line)
            return True
        if not stripped:
            self._gap = self._items > 0
            return True
        return False

    def _add(self, line: Line) -> None:
        entries, issue = parse_infobox_line(line, self.multi, self.guests)
        if issue:
            self.issues.append(issue)
        if not entries:
            return
        key = entries[0].key.casefold()
        if key in self._first_line:
            self.issues.append(Issue(
                "warning", "infobox_duplicate_key",
                f"infobox key {entries[0].key!r} repeats line {self._first_line[key]}; both kept", line.number,
            ))
        self._first_line.setdefault(key, line.number)
        offset = self._count[key]
        self.entries.extend(replace(e, position=e.position + offset) for e in entries)
        self._count[key] += len(entries)
