"""Parse the article format: title, infobox, lead, headed sections, paragraphs and list items.

Every record keeps `start`/`end` offsets into the decoded raw text, so `raw[start:end]` is its text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from epnlp.io import Issue

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_TITLE = re.compile(r"^\s*=(?!=)\s*(?P<t>.*?[^=\s])\s*=\s*$")
_HEADING = re.compile(r"^\s*(?P<l>={2,})\s*(?P<t>[^=].*?)?\s*(?P<r>=*)\s*$")
_INFOBOX = re.compile(r"^\s*infobox\b.*$", re.IGNORECASE)
_ITEM = re.compile(r"^(?P<ind>\s*[-*\u2022]\s+)(?P<v>\S.*?)\s*$")
_GUEST = re.compile(r"\s+(?:[-\u2013\u2014]|as)\s+")

LEAD_TITLE = "Lead"


@dataclass(frozen=True)
class Line:
    """One line of the raw text without its line break; `number` is 1-based."""

    number: int
    start: int
    end: int
    text: str


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


@dataclass(frozen=True)
class Paragraph:
    """A block of consecutive text lines, or one list item (without its bullet)."""

    paragraph_id: int
    section_id: int
    is_list_item: bool
    start: int
    end: int


@dataclass
class ParsedArticle:
    """Everything the parser found in one article, plus the issues it recorded."""

    article_id: str
    title: str
    title_span: tuple[int, int] | None
    infobox: list[InfoboxEntry] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def section(self, section_id: int) -> Section:
        return self.sections[section_id]

    def infobox_values(self, key: str) -> list[str]:
        """Values of an infobox key, matched without case."""
        k = key.casefold()
        return [e.value for e in self.infobox if e.key.casefold() == k]


@dataclass(frozen=True)
class ParseConfig:
    """Parser settings from params.yaml: section roles, multi-valued infobox keys, limits."""

    plot_titles: Sequence[str] = ("plot", "synopsis", "summary")
    reception_titles: Sequence[str] = ("reception", "critical reception", "critical response")
    multi_value_keys: Sequence[str] = ()
    guest_keys: Sequence[str] = ("guests", "guest stars", "guest star")
    long_paragraph_chars: int = 20000

    @classmethod
    def from_params(cls, p: dict) -> ParseConfig:
        """ParseConfig from the `parse` section of params.yaml."""
        keys = ("plot_titles", "reception_titles", "multi_value_keys", "guest_keys", "long_paragraph_chars")
        return cls(**{k: p[k] for k in keys})

    def role(self, title: str) -> str:
        t = title.casefold().strip()
        if t in {x.casefold() for x in self.plot_titles}:
            return "plot"
        if t in {x.casefold() for x in self.reception_titles}:
            return "reception"
        return "other"


def split_lines(text: str) -> list[Line]:
    """Split on any line ending (LF, CRLF, lone CR), keeping offsets into `text`."""
    lines = []
    for n, m in enumerate(_LINE.finditer(text), start=1):
        body = m.group(0).rstrip("\r\n")
        if m.start() == len(text) and not body and n > 1:
            break
        lines.append(Line(n, m.start(), m.start() + len(body), body))
    return lines


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) of `text` to exclude surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*(?:\band\b\s*)?", re.IGNORECASE)


def split_values(text: str, start: int) -> Iterator[tuple[str, int, int]]:
    """Split a multi-valued infobox value on commas, semicolons, '&' and 'and', with offsets."""
    pos = 0
    for m in _SPLIT.finditer(text):
        yield from _piece(text, pos, m.start(), start)
        pos = m.end()
    yield from _piece(text, pos, len(text), start)


def _piece(text: str, a: int, b: int, base: int) -> Iterator[tuple[str, int, int]]:
    a, b = _strip_span(text, a, b)
    if a < b:
        yield text[a:b], base + a, base + b


def parse_infobox_line(
    line: Line, multi: set[str], guests: set[str]
) -> tuple[list[InfoboxEntry], Issue | None]:
    """Parse one `- Key: Value` line into entries (one per value for multi-valued keys)."""
    m = _ITEM.match(line.text)
    body_start = line.start + (m.start("v") if m else 0)
    body = m.group("v") if m else line.text.strip()
    if ":" not in body:
        return [], Issue("warning", "infobox_no_colon", f"infobox line has no 'Key: Value' colon: {body!r}", line.number)
    colon = body.index(":")
    key = body[:colon].strip()
    vs, ve = _strip_span(line.text, body_start - line.start + colon + 1, len(line.text))
    value = line.text[vs:ve]
    if not key:
        return [], Issue("warning", "infobox_no_colon", f"infobox line has an empty key: {body!r}", line.number)
    if not value:
        return [], Issue("warning", "infobox_empty_value", f"infobox key {key!r} has an empty value", line.number)
    k = key.casefold()
    pieces = list(split_values(value, line.start + vs)) if k in multi or k in guests else [
        (value, line.start + vs, line.start + ve)
    ]
    entries = []
    for pos, (val, s, e) in enumerate(pieces):
        if k in guests:
            g = _GUEST.search(val)
            if g:
                actor_e = s + g.start()
                role_s = s + g.end()
                entries.append(
                    InfoboxEntry(key, pos, val[: g.start()], s, actor_e, line.number, val[g.end():], role_s, e)
                )
                continue
        entries.append(InfoboxEntry(key, pos, val, s, e, line.number))
    return entries, None


def _heading(line: Line) -> tuple[int, str, int, bool] | None:
    """(level, title, title_offset_in_line, balanced) for a heading line, else None."""
    m = _HEADING.match(line.text)
    if not m or not m.group("t"):
        return None
    title = m.group("t").strip()
    left, right = len(m.group("l")), len(m.group("r"))
    return left, title, m.start("t"), left == right


def parse(text: str, article_id: str, config: ParseConfig | None = None) -> ParsedArticle:
    """Parse an article's decoded text into title, infobox, sections and paragraphs."""
    config = config or ParseConfig()
    multi = {k.casefold() for k in config.multi_value_keys}
    guests = {k.casefold() for k in config.guest_keys}
    lines = split_lines(text)
    issues: list[Issue] = []

    # Title: the first non-blank line, if it is `= Title =`.
    i = 0
    while i < len(lines) and not lines[i].text.strip():
        i += 1
    title, title_span = article_id, None
    if i < len(lines) and (m := _TITLE.match(lines[i].text)):
        ln = lines[i]
        title_span = (ln.start + m.start("t"), ln.start + m.end("t"))
        title = text[title_span[0] : title_span[1]]
        i += 1
    else:
        issues.append(Issue("warning", "no_title", "no '= Title =' line at the top; using the file name", i + 1 if i < len(lines) else None))

    infobox: list[InfoboxEntry] = []
    sections = [Section(0, LEAD_TITLE, 1, None, "lead", lines[i].start if i < len(lines) else len(text), len(text), i + 1)]
    paragraphs: list[Paragraph] = []
    seen_keys: dict[str, int] = {}
    in_infobox = False
    found_infobox = False
    para_start: Line | None = None
    para_end: Line | None = None
    parents: list[Section] = []  # stack of open headed sections

    def close_paragraph() -> None:
        nonlocal para_start, para_end
        if para_start is not None and para_end is not None:
            s, e = _strip_span(text, para_start.start, para_end.end)
            if s < e:
                paragraphs.append(Paragraph(len(paragraphs), sections[-1].section_id, False, s, e))
        para_start = para_end = None

    for ln in lines[i:]:
        stripped = ln.text.strip()
        if in_infobox:
            if _ITEM.match(ln.text) or stripped in ("-", "*"):
                entries, issue = parse_infobox_line(ln, multi, guests)
                if issue:
                    issues.append(issue)
                if entries:
                    key = entries[0].key.casefold()
                    if key in seen_keys:
                        issues.append(Issue("warning", "infobox_duplicate_key", f"infobox key {entries[0].key!r} repeats line {seen_keys[key]}; both kept", ln.number))
                    seen_keys.setdefault(key, ln.number)
                    offset = sum(1 for x in infobox if x.key.casefold() == key)
                    infobox.extend(replace(e, position=e.position + offset) for e in entries)
                continue
            if not stripped:
                continue
            in_infobox = False
        if not found_infobox and not paragraphs and _INFOBOX.match(ln.text) and len(stripped) < 60:
            in_infobox = found_infobox = True
            continue
        head = _heading(ln)
        if head:
            close_paragraph()
            level, htitle, toff, balanced = head
            if not balanced:
                issues.append(Issue("warning", "heading_unbalanced", f"heading {ln.text.strip()!r} has unbalanced '='; read as level {level}", ln.number))
            while parents and parents[-1].level >= level:
                parents.pop()
            parent = parents[-1] if parents else None
            role = config.role(htitle)
            if role == "other" and parent is not None:
                role = parent.role
            prev = sections[-1]
            sections[-1] = replace(prev, end=_strip_span(text, prev.start, ln.start)[1])
            sec = Section(len(sections), htitle, level, parent.section_id if parent else None, role, ln.start, len(text), ln.number)
            sections.append(sec)
            parents.append(sec)
            continue
        if not stripped:
            close_paragraph()
            continue
        item = _ITEM.match(ln.text)
        if item:
            close_paragraph()
            s, e = ln.start + item.start("v"), ln.start + item.end("v")
            paragraphs.append(Paragraph(len(paragraphs), sections[-1].section_id, True, s, e))
            continue
        if para_start is None:
            para_start = ln
        para_end = ln
    close_paragraph()
    last = sections[-1]
    sections[-1] = replace(last, end=_strip_span(text, last.start, len(text))[1])

    if not found_infobox:
        issues.append(Issue("warning", "no_infobox", "no 'Infobox' block of '- Key: Value' lines"))
    roles = {s.role for s in sections}
    if "plot" not in roles:
        issues.append(Issue("warning", "no_plot", "no plot section (titles: " + ", ".join(config.plot_titles) + ")"))
    if "reception" not in roles:
        issues.append(Issue("warning", "no_reception", "no reception section (titles: " + ", ".join(config.reception_titles) + ")"))
    for p in paragraphs:
        if p.end - p.start > config.long_paragraph_chars:
            ln_no = text.count("\n", 0, p.start) + 1
            issues.append(Issue("warning", "long_paragraph", f"paragraph of {p.end - p.start:,} characters (over {config.long_paragraph_chars:,})", ln_no))
    return ParsedArticle(article_id, title, title_span, infobox, sections, paragraphs, issues)


def section_paths(sections: Iterable[Section]) -> dict[int, str]:
    """Section titles by id (kept flat: the heading's own title)."""
    return {s.section_id: s.title for s in sections}


_EN_WORDS = frozenset(
    "the a an and of to in is was it that this for on with as by at from his her their they he she "
    "are were be been has have had not but which who its into after before when while".split()
)
_QUOTE_CHARS = re.compile('["\u201c\u201d\u201e\u201f]')


def check_text(text: str, parsed: ParsedArticle, min_english: float = 0.12) -> list[Issue]:
    """Content checks: non-English prose, unclosed quotation marks (by line)."""
    issues: list[Issue] = []
    words = re.findall(r"[A-Za-z\u00c0-\u024f]+", " ".join(text[p.start : p.end] for p in parsed.paragraphs))
    if len(words) >= 30:
        share = sum(w.lower() in _EN_WORDS for w in words) / len(words)
        if share < min_english:
            issues.append(Issue("warning", "not_english", f"prose looks non-English ({share:.0%} common English words)"))
    for p in parsed.paragraphs:
        body = text[p.start : p.end]
        if len(_QUOTE_CHARS.findall(body)) % 2:
            last = list(_QUOTE_CHARS.finditer(body))[-1].start() + p.start
            issues.append(Issue("warning", "unclosed_quote", "a quotation mark is never closed in this paragraph", text.count("\n", 0, last) + text.count("\r", 0, last) - text.count("\r\n", 0, last) + 1))
    return issues


def article_rows(raw, parsed: ParsedArticle) -> dict[str, list[dict]]:
    """Rows of the parse tables (articles, infobox, sections, paragraphs) for one parsed article."""
    text = raw.text
    aid = parsed.article_id
    roles = {s.section_id: s for s in parsed.sections}
    series = parsed.infobox_values("series")
    airdate = parsed.infobox_values("airdate")
    return {
        "articles": [
            {
                "article_id": aid,
                "title": parsed.title,
                "source_file": raw.path.name,
                "sha256": raw.sha256,
                "encoding": raw.encoding,
                "n_chars": len(text),
                "n_words": len(text.split()),
                "series": series[0] if series else None,
                "airdate": airdate[0] if airdate else None,
            }
        ],
        "infobox": [{"article_id": aid, **e.__dict__} for e in parsed.infobox],
        "sections": [
            {
                "article_id": aid,
                "section_id": s.section_id,
                "title": s.title,
                "level": s.level,
                "parent_id": s.parent_id,
                "role": s.role,
                "start": s.start,
                "end": s.end,
            }
            for s in parsed.sections
        ],
        "paragraphs": [
            {
                "article_id": aid,
                "paragraph_id": p.paragraph_id,
                "section_id": p.section_id,
                "section": roles[p.section_id].title,
                "role": roles[p.section_id].role,
                "is_list_item": p.is_list_item,
                "start": p.start,
                "end": p.end,
                "text": text[p.start : p.end],
            }
            for p in parsed.paragraphs
        ],
    }


def parse_corpus(raws: Iterable, config: ParseConfig) -> tuple[dict[str, list[dict]], list[dict]]:
    """Parse every decoded article; returns the parse tables' rows and the issue rows.

    Rejected articles contribute no rows but their issues; a duplicate title is a warning.
    """
    tables: dict[str, list[dict]] = {"articles": [], "infobox": [], "sections": [], "paragraphs": []}
    issues: list[dict] = []
    titles: dict[str, str] = {}
    for raw in sorted(raws, key=lambda r: r.path.name):
        found = list(raw.issues)
        if not raw.rejected:
            parsed = parse(raw.text, raw.article_id, config)
            found += parsed.issues + check_text(raw.text, parsed)
            key = parsed.title.casefold().strip()
            if key in titles:
                found.append(Issue("warning", "duplicate_title", f"title {parsed.title!r} is also the title of {titles[key]}", parsed.sections[0].line - 1 if parsed.title_span else None))
            else:
                titles[key] = raw.path.name
            for name, rows in article_rows(raw, parsed).items():
                tables[name].extend(rows)
        issues.extend(
            {"article_id": raw.article_id, "source_file": raw.path.name, "line": i.line, "severity": i.severity, "problem": i.problem, "message": i.message}
            for i in found
        )
    return tables, issues
