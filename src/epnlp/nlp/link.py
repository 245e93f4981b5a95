"""Linking (pure, on rows): one canonical name and one kind for every mention of an article.

In the spirit of BookNLP's name clustering: full names are clusters; short forms (first name, surname,
honorific + surname, plural or possessive without apostrophe) join the cluster that contains them.
Then one kind per canonical name, from what the whole article says about it: credited people (infobox,
cast pairs) are real people, roles of cast pairs are characters, and a name that acts like a person in
the plot is a character even when the model read it as a place or an organisation.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from epnlp.nlp.descriptors import group_words, opening_nouns
from epnlp.nlp.names import name_words, strip_title  # noqa: F401 - strip_title re-exported

if TYPE_CHECKING:
    from epnlp.nlp.annotate import EntityRow
    from epnlp.nlp.known import Known


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


T = TypeVar("T")


def evolve(r: T, **changes: Any) -> T:
    """A copy of dataclass record `r` with `changes`: `dataclasses.replace` without re-running
    `__init__` (the records here have no `__post_init__` or slots). Linking copies every row several
    times; `replace` alone was about a third of its time."""
    new = object.__new__(type(r))
    new.__dict__.update(r.__dict__)
    new.__dict__.update(changes)
    return new


# which clusters a one-word mention of each kind may join
_LINKABLE = {
    "person?": {"character", "person", "organisation", "vessel"},  # "Fitz" acts: "Leo Fitz" read as an ORG is a person; "the Heron" sails
    "person": {"person", "character"},
    "character": {"character", "person"},
    "vessel": {"vessel", "character"},  # "the Herons engines": a vessel cue on a short form types the whole name
    "other": {"vessel"},  # "Heron" read as a product where the text names the Grey Heron
    "place": {"place", "vessel", "character", "person"},  # "Paris" in a plot with a Tom Paris
    "place?": {"place", "vessel", "character", "person"},  # the model's place reading alone (weak)
    "organisation": {"character", "person", "vessel", "place"},
    "work": {"character"},
    "date": {"character"},  # "June" read as a date in a plot with a June Ward
}
_PERSONLIKE = {"person?", "person", "character"}


def _core(name: str, titles: set[str]) -> list[str]:
    """A name's words without titles, honorifics and particles."""
    return [w for w in name_words(name) if w.casefold().rstrip(".") not in titles and w.lower() not in ("of", "the")]


def _clusters(rows: Sequence[Row], known: dict[str, Known], titles: set[str], honor: set[str]) -> dict[str, str]:
    """Full names (two or more core words, or an honorific + a name) -> the kind they imply."""
    kinds: dict[str, str] = {k.canonical: k.kind for k in known.values()}
    credited = {k.canonical for k in known.values() if k.source == "infobox"}
    for r in rows:
        if r.kind not in (*_PERSONLIKE, "vessel", "place", "place?", "organisation"):
            continue
        name = strip_title(r.canonical, titles - honor)
        if len(name_words(name)) < 2:
            continue
        if name not in kinds:
            kinds[name] = ("character" if r.role == "plot" else "person") if r.kind == "person?" else r.kind.rstrip("?")
        elif kinds[name] == "person" and r.kind == "person?" and r.role == "plot" and name not in credited:
            kinds[name] = "character"
    return kinds


def _short_form(word: str, index: dict[str, set[str]], singles: set[str]) -> str | None:
    """A plural or apostrophe-less possessive ('Vances', 'Adas') whose base is a known name word."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        base = word[:-1]
        if base in index or base in singles:
            return base
    return None


def _fuller(k: Known, ctx: _Ctx) -> str | None:
    """A longer name in the text that contains a one-word character name of the infobox."""
    if k.kind != "character" or k.source != "infobox" or len(_core(k.canonical, ctx.titles)) != 1:
        return None
    word = _core(k.canonical, ctx.titles)[0]
    cands = sorted(c for c in ctx.index.get(word, ()) if ctx.kinds.get(c) in ("character", "person") and len(_core(c, ctx.titles)) > 1 and c not in ctx.known)
    return cands[0] if len(cands) == 1 else None


def _resolve(r: Row, name: str, ctx: _Ctx) -> tuple[str, str, str]:
    """Canonical, kind and source of one mention (before the one-kind-per-name vote)."""
    kind, source = r.kind, r.source
    if source == "title":  # a quoted title outside the plot (entities._titles_as_works): a work, no one's alias
        return name, "work", source
    alias, alias_kind = ctx.alias_of.get(r.surface, (name, kind))
    if alias != name and r.source not in ("infobox", "gazetteer"):
        name, source = strip_title(alias, ctx.titles - ctx.honor), "alias"  # then resolved as that name
        if alias_kind in _PERSONLIKE and kind not in _PERSONLIKE:
            kind = "person?"  # a guise stated for a person, read elsewhere as a thing ("the Nightjar persona")
    if _articled(name) and (name[4:] in ctx.kinds or name[4:] in ctx.known):
        name = name[4:]  # "the Black Kestrel" is the Black Kestrel
    if name in ctx.known:
        k = ctx.known[name]
        fuller = _fuller(k, ctx)
        if fuller is not None:  # credited as "Robbie", named "Robbie Reyes" in the text
            return fuller, ctx.kinds[fuller], "alias"
        return k.canonical, k.kind, (k.source if r.source == "model" else r.source)
    core = _core(name, ctx.titles)
    if len(core) == 1:
        word = core[0] if core[0] in ctx.index else (_short_form(core[0], ctx.index, ctx.singles) or core[0])
        cands = sorted(c for c in ctx.index.get(word, ()) if ctx.kinds[c] in _LINKABLE.get(kind, ()) and len(_core(c, ctx.titles)) > 1)
        if cands:
            prefer = "character" if r.role == "plot" else _company(r, ctx)
            best = max(cands, key=lambda c: (ctx.kinds[c] == prefer, ctx.last_seen.get(c, -1), ctx.freq[c], c))
            return best, ctx.kinds[best], "alias"
        rep = ctx.honoured.get(word)  # "Bell", "Mr Bell" -> the first "Mr. Bell"
        if rep is not None and kind in _PERSONLIKE | {"organisation", "place", "place?", "work", "date"}:
            return rep, ctx.kinds.get(rep, kind), source if rep == name else "alias"
        if word != core[0] and kind in _PERSONLIKE | {"organisation"}:
            return word, kind, "alias"
        if name in ctx.epithets:  # "Butcher" after "the Butcher"
            return ctx.epithets[name], kind, "alias"
    if name in ctx.kinds:
        kind = ctx.kinds[name]
    return name, kind, source


def _company(r: Row, ctx: _Ctx) -> str:
    """Outside the plot a short form shared by an actor and a character ('Simmons') is a real person,
    unless the other people named in its sentence are characters ('time spent with Johnson and
    Simmons'): a name keeps the company of its kind."""
    kinds = Counter(k for surface, k in ctx.company.get(r.sentence_id, ()) if surface != r.surface)
    return "character" if kinds["character"] > kinds["person"] else "person"


@dataclass
class _Ctx:
    known: dict
    titles: set[str]
    honor: set[str]
    kinds: dict[str, str]
    index: dict[str, set[str]]
    singles: set[str]
    alias_of: dict[str, tuple[str, str]]  # surface -> (the name it was stated to be, that mention's kind)
    epithets: dict[str, str]
    honoured: dict[str, str]
    freq: Counter
    last_seen: dict[str, int]
    company: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # sentence -> (surface, kind) of its people


def _honoured(rows: Sequence[Row], titles: set[str], honor: set[str]) -> dict[str, str]:
    """A one-word name -> its first honorific form ('Vance' -> 'Dr. Vance'), the canonical of all."""
    out: dict[str, str] = {}
    for r in rows:
        if r.kind not in _PERSONLIKE:
            continue
        name = strip_title(r.canonical, titles - honor)
        words, core = name_words(name), _core(name, titles)
        if len(core) == 1 and len(words) == 2 and words[0].casefold().rstrip(".") in honor:
            out.setdefault(core[0], name)
    return out


def link(rows: list[Row], known: dict[str, Known], titles: Iterable[str] = (), honorifics: Iterable[str] = (),
         bodies: Iterable[str] = (), descriptors: Iterable[str] = ()) -> list[Row]:
    """Canonical name and kind for every mention of one article.

    Full names (two or more capitalised words) found in the infobox, the gazetteer or the text are the
    clusters; a short form (first name, surname, title + surname, possessive, plural) joins the cluster
    whose name contains it, preferring characters in the plot and real people elsewhere, then the most
    recently mentioned cluster, then the most frequent. A name stated as another's alias (cast pair,
    "A / B") takes that name. Kinds: see `final_kinds` (`bodies`: organisation nouns, "Council").
    `descriptors`: words that describe rather than name when they lead a name (`opening_nouns`).
    """
    body_set = frozenset(b.casefold().rstrip(".") for b in bodies)
    first: dict[str, str] = {}  # "the Man in Grey" and "The Man in Grey": one canonical, as first written
    rows = [evolve(r, canonical=first.setdefault(r.canonical[4:], r.canonical)) if _articled(r.canonical) else r for r in rows]
    groups = group_words(rows) | frozenset(descriptors)
    rows = [_ungrouped(r, groups) for r in rows] if groups else rows
    honor = {t.casefold().rstrip(".") for t in honorifics}
    title_set = {t.casefold().rstrip(".") for t in titles} | honor
    kinds = _clusters(rows, known, title_set, honor)
    index: dict[str, set[str]] = defaultdict(set)  # a single name word -> clusters containing it
    for name in kinds:
        if len(name_words(name)) >= 2:
            for w in _core(name, title_set):
                index[w].add(name)
    singles = {r.canonical for r in rows if r.kind in _PERSONLIKE and len(name_words(r.canonical)) == 1}
    alias_of = {
        r.surface: (r.canonical, r.kind) for r in rows
        if r.source in ("cast", "context") and r.canonical != r.surface and not (_articled(r.canonical) and r.canonical[4:] == r.surface)
    }
    epithets = {r.canonical[4:]: r.canonical for r in rows if _articled(r.canonical)}
    ctx = _Ctx(known, title_set, honor, kinds, index, singles, alias_of, epithets, _honoured(rows, title_set, honor), Counter(r.canonical for r in rows), {})
    out = _resolve_all(rows, ctx, title_set - honor)
    final = final_kinds(out, rows, known, body_set)
    # second pass: clusters now have the kind the whole article gives them ("Theresa Cullen" credited
    # in the lead is a character, so the plot's "Theresa" read as a place joins her)
    ctx.kinds.update({name: final[name] for name in ctx.kinds if name in final})
    ctx.last_seen.clear()
    for r in out:
        if final[r.canonical] in ("character", "person"):
            ctx.company.setdefault(r.sentence_id, []).append((r.surface, final[r.canonical]))
    out = _resolve_all(rows, ctx, title_set - honor)
    final = final_kinds(out, rows, known, body_set)
    return [_unarticled(evolve(r, kind=final[r.canonical]), final) for r in out]


def _ungrouped(r: Row, groups: frozenset[str]) -> Row:
    """A person's name led by a group word or an opening noun (`epnlp.nlp.descriptors`) is the name
    without it, and so is the mention ('the parasitic Velari Orm' is Orm); a group word read as a
    person's name alone is no one ('other', as the model's group reading)."""
    if r.kind not in _PERSONLIKE:
        return r
    words = r.canonical.split()
    if len(words) >= 2 and words[0] in groups:
        said = r.surface.split(maxsplit=1)
        narrow = {"surface": said[1]} if len(said) == 2 and said[0] == words[0] else {}  # the mention loses the word too
        return evolve(r, canonical=" ".join(words[1:]), **narrow)
    if r.surface in groups and r.source not in ("infobox", "gazetteer", "cast"):
        return evolve(r, canonical=r.surface, kind="other")
    return r


def _articled(name: str) -> bool:
    """An epithet's canonical name: 'the Butcher', 'The Man in Grey'."""
    return name[:4] in ("the ", "The ")


def _unarticled(r: Row, final: dict[str, str]) -> Row:
    """An epithet's article ('the Butcher') stays in the canonical name of characters only; without it
    the name takes the kind its bare form already has."""
    if r.kind == "character" or not _articled(r.canonical):
        return r
    bare = r.canonical[4:]
    return evolve(r, canonical=bare, kind=final.get(bare, r.kind))


def _resolve_all(rows: Sequence[Row], ctx: _Ctx, rank_titles: set[str]) -> list[Row]:
    """One pass of `_resolve` over an article's rows, in text order."""
    out: list[Row] = []
    for r in rows:
        name, kind, source = _resolve(r, strip_title(r.canonical, rank_titles), ctx)
        if kind == "person?":
            kind = "character" if r.role == "plot" else "person"
        kind = "place" if kind == "place?" else kind
        ctx.last_seen[name] = r.sentence_id
        out.append(evolve(r, canonical=name, kind=kind, source=source))
    return out


def final_kinds(linked: Sequence[Row], original: Sequence[Row], known: dict[str, Known], bodies: frozenset[str] = frozenset()) -> dict[str, str]:
    """One kind per canonical name. Fixed by the infobox or gazetteer; else credited by a cast pair
    (actor: person, role: character); else a full name read as a body, ending in an organisation noun
    of `bodies` ("the Velari Council"), is an organisation whatever its short form does ("the Council
    decides"); else a vessel if any form had a vessel cue; else a name that reads as a person somewhere
    in the plot at least as often as it reads as a place is a character; else places and vessels beat organisations (the
    small model often calls places organisations), else the most common reading."""
    fixed = {k.canonical: k.kind for k in known.values()}
    votes: dict[str, Counter] = defaultdict(Counter)
    plot: dict[str, Counter] = defaultdict(Counter)
    marks: dict[str, set[str]] = defaultdict(set)  # cast readings of a name
    in_plot: Counter = Counter()  # mentions in the plot outside cast pairs
    bodied: set[str] = set()
    for r, o in zip(linked, original, strict=True):
        votes[r.canonical][r.kind] += 1
        votes[r.canonical]["vessel"] += o.kind == "vessel" and r.kind != "vessel"  # a short form's own cue
        if o.kind == "organisation" and o.surface == r.canonical:
            bodied.add(r.canonical)  # the full name itself was read as a body ('the Velari Council')
        if o.source == "cast":
            marks[r.canonical].add(o.kind)
        elif r.role in ("plot", "lead"):  # the lead summarises the story too
            plot[r.canonical]["person" if o.kind in _PERSONLIKE else o.kind] += 1
            in_plot[r.canonical] += r.role == "plot"
    cast = {name: _cast_kind(m, in_plot[name]) for name, m in marks.items()}
    final = {}
    for name, v in votes.items():
        p = plot[name]
        places = p["place"] + p["vessel"]
        if name in fixed:
            final[name] = fixed[name]
        elif name in cast:
            final[name] = cast[name]
        elif name in bodied and _ends_in(name, bodies):
            final[name] = "organisation"
        elif v["vessel"]:  # a ship's crew speaks through it: the vessel cue is the stronger reading
            final[name] = "vessel"
        elif p["person"] and p["person"] >= places:
            final[name] = "character"
        elif v["place"] or v["vessel"]:
            final[name] = "vessel" if v["vessel"] else "place"
        else:
            final[name] = v.most_common(1)[0][0]
    return final


def _ends_in(name: str, nouns: frozenset[str]) -> bool:
    """A name of two or more words whose last word is one of `nouns` (folded, no final full stop)."""
    words = name_words(name)
    return len(words) >= 2 and words[-1].casefold().rstrip(".") in nouns


def _cast_kind(marks: set[str], plot_mentions: int) -> str:
    """Kind of a name credited in cast pairs: an actor is a person, a role a character; where the pair's
    order was unsure (or the name was read both ways) the one the plot names outside the credits is
    the character."""
    if marks in ({"person"}, {"character"}):
        return next(iter(marks))
    return "character" if plot_mentions else "person"


def link_rows(entity_rows: Sequence[EntityRow], known: dict[str, dict[str, Known]], titles: Iterable[str], honorifics: Iterable[str] = (),
              bodies: Iterable[str] = (), texts: Mapping[str, str] | None = None) -> list:
    """Apply `link` article by article to nlp EntityRow records (returns updated copies). `texts`, an
    article's text by id, lets linking find opening nouns (`epnlp.nlp.descriptors.opening_nouns`)."""
    by_article: dict[str, list] = defaultdict(list)
    for r in entity_rows:
        by_article[r.article_id].append(r)
    skip = {t.casefold().rstrip(".") for t in (*titles, *honorifics)}
    out = []
    for aid in sorted(by_article):
        rows = by_article[aid]
        plain = [Row(r.sentence_id, r.role, r.text, r.label, r.canonical, r.kind, r.source) for r in rows]
        text = (texts or {}).get(aid)
        linked = link(plain, known.get(aid, {}), titles, honorifics, bodies, opening_nouns(plain, text, skip) if text else ())
        out.extend(_with_article(_narrowed(evolve(r, canonical=k.canonical, kind=k.kind, source=k.source), k.surface))
                   for r, k in zip(rows, linked, strict=True))
    return out


def _narrowed(r: EntityRow, surface: str) -> EntityRow:
    """The row cut to the end of its text that linking kept ('Velari Orm' -> 'Orm'): the offsets
    move with it, so the raw text at [start, end) is still the row's text."""
    if surface == r.text or not r.text.endswith(surface):
        return r
    return evolve(r, start=r.end - len(surface), text=surface, articled=None)


def _with_article(r: EntityRow) -> EntityRow:
    """A character's epithet mention keeps the article written before it ('the Butcher', as its
    canonical name has it); a vessel or place read the same way keeps its bare name."""
    wide = getattr(r, "articled", None)
    if wide is None:
        return r
    if r.kind == "character" and _articled(r.canonical) and wide[1].lower() == "the " + r.text.lower():
        return evolve(r, start=wide[0], text=wide[1], articled=None)
    return evolve(r, articled=None)


