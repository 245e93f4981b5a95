"""Checks on a parsed article: missing parts, over-long paragraphs, unclosed quotes, non-English prose,
and files that are not an episode article at all. Each finding is an `Issue` with its line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from epnlp.text.raw import Issue, line_at
from epnlp.text.sections import Paragraph, Section

if TYPE_CHECKING:
    from epnlp.text.document import ParseConfig, ParsedArticle

_EN_WORDS = frozenset(
    "the a an and of to in is was it that this for on with as by at from his her their they he she "
    "are were be been has have had not but which who its into after before when while".split()
)
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_QUOTE_CHARS = re.compile('["\u201c\u201d\u201e\u201f]')
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s*$")


def structure_issues(
    text: str, sections: Sequence[Section], paragraphs: Sequence[Paragraph], found_infobox: bool, config: ParseConfig
) -> list[Issue]:
    """Warnings for a missing infobox, plot or reception, and for paragraphs over the length limit."""
    issues: list[Issue] = []
    if not found_infobox:
        issues.append(Issue("warning", "no_infobox", "no 'Infobox' block of '- Key: Value' lines"))
    roles = {s.role for s in sections} | {p.role for p in paragraphs if p.role}
    if "plot" not in roles:
        issues.append(Issue("warning", "no_plot", "no plot section (titles: " + ", ".join(config.plot_titles) + ")"))
    if "reception" not in roles:
        issues.append(Issue("warning", "no_reception", "no reception section (titles: " + ", ".join(config.reception_titles) + ")"))
    limit = config.long_paragraph_chars
    for p in paragraphs:
        if p.end - p.start > limit:
            issues.append(Issue("warning", "long_paragraph", f"paragraph of {p.end - p.start:,} characters (over {limit:,})", line_at(text, p.start)))
    return issues


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
            issues.append(Issue("warning", "unclosed_quote", "a quotation mark is never closed in this paragraph", line_at(text, last)))
    return issues
