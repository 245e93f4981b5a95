"""Stage `reviews`: split reception sections into critics' reviews, with facts, quotes and polarity (clauses
scored by `sentiment.review_method`, null: `sentiment.method`)."""

from __future__ import annotations

from pathlib import Path

import spacy

from epnlp import schema
from epnlp.cache import ArticleCache
from epnlp.io import load_params, read_table, write_table
from epnlp.nlp.pipeline import KeptDocsFile
from epnlp.reviews.tables import PolarityConfig, review_tables
from epnlp.sentiment.scorer import make_scorer, scorer_kwargs


def main() -> None:
    params = load_params()
    r = params["reviews"]
    out = Path(params["data"]["processed_dir"])
    paragraphs = read_table(schema.PARAGRAPHS, out)
    edits = read_table(schema.CLEAN_EDITS, out)
    infobox = read_table(schema.INFOBOX, out)
    sentiment = read_table(schema.SENTIMENT, out)
    docs = KeptDocsFile(Path(params["nlp"]["docs_path"]), spacy.blank("en").vocab)
    s = params["sentiment"]
    cache = ArticleCache(Path(r["cache_dir"]))
    res = review_tables(
        docs, paragraphs, edits, infobox, sentiment, read_table(schema.ENTITIES, out),
        make_scorer(**scorer_kwargs(s, reviews=True)),
        PolarityConfig(r["polarity_threshold"], r["rank_signal"]), r["aspects"], params["entities"]["titles"],
        params["nlp"]["model"], cache=cache,
    )
    reviews, quotes, issues = res.reviews, res.quotes, res.issues
    write_table(schema.REVIEWS.frame(reviews), schema.REVIEWS, out)
    write_table(schema.REVIEW_QUOTES.frame(quotes), schema.REVIEW_QUOTES, out)
    write_table(schema.REVIEW_ASPECTS.frame(res.aspects), schema.REVIEW_ASPECTS, out)
    articles = read_table(schema.ARTICLES, out)
    files = dict(zip(articles["article_id"], articles["source_file"], strict=True))
    issues = [{**i, "source_file": files.get(i["article_id"], "")} for i in issues]
    write_table(schema.REVIEW_ISSUES.frame(issues), schema.REVIEW_ISSUES, out)
    print(f"reviews: {len(reviews)} reviews, {len(quotes)} quotes, {len(res.aspects)} judged aspects, {len(issues)} issues in review_issues.csv "
          f"({cache.misses} computed, {cache.hits} from cache)")


if __name__ == "__main__":
    main()
