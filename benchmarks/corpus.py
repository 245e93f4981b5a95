"""A seeded benchmark corpus: N articles in the input format, varied from template articles.

Each generated article takes one template (a real article file), gives it a new title, swaps the people
and character names found in it for names from fixed pools, varies the infobox numbers, the heading
style, the plot/reception section titles, subsections and lists, and drops or repeats paragraphs.

Determinism: article `i` depends only on (templates, seed, i), through `random.Random(f"...:{seed}:{i}")`
(string seeds are hashed with SHA-512, not with Python's salted `hash`), so the same seed gives
byte-identical files and the first 100 articles of a 1,000-article corpus are the 100-article corpus.

Names are found in the template text, not listed here: infobox people (the multi-valued and guest keys
of params.yaml, actors and roles) and runs of two or more capitalised words in the prose (or one after an
honorific), minus words of the title, the series and the other infobox values. Every occurrence of a found
token is swapped, consistently within an article. Some place or outlet names get swapped too; for a
benchmark that only needs varied, realistic-looking text this is harmless.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from epnlp.io import read_article, slugify
from epnlp.parse import ParseConfig, parse

# Pools: invented or common names; a test checks that none occurs in the template articles.
FIRST_NAMES = (
    "Adaeze Ahmed Aiko Alejandro Alina Amara Anders Anouk Arjun Astrid Ayodele Beatriz Benedikt Bettina "
    "Bilal Bronwen Caius Carmen Cecily Chidi Cosima Dagny Damaris Darius Delphine Desmond Dmitri Eamon "
    "Efua Eitan Elif Emeka Esperanza Fatima Felix Fenna Florian Gaia Gideon Greta Halima Hamish Hana "
    "Henrik Ibrahim Ilse Imogen Ines Ingrid Isak Jasper Joaquin Juno Kaito Kamala Kasimir Keziah Laila "
    "Lars Leontine Lucian Magnus Malik Mariko Matilde Mehmet Mira Nadir Nikolai Nuno Odalys Olamide Orla "
    "Pavel Petra Quentin Rania Rasmus Rosalind Rufus Saoirse Selma Siddharth Sigrid Soren Tamsin Tariq "
    "Thea Ulrich Una Valentin Vesna Wendell Xiomara Yara Yusuf Zainab Zeno Zofia"
).split()
SURNAMES = (
    "Abernathy Achterberg Adeyemi Albescu Alvarado Amundsen Arkwright Ashdown Bakshi Balogun Barros "
    "Bellweather Bergqvist Blackwood Bozkurt Brennan Brightwater Cabrera Chaudhry Cienfuegos Colquhoun "
    "Corrigan Dalgaard Delacroix Delgado Dimitriou Drummond Ekwueme Eriksen Esposito Everhart Fairbairn "
    "Farouk Ferraro Fitzwilliam Fontaine Gallagher Ganguly Greenhalgh Grimaldi Haldane Halvorsen Hargreave "
    "Haverkamp Hollis Holmqvist Ibarguen Iwasaki Jaramillo Jovanovic Kaczmarek Kapoor Kerrigan Kovalenko "
    "Lachance Lindgren Lombardi Macaulay Mahlangu Marchetti Mbeki Montague Morrow Nakagawa Nwachukwu "
    "Okonkwo Oyelaran Pemberton Penhaligon Petrakis Quarshie Rademaker Rahimi Ravensworth Rosenthal "
    "Saavedra Sandoval Sefton Shimizu Sorensen Stavros Szabo Takahashi Tennant Thackeray Tremblay Ueda "
    "Valdivia Vandermeer Vasquez Wainwright Waverley Whitcombe Yilmaz Zamora Zielinski"
).split()
TITLE_ADJECTIVES = (
    "Silent Hollow Crimson Distant Broken Last Quiet Burning Frozen Hidden Lost Second Final Restless "
    "Golden Shattered Endless Narrow Bitter Empty Wandering Sleeping Iron Glass Paper Midnight Northern "
    "Sunken Fading Borrowed"
).split()
TITLE_NOUNS = (
    "Harbor Signal Orbit Frontier Causeway Crossing Tide Archive Threshold Horizon Garden Tower Mirror "
    "Compass Passage Station Winter Echo Vigil Bridge Covenant Meridian Current Ledger Orchard Beacon "
    "Summit Reckoning Circuit Shoreline"
).split()
TITLE_FORMS = ("The {a} {n}", "{a} {n}", "Beyond the {a} {n}", "Into the {a} {n}", "The {n} Is {a}")
SUBSECTION_PAIRS = (("Act one", "Act two"), ("Setup", "Resolution"), ("Beginning", "Aftermath"))

# Capitalised words that are not names: honorifics and ranks (kept in place; the name after one is a
# name), sentence starters, calendar words.
HONORIFICS = frozenset(
    "Mr Mrs Ms Miss Dr Doctor Professor Prof Captain Capt Commander Lieutenant Lt Ensign Admiral General "
    "Colonel Major Sergeant Sgt Officer Detective Inspector Agent Chief Judge Sir Lady Lord King Queen "
    "Prince Princess Father Sister Brother Mother Uncle Aunt Saint St President Senator Mayor Governor "
    "Keeper Nurse Coach Director Composer Writer Producer Showrunner Editor Reporter Critic".split()
)
_NOT_NAMES = HONORIFICS | frozenset(
    "The A An In On At After Before Among As But When While With Without This That These Those It Its "
    "He She They His Her Their Meanwhile Back Later Then During Despite Although However Further Main "
    "Season Episode Series Part Act Chapter Also Both Each Every Once Since Until Upon Where Who Why How "
    "If Of Or And For From To By Into Out Over Under One Two Three Four Five Six Seven Eight Nine Ten "
    "January February March April May June July August September October November December Monday "
    "Tuesday Wednesday Thursday Friday Saturday Sunday English American British".split()
)
# A name-like token: B'Elanna, O'Neil, McAdam, Smith (not "Smith's": the 's stays outside).
_TOKEN = r"[A-Z](?:[a-z]+|'[A-Z][a-z]+)(?:[A-Z][a-z]+)?"
_RUN = re.compile(rf"(?<![\w'.-]){_TOKEN}(?: {_TOKEN})*(?![A-Za-z])")
_TOKEN_RE = re.compile(_TOKEN)
_PREV_WORD = re.compile(r"(\w+)\s+$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])")
_TITLE_SUFFIX = re.compile(r"^(?P<base>.*?)(?:\s+(?P<suffix>\([^()]*\)))?$")
_NAME_KEYS_EXCLUDED = ("prev", "next", "series")


@dataclass(frozen=True)
class Block:
    """A paragraph or one list item of a template section."""

    text: str
    is_item: bool = False


@dataclass(frozen=True)
class TemplateSection:
    """A section of a template: heading (none for the lead), level, role and blocks."""

    title: str
    level: int
    role: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Template:
    """A template article, split into what the generator varies."""

    name: str
    base_title: str  # the title without a "(Series)" suffix
    suffix: str  # "(Series)" or ""
    infobox: tuple[tuple[str, str], ...]  # (key, value) lines as written
    sections: tuple[TemplateSection, ...]  # sections[0] is the lead
    names: tuple[tuple[str, str], ...]  # (token, "first" | "last") in order of discovery


@dataclass(frozen=True)
class GeneratedArticle:
    """One generated article: its file name and text."""

    file_name: str
    text: str


def load_template(path: Path, config: ParseConfig | None = None) -> Template:
    """Read an article file and split it into title, infobox lines, sections and found names."""
    config = config or ParseConfig()
    raw = read_article(path)
    text = raw.text
    parsed = parse(text, raw.article_id, config)
    m = _TITLE_SUFFIX.match(parsed.title)
    base, suffix = m.group("base"), m.group("suffix") or ""
    lines = text.splitlines()
    infobox = []
    for number in dict.fromkeys(e.line for e in parsed.infobox):
        body = lines[number - 1].strip().lstrip("-*\u2022").strip()
        key, _, value = body.partition(":")
        infobox.append((key.strip(), value.strip()))
    sections = []
    for s in parsed.sections:
        blocks = tuple(
            Block(text[p.start : p.end], p.is_list_item)
            for p in parsed.paragraphs
            if p.section_id == s.section_id
        )
        sections.append(TemplateSection(s.title, s.level, s.role, blocks))
    excluded = set(_TOKEN_RE.findall(parsed.title))
    for key, value in infobox:
        if key.casefold() in _NAME_KEYS_EXCLUDED or not _is_person_key(key, config):
            excluded.update(_TOKEN_RE.findall(value))
    people = [v for e in parsed.infobox if _is_person_key(e.key, config) for v in (e.value, e.role) if v]
    prose = [b.text for s in sections for b in s.blocks]
    return Template(
        raw.article_id, base, suffix, tuple(infobox), tuple(sections), find_names(people, prose, excluded)
    )


def _is_person_key(key: str, config: ParseConfig) -> bool:
    k = key.casefold()
    return k in {x.casefold() for x in (*config.multi_value_keys, *config.guest_keys)}


def find_names(
    people: Iterable[str], prose: Iterable[str], excluded: Iterable[str] = ()
) -> tuple[tuple[str, str], ...]:
    """Name tokens with their kind ("first" or "last"), from infobox people values and prose.

    `people`: values known to be names (credits, actors, roles); `prose`: paragraph texts, where a run of
    two or more capitalised tokens, or one after an honorific, not after "the/a/an/of", is a name.
    Tokens in `excluded` (title, series words) are never names.
    """
    excluded = set(excluded)
    found: dict[str, str] = {}

    def add(tokens: list[str]) -> None:
        if not tokens or any(t in excluded for t in tokens):
            return
        for k, tok in enumerate(tokens):
            found.setdefault(tok, "first" if k == 0 and len(tokens) > 1 else "last")

    for value in people:
        add([t for t in _TOKEN_RE.findall(value) if t not in _NOT_NAMES])
    for text in prose:
        for m in _RUN.finditer(text):
            prev = _PREV_WORD.search(text, 0, m.start())
            if prev and prev.group(1).lower() in ("the", "a", "an", "of"):
                continue
            tokens = m.group(0).split(" ")
            if tokens[0] in ("The", "A", "An"):
                continue  # "The Evening Post", "A Night Out": names of things, not people
            honorific = False
            while tokens and tokens[0] in _NOT_NAMES:
                honorific = tokens.pop(0) in HONORIFICS
            if any(t in _NOT_NAMES for t in tokens):
                continue
            if len(tokens) >= 2 or (tokens and honorific):
                add(tokens)
    return tuple(found.items())


def title_for(i: int, seed: int) -> str:
    """A title unique among the first len(forms)*len(adjectives)*len(nouns) indices of a seed."""
    na, nn, nf = len(TITLE_ADJECTIVES), len(TITLE_NOUNS), len(TITLE_FORMS)
    m = na * nn * nf
    stride = 997  # a prime not dividing m: i -> (i * stride + offset) % m is a bijection
    k = (i * stride + random.Random(f"epnlp-titles:{seed}").randrange(m)) % m
    f, a, n = k % nf, (k // nf) % na, k // (nf * na)
    title = TITLE_FORMS[f].format(a=TITLE_ADJECTIVES[a], n=TITLE_NOUNS[n])
    return title if i < m else f"{title} Part {i // m + 1}"


def name_map(names: Sequence[tuple[str, str]], rng: random.Random) -> dict[str, str]:
    """A replacement for every name token: first names from FIRST_NAMES, others from SURNAMES."""
    out: dict[str, str] = {}
    for kind, pool in (("first", FIRST_NAMES), ("last", SURNAMES)):
        tokens = [t for t, k in names if k == kind]
        picks = (
            rng.sample(pool, len(tokens)) if len(tokens) <= len(pool) else rng.choices(pool, k=len(tokens))
        )
        out.update(zip(tokens, picks, strict=True))
    return out


def swapper(mapping: dict[str, str]):
    """A function replacing every whole-token occurrence of the mapping's keys."""
    if not mapping:
        return lambda s: s
    alts = "|".join(re.escape(t) for t in sorted(mapping, key=lambda t: (-len(t), t)))
    pattern = re.compile(rf"(?<![\w'])(?:{alts})(?![A-Za-z])")
    return lambda s: pattern.sub(lambda m: mapping[m.group(0)], s)


def sentences(text: str) -> list[str]:
    """A rough sentence split (enough to rotate or list a paragraph's sentences)."""
    return [s for s in _SENTENCE.split(text) if s.strip()]


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


def generate_one(
    templates: Sequence[Template], i: int, seed: int, config: ParseConfig | None = None
) -> GeneratedArticle:
    """Article `i` of the corpus for `seed` (depends on nothing else)."""
    config = config or ParseConfig()
    rng = random.Random(f"epnlp-corpus:{seed}:{i}")
    t = templates[rng.randrange(len(templates))]
    swap = swapper(name_map(t.names, rng))
    base = title_for(i, seed)
    title = f"{base} {t.suffix}" if t.suffix else base

    def prose(s: str) -> str:
        return swap(s).replace(t.base_title, base)

    out = [f"= {title} =", "", "Infobox"]
    for key, value in t.infobox:
        k = key.casefold()
        if k == "episode":
            value = str(rng.randint(1, 26))
        elif k == "season":
            value = str(rng.randint(1, 9))
        elif k == "production":
            value = str(rng.randint(101, 799))
        elif k == "airdate":
            value = date(rng.randint(1988, 2023), rng.randint(1, 12), rng.randint(1, 28)).isoformat()
        elif k == "prev":
            value = title_for(i - 1, seed) if i > 0 else value
        elif k == "next":
            value = title_for(i + 1, seed)
        else:
            value = swap(value)
        out.append(f"- {key}: {value}")

    spaced = rng.random() < 0.5  # "== Plot ==" or "==Plot=="
    gap = rng.random() < 0.5  # a blank line after each heading or none
    bullet = rng.choice("-*")
    mode = rng.choices(("short", "normal", "long"), weights=(1, 2, 1))[0]
    body: list[Block | str] = []  # blocks and heading lines

    def emit(blocks: Iterable[Block]) -> None:
        body.extend(Block(prose(b.text), b.is_item) for b in blocks)

    lead = list(t.sections[0].blocks)
    emit(lead[:1] + [b for b in lead[1:] if mode != "short" or rng.random() >= 0.5])
    secs = t.sections[1:]
    skip_below: int | None = None
    for j, s in enumerate(secs):
        if skip_below is not None and s.level > skip_below:
            continue
        skip_below = None
        top = s.level == 2
        has_subs = j + 1 < len(secs) and secs[j + 1].level > s.level
        blocks = list(s.blocks)
        heading = s.title
        if s.role == "other" and top and rng.random() < 0.25:
            skip_below = s.level
            continue
        if s.role == "plot":
            if top and config.role(s.title) == "plot":
                heading = rng.choice(list(config.plot_titles))
            blocks = _vary_length(blocks, mode, rng)
            if top and not has_subs and len(blocks) >= 3 and rng.random() < 0.3:
                first, second = rng.choice(SUBSECTION_PAIRS)
                half = len(blocks) // 2
                body.append(_heading(heading, s.level, spaced))
                body.append(_heading(first, s.level + 1, spaced))
                emit(blocks[:half])
                body.append(_heading(second, s.level + 1, spaced))
                emit(blocks[half:])
                continue
        elif s.role == "reception":
            if top and config.role(s.title) == "reception":
                heading = rng.choice(list(config.reception_titles))
            if rng.random() < 0.5:
                rng.shuffle(blocks)
            if len(blocks) >= 3 and rng.random() < 0.2:
                del blocks[rng.randrange(len(blocks))]
            if top and not has_subs and blocks and rng.random() < 0.3:
                viewers = rng.randint(15, 140) / 10
                body.append(_heading(heading, s.level, spaced))
                body.append(_heading("Ratings", s.level + 1, spaced))
                body.append(
                    Block(
                        f'In its original broadcast, "{base}" was watched by {viewers:.1f} million viewers.'
                    )
                )
                body.append(_heading("Critical response", s.level + 1, spaced))
                emit(blocks)
                continue
        else:
            if (
                len(blocks) == 1
                and not blocks[0].is_item
                and len(sentences(blocks[0].text)) > 1
                and rng.random() < 0.3
            ):
                blocks = [Block(x, True) for x in sentences(blocks[0].text)]
            elif blocks and all(b.is_item for b in blocks) and len(blocks) > 1 and rng.random() < 0.3:
                blocks = [Block(" ".join(b.text if b.text[-1] in '.!?"' else b.text + "." for b in blocks))]
        body.append(_heading(heading, s.level, spaced))
        emit(blocks)

    # blank line between blocks and around headings; consecutive list items on consecutive lines
    prev: Block | str | None = None
    out.append("")
    for item in body:
        if isinstance(item, Block):
            if (isinstance(prev, Block) and not (prev.is_item and item.is_item)) or (
                isinstance(prev, str) and gap
            ):
                out.append("")
            out.append(f"{bullet} {item.text}" if item.is_item else item.text)
        else:
            if prev is not None:
                out.append("")
            out.append(item)
        prev = item
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
