"""The chain's first links on articles in memory: parse and clean, then the NLP pass. `analyze` (the CLI's
whole chain), the evaluation stages and the benchmarks call these, and the DVC stages are the on-disk,
incremental form of the same calls; kept apart from `analyze` so that a stage using only these links
depends on their code alone."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from spacy.language import Language

from epnlp import schema
from epnlp.io import RawArticle
from epnlp.nlp.known import EntityConfig
from epnlp.nlp.pipeline import NlpConfig, process
from epnlp.text.clean import clean_paragraphs
from epnlp.text.parse import ParseConfig, parse_corpus


def parse_and_clean(raws: Sequence[RawArticle], cfg: ParseConfig) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """The first two links of the chain (the `parse` and `clean` stages): the parsed tables plus
    `clean_paragraphs` and `clean_edits`, and the parse issues."""
    rows, issues = parse_corpus(list(raws), cfg)
    t = {name: schema.TABLES[name].frame(r) for name, r in rows.items()}
    clean_rows, edit_rows = clean_paragraphs(t["paragraphs"])
    t["clean_paragraphs"] = schema.CLEAN_PARAGRAPHS.frame(clean_rows)
    t["clean_edits"] = schema.CLEAN_EDITS.frame(edit_rows)
    return t, issues


def annotate_tables(t: dict[str, pd.DataFrame], settings: NlpConfig, entities: EntityConfig, nlp: Language, scorer=None) -> list:
    """The `nlp` stage's call: sentences, entities and sentiment added to `t` (in place); returns the
    per-article results (their kept reception docs feed the reviews)."""
    results = list(process(t, settings, entities, nlp=nlp, n_process=1, scorer=scorer))
    for name in ("sentences", "entities", "sentiment"):
        t[name] = schema.TABLES[name].frame([row for x in results for row in getattr(x, name)])
    return results
