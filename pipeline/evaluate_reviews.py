"""Stage `evaluate_reviews`: critics' reviews of the development corpus against its gold, per half.

Writes `evaluate_reviews.report` (the DVC metrics: a few numbers per half), `.detail` (confusion tables
and per-article figures; not a metrics file, to keep `dvc metrics show` readable) and `.errors` (every
miss: missed and spurious critics, wrong outlet, author, score or polarity).
"""

from __future__ import annotations

from pathlib import Path

from epnlp import schema
from epnlp.evaluation.corpus import evaluate_reviews, load_gold
from epnlp.io import load_params, read_table, write_evaluation


def main() -> None:
    params = load_params()
    p = params["evaluate_reviews"]
    tables = Path(params["analyze_corpus"]["out_dir"])
    articles, reviews = read_table(schema.ARTICLES, tables), read_table(schema.REVIEWS, tables)
    headline, detail, errors = evaluate_reviews(load_gold(Path(p["gold_dir"])), articles, reviews)
    write_evaluation("evaluate_reviews", p, headline, detail, schema.REVIEW_ERRORS.frame(errors))


if __name__ == "__main__":
    main()
