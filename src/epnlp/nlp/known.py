"""Names known before reading an article's text: its infobox credits and roles, and the gazetteer of its
series (optional franchise data, `data/raw/gazetteers/*.yaml`); plus the entity settings from params.yaml.

Pure data and small functions (a `Mention` holds a spaCy span but nothing here runs spaCy): the entity layer (`epnlp.nlp.entities`) and linking (`epnlp.nlp.link`)
read them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from epnlp.nlp.names import strip_title

if TYPE_CHECKING:
    import pandas as pd
    from spacy.tokens import Span

KINDS = ("character", "person", "work", "organisation", "vessel", "place", "date", "other")


@dataclass(frozen=True)
class GazetteerEntry:
    canonical: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gazetteer:
    """A franchise's known names (data file in data/raw/gazetteers/), chosen by the article's Series."""

    series: tuple[str, ...]
    entries: tuple[GazetteerEntry, ...]
    source: str = ""


def load_gazetteers(folder: Path) -> list[Gazetteer]:
    """Every `*.yaml` gazetteer in `folder` (sorted; a missing folder gives none)."""
    out = []
    for path in sorted(Path(folder).glob("*.y*ml")) if Path(folder).is_dir() else []:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        entries = []
        for k, e in enumerate(data.get("entries", [])):
            if not isinstance(e, dict) or not e.get("canonical") or e.get("kind") not in KINDS:
                raise ValueError(f"{path}: entry {k + 1} needs 'canonical' and a 'kind' in {KINDS}")
            entries.append(GazetteerEntry(str(e["canonical"]), e["kind"], tuple(str(a) for a in e.get("aliases", []) or [])))
        out.append(Gazetteer(tuple(str(s) for s in data.get("series", [])), tuple(entries), path.name))
    return out


def gazetteer_for(gazetteers: Sequence[Gazetteer], series: str | None) -> Gazetteer | None:
    """The gazetteer whose `series` list names the article's series (matched without case)."""
    if not series:
        return None
    key = series.casefold().strip()
    return next((g for g in gazetteers if key in {s.casefold().strip() for s in g.series}), None)


@dataclass(frozen=True)
class EntityConfig:
    """Entity settings from params.yaml `entities`."""

    person_keys: Sequence[str] = ()
    guest_keys: Sequence[str] = ()
    work_keys: Sequence[str] = ()
    titles: Sequence[str] = ()
    vessel_prefixes: Sequence[str] = ()
    vessel_nouns: Sequence[str] = ()
    honorifics: Sequence[str] = ()  # titles that stay part of a name ("Dr. Vance", "King Orrin")
    person_nouns: Sequence[str] = ()  # "her brother Dante": a name standing with one is a person
    person_verbs: Sequence[str] = ()  # "kidnaps Gideon": the object of one is a person
    dative_verbs: Sequence[str] = ()  # "reads it to Tamsin": 'to' after one marks a person, not a place
    vessel_parts: Sequence[str] = ()  # "the Orion's engines": a name owning one is a vessel
    org_nouns: Sequence[str] = ()  # "the Velari Council": a name ending in one names a body, not a person
    costume_verbs: Sequence[str] = ()  # "dressed up as Count Orlok": a name one dresses as is a costume
    guise_verbs: Sequence[str] = ()  # "she arrives as Nightjar": a name one appears as is one's guise
    gazetteer_dir: str | None = None  # franchise gazetteers (one YAML per franchise); None: none

    @classmethod
    def from_params(cls, e: dict, guest_keys: Sequence[str]) -> EntityConfig:
        """EntityConfig from params.yaml `entities` and the parser's `guest_keys`."""
        keys = ("person_keys", "work_keys", "titles", "vessel_prefixes", "vessel_nouns")
        extra = {k: tuple(e.get(k, ())) for k in ("honorifics", "person_nouns", "person_verbs", "dative_verbs", "org_nouns", "vessel_parts", "costume_verbs", "guise_verbs")}
        gaz = e.get("gazetteer_dir") or None
        return cls(guest_keys=tuple(guest_keys), **extra, **{k: tuple(e[k]) for k in keys}, gazetteer_dir=None if gaz is None else str(gaz))

    @property
    def title_set(self) -> set[str]:
        """Rank titles and honorifics, folded ('dr', 'captain')."""
        return {t.casefold().rstrip(".") for t in (*self.titles, *self.honorifics)}

    @property
    def honorific_set(self) -> set[str]:
        return {t.casefold().rstrip(".") for t in self.honorifics}


@dataclass(frozen=True)
class Known:
    """A name known before reading the text: from the infobox or the gazetteer."""

    canonical: str
    kind: str
    source: str


def known_names(infobox: Iterable[tuple[str, str, str | None]], gazetteer: Gazetteer | None, cfg: EntityConfig) -> dict[str, Known]:
    """Surface form -> Known, from an article's infobox rows (key, value, role) and its gazetteer."""
    titles = {t.casefold().rstrip(".") for t in cfg.titles} - cfg.honorific_set  # "Dr. Yap" keeps its "Dr."
    persons = {k.casefold() for k in cfg.person_keys} | {k.casefold() for k in cfg.guest_keys}
    works = {k.casefold() for k in cfg.work_keys}
    guests = {k.casefold() for k in cfg.guest_keys}
    out: dict[str, Known] = {}
    if gazetteer is not None:
        for e in gazetteer.entries:
            for form in (e.canonical, *e.aliases):
                out.setdefault(form, Known(e.canonical, e.kind, "gazetteer"))
    for key, value, role in infobox:
        k = key.casefold()
        if k in persons and value:
            out.setdefault(value, Known(value, "person", "infobox"))
        if k in guests and role:
            name = strip_title(role, titles)  # the title stays outside the span
            if name[:1].isupper() and "#" not in name:  # "Guard", "watchdog #1": a part, not a name
                out.setdefault(name, Known(name, "character", "infobox"))
        if k in works and value:
            out.setdefault(value, Known(value, "work", "infobox"))
    return out


def names_by_article(infobox: pd.DataFrame, articles: pd.DataFrame, gazetteers: Sequence[Gazetteer], cfg: EntityConfig) -> dict[str, dict[str, Known]]:
    """Known names per article: its infobox credits and roles, and the gazetteer of its series."""
    series = dict(zip(articles["article_id"], articles["series"], strict=True))
    by_article: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
    for a, k, v, r in zip(infobox["article_id"], infobox["key"], infobox["value"], infobox["role"], strict=True):
        by_article[a].append((k, v, r if isinstance(r, str) else None))
    out = {}
    for aid in articles["article_id"]:
        rows = by_article.get(aid, [])
        s = series.get(aid)
        out[aid] = known_names(rows, gazetteer_for(gazetteers, s if isinstance(s, str) else None), cfg)
    return out


@dataclass
class Mention:
    """A detected mention in a doc (clean offsets) with its label and what is known about it."""

    span: Span
    label: str
    canonical: str
    kind: str
    source: str
