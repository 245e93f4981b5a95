"""Stage `reviews`: split reception sections into critics' reviews, with facts, quotes and polarity."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.tokens import DocBin

from epnlp import schema
from epnlp.io import load_params, read_table, write_table
from epnlp.nlp import paragraph_inputs
from epnlp.reviews import PolarityConfig, credited_people, people_spans, review_rows
from epnlp.sentiment import make_scorer


def main() -> None:
    params = load_params()
    r = params["reviews"]
    out = Path(params["data"]["processed_dir"])
    paragraphs = read_table(schema.PARAGRAPHS, out)
    edits = read_table(schema.CLEAN_EDITS, out)
    infobox = read_table(schema.INFOBOX, out)
    sentiment = read_table(schema.SENTIMENT, out)
    parse_issues = read_table(schema.PARSE_ISSUES, out)
    docs = list(DocBin().from_disk(params["nlp"]["docs_path"]).get_docs(spacy.blank("en").vocab))
    keep = {(d.user_data["ctx"]["article_id"], d.user_data["ctx"]["paragraph_id"]) for d in docs}
    mask = [k in keep for k in zip(paragraphs["article_id"], paragraphs["paragraph_id"], strict=True)]
    inputs = {(p.article_id, p.paragraph_id): p for p in paragraph_inputs(paragraphs[mask], edits)}
    sent = {(a, s): (c, e) for a, s, c, e in zip(sentiment["article_id"], sentiment["sentence_id"], sentiment["compound"], sentiment["evidence"], strict=True)}
    s = params["sentiment"]
    scorer = make_scorer(s["method"], s["threshold"], Path(s["model_dir"]))
    entities = read_table(schema.ENTITIES, out)
    res = review_rows(
        docs, inputs, credited_people(infobox), sent, scorer, PolarityConfig(r["polarity_threshold"], r["rank_signal"]),
        r["aspects"], people_spans(entities), params["entities"]["titles"],
    )
    reviews, quotes, issues = res.reviews, res.quotes, res.issues
    write_table(schema.REVIEWS.frame(reviews), schema.REVIEWS, out)
    write_table(schema.REVIEW_QUOTES.frame(quotes), schema.REVIEW_QUOTES, out)
    write_table(schema.REVIEW_ASPECTS.frame(res.aspects), schema.REVIEW_ASPECTS, out)
    files = dict(zip(read_table(schema.ARTICLES, out)["article_id"], read_table(schema.ARTICLES, out)["source_file"], strict=True))
    issues = [{**i, "source_file": files.get(i["article_id"], "")} for i in issues]
    rejects = schema.REJECTS.frame(parse_issues.to_dict("records") + issues)
    write_table(rejects, schema.REJECTS, out)
    print(f"reviews: {len(reviews)} reviews, {len(quotes)} quotes, {len(res.aspects)} judged aspects, {len(rejects)} issues in rejects.csv")


if __name__ == "__main__":
    main()
