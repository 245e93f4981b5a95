"""The NLP pass as the `nlp` stage runs it: articles through the spaCy pass (`nlp.annotate`), entity
linking and sentence sentiment, per-article caching, and the runners (this process, a process pool, or
Dask tasks through `epnlp.nlp.engine`). The kept docs are handled by `nlp.docs`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from epnlp import schema
from epnlp.cache import fingerprint
from epnlp.io import csv_fragments
from epnlp.nlp.annotate import (
    Annotated,
    EntityRow,
    ParagraphInput,
    SentenceRow,
    annotate,
    load_model,
    paragraph_inputs,
    rows_for,
    sentences_of,
)
from epnlp.nlp.docs import KeptDocs, KeptDocsFile, PackedDocs, with_contexts

if TYPE_CHECKING:
    import pandas as pd

# Names other modules import from here; `load_model` and `paragraph_inputs` are also looked up here at
# call time (a test swaps in its model by patching `epnlp.nlp.pipeline.load_model`).
__all__ = [
    "INPUT_TABLES", "Annotated", "ArticleResult", "EntityRow", "Job", "KeptDocs", "KeptDocsFile", "NlpConfig", "PackedDocs", "ParagraphInput",
    "SentenceRow", "annotate", "code_fingerprint", "load_model", "paragraph_inputs", "process", "rows_for",
    "run_parallel", "sentences_of", "shards",
]


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


def code_fingerprint() -> str:
    """Hash of the library code that shapes the NLP outputs, this module's and the sentence scorers'
    import closures (part of every cache key)."""
    from epnlp.cache import module_fingerprint

    return module_fingerprint("nlp.pipeline", "sentiment.scorer")


@dataclass(frozen=True)
class NlpConfig:
    """Params `nlp`: the spaCy model and its disabled components, `nlp.pipe` batch size, worker
    processes and their shard size, sentences per scoring batch, the section roles whose docs are kept.
    Batch sizes and processes change no output (they are not part of any cache key)."""

    model: str = "en_core_web_sm"
    disable: tuple[str, ...] = ()
    batch_size: int = 64
    n_process: int = 1
    shard_articles: int = 10
    score_batch: int = 1000
    keep_roles: tuple[str, ...] = ("reception",)

    @classmethod
    def from_params(cls, p: dict) -> NlpConfig:
        """NlpConfig from the `nlp` section of params.yaml (paths there are the stage's, not the library's)."""
        d = cls(str(p["model"]))  # a missing key keeps the class default
        return cls(
            d.model, tuple(p.get("disable") or ()), int(p.get("batch_size", d.batch_size)), int(p.get("n_process", d.n_process)),
            int(p.get("shard_articles", d.shard_articles)), int(p.get("score_batch", d.score_batch)),
            tuple(p["keep_roles"] or ()) if "keep_roles" in p else d.keep_roles,
        )


@dataclass
class Job:
    """What annotating articles needs, in the stage's process or in a worker: the NLP and entity
    configs, known names, the sentiment scorer, each article's cache key and the cache. The model and
    the entity layer are built on first use, in the process that uses them."""

    settings: NlpConfig
    cfg: Any
    known: dict
    scorer: Any
    keys: dict[str, str]
    cache: Any = None
    nlp: Language | None = None
    _layer: Any = None

    def model(self) -> Language:
        if self.nlp is None:
            self.nlp = load_model(self.settings.model, list(self.settings.disable))
        return self.nlp

    def finish(self, group: list[Annotated]) -> Iterator[ArticleResult]:
        """Link each article's entities, score the group's sentences in one batch, pack the kept docs;
        cache each result."""
        from epnlp.nlp.entities import link_rows
        from epnlp.sentiment.scorer import sentiment_rows

        scored = sentiment_rows([s for a in group for s in a.sentences], self.scorer) if self.scorer is not None else []
        tables: dict[str, list[dict]] = {schema.SENTENCES.name: [], schema.ENTITIES.name: [], schema.SENTIMENT.name: scored}
        at = 0
        parts = []  # (article, sentence rows, entity rows, sentiment rows)
        for a in group:
            rows = scored[at : at + len(a.sentences)] if self.scorer is not None else []
            at += len(a.sentences)
            text = {a.article_id: "\n".join(s.text for s in a.sentences)}  # one sentence a line: openings are line starts
            linked = [r.__dict__ for r in link_rows(a.entities, self.known, self.cfg.titles, self.cfg.honorifics, self.cfg.org_nouns, text)]
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
        from epnlp.nlp.entities import EntityLayer

        nlp = self.model()
        if self._layer is None:
            self._layer = EntityLayer(nlp, self.cfg, self.known)
        p = self.settings
        group: list[Annotated] = []
        n = 0
        for a in annotate(nlp, paragraphs, p.batch_size, 1, list(p.keep_roles), self._layer, n_articles, progress):
            group.append(a)
            n += len(a.sentences)
            if n >= p.score_batch:
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


def cache_keys(settings: NlpConfig, entities: Any, scorer, t: dict[str, pd.DataFrame], gazetteers: list) -> dict[str, str]:
    """Each article's cache key: the model, entity config, scorer and code every article shares, the
    article's rows of the input tables (hashed vectorised, no per-article objects built) and the
    gazetteer its series selects."""
    from epnlp.cache import article_digests
    from epnlp.nlp.entities import gazetteer_for

    common = fingerprint(
        settings.model, spacy.__version__, sorted(settings.disable), list(settings.keep_roles), repr(entities),
        getattr(scorer, "fingerprint", None) or (scorer.name if scorer else None), code_fingerprint(),
    )
    paragraphs, articles = t["paragraphs"], t["articles"]
    digests = article_digests(paragraphs, t["clean_paragraphs"], t["clean_edits"], t["infobox"], articles)
    series = dict(zip(articles["article_id"], articles["series"], strict=True))
    per_series: dict[object, str] = {}
    keys = {}
    for aid in sorted(set(paragraphs["article_id"])):
        s = series.get(aid)
        s = s if isinstance(s, str) else None
        if s not in per_series:
            per_series[s] = fingerprint(repr(gazetteer_for(gazetteers, s)))
        keys[aid] = fingerprint(common, digests.get(aid, ""), per_series[s])
    return keys


def _inputs_by_article(misses: list[str], t: dict[str, pd.DataFrame]) -> dict[str, list[ParagraphInput]]:
    """The ParagraphInputs of the articles to compute, by article (built for those only)."""
    by_article: dict[str, list[ParagraphInput]] = {aid: [] for aid in misses}
    if misses:
        want = set(misses)
        part = [t[n][t[n]["article_id"].isin(want)] for n in ("paragraphs", "clean_paragraphs", "clean_edits")]
        for x in paragraph_inputs(*part):
            by_article[x.article_id].append(x)
    return by_article


def _compute(job: Job, by_article: dict[str, list[ParagraphInput]], n_process: int, engine, inputs_dir: Path | None) -> Iterator[ArticleResult]:
    """The results of the articles in `by_article` (in its order), from the engine, a process pool or
    this process."""
    misses = list(by_article)
    shard = job.settings.shard_articles
    if engine is not None:
        return engine.run(job, misses, Path(inputs_dir), shard)
    if n_process > 1 and len(misses) > 1:
        return run_parallel(job, [by_article[aid] for aid in misses], n_process, shard)
    return job.run((x for aid in misses for x in by_article[aid]), len(misses))


# The input tables of the NLP pass (the parse and clean stages' outputs), by name.
INPUT_TABLES = ("articles", "infobox", "paragraphs", "clean_paragraphs", "clean_edits")


def process(
    t: dict[str, pd.DataFrame],
    settings: NlpConfig,
    entities: Any,
    *,
    nlp: Language | None = None,
    n_process: int | None = None,
    scorer=None,
    cache=None,
    engine=None,
    inputs_dir: Path | None = None,
) -> Iterator[ArticleResult]:
    """The NLP pass as the `nlp` stage runs it, article by article in article order.

    `t`: the `INPUT_TABLES` by name; `entities`: an `epnlp.nlp.known.EntityConfig` (its `gazetteer_dir`:
    the franchise gazetteers, None for none). One model per process, loaded once; the entity layer and
    alias linking; sentence sentiment with `scorer` (none: no sentiment rows). With a `cache`
    (epnlp.cache.ArticleCache), articles whose inputs, config and code are unchanged are read back
    instead of recomputed. With `n_process` > 1 (default: `settings.n_process`), articles are annotated
    in that many worker processes, in shards of `settings.shard_articles` whole articles; the rows are the
    same as with one process. With an `engine` (epnlp.nlp.engine.DaskEngine), the shards are Dask tasks
    whose workers read the input tables from `inputs_dir` themselves; the rows are the same again.
    """
    from epnlp.nlp.entities import load_gazetteers, names_by_article

    gazetteers = load_gazetteers(Path(entities.gazetteer_dir)) if entities.gazetteer_dir else []
    keys = cache_keys(settings, entities, scorer, t, gazetteers)
    hits = {aid for aid in keys if cache is not None and cache.has(aid, keys[aid])}
    misses = [aid for aid in sorted(keys) if aid not in hits]
    want = set(misses)
    infobox, articles = t["infobox"], t["articles"]
    known = names_by_article(infobox[infobox["article_id"].isin(want)], articles[articles["article_id"].isin(want)], gazetteers, entities) if misses else {}
    by_article = _inputs_by_article(misses, t)
    job = Job(settings, entities, known, scorer, keys, cache, nlp)
    computed: dict[str, ArticleResult] = {}
    if misses:
        for result in _compute(job, by_article, int(n_process or settings.n_process), engine, inputs_dir):
            if cache is None:  # with a cache, each result was stored as it was made and is read back below
                computed[result.article_id] = result
        if cache is not None:
            cache.misses += len(misses)
    for aid in sorted(keys):
        yield computed.pop(aid) if aid in computed else cache.get(aid, keys[aid])
    if cache is not None:
        cache.prune({(aid, k) for aid, k in keys.items()})
