"""The whole library chain on articles in memory (no DVC): what `epnlp analyze` runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from spacy.language import Language

from epnlp import schema
from epnlp.flow import annotate_tables, parse_and_clean
from epnlp.io import read_article, write_table, write_text
from epnlp.nlp.known import EntityConfig
from epnlp.nlp.pipeline import NlpConfig, load_model, paragraph_inputs
from epnlp.report.tables import critic_label, review_comparison
from epnlp.reviews.tables import PolarityConfig, credited_people, people_spans, review_rows
from epnlp.sentiment.scorer import Scorer, make_scorer, scorer_kwargs
from epnlp.summary.arc import paragraph_summary, plot_arc
from epnlp.summary.characters import character_rows, cooccurrence_rows
from epnlp.summary.compare import CompareConfig, compare_tables
from epnlp.summary.readability import readability_rows
from epnlp.summary.source_names import load_aliases
from epnlp.text.parse import ParseConfig


@dataclass(frozen=True)
class ChainConfig:
    """Everything the whole chain needs, built once from params.yaml at the edge (`from_params`); the
    library calls get the parts they use."""

    parse: ParseConfig
    nlp: NlpConfig
    entities: EntityConfig
    sentiment: Mapping[str, Any]  # make_scorer's keyword arguments: method, threshold, model_dir
    polarity: PolarityConfig
    aspects: Mapping[str, Any]
    arc_window: int
    compare: CompareConfig
    aliases: Path
    max_bytes: int | None = None
    review_method: str | None = None  # the sentiment method for critics' prose (None: `sentiment`'s method)

    @classmethod
    def from_params(cls, params: dict) -> ChainConfig:
        s, r, c = params["sentiment"], params["reviews"], params["compare"]
        return cls(
            ParseConfig.from_params(params["parse"]), NlpConfig.from_params(params["nlp"]),
            EntityConfig.from_params(params["entities"], params["parse"]["guest_keys"]),
            scorer_kwargs(s),
            PolarityConfig(r["polarity_threshold"], r["rank_signal"]), r["aspects"], int(params["summarize"]["arc_window"]),
            CompareConfig.from_params(c), Path(c["aliases"]), params["parse"].get("max_bytes"), s.get("review_method"),
        )

    def review_scorer(self, scorer: Scorer) -> Scorer:
        """The scorer of critics' prose: `scorer` itself unless `review_method` names another method."""
        kwargs = scorer_kwargs({**self.sentiment, "review_method": self.review_method}, reviews=True)
        return scorer if kwargs == self.sentiment else make_scorer(**kwargs)


@dataclass
class Analysis:
    """Every table for the analysed articles, keyed by table name."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def rejected(self) -> bool:
        r = self.tables["rejects"]
        return bool((r["severity"] == "reject").any())

    def write(self, out: Path) -> None:
        """Every table as the pipeline writes it: the `data/processed` tables and the critics'
        comparison (`review_sentiment.csv`, as in `reports/`)."""
        for name, df in self.tables.items():
            if name in schema.TABLES:
                write_table(df, schema.TABLES[name], out)
        if "comparison" in self.tables:
            csv = self.tables["comparison"].to_csv(index=False, lineterminator="\n", float_format="%.4g")
            write_text(Path(out) / "review_sentiment.csv", csv)


def analyze(paths: Sequence[Path], cfg: ChainConfig, nlp: Language | None = None) -> Analysis:
    """Parse, clean, annotate, extract reviews and summarise the article files in `paths`.

    The same library calls as the DVC stages, in memory and without caches: `epnlp analyze` and the
    evaluation stages use it (or its first links). `nlp`: a loaded spaCy model to reuse (default: load
    `cfg.nlp.model`).
    """
    raws = [read_article(Path(path), cfg.max_bytes) for path in paths]
    t, issues = parse_and_clean(raws, cfg.parse)
    t["rejects"] = schema.REJECTS.frame(issues)
    scorer = make_scorer(**cfg.sentiment)
    nlp = nlp or load_model(cfg.nlp.model, list(cfg.nlp.disable))
    results = annotate_tables(t, cfg.nlp, cfg.entities, nlp, scorer)
    res = _reviews(t, results, nlp, cfg.review_scorer(scorer), cfg)
    t["reviews"] = schema.REVIEWS.frame(res.reviews)
    t["review_quotes"] = schema.REVIEW_QUOTES.frame(res.quotes)
    t["review_aspects"] = schema.REVIEW_ASPECTS.frame(res.aspects)
    source = {r.article_id: r.path.name for r in raws}
    t["review_issues"] = schema.REVIEW_ISSUES.frame([{**i, "source_file": source.get(i["article_id"], "")} for i in res.issues])
    _summaries(t, cfg)
    return Analysis(t)


def _summaries(t: dict[str, pd.DataFrame], cfg: ChainConfig) -> None:
    """The `summarize` and `compare` stages' tables, added to `t`."""
    t["characters"] = schema.CHARACTERS.frame(character_rows(t["entities"], t["sentences"]))
    t["cooccurrence"] = schema.COOCCURRENCE.frame(cooccurrence_rows(t["entities"]))
    t["readability"] = schema.READABILITY.frame(readability_rows(t["sections"], t["paragraphs"], t["clean_paragraphs"], t["sentences"]))
    t["plot_arc"] = plot_arc(t["sentences"], t["sentiment"], window=cfg.arc_window)
    t["plot_arc_paragraphs"] = paragraph_summary(t["plot_arc"])
    t["comparison"] = review_comparison(t["reviews"], t["articles"])
    t.update(compare_tables(t["reviews"], t["articles"], t["infobox"], cfg.compare, load_aliases(cfg.aliases)))


def _reviews(t: dict[str, pd.DataFrame], results: list, nlp: Language, scorer, cfg: ChainConfig):
    """The reviews stage's call on the in-memory tables and the kept reception docs."""
    sent = {(a, i): (c, e) for a, i, c, e in zip(t["sentiment"]["article_id"], t["sentiment"]["sentence_id"], t["sentiment"]["compound"], t["sentiment"]["evidence"], strict=True)}
    inputs = paragraph_inputs(t["paragraphs"], t["clean_paragraphs"], t["clean_edits"])
    return review_rows(
        [d for x in results for d in x.kept(nlp.vocab)], {(x.article_id, x.paragraph_id): x for x in inputs},
        credited_people(t["infobox"]), sent, scorer, cfg.polarity, cfg.aspects, people_spans(t["entities"]), list(cfg.entities.titles),
    )


def summary_text(a: Analysis, top: int = 5) -> str:
    """A short plain-text summary: title, top characters/people, critics with polarity."""
    t = a.tables
    lines = []
    for rej in pd.concat([t["rejects"], t["review_issues"]]).itertuples(index=False):
        lines.append(f"{rej.severity}: {rej.source_file}:{'' if pd.isna(rej.line) else rej.line} {rej.problem}: {rej.message}")
    for art in t["articles"].itertuples(index=False):
        lines.append(f"{art.title}  [{art.article_id}, {art.n_words} words]")
        ents = t["entities"][(t["entities"]["article_id"] == art.article_id) & t["entities"]["kind"].isin(["character", "person"])]
        if len(ents):
            counts = ents.groupby("canonical").size().sort_values(ascending=False, kind="mergesort").head(top)
            lines.append("  top people/characters: " + ", ".join(f"{k} ({v})" for k, v in counts.items()))
        comp = t["comparison"][t["comparison"]["article_id"] == art.article_id]
        for _, row in comp.iterrows():
            score = f", {row['score_text']}" if isinstance(row["score_text"], str) else ""
            rank = f", rank {row['rank']}" if not pd.isna(row["rank"]) else ""
            lines.append(f"  critic: {critic_label(row)}{score}{rank} -> {row['polarity']} (text {row['sentiment']:+.2f})")
    return "\n".join(lines)
