"""The spaCy pass: paragraphs through `nlp.pipe` with their context, sentence and entity rows mapped back
to raw offsets, grouped by article as they come out."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from epnlp.nlp.attribute_table import use_attribute_table
from epnlp.schema import kind_of_label
from epnlp.text.clean import OffsetMap, offset_map

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ParagraphInput:
    """One paragraph to annotate: its context, its raw text and span, its clean text and map."""

    article_id: str
    paragraph_id: int
    section: str
    role: str
    start: int
    text: str
    clean_text: str
    offsets: OffsetMap


@dataclass(frozen=True)
class SentenceRow:
    """A sentence: raw offsets and raw text, plus its clean text for downstream scoring."""

    article_id: str
    sentence_id: int
    section: str
    role: str
    paragraph_id: int
    start: int
    end: int
    text: str
    clean_text: str


@dataclass(frozen=True)
class EntityRow:
    """A named-entity mention with raw offsets."""

    article_id: str
    sentence_id: int
    section: str
    role: str
    start: int
    end: int
    text: str
    label: str
    canonical: str
    kind: str
    source: str
    # (raw start, raw text) of the mention with the article written before it ("the Butcher"): an
    # epithet that turns out a character keeps its article (`epnlp.nlp.link.link_rows`); not a column
    articled: tuple[int, str] | None = field(default=None, compare=False)


def _articled_raw(p: ParagraphInput, span: Span) -> tuple[int, str] | None:
    """Raw (start, text) of 'the' + the mention when 'the' is written right before it ('the Butcher')."""
    k = span.start - 1
    if k < 0 or span.doc[k].lower_ != "the" or not span.doc[k].whitespace_:
        return None
    s, _, text = raw_span(p, span.doc[k].idx, span.end_char)
    return s, text


def load_model(name: str, disable: Iterable[str] = ()) -> Language:
    """Load the spaCy model once, with the components this stage does not need disabled and its
    attribute ruler run as table lookups (`nlp.attribute_table`: the same annotations, faster)."""
    nlp = spacy.load(name)
    use_attribute_table(nlp)
    for pipe in disable:
        if pipe in nlp.pipe_names:
            nlp.disable_pipe(pipe)
    return nlp


def raw_span(p: ParagraphInput, clean_start: int, clean_end: int) -> tuple[int, int, str]:
    """Raw (start, end, text) of a clean-text span of paragraph `p`."""
    s, e = p.offsets.to_raw(clean_start, clean_end)
    return s, e, p.text[s - p.start : e - p.start]


def docs(
    nlp: Language, paragraphs: Iterable[ParagraphInput], batch_size: int = 64, n_process: int = 1
) -> Iterator[tuple[Doc, ParagraphInput]]:
    """Stream paragraphs through `nlp.pipe` with their context."""
    yield from nlp.pipe(
        ((p.clean_text, p) for p in paragraphs), as_tuples=True, batch_size=batch_size, n_process=n_process
    )


EntityHook = Callable[[Doc, str, str], list]  # (doc, article_id, role) -> list of entities.Mention


def rows_for(
    doc: Doc, p: ParagraphInput, first_sentence_id: int, entity_hook: EntityHook | None = None
) -> tuple[list[SentenceRow], list[EntityRow]]:
    """Sentence and entity rows of one annotated paragraph; sentence ids continue from `first_sentence_id`."""
    sentences: list[SentenceRow] = []
    sent_index: dict[int, int] = {}
    starts = sentence_starts(doc)
    for k, sent in enumerate(sentences_of(doc, starts)):
        sid = first_sentence_id + k
        sent_index[sent.start] = sid
        s, e, text = raw_span(p, sent.start_char, sent.end_char)
        sentences.append(SentenceRow(p.article_id, sid, p.section, p.role, p.paragraph_id, s, e, text, sent.text))
    if entity_hook is not None:
        found = [(m.span, m.label, m.canonical, m.kind, m.source) for m in entity_hook(doc, p.article_id, p.role)]
    else:
        found = [(e, e.label_, e.text, kind_of_label(e.label_), "model") for e in doc.ents]
    entities: list[EntityRow] = []
    for span, label, canonical, kind, source in found:
        sid = sent_index.get(starts[bisect_right(starts, span.start) - 1])  # span.sent.start, without a token walk
        if sid is None:
            continue
        s, e, text = raw_span(p, span.start_char, span.end_char)
        entities.append(EntityRow(p.article_id, sid, p.section, p.role, s, e, text, label, canonical, kind, source, _articled_raw(p, span)))
    return sentences, entities


def sentence_starts(doc: Doc) -> list[int]:
    """The first token of each of the doc's sentences (`doc.sents`' boundaries, read as one array
    instead of token by token)."""
    if not len(doc):
        return []
    flags = doc.to_array("SENT_START").tolist()
    return [0, *(i for i in range(1, len(flags)) if flags[i] == 1)]


def sentences_of(doc: Doc, starts: list[int] | None = None) -> list[Span]:
    """The doc's non-blank sentences, in order (the one definition sentence ids rely on); `starts`:
    `sentence_starts(doc)` if already known."""
    starts = sentence_starts(doc) if starts is None else starts
    bounds = [*starts, len(doc)]
    spans = (doc[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True))  # what doc.sents yields
    return [s for s in spans if s.text.strip()]


def paragraph_inputs(paragraphs: pd.DataFrame, clean: pd.DataFrame, edits: pd.DataFrame) -> list[ParagraphInput]:
    """ParagraphInput for every paragraph row: its clean text from the clean stage's `clean_paragraphs`
    rows, its offset map from the recorded `clean_edits`. A clean text whose length the edits do not
    give (tables from different runs) is an error, not a silent offset shift."""
    by_para = {k: g for k, g in edits.groupby(["article_id", "paragraph_id"], sort=False)} if len(edits) else {}
    empty = edits.iloc[0:0]
    texts = dict(zip(zip(clean["article_id"], clean["paragraph_id"], strict=True), clean["clean_text"], strict=True))
    out = []
    for r in paragraphs.itertuples(index=False):
        key = (r.article_id, r.paragraph_id)
        offsets = offset_map(by_para.get(key, empty), int(r.start))
        text = texts.get(key)
        if text is None or len(text) != offsets.clean_length(len(r.text)):
            raise ValueError(f"clean_paragraphs and clean_edits disagree for {r.article_id} paragraph {r.paragraph_id}: re-run the clean stage")
        out.append(ParagraphInput(r.article_id, int(r.paragraph_id), r.section, r.role, int(r.start), r.text, text, offsets))
    return out


@dataclass
class Annotated:
    """One article out of `nlp.pipe`: its sentence and entity rows and the docs kept for later stages."""

    article_id: str
    sentences: list[SentenceRow]
    entities: list[EntityRow]
    kept: list[Doc]
    contexts: list[dict] = field(default_factory=list)


def annotate(
    nlp: Language,
    paragraphs: Iterable[ParagraphInput],
    batch_size: int = 64,
    n_process: int = 1,
    keep_roles: Iterable[str] = ("reception",),
    entity_hook: EntityHook | None = None,
    n_articles: int | None = None,
    progress: bool = True,
) -> Iterator[Annotated]:
    """Stream paragraphs (grouped by article, in order) through `nlp.pipe` once; yield each article as
    its last paragraph comes out (memory stays flat)."""
    from tqdm import tqdm

    keep = set(keep_roles)
    # A progress bar in articles (shown on a terminal only): articles/s is what users compare.
    bar = tqdm(total=n_articles, unit="article", desc="nlp", disable=None if progress else True, leave=False)
    current: Annotated | None = None
    for doc, p in docs(nlp, paragraphs, batch_size, n_process):
        if current is None or p.article_id != current.article_id:
            if current is not None:
                yield current
                bar.update(1)
            current = Annotated(p.article_id, [], [], [])
        first = len(current.sentences)
        s_rows, e_rows = rows_for(doc, p, first, entity_hook)
        current.sentences.extend(s_rows)
        current.entities.extend(e_rows)
        if p.role in keep:
            current.kept.append(doc)
            current.contexts.append({"article_id": p.article_id, "paragraph_id": p.paragraph_id, "first_sentence_id": first})
    if current is not None:
        yield current
        bar.update(1)
    bar.close()

