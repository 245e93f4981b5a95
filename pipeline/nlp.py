"""Stage `nlp`: one spaCy model over every paragraph (nlp.pipe): sentences, entities, sentiment."""

from __future__ import annotations

from pathlib import Path

from spacy.tokens import DocBin

from epnlp import schema
from epnlp.io import load_params, read_table, write_table
from epnlp.nlp import annotate, load_model, paragraph_inputs
from epnlp.sentiment import make_scorer, sentiment_rows


def main() -> None:
    params = load_params()
    p = params["nlp"]
    out = Path(params["data"]["processed_dir"])
    paragraphs = read_table(schema.PARAGRAPHS, out)
    edits = read_table(schema.CLEAN_EDITS, out)
    nlp = load_model(p["model"], p["disable"])
    result = annotate(nlp, paragraph_inputs(paragraphs, edits), p["batch_size"], p["n_process"], p["keep_roles"])
    s = params["sentiment"]
    scorer = make_scorer(s["method"], s["threshold"], Path(s["model_dir"]))
    write_table(schema.SENTENCES.frame([r.__dict__ for r in result.sentences]), schema.SENTENCES, out)
    write_table(schema.ENTITIES.frame([r.__dict__ for r in result.entities]), schema.ENTITIES, out)
    write_table(schema.SENTIMENT.frame(sentiment_rows(result.sentences, scorer)), schema.SENTIMENT, out)
    docbin = DocBin(store_user_data=True, docs=result.kept)
    Path(p["docs_path"]).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(p["docs_path"] + ".tmp")
    docbin.to_disk(tmp)
    tmp.replace(p["docs_path"])
    print(f"nlp: {len(result.sentences)} sentences, {len(result.entities)} entities, {len(result.kept)} docs kept")


if __name__ == "__main__":
    main()
