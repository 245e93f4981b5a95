"""Stage `train_sentiment`: fit the sentence-sentiment model on the movie set's training split.

Reads params `sentiment` (seed, test_size, model, data, train_extra, train_rated, train_share, model_dir).
Added to the movie training split: with `model.critic_weight` > 0 the critics' training sentences
(`train_extra`, sign-labelled) at that weight, and with `model.rated_weight` > 0 the training parts of the
`train_rated` sets (a `train_share` of their dev halves: `sentiment.evaluate.halved_parts`) at that weight.
Writes the model folder
(`meta.json` + weight and vocabulary arrays `*.npy`). The held-out split (same seed) is left for `evaluate_sentiment`.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from epnlp.io import load_params
from epnlp.sentiment.evaluate import load_rated, split, training_extras
from epnlp.sentiment.store import save
from epnlp.sentiment.train import train, training_set


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--params", type=Path, default=Path("params.yaml"))
    ap.add_argument("--movie", type=Path, help="rated movie sentences (default: params sentiment.data.movie)")
    ap.add_argument("--model-dir", type=Path, help="output folder (default: params sentiment.model_dir)")
    args = ap.parse_args(argv)
    p = load_params(args.params)["sentiment"]
    movie = load_rated(args.movie or Path(p["data"]["movie"]))
    train_df, test_df = split(movie, seed=int(p["seed"]), test_size=float(p["test_size"]))
    extras = training_extras(p)
    texts, ratings, weights = training_set(train_df, extras)
    t0 = time.perf_counter()
    model = train(texts, ratings, seed=int(p["seed"]), weights=weights, **p.get("model", {}))
    out = save(model, args.model_dir or Path(p["model_dir"]))
    print(
        f"train_sentiment: {model.n_train} sentences ({len(test_df)} movie held out, "
        f"{' + '.join(f'{len(df)} at weight {w:g}' for df, w in extras) or 'no'} other), "
        f"{len(model.coef)} features, {time.perf_counter() - t0:.1f}s -> {out}"
    )


if __name__ == "__main__":
    main()
