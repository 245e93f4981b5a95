"""Parse the article format: title, infobox, lead, headed sections, paragraphs and list items.

Every record keeps `start`/`end` offsets into the decoded raw text, so `raw[start:end]` is its text.

Lines are classified with plain string operations (strip, prefix/suffix checks), not backtracking
regular expressions, so the time is linear in the line length whatever the input (a line of 20,000
spaces after `==` used to take minutes).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from epnlp.io import Issue

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_INFOBOX = re.compile(r"^\s*infobox\b.*$", re.IGNORECASE)
_BULLETS = "-*\u2022"
# `(?<!\s)`: a whitespace run is tried once, from its start (no quadratic backtracking).
_HEAD_WORD = re.compile(r"[a-z]+")
_GUEST = re.compile(r"(?<!\s)\s+(?:[-\u2013\u2014]|as)\s+")

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
    # head words that give a heading its meaning ("Broadcast and reception", "Critical reaction")
    plot_words: Sequence[str] = ("plot", "synopsis")
    reception_words: Sequence[str] = ("reception", "review", "reviews", "critical", "critics", "response", "reaction", "reactions", "acclaim")

    @classmethod
    def from_params(cls, p: dict) -> ParseConfig:
        """ParseConfig from the `parse` section of params.yaml."""
        keys = ("plot_titles", "reception_titles", "multi_value_keys", "guest_keys", "long_paragraph_chars", "plot_words", "reception_words")
        return cls(**{k: p[k] for k in keys if k in p})

    def role(self, title: str) -> str:
        """A heading's role from its meaning: a listed title, else a head word (plot / reception)."""
        t = title.casefold().strip()
        words = set(_HEAD_WORD.findall(t))
        if t in {x.casefold() for x in self.plot_titles} or words & {w.casefold() for w in self.plot_words}:
            return "plot"
        if t in {x.casefold() for x in self.reception_titles} or words & {w.casefold() for w in self.reception_words}:
            return "reception"
        return "other"


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


# Separators only; the pieces are stripped afterwards (no leading `\s*`: linear time).
_SPLIT = re.compile(r"(?:,|;|&|\band\b)(?:\s*\band\b)?", re.IGNORECASE)


def _line_at(text: str, pos: int) -> int:
    """1-based line number of `pos` in `text` (LF, CRLF and lone CR end a line, as in split_lines)."""
    return text.count("\n", 0, pos) + text.count("\r", 0, pos) - text.count("\r\n", 0, pos) + 1


def _item(text: str) -> tuple[int, int] | None:
    """(value start, value end) in a `- item` line (bullet `-`, `*` or `\u2022`, then whitespace)."""
    body = text.lstrip()
    if len(body) < 2 or body[0] not in _BULLETS or not body[1].isspace():
        return None
    rest = body[1:].lstrip()
    start, end = len(text) - len(rest), len(text.rstrip())
    return (start, end) if start < end else None


def _title(text: str) -> tuple[int, int] | None:
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
    m = _item(line.text)
    body_start = line.start + (m[0] if m else len(line.text) - len(line.text.lstrip()))
    body = line.text[m[0] : m[1]] if m else line.text.strip()
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
    """(level, title, title_offset_in_line, balanced) for a heading line, else None.

    A heading is two or more `=`, a title, and any number of `=` (the count should match the left).
    """
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
    return left, title, offset, left == right


def _close_section(text: str, sec: Section, limit: int) -> Section:
    """End `sec` at its last non-space character before `limit` (an empty lead: end == start)."""
    s, e = _strip_span(text, sec.start, limit)
    return replace(sec, end=e if s < e else sec.start)


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
    if i < len(lines) and (m := _title(lines[i].text)):
        ln = lines[i]
        title_span = (ln.start + m[0], ln.start + m[1])
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
    gap_in_infobox = False  # a blank line after the infobox's first line
    infobox_lines = 0
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
            is_item = _item(ln.text) is not None or stripped in ("-", "*", "\u2022")
            # After a blank line, an item without a colon starts a lead list, not more infobox.
            if is_item and not (gap_in_infobox and ":" not in stripped):
                gap_in_infobox = False
                infobox_lines += 1
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
                gap_in_infobox = infobox_lines > 0
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
            sections[-1] = _close_section(text, sections[-1], ln.start)
            sec = Section(len(sections), htitle, level, parent.section_id if parent else None, role, ln.start, len(text), ln.number, ln.start + toff, ln.start + toff + len(htitle))
            sections.append(sec)
            parents.append(sec)
            continue
        if not stripped:
            close_paragraph()
            continue
        item = _item(ln.text)
        if item:
            close_paragraph()
            s, e = ln.start + item[0], ln.start + item[1]
            paragraphs.append(Paragraph(len(paragraphs), sections[-1].section_id, True, s, e))
            continue
        if para_start is None:
            para_start = ln
        para_end = ln
    close_paragraph()
    sections[-1] = _close_section(text, sections[-1], len(text))
    paragraphs = reception_paragraphs(text, sections, paragraphs)

    if not found_infobox:
        issues.append(Issue("warning", "no_infobox", "no 'Infobox' block of '- Key: Value' lines"))
    roles = {s.role for s in sections} | {p.role for p in paragraphs if p.role}
    if "plot" not in roles:
        issues.append(Issue("warning", "no_plot", "no plot section (titles: " + ", ".join(config.plot_titles) + ")"))
    if "reception" not in roles:
        issues.append(Issue("warning", "no_reception", "no reception section (titles: " + ", ".join(config.reception_titles) + ")"))
    for p in paragraphs:
        if p.end - p.start > config.long_paragraph_chars:
            ln_no = _line_at(text, p.start)
            issues.append(Issue("warning", "long_paragraph", f"paragraph of {p.end - p.start:,} characters (over {config.long_paragraph_chars:,})", ln_no))
    return ParsedArticle(article_id, title, title_span, infobox, sections, paragraphs, issues)


def section_paths(sections: Iterable[Section]) -> dict[int, str]:
    """Section titles by id (kept flat: the heading's own title)."""
    return {s.section_id: s.title for s in sections}


_EN_WORDS = frozenset(
    "the a an and of to in is was it that this for on with as by at from his her their they he she "
    "are were be been has have had not but which who its into after before when while".split()
)
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_QUOTE_CHARS = re.compile('["\u201c\u201d\u201e\u201f]')


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s*$")


def is_prose(body: str, min_words: int = 5) -> bool:
    """A paragraph of running text: enough words, mostly letters, ending like a sentence."""
    words = _WORD.findall(body)
    return len(words) >= min_words and bool(_SENTENCE_END.search(body)) and sum(map(len, words)) >= 0.6 * len(body.replace(" ", ""))


def format_issue(text: str, parsed: ParsedArticle) -> Issue | None:
    """A reject when the file has none of an episode article's structure (a README, a CSV, a log): no
    title line, no section headings, no infobox, and no paragraph of prose beyond a single line. Such a
    file would otherwise yield "characters" made of markup and column names."""
    if parsed.title_span is not None or len(parsed.sections) > 1 or parsed.infobox:
        return None
    prose = [p for p in parsed.paragraphs if is_prose(text[p.start : p.end])]
    what = "no paragraph of prose" if not prose else "only loose text"
    return Issue("reject", "not_an_article", f"no '= Title =' line, no '== Section ==' headings, no Infobox and {what}: not an episode article")


def check_text(text: str, parsed: ParsedArticle, min_english: float = 0.12) -> list[Issue]:
    """Content checks: non-English prose, unclosed quotation marks (by line)."""
    issues: list[Issue] = []
    words = _WORD.findall(" ".join(text[p.start : p.end] for p in parsed.paragraphs))
    if len(words) >= 30:
        lowered = " ".join(words).lower().split(" ")  # each word lower-cased (lowering adds no spaces)
        share = sum(map(_EN_WORDS.__contains__, lowered)) / len(words)
        if share < min_english:
            issues.append(Issue("warning", "not_english", f"prose looks non-English ({share:.0%} common English words)"))
    for p in parsed.paragraphs:
        body = text[p.start : p.end]
        if len(_QUOTE_CHARS.findall(body)) % 2:
            last = list(_QUOTE_CHARS.finditer(body))[-1].start() + p.start
            issues.append(Issue("warning", "unclosed_quote", "a quotation mark is never closed in this paragraph", _line_at(text, last)))
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
                "role": p.role or roles[p.section_id].role,
                "is_list_item": p.is_list_item,
                "start": p.start,
                "end": p.end,
                "text": text[p.start : p.end],
            }
            for p in parsed.paragraphs
        ],
    }


def unique_ids(raws: Iterable) -> list[tuple]:
    """Each raw article with an article id no other one has, and the `duplicate_id` issue if it changed.

    Two file names can slugify to the same id (`A b.txt`, `a_b.txt`). The file whose stem already is
    the id keeps it (else the first by file name); every other one gets `<id>_<8 hex digits of the
    SHA-1 of its file name>`, which depends only on its own name, so it is stable between runs.
    Returned in file-name order.
    """
    order = sorted(raws, key=lambda r: (r.article_id != r.path.stem, r.path.name, str(r.path)))
    base = {r.article_id for r in order}
    owner: dict[str, str] = {}
    out = []
    for raw in order:
        aid, issue = raw.article_id, None
        if aid in owner:
            new = f"{aid}_{hashlib.sha1(raw.path.name.encode('utf-8')).hexdigest()[:8]}"
            n = 2
            while new in owner or new in base:
                new = f"{aid}_{hashlib.sha1(raw.path.name.encode('utf-8')).hexdigest()[:8]}_{n}"
                n += 1
            issue = Issue(
                "warning",
                "duplicate_id",
                f"file name {raw.path.name!r} gives the article id {aid!r}, already used by {owner[aid]!r}; this article's id is {new!r}",
            )
            raw = replace(raw, article_id=new)
        owner[raw.article_id] = raw.path.name
        out.append((raw, issue))
    return sorted(out, key=lambda x: (x[0].path.name, str(x[0].path)))


def parse_corpus(raws: Iterable, config: ParseConfig) -> tuple[dict[str, list[dict]], list[dict]]:
    """Parse every decoded article; returns the parse tables' rows and the issue rows.

    Rejected articles contribute no rows but their issues; a duplicate title is a warning; two files
    with the same article id both keep their rows (see `unique_ids`). An article the parser fails on
    (a bug, not bad input) is rejected with the error named, and the other articles are kept.
    """
    tables: dict[str, list[dict]] = {"articles": [], "infobox": [], "sections": [], "paragraphs": []}
    issues: list[dict] = []
    titles: dict[str, str] = {}
    for raw, id_issue in unique_ids(raws):
        found = list(raw.issues) + ([id_issue] if id_issue else [])
        if not raw.rejected:
            try:
                parsed = parse(raw.text, raw.article_id, config)
                not_article = format_issue(raw.text, parsed)
                more = [not_article] if not_article else parsed.issues + check_text(raw.text, parsed)
                rows = {} if not_article else article_rows(raw, parsed)
            except Exception as exc:  # noqa: BLE001 - one article's failure must not lose the others
                found.append(Issue("reject", "parse_error", f"the parser failed on this file: {type(exc).__name__}: {exc}"))
            else:
                found += more
                key = parsed.title.casefold().strip()
                if not_article is not None:
                    pass
                elif key in titles:
                    line = _line_at(raw.text, parsed.title_span[0]) if parsed.title_span else None
                    found.append(Issue("warning", "duplicate_title", f"title {parsed.title!r} is also the title of {titles[key]}", line))
                else:
                    titles[key] = raw.path.name
                for name, r in rows.items():
                    tables[name].extend(r)
        seen: set[Issue] = set()
        for i in found:
            if i in seen:
                continue
            seen.add(i)
            issues.append(
                {"article_id": raw.article_id, "source_file": raw.path.name, "line": i.line, "severity": i.severity, "problem": i.problem, "message": i.message}
            )
    return tables, issues
