"""What the parser is told and what it gives back: `ParseConfig` (section roles, multi-valued infobox
keys, limits) and `ParsedArticle` (one article's infobox, sections, paragraphs and issues)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from epnlp.text.infobox import InfoboxEntry
from epnlp.text.raw import Issue
from epnlp.text.sections import Paragraph, Section

_HEAD_WORD = re.compile(r"[a-z]+")


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

    def infobox_values(self, key: str) -> list[str]:
        """Values of an infobox key, matched without case."""
        k = key.casefold()
        return [e.value for e in self.infobox if e.key.casefold() == k]
