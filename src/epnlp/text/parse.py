"""Parse the article format: title, infobox, lead, headed sections, paragraphs and list items.

Every record keeps `start`/`end` offsets into the decoded raw text, so `raw[start:end]` is its text.
The steps live beside this module: lines (`text.lines`), the infobox (`text.infobox`), sections and
paragraphs (`text.sections`) and the checks on the result (`text.checks`); `parse` runs them in turn.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace

from epnlp.text.checks import check_text, format_issue, structure_issues
from epnlp.text.document import ParseConfig, ParsedArticle
from epnlp.text.infobox import InfoboxEntry, InfoboxReader, split_values
from epnlp.text.lines import Line, split_lines, title_line
from epnlp.text.raw import Issue, RawArticle, line_at
from epnlp.text.sections import Paragraph, Section, SectionReader, reception_paragraphs

__all__ = [
    "InfoboxEntry", "Line", "Paragraph", "ParseConfig", "ParsedArticle", "Section", "article_rows", "check_text",
    "format_issue", "parse", "parse_corpus", "split_lines", "split_values", "unique_ids",
]

def read_title(text: str, lines: Sequence[Line], article_id: str) -> tuple[str, tuple[int, int] | None, int, list[Issue]]:
    """(title, its span, index of the first line after it, issues): the first non-blank line if it is
    `= Title =`, else the article id with a `no_title` warning."""
    i = next((k for k, ln in enumerate(lines) if ln.text.strip()), len(lines))
    m = title_line(lines[i].text) if i < len(lines) else None
    if m is None:
        line = i + 1 if i < len(lines) else None
        return article_id, None, i, [Issue("warning", "no_title", "no '= Title =' line at the top; using the file name", line)]
    span = (lines[i].start + m[0], lines[i].start + m[1])
    return text[span[0] : span[1]], span, i + 1, []


def parse(text: str, article_id: str, config: ParseConfig | None = None) -> ParsedArticle:
    """Parse an article's decoded text into title, infobox, sections and paragraphs."""
    config = config or ParseConfig()
    lines = split_lines(text)
    title, title_span, first, issues = read_title(text, lines, article_id)
    box = InfoboxReader({k.casefold() for k in config.multi_value_keys}, {k.casefold() for k in config.guest_keys})
    body = SectionReader(text, config.role, lines[first].start if first < len(lines) else len(text), first + 1)
    for ln in lines[first:]:
        if not box.take(ln, may_start=not body.paragraphs):
            body.feed(ln)
    sections, paragraphs = body.finish()
    paragraphs = reception_paragraphs(text, sections, paragraphs)
    # Each line is read by one of the two; in line order, their issues come as the lines did.
    issues += sorted(box.issues + body.issues, key=lambda i: i.line)
    issues += structure_issues(text, sections, paragraphs, box.found, config)
    return ParsedArticle(article_id, title, title_span, box.entries, sections, paragraphs, issues)


def article_rows(raw: RawArticle, parsed: ParsedArticle) -> dict[str, list[dict]]:
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


def unique_ids(raws: Iterable[RawArticle]) -> list[tuple[RawArticle, Issue | None]]:
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


def _parse_article(raw: RawArticle, config: ParseConfig) -> tuple[ParsedArticle | None, list[Issue], dict[str, list[dict]]]:
    """(parsed, issues, table rows) of one decoded article. A file that is no article gives no rows and
    parsed None; so does a parser failure (a bug, not bad input), as a reject that names the error."""
    try:
        parsed = parse(raw.text, raw.article_id, config)
        not_article = format_issue(raw.text, parsed)
        if not_article is not None:
            return None, [not_article], {}
        return parsed, parsed.issues + check_text(raw.text, parsed), article_rows(raw, parsed)
    except Exception as exc:  # noqa: BLE001 - one article's failure must not lose the others
        return None, [Issue("reject", "parse_error", f"the parser failed on this file: {type(exc).__name__}: {exc}")], {}


def _title_issues(raw: RawArticle, parsed: ParsedArticle, titles: dict[str, str]) -> list[Issue]:
    """A `duplicate_title` warning if an earlier article has the same title; else the title is noted
    in `titles` (title -> file name)."""
    key = parsed.title.casefold().strip()
    if key not in titles:
        titles[key] = raw.path.name
        return []
    line = line_at(raw.text, parsed.title_span[0]) if parsed.title_span else None
    return [Issue("warning", "duplicate_title", f"title {parsed.title!r} is also the title of {titles[key]}", line)]


def _issue_rows(raw: RawArticle, issues: Iterable[Issue]) -> list[dict]:
    """Rows of the issues table for one article, each distinct issue once, in order."""
    return [
        {"article_id": raw.article_id, "source_file": raw.path.name, "line": i.line, "severity": i.severity, "problem": i.problem, "message": i.message}
        for i in dict.fromkeys(issues)
    ]


def parse_corpus(raws: Iterable[RawArticle], config: ParseConfig) -> tuple[dict[str, list[dict]], list[dict]]:
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
            parsed, more, rows = _parse_article(raw, config)
            found += more
            if parsed is not None:
                found += _title_issues(raw, parsed, titles)
            for name, r in rows.items():
                tables[name].extend(r)
        issues.extend(_issue_rows(raw, found))
    return tables, issues
