"""Stage `evaluate_sentiment`: measure each sentiment method on the movie held-out split, NYT and reception.

Reads params `sentiment` (methods, threshold, seed, test_size, data, model_dir, report); writes
{method: {set: {metric: value}}} (sorted keys, 4 decimals) to the report JSON.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from epnlp.io import load_params, write_json, write_metrics
from epnlp.sentiment import Scorer, make_scorer
from epnlp.sentiment_eval import evaluate, load_rated, rounded, split

HEADLINE = ("pearson_r", "binary_accuracy", "macro_f1")


def scorers(methods: list[str], threshold: float, model_dir: Path) -> list[Scorer]:
    """One scorer per method, built the way the pipeline builds them."""
    return [make_scorer(m, threshold, model_dir) for m in methods]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--params", type=Path, default=Path("params.yaml"))
    ap.add_argument("--model-dir", type=Path, help="default: params sentiment.model_dir")
    ap.add_argument("--out", type=Path, help="report JSON (default: params sentiment.report)")
    args = ap.parse_args(argv)
    p = load_params(args.params)["sentiment"]
    data = p["data"]
    _, movie_test = split(
        load_rated(Path(data["movie"])), seed=int(p["seed"]), test_size=float(p["test_size"])
    )
    sets = {"movie_heldout": movie_test}
    sets.update({name: load_rated(Path(path)) for name, path in data.items() if name != "movie"})
    report = {}
    for scorer in scorers(list(p["methods"]), float(p["threshold"]), args.model_dir or Path(p["model_dir"])):
        report[scorer.name] = {name: evaluate(scorer, df) for name, df in sets.items()}
        line = "  ".join(
            f"{n}: bin={m['binary_accuracy']:.3f} r={m['pearson_r']:.3f}"
            for n, m in report[scorer.name].items()
        )
        print(f"evaluate_sentiment: {scorer.name:7s} {line}")
    out = args.out or Path(p["report"])
    write_json(out, rounded(report))
    # headline DVC metrics: one row per method and measure, one column per rated set
    headline = {f"{method}_{m}": {name: rounded(r)[name][m] for name in r} for method, r in report.items() for m in HEADLINE}
    write_metrics(Path(p["metrics_dir"]), headline)
    print(f"evaluate_sentiment: -> {out}")


if __name__ == "__main__":
    main()
