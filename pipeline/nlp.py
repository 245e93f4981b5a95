"""Stage `nlp`: one spaCy model over every paragraph (nlp.pipe): sentences, entities, sentiment."""

from __future__ import annotations

from pathlib import Path

from spacy.tokens import DocBin

from epnlp import schema
from epnlp.io import load_params, read_table, write_table
from epnlp.nlp import run
from epnlp.sentiment import make_scorer, sentiment_rows


def main() -> None:
    params = load_params()
    out = Path(params["data"]["processed_dir"])
    result, _ = run(
        params,
        read_table(schema.PARAGRAPHS, out),
        read_table(schema.CLEAN_EDITS, out),
        read_table(schema.INFOBOX, out),
        read_table(schema.ARTICLES, out),
    )
    s = params["sentiment"]
    scorer = make_scorer(s["method"], s["threshold"], Path(s["model_dir"]))
    write_table(schema.SENTENCES.frame([r.__dict__ for r in result.sentences]), schema.SENTENCES, out)
    write_table(schema.ENTITIES.frame([r.__dict__ for r in result.entities]), schema.ENTITIES, out)
    write_table(schema.SENTIMENT.frame(sentiment_rows(result.sentences, scorer)), schema.SENTIMENT, out)
    docs_path = Path(params["nlp"]["docs_path"])
    docs_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = docs_path.with_suffix(".tmp")
    DocBin(store_user_data=True, docs=result.kept).to_disk(tmp)
    tmp.replace(docs_path)
    print(f"nlp: {len(result.sentences)} sentences, {len(result.entities)} entities, {len(result.kept)} docs kept")


if __name__ == "__main__":
    main()
