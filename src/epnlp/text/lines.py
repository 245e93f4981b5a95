"""Lines of an article and what each one is: the `= Title =` line, a `== Heading ==`, a `- list item`.

Lines are classified with plain string operations (strip, prefix/suffix checks), not backtracking
regular expressions, so the time is linear in the line length whatever the input (a line of 20,000
spaces after `==` used to take minutes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
BULLETS = "-*\u2022"


@dataclass(frozen=True)
class Line:
    """One line of the raw text without its line break; `number` is 1-based."""

    number: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Heading:
    """A heading line: its level (count of `=` on the left), title, where the title starts in the line,
    and whether the `=` on the right match the left."""

    level: int
    title: str
    offset: int
    balanced: bool


def split_lines(text: str) -> list[Line]:
    """Split on any line ending (LF, CRLF, lone CR), keeping offsets into `text`."""
    lines = []
    for n, m in enumerate(_LINE.finditer(text), start=1):
        body = m.group(0).rstrip("\r\n")
        if m.start() == len(text) and not body and n > 1:
            break
        lines.append(Line(n, m.start(), m.start() + len(body), body))
    return lines


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) of `text` to exclude surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def list_item(text: str) -> tuple[int, int] | None:
    """(value start, value end) in a `- item` line (bullet `-`, `*` or `\u2022`, then whitespace)."""
    body = text.lstrip()
    if len(body) < 2 or body[0] not in BULLETS or not body[1].isspace():
        return None
    rest = body[1:].lstrip()
    start, end = len(text) - len(rest), len(text.rstrip())
    return (start, end) if start < end else None


def title_line(text: str) -> tuple[int, int] | None:
    """(start, end) of the title in a `= Title =` line (exactly one `=` each side), else None."""
    body = text.strip()
    if len(body) < 3 or body[0] != "=" or body[1] == "=" or body[-1] != "=":
        return None
    inner = body[1:-1]
    title = inner.strip()
    if not title or title[-1] == "=":
        return None
    start = len(text) - len(text.lstrip()) + 1 + len(inner) - len(inner.lstrip())
    return start, start + len(title)


def heading(line: Line) -> Heading | None:
    """The heading on `line`, if it is one: two or more `=`, a title, and any number of `=` (the count
    should match the left)."""
    body = line.text.strip()
    rest = body.lstrip("=")
    left = len(body) - len(rest)
    if left < 2:
        return None
    inner = rest.rstrip("=")
    title = inner.strip()
    if not title:
        return None
    right = len(rest) - len(inner)
    offset = len(line.text) - len(line.text.lstrip()) + left + len(inner) - len(inner.lstrip())
    return Heading(left, title, offset, left == right)
