"""Write the report's "Critics across the corpus" section for one made-up series of N episodes (seeded),
computed by the real `compare` code from synthetic review rows, to look at it at any size.

    python scripts/series_preview.py --n 30 --out /tmp/series_30.html
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from epnlp.report.series import series_section
from epnlp.report.site import page
from epnlp.summary.compare import CompareConfig, compare_tables

OUTLETS = ["The T.V. Desk", "Pier Review", "Den of Reels", "Kettle Weekly", "Reelhouse", "Lantern Screen", "Harbour Post", "Mill Street"]


def synthetic(n: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(reviews, articles, infobox) for `n` episodes of one series, 10 a season, 3-6 critics each with
    their own bias around the episode's quality."""
    rng = np.random.default_rng(seed)
    bias = dict(zip(OUTLETS, rng.normal(0, 0.08, len(OUTLETS)), strict=True))
    reviews, articles, infobox = [], [], []
    for i in range(n):
        aid = f"ep_{i:04d}"
        quality = 0.6 + 0.2 * np.sin(i / 4) + rng.normal(0, 0.05)
        articles.append({"article_id": aid, "title": f"Episode {i + 1}", "series": "Harbour Lights", "airdate": f"{2015 + i // 10}-{i % 10 + 1:02d}-01"})
        infobox += [{"article_id": aid, "key": "Season", "position": 0, "value": str(1 + i // 10)},
                    {"article_id": aid, "key": "Episode", "position": 1, "value": str(i % 10 + 1)}]
        for k, outlet in enumerate(rng.choice(OUTLETS, int(rng.integers(3, 7)), replace=False)):
            score = float(np.clip(quality + bias[outlet] + rng.normal(0, 0.08), 0, 1))
            reviews.append({"article_id": aid, "review_id": k, "outlet": outlet, "author": None, "score_norm": round(score, 2),
                            "sentiment": round(float(np.clip(2 * score - 1 + rng.normal(0, 0.2), -1, 1)), 3), "verdict": 2 * score - 1,
                            "polarity": "positive" if score > 0.65 else ("negative" if score < 0.45 else "mixed"), "agreement": "agree"})
    return pd.DataFrame(reviews), pd.DataFrame(articles), pd.DataFrame(infobox)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    reviews, articles, infobox = synthetic(args.n)
    t = compare_tables(reviews, articles, infobox, CompareConfig())
    titles = dict(zip(articles["article_id"], articles["title"], strict=True))
    body = series_section(t["episode_consensus"], t["season_trends"], t["outlet_stats"], titles, {a: "#" for a in titles})
    args.out.write_text(page("Critics across the corpus", body), encoding="utf-8")
    print(f"{args.n} episodes -> {args.out}")


if __name__ == "__main__":
    main()
