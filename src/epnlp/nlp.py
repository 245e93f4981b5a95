"""The NLP pass: one spaCy model, every paragraph through `nlp.pipe`, rows mapped back to raw offsets."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from epnlp import schema
from epnlp.cache import fingerprint
from epnlp.clean import OffsetMap
from epnlp.io import csv_fragments

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


def load_model(name: str, disable: Iterable[str] = ()) -> Language:
    """Load the spaCy model once, with the components this stage does not need disabled."""
    nlp = spacy.load(name)
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
    for k, sent in enumerate(sentences_of(doc)):
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
        sid = sent_index.get(span.sent.start)
        if sid is None:
            continue
        s, e, text = raw_span(p, span.start_char, span.end_char)
        entities.append(EntityRow(p.article_id, sid, p.section, p.role, s, e, text, label, canonical, kind, source))
    return sentences, entities


_KINDS = {
    "PERSON": "person",
    "ORG": "organisation",
    "NORP": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "WORK_OF_ART": "work",
    "PRODUCT": "other",
    "DATE": "date",
    "TIME": "date",
    "EVENT": "other",
}


def kind_of_label(label: str) -> str:
    """A coarse kind for a model NER label."""
    return _KINDS.get(label, "other")


def sentences_of(doc: Doc) -> list[Span]:
    """The doc's non-blank sentences, in order (the one definition sentence ids rely on)."""
    return [s for s in doc.sents if s.text.strip()]


def paragraph_inputs(paragraphs: pd.DataFrame, edits: pd.DataFrame) -> list[ParagraphInput]:
    """ParagraphInput for every paragraph row, its clean text rebuilt from the recorded edits."""
    from epnlp.clean import rebuild

    by_para = {k: g for k, g in edits.groupby(["article_id", "paragraph_id"], sort=False)} if len(edits) else {}
    empty = edits.iloc[0:0]
    out = []
    for r in paragraphs.itertuples(index=False):
        clean, offsets = rebuild(r.text, r.start, by_para.get((r.article_id, r.paragraph_id), empty))
        out.append(ParagraphInput(r.article_id, int(r.paragraph_id), r.section, r.role, int(r.start), r.text, clean, offsets))
    return out


@dataclass(frozen=True, eq=False)
class PackedDocs:
    """Docs as a `DocBin` holds them (per doc: a token-attribute array, a spaces array, cats, flags,
    serialised span groups; and the strings they use), kept as arrays rather than DocBin's compressed
    msgpack bytes. Cached articles' docs then merge by extending lists: `DocBin.from_bytes` looks up
    srsly's decoder registry (entry points) on every call, about a millisecond each, which was a second
    of every run over 1,000 cached articles. Pickles (cache, worker processes) as plain numpy arrays."""

    attrs: tuple[int, ...]
    tokens: list
    spaces: list
    cats: list[dict]
    flags: list[dict]
    span_groups: list[bytes]
    strings: frozenset[str]

    @classmethod
    def of(cls, docs: list[Doc]) -> PackedDocs:
        """`docs` as `DocBin(docs=docs)` stores them (no user_data)."""
        from spacy.tokens import DocBin

        b = DocBin(docs=docs)
        return cls(tuple(b.attrs), b.tokens, b.spaces, b.cats, b.flags, b.span_groups, frozenset(b.strings))

    def __len__(self) -> int:
        return len(self.tokens)

    def add_to(self, target) -> None:
        """Append these docs to the DocBin `target`: `DocBin.merge` without decoding bytes."""
        if tuple(target.attrs) != self.attrs:
            raise ValueError(f"kept docs stored with attributes {self.attrs}, the DocBin has {tuple(target.attrs)}")
        target.tokens.extend(self.tokens)
        target.spaces.extend(self.spaces)
        target.cats.extend(self.cats)
        target.flags.extend(self.flags)
        target.span_groups.extend(self.span_groups)
        target.user_data.extend([None] * len(self))
        target.strings.update(self.strings)

    def docs(self, vocab) -> list[Doc]:
        """The Doc objects, in order."""
        from spacy.tokens import DocBin

        b = DocBin()
        self.add_to(b)
        return list(b.get_docs(vocab))


@dataclass
class ArticleResult:
    """Everything the NLP pass produces for one article: table rows, the kept docs (None when the
    article has none) and each kept doc's context (article_id, paragraph_id, first_sentence_id)."""

    article_id: str
    sentences: list[dict]
    entities: list[dict]
    sentiment: list[dict]
    docs: PackedDocs | None
    contexts: list[dict] = field(default_factory=list)
    csv: dict[str, str] = field(default_factory=dict)  # table name -> this article's rows as CSV lines

    def kept(self, vocab) -> list[Doc]:
        """The kept (reception) paragraph docs, with their context in `user_data['ctx']`."""
        return with_contexts(self.docs.docs(vocab), self.contexts) if self.docs is not None else []


def with_contexts(docs: Iterable[Doc], contexts: list[dict]) -> list[Doc]:
    """`docs` with `user_data['ctx']` set from `contexts` (same order and length)."""
    out = list(docs)
    if len(out) != len(contexts):
        raise ValueError(f"{len(out)} kept docs but {len(contexts)} contexts")
    for d, ctx in zip(out, contexts, strict=True):
        d.user_data["ctx"] = dict(ctx)
    return out


class KeptDocs:
    """The kept docs of every article, written as a DocBin without user_data (decoding user_data costs
    about a millisecond a doc in srsly) plus `<name>.ctx.json`, the docs' contexts in the same order."""

    def __init__(self) -> None:
        from spacy.tokens import DocBin

        self.bin = DocBin()
        self.contexts: list[dict] = []

    def add(self, result: ArticleResult) -> None:
        if result.docs is not None:
            result.docs.add_to(self.bin)
            self.contexts.extend(result.contexts)

    def write(self, path: Path) -> None:
        """Both files, each written atomically."""
        import json

        from epnlp.io import write_bytes, write_text

        path = Path(path)
        write_bytes(path, self.bin.to_bytes())
        write_text(context_path(path), json.dumps(self.contexts, separators=(",", ":")) + "\n")


def context_path(docs_path: Path) -> Path:
    """Where the contexts of the kept docs in `docs_path` are written."""
    return Path(docs_path).with_suffix(".ctx.json")


class KeptDocsFile:
    """The docs written by `KeptDocs.write`, read lazily: the contexts at once, the DocBin when docs are
    first asked for, and Doc objects built only for the articles asked for."""

    def __init__(self, path: Path, vocab):
        import json

        self.path = Path(path)
        self.vocab = vocab
        self.contexts: list[dict] = json.loads(context_path(self.path).read_text(encoding="utf-8"))
        self._bin = None

    def docs(self, article_ids: Iterable[str] | None = None) -> list[Doc]:
        """The kept docs of `article_ids` (all if None), in file order, with `user_data['ctx']`."""
        import copy

        from spacy.tokens import DocBin

        if self._bin is None:
            self._bin = DocBin().from_disk(self.path)
            if len(self._bin) != len(self.contexts):
                raise ValueError(f"{self.path}: {len(self._bin)} docs but {len(self.contexts)} contexts")
        want = None if article_ids is None else set(article_ids)
        idx = [i for i, c in enumerate(self.contexts) if want is None or c["article_id"] in want]
        part = copy.copy(self._bin)  # the same strings and attributes, only the chosen docs' arrays
        for name in ("tokens", "spaces", "cats", "flags", "span_groups", "user_data"):
            rows = getattr(self._bin, name)
            setattr(part, name, [rows[i] for i in idx if i < len(rows)])
        return with_contexts(part.get_docs(self.vocab), [self.contexts[i] for i in idx])


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


def code_fingerprint() -> str:
    """Hash of the library code that shapes the NLP outputs, this module's and the sentence scorers'
    import closures (part of every cache key)."""
    from epnlp.cache import module_fingerprint

    return module_fingerprint("nlp", "sentiment")


@dataclass
class Job:
    """What annotating articles needs, in the stage's process or in a worker: params, entity config and
    known names, the sentiment scorer, each article's cache key and the cache. The model and the entity
    layer are built on first use, in the process that uses them."""

    params: dict
    cfg: Any
    known: dict
    scorer: Any
    keys: dict[str, str]
    cache: Any = None
    nlp: Language | None = None
    _layer: Any = None

    def model(self) -> Language:
        if self.nlp is None:
            self.nlp = load_model(self.params["nlp"]["model"], self.params["nlp"]["disable"])
        return self.nlp

    def finish(self, group: list[Annotated]) -> Iterator[ArticleResult]:
        """Link each article's entities, score the group's sentences in one batch, pack the kept docs;
        cache each result."""
        from epnlp.entities import link_rows
        from epnlp.sentiment import sentiment_rows

        scored = sentiment_rows([s for a in group for s in a.sentences], self.scorer) if self.scorer is not None else []
        tables: dict[str, list[dict]] = {schema.SENTENCES.name: [], schema.ENTITIES.name: [], schema.SENTIMENT.name: scored}
        at = 0
        parts = []  # (article, sentence rows, entity rows, sentiment rows)
        for a in group:
            rows = scored[at : at + len(a.sentences)] if self.scorer is not None else []
            at += len(a.sentences)
            linked = [r.__dict__ for r in link_rows(a.entities, self.known, self.cfg.titles, self.cfg.honorifics)]
            sentences = [r.__dict__ for r in a.sentences]
            tables[schema.SENTENCES.name].extend(sentences)
            tables[schema.ENTITIES.name].extend(linked)
            parts.append((a, sentences, linked, rows))
        # the group's rows formatted once per table, then cut per article (what the stage writes)
        csv = {name: csv_fragments(schema.TABLES[name], rows) for name, rows in tables.items()}
        for a, sentences, linked, rows in parts:
            result = ArticleResult(
                a.article_id,
                sentences,
                linked,
                rows,
                PackedDocs.of(a.kept) if a.kept else None,
                a.contexts,
                {name: frags.get(a.article_id, "") for name, frags in csv.items()},
            )
            if self.cache is not None:
                self.cache.put(a.article_id, self.keys[a.article_id], result)
            yield result

    def run(self, paragraphs: Iterable[ParagraphInput], n_articles: int | None = None, progress: bool = True) -> Iterator[ArticleResult]:
        """Annotate articles (paragraphs grouped by article, in order) in this process; sentences are
        scored in batches of about `nlp.score_batch` sentences (whole articles)."""
        from epnlp.entities import EntityLayer

        nlp = self.model()
        if self._layer is None:
            self._layer = EntityLayer(nlp, self.cfg, self.known)
        p = self.params["nlp"]
        limit = int(p.get("score_batch", 1000))
        group: list[Annotated] = []
        n = 0
        for a in annotate(nlp, paragraphs, p["batch_size"], 1, p["keep_roles"], self._layer, n_articles, progress):
            group.append(a)
            n += len(a.sentences)
            if n >= limit:
                yield from self.finish(group)
                group, n = [], 0
        yield from self.finish(group)


_JOB: Job | None = None  # the job of a worker process (set by its initializer)


def _init_worker(job: Job) -> None:
    global _JOB
    _JOB = job


def _work(shard: list[list[ParagraphInput]]) -> list[ArticleResult]:
    """A worker's task: annotate a shard of whole articles with the worker's own model."""
    assert _JOB is not None
    return list(_JOB.run((x for article in shard for x in article), progress=False))


def shards(items: list, size: int) -> list[list]:
    """Consecutive slices of `items` of `size` (the last may be shorter)."""
    size = max(1, int(size))
    return [items[i : i + size] for i in range(0, len(items), size)]


def run_parallel(job: Job, articles: list[list[ParagraphInput]], n_process: int, shard_articles: int) -> Iterator[ArticleResult]:
    """Annotate articles in `n_process` worker processes, each with its own model, a shard of whole
    articles per task; results come back in article order. Workers ship table rows (small), not Docs."""
    import multiprocessing as mp

    from tqdm import tqdm

    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    bar = tqdm(total=len(articles), unit="article", desc="nlp", disable=None, leave=False)
    with mp.get_context(method).Pool(n_process, initializer=_init_worker, initargs=(job,)) as pool:
        for results in pool.imap(_work, shards(articles, shard_articles)):
            yield from results
            bar.update(len(results))
    bar.close()


def process(
    params: dict,
    paragraphs: pd.DataFrame,
    edits: pd.DataFrame,
    infobox: pd.DataFrame,
    articles: pd.DataFrame,
    nlp: Language | None = None,
    n_process: int | None = None,
    scorer=None,
    cache=None,
    engine=None,
    inputs_dir: Path | None = None,
) -> Iterator[ArticleResult]:
    """The NLP pass as the `nlp` stage runs it, article by article in article order.

    One model per process, loaded once; the entity layer and alias linking; sentence sentiment with
    `scorer` (none: no sentiment rows). With a `cache` (epnlp.cache.ArticleCache), articles whose
    inputs, params and code are unchanged are read back instead of recomputed. With `n_process` > 1
    (default: params `nlp.n_process`), articles are annotated in that many worker processes, in shards
    of `nlp.shard_articles` whole articles; the rows are the same as with one process. With an
    `engine` (epnlp.engine.DaskEngine), the shards are Dask tasks whose workers read `paragraphs` and
    `clean_edits` from `inputs_dir` themselves; the rows are the same again.
    """
    from epnlp.cache import article_digests
    from epnlp.entities import EntityConfig, gazetteer_for, load_gazetteers, names_by_article

    p, e = params["nlp"], params["entities"]
    cfg = EntityConfig.from_params(e, params["parse"]["guest_keys"])
    gazetteers = load_gazetteers(Path(e["gazetteer_dir"])) if e.get("gazetteer_dir") else []  # empty: none
    common = fingerprint(
        p["model"], spacy.__version__, sorted(p["disable"]), p["keep_roles"], e, params["parse"]["guest_keys"],
        getattr(scorer, "fingerprint", None) or (scorer.name if scorer else None), code_fingerprint(),
    )
    # An article's key: its rows of the input tables (hashed vectorised, no per-article objects built)
    # and the gazetteer its series selects; known names and inputs are built for the misses only.
    digests = article_digests(paragraphs, edits, infobox, articles)
    series = dict(zip(articles["article_id"], articles["series"], strict=True))
    per_series: dict[object, str] = {}
    keys = {}
    for aid in sorted(set(paragraphs["article_id"])):
        s = series.get(aid)
        s = s if isinstance(s, str) else None
        if s not in per_series:
            per_series[s] = fingerprint(repr(gazetteer_for(gazetteers, s)))
        keys[aid] = fingerprint(common, digests.get(aid, ""), per_series[s])
    hits = {aid for aid in keys if cache is not None and cache.has(aid, keys[aid])}
    misses = [aid for aid in sorted(keys) if aid not in hits]
    want = set(misses)
    known = names_by_article(infobox[infobox["article_id"].isin(want)], articles[articles["article_id"].isin(want)], gazetteers, cfg) if misses else {}
    by_article: dict[str, list[ParagraphInput]] = {aid: [] for aid in misses}
    for x in paragraph_inputs(paragraphs[paragraphs["article_id"].isin(want)], edits[edits["article_id"].isin(want)]) if misses else []:
        by_article[x.article_id].append(x)
    job = Job(params, cfg, known, scorer, keys, cache, nlp)
    n_process = int(n_process or p["n_process"])

    computed: dict[str, ArticleResult] = {}
    if misses:
        if engine is not None:
            stream = engine.run(job, misses, Path(inputs_dir), p.get("shard_articles", 10))
        elif n_process > 1 and len(misses) > 1:
            stream = run_parallel(job, [by_article[aid] for aid in misses], n_process, p.get("shard_articles", 10))
        else:
            stream = job.run((x for aid in misses for x in by_article[aid]), len(misses))
        for result in stream:
            if cache is None:
                computed[result.article_id] = result
        if cache is not None:
            cache.misses += len(misses)
    for aid in sorted(keys):
        yield computed.pop(aid) if aid in computed else cache.get(aid, keys[aid])
    if cache is not None:
        cache.prune({(aid, k) for aid, k in keys.items()})
