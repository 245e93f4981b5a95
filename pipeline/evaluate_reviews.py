"""Stage `evaluate_reviews`: critics' reviews of the development corpus against its gold, per half.

Writes `evaluate_reviews.report` (the DVC metrics: a few numbers per half), `.detail` (confusion tables
and per-article figures; not a metrics file, to keep `dvc metrics show` readable) and `.errors` (every
miss: missed and spurious critics, wrong outlet, author, score or polarity).
"""

from __future__ import annotations

from pathlib import Path

from epnlp import schema
from epnlp.corpus_eval import evaluate_reviews, load_gold
from epnlp.io import load_params, read_table, write_json, write_metrics, write_text


def main() -> None:
    params = load_params()
    p = params["evaluate_reviews"]
    tables = Path(params["analyze_corpus"]["out_dir"])
    articles, reviews = read_table(schema.ARTICLES, tables), read_table(schema.REVIEWS, tables)
    headline, detail, errors = evaluate_reviews(load_gold(Path(p["gold_dir"])), articles, reviews)
    halves = ("dev", "held_out")
    write_metrics(Path(p["metrics_dir"]), {m: {h: headline[h][m] for h in halves} for m in headline["dev"] if not m.startswith("gold_")})
    write_json(Path(p["detail"]), {"headline": headline, **detail})
    frame = schema.REVIEW_ERRORS.frame(errors)
    write_text(Path(p["errors"]), frame.to_csv(index=False, lineterminator="\n"))
    for half, m in headline.items():
        print(f"evaluate_reviews [{half}]: " + ", ".join(f"{k} {v}" for k, v in m.items()))


if __name__ == "__main__":
    main()
