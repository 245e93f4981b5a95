"""Domain-aware entities: the model's NER plus what the article itself says (infobox, cast pairs,
context cues, gazetteer), then canonical names by within-article linking (`epnlp.nlp.link`).

Detection (needs a parsed Doc) and linking (pure, on rows) are separate, so linking is testable
without a model. Merge policy: pattern matches (infobox, gazetteer) and cast pairs win over
overlapping model entities; among patterns the longest wins (`spacy.util.filter_spans`); model
entities that overlap none are kept, cut at conjunctions/slashes/verbs ('Oliver webcams Diggle'),
trimmed of rank titles ("Captain"; honorifics such as "Dr." stay), leading articles and possessive "'s".
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from epnlp.nlp.aliases import appositive_aliases, bracket_aliases, guise_aliases, identity_aliases, nickname_aliases, slash_aliases
from epnlp.nlp.cast import cast_pairs
from epnlp.nlp.known import (
    KINDS,
    EntityConfig,
    Gazetteer,
    GazetteerEntry,
    Known,
    Mention,
    gazetteer_for,
    known_names,
    load_gazetteers,
    names_by_article,
)
from epnlp.nlp.link import Row, link, link_rows
from epnlp.nlp.names import (
    NAME_LABELS,
    as_head,
    epithet,
    epithet_run,
    honorific,
    is_name_word,
    name_words,
    person_cue,
    place_cue,
    proper_runs,
    quoted,
    split_span,
    strip_title,
    trim,
    vessel_cue,
    with_nickname,
)
from epnlp.schema import kind_of_label

__all__ = ["KINDS", "EntityConfig", "EntityLayer", "Gazetteer", "GazetteerEntry", "Known", "Row", "gazetteer_for",
           "known_names", "link", "link_rows", "load_gazetteers", "names_by_article", "strip_title"]

_NUMERIC = {"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"}


def build_matcher(nlp: Language, names: dict[str, Known]) -> tuple[PhraseMatcher, list[Known]]:
    """A case-sensitive PhraseMatcher over every known surface form (plus a glued plural 's')."""
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    table: list[Known] = []
    for form in sorted(names):
        known = names[form]
        variants = [form]
        if known.kind in ("vessel", "place", "character") and not form.endswith("s"):
            variants.append(form + "s")  # "Herons engines": a possessive written without apostrophe
        table.append(known)
        matcher.add(str(len(table) - 1), [nlp.make_doc(v) for v in variants])
    return matcher, table




def _widened(span: Span, titles: set[str]) -> Span:
    """A person name the model cut short: capitalised name words (not titles) right before it belong
    to it ('Evil Queen' when the model marked 'Queen')."""
    doc, k = span.doc, span.start
    while k > 0 and is_name_word(doc[k - 1]) and not doc[k - 1].is_sent_start and doc[k - 1].ent_type_ in ("", "PERSON") \
            and doc[k - 1].text.casefold().rstrip(".") not in titles:
        k -= 1
    return span if k == span.start else Span(doc, k, span.end, label=span.label_)


_QUANTIFIERS = {"a", "an", "another", "every", "each", "some", "several", "many", "few", "other", "no", "any"}


def _a_kind_of(span: Span) -> bool:
    """'a Velari', 'two Velaris', 'another Velari': a counted name is a type, not someone."""
    k = span.start - 1
    if k < 0:
        return False
    t = span.doc[k]
    return t.lower_ in _QUANTIFIERS or (t.tag_ == "CD" and t.lower_ != "one")


def _plural_group(span: Span) -> bool:
    """'the Saviors', 'Whisperers': a plural proper noun alone or after 'the' is a group; a first name
    and a surname ending in s ('Tobias Connors', tagged NNPS all the same) is a person."""
    k = span.start - 1
    return span[-1].tag_ == "NNPS" and (len(span) == 1 or (k >= 0 and span.doc[k].lower_ == "the"))


def _acronym(span: Span) -> bool:
    """'S.H.I.E.L.D.', 'EMP': three or more letters, none lower-case."""
    return sum(c.isalpha() for c in span.text) >= 3 and not any(c.islower() for c in span.text)


def _modifier(span: Span) -> bool:
    """'the Chen family', 'the Wyatt personality': a name between an article and a common noun (not a
    possessive written without apostrophe: 'the Herons engines')."""
    root, k = span.root, span.start - 1
    return (root.dep_ == "compound" and root.head.pos_ == "NOUN" and root.head.text.islower() and k >= 0
            and span.doc[k].lower_ in ("the", "a", "an") and not span.text.endswith("s"))


def _overlaps(span: Span, taken: list[tuple[int, int]]) -> bool:
    return any(a < span.end and span.start < b for a, b in taken)


class EntityLayer:
    """Detects mentions in paragraph docs; patterns are built per article from its infobox/gazetteer."""

    def __init__(self, nlp: Language, cfg: EntityConfig, names_by_article: dict[str, dict[str, Known]]):
        self.nlp = nlp
        self.cfg = cfg
        self.names = names_by_article
        self._titles = cfg.title_set
        self._keep = cfg.honorific_set
        self._nouns = frozenset(n.casefold() for n in cfg.person_nouns)
        self._verbs = frozenset(v.casefold() for v in cfg.person_verbs)
        self._dative = frozenset(v.casefold() for v in cfg.dative_verbs)
        self._prefixes = set(cfg.vessel_prefixes)
        self._vessel_nouns = {n.casefold() for n in cfg.vessel_nouns}
        self._vessel_parts = frozenset(n.casefold() for n in cfg.vessel_parts)
        self._org_nouns = frozenset(n.casefold().rstrip(".") for n in cfg.org_nouns)
        self._costume_verbs = frozenset(v.casefold() for v in cfg.costume_verbs)
        self._guise_verbs = frozenset(v.casefold() for v in cfg.guise_verbs)
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

    def _full(self, s: Span, table: list[Known]) -> Span:
        """An infobox name that is part of a longer name in the text ('Morrow' in 'Elias Morrow',
        credited as 'Morrow') is matched as that whole name."""
        if table[int(s.label_)].kind not in ("character", "person") or table[int(s.label_)].source != "infobox":
            return s
        doc, a, b = s.doc, s.start, s.end
        while a > 0 and is_name_word(doc[a - 1]) and not doc[a - 1].is_sent_start and doc[a - 1].text.casefold().rstrip(".") not in self._titles:
            a -= 1
        while b < len(doc) and is_name_word(doc[b]) and doc[b].text.casefold().rstrip(".") not in self._titles:
            b += 1
        return s if (a, b) == (s.start, s.end) else Span(doc, a, b, label=s.label_)

    def _pattern_mention(self, s: Span, table: list[Known]) -> Mention:
        k = table[int(s.label_)]
        label = "PERSON" if k.kind in ("person", "character", "person?") else _KIND_LABEL.get(k.kind, "MISC")
        widened = k.source == "infobox" and len(s) > len(k.canonical.split()) and k.canonical in s.text
        canonical = s.text if k.source in ("model", "context") or widened else k.canonical
        return Mention(Span(doc=s.doc, start=s.start, end=s.end, label=label), label, canonical, k.kind, k.source)

    def _learn(self, m: Mention, matcher: PhraseMatcher, table: list[Known]) -> bool:
        """Add a found name (and a person's name words) to the article's patterns; True if new.

        Characters teach their first and last names; real people only their surname."""
        new = False
        forms = [m.span.text] if m.source in ("model", "context", "cast") else []
        words = [w for w in name_words(m.span.text) if w.casefold().rstrip(".") not in self._titles and len(w) > 2]
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
            table.append(Known(form, kind, "context" if kind == "vessel" or (kind == "place" and m.source == "context") else "model"))
            new = True
        return new

    def _cast(self, doc: Doc, in_plot: bool, taken: list[tuple[int, int]]) -> list[Mention]:
        """Actors (real people) and their roles (characters) from the paragraph's cast pairs."""
        out = []
        for pair in cast_pairs(doc, in_plot):
            for span, kind in ((pair.actor, "person"), (pair.role, "character")):
                kind = kind if pair.sure else "person?"  # linking decides: the one in the plot is the role
                span = trim(span, self._titles, self._keep)
                if span is None or _overlaps(span, taken):
                    continue
                out.append(Mention(Span(doc, span.start, span.end, label="PERSON"), "PERSON", span.text, kind, "cast"))
                taken.append((span.start, span.end))
        return out

    def _vessel(self, span: Span) -> bool:
        return vessel_cue(span, self._prefixes, self._vessel_nouns, self._vessel_parts)

    def _body(self, span: Span) -> bool:
        """A name of two or more words ending in an organisation noun ('Council', 'Empire', 'P.D.'; the
        list leaves out nouns that are common surnames, as the model often reads bodies as PERSON)."""
        return len(span) >= 2 and span[-1].text.casefold().rstrip(".") in self._org_nouns

    def _model_kind(self, span: Span) -> str:
        """Detection kind of a model entity: its label, unless what it does says otherwise (a 'place'
        that acts is a person; a 'person' one is inside of is a place)."""
        label = span.label_
        if label in NAME_LABELS and self._vessel(span):
            return "vessel"
        namey = all(is_name_word(t) or t.lower_ in ("of", "in") for t in span) and span[-1].tag_ != "NNPS"
        if _modifier(span) or _a_kind_of(span):
            return "other"  # "the Chen family", "two Velari": a modifier or a type names no one here
        if self._body(span):
            return "organisation"  # "the Velari Council", "Rosewood P.D."
        if label == "PERSON" and span[-1].tag_ == "NNPS":
            return "organisation"  # "the Saviors": a group
        # acronyms and groups (NORP: "Velari") are not promoted by what they do
        if namey and label not in ("PERSON", "NORP") and not any(t.is_upper for t in span) and person_cue(span, self._nouns, self._verbs):
            return "person?"
        if label == "PERSON" and _acronym(span):
            return "organisation"  # "S.H.I.E.L.D.", "EMP": an acronym, not a person
        if label == "PERSON":
            return "place" if place_cue(span, locative_only=True) and not person_cue(span, self._nouns, self._verbs) else "person?"
        if label in ("GPE", "LOC", "FAC") and namey and not place_cue(span, dative=self._dative):
            return "place?"  # the small model's reading alone: weak (first names are often read as places)
        if label in ("ORG", "NORP", "PRODUCT", "WORK_OF_ART") and namey and place_cue(span, locative_only=True):
            return "place"  # "In Saltmoor, ..." read as an organisation
        return kind_of_label(label)

    def _model(self, doc: Doc, taken: list[tuple[int, int]]) -> list[Mention]:
        """Model entities that overlap no pattern, cut into names, trimmed and typed by their use."""
        out = []
        for ent in doc.ents:
            if _overlaps(ent, taken):
                continue
            pieces = [ent] if ent.label_ in _NUMERIC or ent.label_ in ("DATE", "TIME") else split_span(ent)
            for piece in pieces:
                span = piece if ent.label_ in _NUMERIC else trim(piece, self._titles, self._keep)
                if span is None:
                    continue
                kind = self._model_kind(span)
                canonical = span.text
                if kind == "person?":
                    span = honorific(_widened(with_nickname(epithet_run(span)), self._titles), self._keep)
                    canonical = epithet(span)
                    if _overlaps(span, taken) or (len(span) == 1 and canonical == span.text and span.text.casefold().rstrip(".") in self._titles):
                        continue  # a lone title ("Queen") is not a name
                out.append(Mention(span, ent.label_, canonical, kind, "model"))
                taken.append((span.start, span.end))
        return out

    def _context(self, doc: Doc, taken: list[tuple[int, int]]) -> list[Mention]:
        """Names the model missed but the context types: vessels ('the Orion II, a landing module'),
        places ('sail to Saltmoor'), people ('Detective Elena Reyes', 'Mama and her son ... are')."""
        out = []
        for span in proper_runs(doc, sentence_start=True):
            titled = self._titled(span)
            first = span[0].text.casefold().rstrip(".")
            if first in self._titles and (first not in self._keep or len(span) > 2) and len(span) > 1:
                span, titled = span[1:], True
            elif first in self._keep:
                titled = True
            if _overlaps(span, taken) or (len(span) == 1 and span.text.casefold().rstrip(".") in self._titles):
                continue  # a lone title ("Queen") is not a name
            first = span[0].is_sent_start
            kind = None
            if not first:
                kind = "vessel" if self._vessel(span) else "place" if _place_cue_strict(span, self._dative) else None
            if kind is None and self._body(span):
                continue  # "the Thule Society" the model did not mark: a body, not a character
            if kind is None and not _a_kind_of(span):
                cued = person_cue(span, self._nouns, self._verbs)
                kind = "person?" if titled or (cued and not _plural_group(span) and not _acronym(span)) else None
            if kind is None:
                continue
            span = honorific(with_nickname(epithet_run(span)), self._keep) if kind == "person?" else span
            label = {"vessel": "VESSEL", "place": "LOC", "person?": "PERSON"}[kind]
            canonical = epithet(span) if kind == "person?" else span.text
            out.append(Mention(Span(doc, span.start, span.end, label=label), label, canonical, kind, "context"))
            taken.append((span.start, span.end))
        return out

    def __call__(self, doc: Doc, article_id: str, role: str | None = None) -> list[Mention]:
        matcher, table = self._matcher(article_id)
        found = [Span(doc, s, e, label=self.nlp.vocab.strings[mid]) for mid, s, e in matcher(doc)]
        # Infobox/gazetteer/context patterns and cast pairs beat the model; words learned from this
        # article's names ("Reyes" from "Elena Reyes") only fill gaps the model leaves.
        strong = filter_spans([self._full(s, table) for s in found if table[int(s.label_)].source in ("infobox", "gazetteer")])
        taken = [(s.start, s.end) for s in strong]
        out: list[Mention] = [self._pattern_mention(s, table) for s in strong]
        out += self._cast(doc, role in (None, "plot"), taken)
        learned = filter_spans([s for s in found if table[int(s.label_)].source == "context" and not _overlaps(s, taken)])
        out += [self._pattern_mention(s, table) for s in learned]
        taken += [(s.start, s.end) for s in learned]
        out += self._model(doc, taken)
        out += self._context(doc, taken)
        _costumes(out, self._costume_verbs)
        # Later mentions of names found so far in this article are matched as patterns: the full
        # name and, for people, each of its words ("Reyes", "Elena"); linking picks the canonical.
        learned = [
            self._learn(m, matcher, table) for m in out
            if m.kind in ("person?", "vessel", "place", "place?") or (m.source in ("infobox", "cast") and m.kind in ("person", "character"))
        ]
        if any(learned):  # match again: a short form may follow the full name in this paragraph
            found = [Span(doc, s, e, label=self.nlp.vocab.strings[mid]) for mid, s, e in matcher(doc)]
        for s in filter_spans(found):
            if _overlaps(s, taken):
                continue
            m = self._pattern_mention(s, table)
            if m.kind == "person?" and m.source == "model":
                wide = honorific(m.span, self._keep)
                if not _overlaps(wide, taken):
                    m.span, m.canonical = wide, wide.text
            out.append(m)
            taken.append((m.span.start, m.span.end))
        out.sort(key=lambda m: m.span.start)
        if role not in (None, "plot"):
            _titles_as_works(out)
        else:
            nickname_aliases(out)
        slash_aliases(out)
        bracket_aliases(out)
        appositive_aliases(out)
        identity_aliases(out)
        guise_aliases(out, self._guise_verbs)
        return out


def _costumes(mentions: list[Mention], verbs: frozenset[str]) -> None:
    """'Ada, dressed up as Count Orlok, ...': a name one dresses as is a costume, not a person of the
    story and not the wearer's other name (params `entities.costume_verbs`)."""
    for m in mentions:
        on = as_head(m.span.root)
        if m.source not in ("infobox", "gazetteer", "cast") and on is not None and on.lemma_ in verbs:
            m.kind, m.source = "other", "context"


def _titles_as_works(mentions: list[Mention]) -> None:
    """Outside the plot, a name in quotation marks is a title (the episode's, another work's), not a
    person: 'in "Nightjar," the critic writes' names the episode even when a character has that name."""
    for m in mentions:
        if m.source not in ("infobox", "gazetteer", "cast") and quoted(m.span):
            m.kind, m.label, m.source = "work", "WORK_OF_ART", "title"


def _place_cue_strict(span: Span, dative: frozenset[str]) -> bool:
    """A place cue for a name nobody labelled: after a preposition of place, and not a person."""
    return place_cue(span, dative=dative) and span.doc[span.start].ent_type_ != "PERSON"


_KIND_LABEL = {"vessel": "VESSEL", "place": "LOC", "place?": "LOC", "organisation": "ORG", "work": "WORK_OF_ART", "date": "DATE"}
