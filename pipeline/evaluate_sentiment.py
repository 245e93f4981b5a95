"""Stage `evaluate_sentiment`: measure each sentiment method on every rated set.

Sets: the movie held-out split (the model is trained on the rest), and NYT, product reviews, tweets and
the hand-written reception and critic-idiom sets, each split in halves by `sentiment.evaluate.halves`
(seed `sentiment.seed`, params `sentiment.halved`): the dev half may be used to choose rules and thresholds
and is reported as `<set>_dev`; the test half is reported as `<set>_test` and is the one that counts. For
the `train_rated` sets a `train_share` of the dev half is training data: `<set>_dev` is the rest.

Reads params `sentiment`; writes the full detail {method: {set: {metric: value}}} to `sentiment.report`
(a plain DVC output) and a small headline (binary accuracy, r and macro-F1 on the four main test sets of
the methods `sentiment.headline_methods`: the default, the one for critics' own words, and VADER) to
`sentiment.metrics_dir` (the DVC metrics, one file per row).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from epnlp.io import load_params, write_json, write_metrics
from epnlp.sentiment.evaluate import evaluate, load_set, rounded, set_parts, split
from epnlp.sentiment.scorer import Scorer, make_scorer

# the main test sets, by the short column name `dvc metrics show` prints (every one a test split or half)
HEADLINE_SETS = {"movie_heldout": "movie", "nyt_test": "nyt", "reception_test": "reception", "idioms_test": "idioms"}
HEADLINE_METRICS = ("binary_accuracy", "pearson_r", "macro_f1")


def scorers(methods: list[str], threshold: float | None, model_dir: Path) -> list[Scorer]:
    """One scorer per method, built the way the pipeline builds them (None: each method's own band)."""
    return [make_scorer(m, threshold, model_dir) for m in methods]


def rated_sets(p: dict) -> dict[str, pd.DataFrame]:
    """Every evaluation set by name: movie held-out, the halved sets' dev and test halves, the rest whole."""
    data, seed = p["data"], int(p["seed"])
    _, movie_test = split(load_set(Path(data["movie"])), seed=seed, test_size=float(p["test_size"]))
    sets = {"movie_heldout": movie_test}
    for name, path in data.items():
        if name == "movie":
            continue
        if name in p.get("halved", ()):
            parts = set_parts(p, name)  # a training part (train_rated) is not measured
            sets[f"{name}_dev"], sets[f"{name}_test"] = parts["dev"], parts["test"]
        else:
            sets[name] = load_set(Path(path))
    return sets


def headline(report: dict, methods: list[str]) -> dict[str, dict]:
    """The few numbers `dvc metrics show` prints, as metric rows (`io.write_metrics`): one row per
    method and measure (`blend_pearson_r`), one column per main test set (`HEADLINE_SETS`: the test half,
    named without "_test"), for the measured ones of `methods` (every method and set, dev halves
    included, is in the detail report)."""
    methods = [m for m in dict.fromkeys(methods) if m in report]
    return {
        f"{m}_{k}": {short: report[m][s][k] for s, short in HEADLINE_SETS.items() if s in report[m]}
        for m in methods for k in HEADLINE_METRICS
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--params", type=Path, default=Path("params.yaml"))
    ap.add_argument("--model-dir", type=Path, help="default: params sentiment.model_dir")
    ap.add_argument("--out", type=Path, help="detail JSON (default: params sentiment.report)")
    ap.add_argument("--metrics", type=Path, help="headline metrics folder (default: params sentiment.metrics_dir)")
    args = ap.parse_args(argv)
    p = load_params(args.params)["sentiment"]
    sets = rated_sets(p)
    report = {}
    threshold = p.get("threshold")
    for scorer in scorers(list(p["methods"]), threshold, args.model_dir or Path(p["model_dir"])):
        report[scorer.name] = {name: evaluate(scorer, df) for name, df in sets.items()}
        line = "  ".join(
            f"{n}: bin={m['binary_accuracy']:.3f} r={m['pearson_r']:.3f} f1={m['macro_f1']:.3f}"
            for n, m in report[scorer.name].items()
            if n in HEADLINE_SETS
        )
        print(f"evaluate_sentiment: {scorer.name:7s} {line}")
    out = args.out or Path(p["report"])
    write_json(out, rounded(report))
    write_metrics(args.metrics or Path(p["metrics_dir"]), rounded(headline(report, list(p["headline_methods"])), 3))
    print(f"evaluate_sentiment: -> {out}")


if __name__ == "__main__":
    main()
