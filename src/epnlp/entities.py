"""Domain-aware entities: the model's NER plus per-article patterns (infobox, gazetteer), then
canonical names by within-article alias linking (in the spirit of BookNLP's name clustering).

Detection (needs a parsed Doc) and linking (pure, on rows) are separate, so linking is testable
without a model. Merge policy: pattern matches (infobox, gazetteer) win over overlapping model
entities; among patterns the longest wins (`spacy.util.filter_spans`); model entities that overlap no
pattern are kept, trimmed of titles ("Captain"), leading articles and possessive "'s".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

if TYPE_CHECKING:
    import pandas as pd

KINDS = ("character", "person", "work", "organisation", "vessel", "place", "date", "other")
_LABEL_KIND = {
    "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organisation", "NORP": "organisation",
    "WORK_OF_ART": "work", "DATE": "date", "TIME": "date", "PRODUCT": "other", "EVENT": "other",
    "LAW": "other", "LANGUAGE": "other",
}
_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "NORP"}
_NUMERIC = {"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"}


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

    @classmethod
    def from_params(cls, e: dict, guest_keys: Sequence[str]) -> EntityConfig:
        keys = ("person_keys", "work_keys", "titles", "vessel_prefixes", "vessel_nouns")
        return cls(guest_keys=tuple(guest_keys), **{k: tuple(e[k]) for k in keys})

    @property
    def title_set(self) -> set[str]:
        return {t.casefold().rstrip(".") for t in self.titles}


@dataclass(frozen=True)
class Known:
    """A name known before reading the text: from the infobox or the gazetteer."""

    canonical: str
    kind: str
    source: str


def strip_title(name: str, titles: set[str]) -> str:
    """'Lt. John Kelly' -> 'John Kelly' (leading titles removed; a lone title is kept)."""
    words = name.split()
    while len(words) > 1 and words[0].casefold().rstrip(".") in titles:
        words = words[1:]
    return " ".join(words)


def known_names(infobox: Iterable[tuple[str, str, str | None]], gazetteer: Gazetteer | None, cfg: EntityConfig) -> dict[str, Known]:
    """Surface form -> Known, from an article's infobox rows (key, value, role) and its gazetteer."""
    titles = cfg.title_set
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
            out.setdefault(name, Known(name, "character", "infobox"))
        if k in works and value:
            out.setdefault(value, Known(value, "work", "infobox"))
    return out


@dataclass
class Mention:
    """A detected mention in a doc (clean offsets) with its label and what is known about it."""

    span: Span
    label: str
    canonical: str
    kind: str
    source: str


def build_matcher(nlp: Language, names: dict[str, Known]) -> tuple[PhraseMatcher, list[Known]]:
    """A case-sensitive PhraseMatcher over every known surface form (plus a glued plural 's')."""
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    table: list[Known] = []
    for form in sorted(names):
        known = names[form]
        variants = [form]
        if known.kind in ("vessel", "place", "character") and not form.endswith("s"):
            variants.append(form + "s")  # "Flyers shields": a possessive written without apostrophe
        table.append(known)
        matcher.add(str(len(table) - 1), [nlp.make_doc(v) for v in variants])
    return matcher, table


def _trim(span: Span, titles: set[str]) -> Span | None:
    """Drop leading articles/titles and trailing possessives/punctuation from a span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an") or (doc[start].text.casefold().rstrip(".") in titles and end - start > 1)):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].pos_ in ("CCONJ", "ADP", "DET")):
        end -= 1
    if start >= end:
        return None
    return Span(doc, start, end, label=span.label_)


def _vessel_cue(span: Span, cfg: EntityConfig) -> bool:
    """Whether the context calls the span a vessel: a ship prefix, a vessel noun in apposition or
    right before it ("the trawler X"), or 'aboard X'."""
    doc = span.doc
    prefixes = set(cfg.vessel_prefixes)
    nouns = {n.casefold() for n in cfg.vessel_nouns}
    if doc[span.start].text in prefixes or (span.start > 0 and doc[span.start - 1].text in prefixes):
        return True
    root = span.root
    if root.dep_ == "appos" and root.head.lemma_.casefold() in nouns:
        return True
    if any(c.dep_ == "appos" and c.lemma_.casefold() in nouns for c in root.children):
        return True
    k = span.start - 1
    if k >= 0 and doc[k].lower_ == "the":
        k -= 1
    if k >= 0 and doc[k].lower_ in ("aboard", "onboard"):
        return True
    # Surface apposition, for when the parse is off: "X, the trawler ..." / "... launch, the X".
    after = [t for t in doc[span.end : min(len(doc), span.end + 4)]]
    if after and after[0].text == ",":
        for t in after[1:]:
            if t.text.casefold() in nouns or t.lemma_.casefold() in nouns:
                return True
            if t.is_punct or t.pos_ in ("VERB", "AUX", "PROPN"):
                break
    k = span.start - 1
    if k >= 0 and doc[k].lower_ == "the":
        k -= 1
    if k >= 1 and doc[k].text == "," and (doc[k - 1].text.casefold() in nouns or doc[k - 1].lemma_.casefold() in nouns):
        return True
    prev = span.start - 1
    return prev >= 0 and doc[prev].lemma_.casefold() in nouns and doc[prev].pos_ == "NOUN"


class EntityLayer:
    """Detects mentions in paragraph docs; patterns are built per article from its infobox/gazetteer."""

    def __init__(self, nlp: Language, cfg: EntityConfig, names_by_article: dict[str, dict[str, Known]]):
        self.nlp = nlp
        self.cfg = cfg
        self.names = names_by_article
        self._titles = cfg.title_set
        self._current: tuple[str, PhraseMatcher, list[Known]] | None = None

    def _matcher(self, article_id: str) -> tuple[PhraseMatcher, list[Known]]:
        # Paragraphs arrive grouped by article: keep only the current article's matcher.
        if self._current is None or self._current[0] != article_id:
            m, table = build_matcher(self.nlp, self.names.get(article_id, {}))
            self._current = (article_id, m, table)
            self._learned: set[str] = set(self.names.get(article_id, {}))
        return self._current[1], self._current[2]

    def _titled(self, span: Span) -> bool:
        return span.start > 0 and span.doc[span.start - 1].text.casefold().rstrip(".") in self._titles

    def _pattern_mention(self, s: Span, table: list[Known]) -> Mention:
        k = table[int(s.label_)]
        label = "PERSON" if k.kind in ("person", "character", "person?") else _KIND_LABEL.get(k.kind, "MISC")
        canonical = s.text if k.source in ("model", "context") else k.canonical
        return Mention(Span(doc=s.doc, start=s.start, end=s.end, label=label), label, canonical, k.kind, k.source)

    def _learn(self, m: Mention, matcher: PhraseMatcher, table: list[Known]) -> bool:
        """Add a found name (and a person's name words) to the article's patterns; True if new.

        Characters teach their first and last names; real people only their surname."""
        new = False
        forms = [m.span.text] if m.source in ("model", "context") else []
        words = [w for w in _name_tokens(m.span.text) if w.casefold().rstrip(".") not in self._titles and len(w) > 2]
        if m.kind in ("person?", "character"):
            forms += words
        elif m.kind == "person" and len(words) >= 2:
            forms.append(words[-1])
        for form in forms:
            if form in self._learned:
                continue
            self._learned.add(form)
            matcher.add(str(len(table)), [self.nlp.make_doc(form)])
            # vessels and places the context established are strong patterns; people's words are weak
            kind = "person?" if m.kind in ("person", "character") else m.kind
            table.append(Known(form, kind, "context" if kind in ("vessel", "place") else "model"))
            new = True
        return new

    def __call__(self, doc: Doc, article_id: str) -> list[Mention]:
        matcher, table = self._matcher(article_id)
        found = [Span(doc, s, e, label=self.nlp.vocab.strings[mid]) for mid, s, e in matcher(doc)]
        # Infobox/gazetteer/context patterns beat the model; words learned from this article's names
        # ("Reyes" from "Elena Reyes") only fill gaps the model leaves.
        strong = filter_spans([s for s in found if table[int(s.label_)].source != "model"])
        taken = [(s.start, s.end) for s in strong]
        out: list[Mention] = [self._pattern_mention(s, table) for s in strong]
        for ent in doc.ents:
            if any(a < ent.end and ent.start < b for a, b in taken):
                continue
            span = _trim(ent, self._titles) if ent.label_ not in _NUMERIC else ent
            if span is None:
                continue
            kind = "vessel" if ent.label_ in _NAME_LABELS and _vessel_cue(span, self.cfg) else _LABEL_KIND.get(ent.label_, "other")
            if ent.label_ == "PERSON" and kind != "vessel":
                kind = "person?"  # character or real person: decided by linking
            out.append(Mention(span, ent.label_, span.text, kind, "model"))
            taken.append((span.start, span.end))
        # Names the model missed but the context types: vessels ("the Orion II, a landing module"),
        # places ("sail to Saltmoor"), people ("Detective Elena Reyes").
        for span in _proper_runs(doc):
            titled = self._titled(span)
            if span[0].text.casefold().rstrip(".") in self._titles and len(span) > 1:
                span, titled = span[1:], True
            if any(a < span.end and span.start < b for a, b in taken):
                continue
            kind = "vessel" if _vessel_cue(span, self.cfg) else "place" if _place_cue(span) else "person?" if titled else None
            if kind is None:
                continue
            label = {"vessel": "VESSEL", "place": "LOC", "person?": "PERSON"}[kind]
            out.append(Mention(Span(doc, span.start, span.end, label=label), label, span.text, kind, "context"))
            taken.append((span.start, span.end))
        # Later mentions of names found so far in this article are matched as patterns: the full
        # name and, for people, each of its words ("Reyes", "Elena"); linking picks the canonical.
        learned = [self._learn(m, matcher, table) for m in out if m.kind in ("person?", "vessel", "place") or (m.source == "infobox" and m.kind in ("person", "character"))]
        if any(learned):  # match again: a short form may follow the full name in this paragraph
            found = [Span(doc, s, e, label=self.nlp.vocab.strings[mid]) for mid, s, e in matcher(doc)]
        for s in filter_spans(found):
            if not any(a < s.end and s.start < b for a, b in taken):
                out.append(self._pattern_mention(s, table))
                taken.append((s.start, s.end))
        return sorted(out, key=lambda m: m.span.start)


_ROMAN = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}


def _proper_runs(doc: Doc) -> Iterable[Span]:
    """Runs of capitalised proper-noun tokens (with trailing numerals: 'Orion II', 'Gemini 7')."""
    i, n = 0, len(doc)
    while i < n:
        t = doc[i]
        if t.pos_ == "PROPN" and t.text[:1].isupper() and not t.is_sent_start:
            j = i + 1
            while j < n and ((doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper()) or doc[j].text in _ROMAN or doc[j].like_num and doc[j].text.isdigit()):
                j += 1
            yield doc[i:j]
            i = j
        else:
            i += 1


_PLACE_PREPS = {"in", "at", "to", "from", "near", "toward", "towards", "into", "across", "over", "through",
                "outside", "inside", "beyond", "around", "above", "below", "onto"}


def _place_cue(span: Span) -> bool:
    """A capitalised name right after a preposition of place ('sail to Saltmoor'), not a person."""
    doc = span.doc
    k = span.start - 1
    if k >= 0 and doc[k].lower_ == "the":
        k -= 1
    return k >= 0 and doc[k].lower_ in _PLACE_PREPS and doc[span.start].ent_type_ != "PERSON"


_KIND_LABEL = {"vessel": "VESSEL", "place": "LOC", "organisation": "ORG", "work": "WORK_OF_ART", "date": "DATE"}


# ---------------------------------------------------------------------------------------------
# Linking (pure): canonical names and kinds for an article's mention rows.


@dataclass
class Row:
    """The fields linking needs from an entity row (text is the clean surface form)."""

    sentence_id: int
    role: str
    surface: str
    label: str
    canonical: str
    kind: str
    source: str


# which clusters a one-word mention of each kind may join
_LINKABLE = {
    "person?": {"character", "person"},
    "vessel": {"vessel"},
    "place": {"place", "vessel", "character"},  # "Paris" in a plot with a Tom Paris
    "organisation": {"character", "person", "vessel", "place"},
}


def _name_tokens(name: str) -> list[str]:
    return [w for w in name.replace("'s", "").split() if w[:1].isupper()]


def link(rows: list[Row], known: dict[str, Known], titles: Iterable[str] = ()) -> list[Row]:
    """Canonical name and kind for every mention of one article.

    Full names (two or more capitalised words) found in the infobox, the gazetteer or the text are the
    clusters; a short form (first name, surname, title + surname, possessive) joins the cluster whose
    name contains it, preferring characters in the plot and real people elsewhere, then the most
    recently mentioned cluster, then the most frequent. Real people are cast, crew and names that occur
    only outside the plot; characters are guest roles, gazetteer characters and people of the plot.
    """
    title_set = {t.casefold().rstrip(".") for t in titles}
    kinds: dict[str, str] = {k.canonical: k.kind for k in known.values()}
    # 1. clusters: known canonicals and full names in the text, with the kind they imply
    for r in rows:
        if r.kind in ("person?", "vessel", "place", "organisation") and len(_name_tokens(strip_title(r.canonical, title_set))) >= 2:
            name = strip_title(r.canonical, title_set)
            if name not in kinds:
                kinds[name] = ("character" if r.role == "plot" else "person") if r.kind == "person?" else r.kind
            elif kinds[name] == "person" and r.kind == "person?" and r.role == "plot" and not any(k.canonical == name and k.source == "infobox" for k in known.values()):
                kinds[name] = "character"
    index: dict[str, set[str]] = defaultdict(set)  # a single name word -> clusters containing it
    for name in kinds:
        words = _name_tokens(name)
        if len(words) >= 2:
            for w in words:
                if w.casefold() not in title_set and w.lower() not in ("of", "the"):
                    index[w].add(name)
    freq = Counter(r.canonical for r in rows)
    last_seen: dict[str, int] = {}
    out: list[Row] = []
    for r in rows:
        name = strip_title(r.canonical, title_set)
        kind, source = r.kind, r.source
        words = _name_tokens(name)
        if name in known:
            k = known[name]
            name, kind = k.canonical, k.kind
            source = k.source if r.source == "model" else r.source
        elif len(words) == 1 and (cands := sorted(c for c in index.get(words[0], ()) if kinds[c] in _LINKABLE.get(r.kind, ()))):
            prefer = "character" if r.role == "plot" else "person"
            best = max(cands, key=lambda c: (kinds[c] == prefer, last_seen.get(c, -1), freq[c], c))
            name, kind, source = best, kinds[best], "alias"
        elif name in kinds:
            kind = kinds[name]
        if kind == "person?":
            kind = "character" if r.role == "plot" else "person"
            kinds.setdefault(name, kind)
        last_seen[name] = r.sentence_id
        out.append(replace(r, canonical=name, kind=kind, source=source))
    # 2. one kind per canonical name: the most common (ties: the first seen)
    votes: dict[str, Counter] = defaultdict(Counter)
    for r in out:
        votes[r.canonical][r.kind] += 1
    final = {}
    for name, v in votes.items():
        fixed = next((k.kind for k in known.values() if k.canonical == name), None)
        # the small model often calls places organisations: any place or vessel reading wins
        final[name] = fixed or next((k for k in ("vessel", "place") if v[k]), v.most_common(1)[0][0])
    return [replace(r, kind=final[r.canonical]) for r in out]


# ---------------------------------------------------------------------------------------------
# Character tables


@dataclass
class CharacterStats:
    canonical: str
    aliases: set[str] = field(default_factory=set)
    mentions: int = 0
    first_sentence_id: int = 1 << 30
    paragraphs: set[int] = field(default_factory=set)
    sections: dict[str, None] = field(default_factory=dict)


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


def link_rows(entity_rows: Sequence, known: dict[str, dict[str, Known]], titles: Iterable[str]) -> list:
    """Apply `link` article by article to nlp EntityRow records (returns updated copies)."""
    by_article: dict[str, list] = defaultdict(list)
    for r in entity_rows:
        by_article[r.article_id].append(r)
    out = []
    for aid in sorted(by_article):
        rows = by_article[aid]
        linked = link(
            [Row(r.sentence_id, r.role, r.canonical, r.label, r.canonical, r.kind, r.source) for r in rows],
            known.get(aid, {}),
            titles,
        )
        out.extend(replace(r, canonical=k.canonical, kind=k.kind, source=k.source) for r, k in zip(rows, linked, strict=True))
    return out
