"""Stage `analyze_corpus`: the library chain (`epnlp.analyze`) on the development corpus.

Reads params `analyze_corpus` (articles folder, output folder, whether franchise gazetteers apply) and
the pipeline's own params; writes every table for the corpus articles into `analyze_corpus.out_dir`, for
`evaluate_reviews` and `evaluate_characters` to score. The user's `data/raw/` is not read.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import replace
from pathlib import Path

from epnlp.analyze import ChainConfig, analyze
from epnlp.io import list_articles, load_params


def main() -> None:
    params = load_params()
    p = params["analyze_corpus"]
    cfg = ChainConfig.from_params(params)
    if not p["gazetteers"]:  # measure what the article alone gives
        cfg = replace(cfg, entities=replace(cfg.entities, gazetteer_dir=None))
    paths = list_articles(Path(p["articles_dir"]), params["parse"]["pattern"])
    t0 = time.perf_counter()
    result = analyze(paths, cfg)
    out = Path(p["out_dir"])
    shutil.rmtree(out, ignore_errors=True)
    result.write(out)
    t = result.tables
    print(f"analyze_corpus: {len(t['articles'])} articles, {len(t['reviews'])} reviews, "
          f"{len(t['characters'])} characters, {time.perf_counter() - t0:.1f}s -> {out}")


if __name__ == "__main__":
    main()
