"""Template articles for the benchmark corpus: what the generator varies in each (title, infobox lines,
sections and their blocks) and the people and character names found in its text.

Names are found in the template text, not listed here: infobox people (the multi-valued and guest keys
of params.yaml, actors and roles) and runs of two or more capitalised words in the prose (or one after an
honorific), minus words of the title, the series and the other infobox values. Every occurrence of a found
token is swapped, consistently within an article. Some place or outlet names get swapped too; for a
benchmark that only needs varied, realistic-looking text this is harmless.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from epnlp.io import read_article
from epnlp.text.parse import ParseConfig, parse

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
