"""A seeded benchmark corpus: N articles in the input format, varied from template articles
(`benchmarks.templates`).

Each generated article takes one template (a real article file), gives it a new title, swaps the people
and character names found in it for names from fixed pools, varies the infobox numbers, the heading
style, the plot/reception section titles, subsections and lists, and drops or repeats paragraphs.

Determinism: article `i` depends only on (templates, seed, i), through `random.Random(f"...:{seed}:{i}")`
(string seeds are hashed with SHA-512, not with Python's salted `hash`), so the same seed gives
byte-identical files and the first 100 articles of a 1,000-article corpus are the 100-article corpus.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from benchmarks.templates import (  # noqa: F401  (re-exported: the corpus API in one place)
    FIRST_NAMES,
    SUBSECTION_PAIRS,
    SURNAMES,
    TITLE_ADJECTIVES,
    TITLE_NOUNS,
    Block,
    Template,
    TemplateSection,
    find_names,
    load_template,
    name_map,
    sentences,
    swapper,
    title_for,
)
from epnlp.io import slugify
from epnlp.text.parse import ParseConfig


@dataclass(frozen=True)
class GeneratedArticle:
    """One generated article: its file name and text."""

    file_name: str
    text: str


def _heading(title: str, level: int, spaced: bool) -> str:
    eq = "=" * level
    return f"{eq} {title} {eq}" if spaced else f"{eq}{title}{eq}"


def _vary_length(blocks: list[Block], mode: str, rng: random.Random) -> list[Block]:
    """short: drop each paragraph after the first with p 0.5; long: add sentence-rotated copies."""
    if mode == "short":
        return blocks[:1] + [b for b in blocks[1:] if rng.random() >= 0.5]
    if mode == "long":
        out = []
        for b in blocks:
            out.append(b)
            while not b.is_item and rng.random() < 0.6:
                src = rng.choice(blocks).text
                ss = sentences(src)
                k = rng.randrange(1, len(ss)) if len(ss) > 1 else 0
                out.append(Block(" ".join(ss[k:] + ss[:k])))
        return out
    return blocks


@dataclass
class _Draft:
    """One article being generated: its random source, template, names and body so far (headings as
    strings, blocks as `Block`s). The random source is consumed in a fixed order, so article `i` is the
    same whatever else is generated."""

    rng: random.Random
    template: Template
    base: str
    swap: Callable[[str], str]
    config: ParseConfig
    spaced: bool = False  # "== Plot ==" or "==Plot=="
    mode: str = "normal"  # short | normal | long
    body: list[Block | str] = field(default_factory=list)

    def emit(self, blocks: Iterable[Block]) -> None:
        t = self.template
        self.body.extend(Block(self.swap(b.text).replace(t.base_title, self.base), b.is_item) for b in blocks)

    def heading(self, title: str, level: int) -> None:
        self.body.append(_heading(title, level, self.spaced))


def _infobox_value(key: str, value: str, i: int, seed: int, d: _Draft) -> str:
    """The generated value of one infobox line: new numbers and dates, neighbours' titles, swapped names."""
    rng, k = d.rng, key.casefold()
    if k == "episode":
        return str(rng.randint(1, 26))
    if k == "season":
        return str(rng.randint(1, 9))
    if k == "production":
        return str(rng.randint(101, 799))
    if k == "airdate":
        return date(rng.randint(1988, 2023), rng.randint(1, 12), rng.randint(1, 28)).isoformat()
    if k == "prev":
        return title_for(i - 1, seed) if i > 0 else value
    if k == "next":
        return title_for(i + 1, seed)
    return d.swap(value)


def _plot(d: _Draft, s: TemplateSection, top: bool, has_subs: bool) -> None:
    """A plot section: a plot title from params, paragraphs dropped or repeated, sometimes two subsections."""
    heading = _role_title(d, s, top, "plot", d.config.plot_titles)
    blocks = _vary_length(list(s.blocks), d.mode, d.rng)
    if top and not has_subs and len(blocks) >= 3 and d.rng.random() < 0.3:
        first, second = d.rng.choice(SUBSECTION_PAIRS)
        half = len(blocks) // 2
        d.heading(heading, s.level)
        d.heading(first, s.level + 1)
        d.emit(blocks[:half])
        d.heading(second, s.level + 1)
        d.emit(blocks[half:])
        return
    d.heading(heading, s.level)
    d.emit(blocks)


def _reception(d: _Draft, s: TemplateSection, top: bool, has_subs: bool) -> None:
    """A reception section: a reception title from params, reviews shuffled or one dropped, sometimes
    split into "Ratings" and "Critical response"."""
    heading = _role_title(d, s, top, "reception", d.config.reception_titles)
    blocks, rng = list(s.blocks), d.rng
    if rng.random() < 0.5:
        rng.shuffle(blocks)
    if len(blocks) >= 3 and rng.random() < 0.2:
        del blocks[rng.randrange(len(blocks))]
    if top and not has_subs and blocks and rng.random() < 0.3:
        viewers = rng.randint(15, 140) / 10
        d.heading(heading, s.level)
        d.heading("Ratings", s.level + 1)
        d.body.append(Block(f'In its original broadcast, "{d.base}" was watched by {viewers:.1f} million viewers.'))
        d.heading("Critical response", s.level + 1)
    else:
        d.heading(heading, s.level)
    d.emit(blocks)


def _other(d: _Draft, s: TemplateSection) -> None:
    """Any other section: a paragraph sometimes written as a list, a list sometimes as a paragraph."""
    blocks = list(s.blocks)
    one_paragraph = len(blocks) == 1 and not blocks[0].is_item and len(sentences(blocks[0].text)) > 1
    if one_paragraph and d.rng.random() < 0.3:
        blocks = [Block(x, True) for x in sentences(blocks[0].text)]
    elif not one_paragraph and blocks and all(b.is_item for b in blocks) and len(blocks) > 1 and d.rng.random() < 0.3:
        blocks = [Block(" ".join(b.text if b.text[-1] in '.!?"' else b.text + "." for b in blocks))]
    d.heading(s.title, s.level)
    d.emit(blocks)


def _role_title(d: _Draft, s: TemplateSection, top: bool, role: str, titles: Iterable[str]) -> str:
    """A top-level heading the parser reads as `role` is replaced by one of that role's titles."""
    return d.rng.choice(list(titles)) if top and d.config.role(s.title) == role else s.title


def _sections(d: _Draft) -> None:
    """The lead and every section after it; an "other" top-level section (and its subsections) is
    dropped with p 0.25."""
    rng, secs = d.rng, d.template.sections[1:]
    lead = list(d.template.sections[0].blocks)
    d.emit(lead[:1] + [b for b in lead[1:] if d.mode != "short" or rng.random() >= 0.5])
    skip_below: int | None = None
    for j, s in enumerate(secs):
        if skip_below is not None and s.level > skip_below:
            continue
        skip_below = None
        top = s.level == 2
        has_subs = j + 1 < len(secs) and secs[j + 1].level > s.level
        if s.role == "other" and top and rng.random() < 0.25:
            skip_below = s.level
        elif s.role == "plot":
            _plot(d, s, top, has_subs)
        elif s.role == "reception":
            _reception(d, s, top, has_subs)
        else:
            _other(d, s)


def _layout(body: list[Block | str], gap: bool, bullet: str) -> list[str]:
    """Lines: a blank line between blocks and around headings; consecutive list items on consecutive
    lines; after a heading a blank line only if `gap`."""
    out: list[str] = [""]
    prev: Block | str | None = None
    for item in body:
        if isinstance(item, Block):
            if (isinstance(prev, Block) and not (prev.is_item and item.is_item)) or (isinstance(prev, str) and gap):
                out.append("")
            out.append(f"{bullet} {item.text}" if item.is_item else item.text)
        else:
            if prev is not None:
                out.append("")
            out.append(item)
        prev = item
    return out


def generate_one(
    templates: Sequence[Template], i: int, seed: int, config: ParseConfig | None = None
) -> GeneratedArticle:
    """Article `i` of the corpus for `seed` (depends on nothing else)."""
    rng = random.Random(f"epnlp-corpus:{seed}:{i}")
    t = templates[rng.randrange(len(templates))]
    base = title_for(i, seed)
    d = _Draft(rng, t, base, swapper(name_map(t.names, rng)), config or ParseConfig())
    title = f"{base} {t.suffix}" if t.suffix else base
    out = [f"= {title} =", "", "Infobox"]
    out += [f"- {key}: {_infobox_value(key, value, i, seed, d)}" for key, value in t.infobox]
    d.spaced = rng.random() < 0.5
    gap = rng.random() < 0.5  # a blank line after each heading or none
    bullet = rng.choice("-*")
    d.mode = rng.choices(("short", "normal", "long"), weights=(1, 2, 1))[0]
    _sections(d)
    out += _layout(d.body, gap, bullet)
    return GeneratedArticle(f"{i + 1:05d}_{slugify(base)}.txt", "\n".join(out) + "\n")


def generate(
    templates: Sequence[Template], n: int, seed: int, config: ParseConfig | None = None
) -> Iterator[GeneratedArticle]:
    """Articles 0..n-1 of the corpus for `seed`."""
    if not templates:
        raise ValueError("no template articles")
    for i in range(n):
        yield generate_one(templates, i, seed, config)


def write_corpus(out: Path, articles: Iterable[GeneratedArticle]) -> list[Path]:
    """Write the articles as UTF-8 files with LF line ends into `out` (created); returns the paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for a in articles:
        path = out / a.file_name
        path.write_bytes(a.text.encode("utf-8"))
        paths.append(path)
    return paths
