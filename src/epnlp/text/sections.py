"""Sections and paragraphs: the lead, `== Headings ==` nested by level, blocks of text and list items.

A section's role (lead / plot / reception / other) comes from its heading, else from its parent. A
paragraph outside the plot where a named critic reports on the episode reads as reception when no
heading says where the reception is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from epnlp.text.lines import Heading, Line, heading, list_item, strip_span
from epnlp.text.raw import Issue

LEAD_TITLE = "Lead"


@dataclass(frozen=True)
class Section:
    """A section: the lead (level 1, id 0) or a heading with its body up to the next heading."""

    section_id: int
    title: str
    level: int
    parent_id: int | None
    role: str
    start: int
    end: int
    line: int
    title_start: int | None = None  # text[title_start:title_end] == title (None for the lead)
    title_end: int | None = None


@dataclass(frozen=True)
class Paragraph:
    """A block of consecutive text lines, or one list item (without its bullet)."""

    paragraph_id: int
    section_id: int
    is_list_item: bool
    start: int
    end: int
    role: str | None = None  # set only when it differs from its section's ("reception" in another section)


def close_section(text: str, sec: Section, limit: int) -> Section:
    """End `sec` at its last non-space character before `limit` (an empty lead: end == start)."""
    s, e = strip_span(text, sec.start, limit)
    return replace(sec, end=e if s < e else sec.start)


@dataclass
class SectionReader:
    """Reads sections and paragraphs from the body's lines, one line at a time (`feed`), then `finish`.

    `role` gives a heading's own role from its title ("other" when it says nothing); a subsection
    saying nothing inherits its parent's. An unbalanced heading is read by its left `=` and warned.
    """

    text: str
    role: Callable[[str], str]
    lead_start: int
    lead_line: int
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    _parents: list[Section] = field(default_factory=list)  # the open headed sections, outermost first
    _first: Line | None = None  # first and last line of the open paragraph
    _last: Line | None = None

    def __post_init__(self) -> None:
        self.sections.append(Section(0, LEAD_TITLE, 1, None, "lead", self.lead_start, len(self.text), self.lead_line))

    def feed(self, line: Line) -> None:
        """Read one line: a heading opens a section; a blank line or a list item ends the paragraph."""
        head = heading(line)
        if head:
            self._close_paragraph()
            self._open_section(line, head)
            return
        if not line.text.strip():
            self._close_paragraph()
            return
        item = list_item(line.text)
        if item:
            self._close_paragraph()
            s, e = line.start + item[0], line.start + item[1]
            self.paragraphs.append(Paragraph(len(self.paragraphs), self.sections[-1].section_id, True, s, e))
            return
        if self._first is None:
            self._first = line
        self._last = line

    def finish(self) -> tuple[list[Section], list[Paragraph]]:
        """Close the open paragraph and the last section; the sections and paragraphs read."""
        self._close_paragraph()
        self.sections[-1] = close_section(self.text, self.sections[-1], len(self.text))
        return self.sections, self.paragraphs

    def _close_paragraph(self) -> None:
        if self._first is not None and self._last is not None:
            s, e = strip_span(self.text, self._first.start, self._last.end)
            if s < e:
                self.paragraphs.append(Paragraph(len(self.paragraphs), self.sections[-1].section_id, False, s, e))
        self._first = self._last = None

    def _open_section(self, line: Line, head: Heading) -> None:
        if not head.balanced:
            self.issues.append(Issue(
                "warning", "heading_unbalanced",
                f"heading {line.text.strip()!r} has unbalanced '='; read as level {head.level}", line.number,
            ))
        while self._parents and self._parents[-1].level >= head.level:
            self._parents.pop()
        parent = self._parents[-1] if self._parents else None
        role = self.role(head.title)
        if role == "other" and parent is not None:
            role = parent.role
        self.sections[-1] = close_section(self.text, self.sections[-1], line.start)
        start = line.start + head.offset
        sec = Section(
            len(self.sections), head.title, head.level, parent.section_id if parent else None, role,
            line.start, len(self.text), line.number, start, start + len(head.title),
        )
        self.sections.append(sec)
        self._parents.append(sec)


# A critic reporting on the episode: a reporting verb right after a capitalised name ("Ann Lee of X
# wrote", "X's Ann Lee also said"), in a sentence that also speaks of the episode, a review, a quotation
# or a score. Plain scans (no nested quantifiers): linear in the paragraph's length.
_REPORTING = re.compile(
    r"\b(?:wrote|said|called|praised|lauded|criticized|criticised|panned|described|reviewed|gave|graded|rated|"
    r"scored|awarded|felt|noted|commented|opined|stated|remarked|ranked|named|listed)\b"
)
_NAME_BEFORE = re.compile(r"[A-Z][\w.&'\u2019-]*,?\s+(?:also\s+)?$")
_CUE = re.compile(r"\bepisode\b|\breview|\bcritic|\"|\u201c|\bstars?\b|\bout of\b|/10\b")


def _critic_sentence(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] has a named subject's reporting verb with a cue in the same sentence."""
    for m in _REPORTING.finditer(text, start, end):
        if not _NAME_BEFORE.search(text[max(start, m.start() - 40) : m.start()]):
            continue
        stop = min((k for k in (text.find(c, m.end(), end) for c in ".!?") if k >= 0), default=end)
        if _CUE.search(text, m.end(), stop):
            return True
    return False


def reception_paragraphs(text: str, sections: Sequence[Section], paragraphs: list[Paragraph]) -> list[Paragraph]:
    """When no heading is a reception section, paragraphs outside the plot where a named critic reports on
    the episode (`_critic_sentence`) get the role "reception", so that their reviews are still found.
    With a reception section, critics elsewhere are left alone (precision)."""
    if any(s.role == "reception" for s in sections):
        return paragraphs
    out = []
    for p in paragraphs:
        role = sections[p.section_id].role
        if role != "plot" and _critic_sentence(text, p.start, p.end):
            p = replace(p, role="reception")
        out.append(p)
    return out
