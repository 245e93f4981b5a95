"""Write the report's index page for N synthetic articles (seeded), to look at it or time it at scale.

    python scripts/index_preview.py --n 300 --out /tmp/index_300.html

Only the index is built (no article pages, no matplotlib): the tables are made up but shaped like the
pipeline's (`articles`, `review_sentiment`, `plot_arc`), with some articles undated, unreviewed or
without a series, as real corpora have.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from epnlp.report.index import index_body
from epnlp.report.render import asset
from epnlp.report.site import page

SHOWS = ["Harbour Lights", "The Long Watch", "Copper Street", "Night Ferry", "Glass Orchard", "Signal Hill", "Tidewater"]
OUTLETS = ["The T.V. Desk", "Pier Review", "Den of Reels", "Kettle Weekly", "Reelhouse", "Lantern Screen", "Harbour Post", "Mill Street"]
WORDS = ["Lantern", "Crossing", "Winter", "Debt", "Mirror", "Harvest", "Echo", "Storm", "Ledger", "Orchard", "Reckoning", "Tide"]


def synthetic(n: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(articles, review comparison, plot arc) for `n` made-up episodes."""
    rng = np.random.default_rng(seed)
    arts, comp, arc = [], [], []
    for k in range(n):
        aid = f"ep{k:04d}"
        dated = rng.random() > 0.05
        arts.append({"article_id": aid, "title": f"The {WORDS[k % len(WORDS)]} of {WORDS[(k * 7 + 3) % len(WORDS)]} ({k + 1})",
                     "series": SHOWS[k % len(SHOWS)] if rng.random() > 0.03 else None,
                     "airdate": str(pd.Timestamp("2005-01-01") + pd.Timedelta(days=int(rng.integers(0, 6000)))).split()[0] if dated else None,
                     "n_words": int(rng.integers(300, 4000))})
        mood = rng.normal(0, 0.25)
        for r in range(int(rng.integers(0, 9))):
            s = float(np.clip(mood + rng.normal(0, 0.3), -1, 1))
            v = float(np.clip(mood * 2 + rng.normal(0, 0.3), -1, 1)) if rng.random() > 0.4 else np.nan
            comp.append({"article_id": aid, "review_id": r, "outlet": OUTLETS[int(rng.integers(0, len(OUTLETS)))], "author": None,
                         "year": 2010 + k % 10, "sentiment": round(s, 4), "verdict": round(v, 4) if v == v else np.nan,
                         "favourability": round(float(np.nanmean([s, v])), 4), "favour_rank": 0})
        m = int(rng.integers(8, 60))
        walk = np.convolve(rng.normal(0, 0.35, m), np.ones(3) / 3, mode="same")
        arc += [{"article_id": aid, "position": i / max(m - 1, 1), "smoothed": round(float(w), 4)} for i, w in enumerate(walk)]
    c = pd.DataFrame(comp)
    c["favour_rank"] = c.sort_values(["article_id", "favourability"], ascending=[True, False]).groupby("article_id").cumcount().add(1)
    return pd.DataFrame(arts), c, pd.DataFrame(arc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    articles, comp, arc = synthetic(a.n, a.seed)
    t0 = time.perf_counter()
    links = {aid: f"articles/{aid}.html" for aid in articles["article_id"]}
    html = page("Episode reports", index_body(articles, comp, arc, links), asset("index.js"))
    took = time.perf_counter() - t0
    a.out.write_text(html, encoding="utf-8")
    print(f"{a.n} articles: {len(html):,} bytes in {took:.2f} s -> {a.out}")


if __name__ == "__main__":
    main()
