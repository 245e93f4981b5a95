"""The corpus section of the HTML index and the per-article consensus strip, on small frames."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from epnlp.report.series import MAX_OUTLETS, consensus_strip, leniency_svg, series_section, trend_svg


def trends(n: int, series: str = "Show", scored: bool = True) -> pd.DataFrame:
    rng = np.random.default_rng(n)
    score = rng.uniform(0.3, 0.9, n) if scored else [np.nan] * n
    return pd.DataFrame({
        "series": series, "season": [1 + i // 10 for i in range(n)], "episode_order": [i % 10 + 1 for i in range(n)],
        "article_id": [f"{series}_{i:04d}" for i in range(n)], "episode": [i % 10 + 1 for i in range(n)],
        "airdate": [f"2020-01-{i % 28 + 1:02d}" for i in range(n)], "score_consensus": score,
        "sentiment_consensus": rng.uniform(-0.5, 0.5, n), "score_rolling": score, "sentiment_rolling": 0.0,
    })


def consensus_of(t: pd.DataFrame) -> pd.DataFrame:
    n = len(t)
    return pd.DataFrame({"article_id": t["article_id"], "series": t["series"], "n_reviews": [3 + i % 3 for i in range(n)],
                         "agreement": [1 / (1 + i % 4) for i in range(n)], "sentiment_range": 0.5, "majority_polarity": "positive",
                         "score_sd": 0.1, "sentiment_sd": 0.2})


def test_trend_draws_one_dot_per_episode_until_it_would_crowd():
    for n, dots in ((3, 3), (30, 30), (1000, 0)):
        t = trends(n).assign(title=lambda d: d["article_id"], score_sd=0.1, sentiment_sd=0.2)
        svg = trend_svg(t, "x")
        assert svg.count("<circle") == dots and svg.count("<polyline") == 1
        assert svg.count('class="season"') == (n - 1) // 10  # a faint line where a season starts


def test_trend_with_unknown_seasons_draws_a_line_where_a_known_one_starts():
    """Articles without a season in their infobox (NA in the nullable column) do not break the chart."""
    t = trends(4).assign(title="t", score_sd=0.1, sentiment_sd=0.2)
    t["season"] = pd.array([pd.NA, pd.NA, 2, 2], dtype="Int64")
    svg = trend_svg(t, "x")
    assert svg.count('class="season"') == 1 and svg.count("<circle") == 4


def test_trend_falls_back_to_text_sentiment_without_scores():
    t = trends(5, scored=False).assign(title="t", score_sd=np.nan, sentiment_sd=0.2)
    svg = trend_svg(t, "x")
    assert "text sentiment" in svg and ">-1<" in svg


def test_leniency_chart_orders_outlets_and_colours_reliable_ones():
    outlets = pd.DataFrame({"outlet": [f"O{i}" for i in range(40)], "n_reviews": [(i * 17) % 40 + 1 for i in range(40)], "n_leniency": 5,
                            "leniency": np.linspace(-0.2, 0.2, 40), "leniency_low": np.linspace(-0.3, 0.1, 40),
                            "leniency_high": np.linspace(-0.1, 0.3, 40)})
    outlets.loc[3, "leniency"] = np.nan
    svg = leniency_svg(outlets)
    names = re.findall(r'class="name">(O\d+) ', svg)
    assert len(names) == MAX_OUTLETS and "O3" not in names  # the most-reviewed with a leniency
    assert set(names) == set(outlets.dropna().nlargest(MAX_OUTLETS, "n_reviews")["outlet"])
    lenient = dict(zip(outlets["outlet"], outlets["leniency"], strict=True))
    assert [lenient[n] for n in names] == sorted(lenient[n] for n in names)
    shown = outlets.set_index("outlet").loc[names]
    assert svg.count('class="ci pos"') == int((shown["leniency_low"] > 0).sum()) > 0  # interval above 0: reliably generous
    assert svg.count('class="ci neg"') == int((shown["leniency_high"] < 0).sum()) > 0
    assert leniency_svg(outlets.assign(leniency=np.nan)) == ""


def test_series_section_lists_divisive_episodes_and_skips_single_episode_series():
    t = pd.concat([trends(12, "Alpha"), trends(1, "Solo")], ignore_index=True)
    cons = consensus_of(t)
    outlets = pd.DataFrame({"outlet": ["A", "B"], "n_reviews": [5, 4], "n_leniency": [5, 4], "leniency": [0.1, -0.1],
                            "leniency_low": [0.05, -0.2], "leniency_high": [0.2, 0.0]})
    titles = {a: f"Title {a}" for a in t["article_id"]}
    html = series_section(cons, t, outlets, titles, {a: f"articles/{a}.html" for a in t["article_id"]})
    assert "<h3>Alpha (12 episodes)</h3>" in html and "Solo" not in html
    items = re.findall(r'<li><a href="articles/(Alpha_\d+)\.html">', html)
    assert len(items) == 5 and all(cons.set_index("article_id").loc[i, "agreement"] == 0.25 for i in items[:3])
    assert "Outlets: harsh or generous?" in html
    assert series_section(None, t, outlets, titles, {}) == ""


def test_consensus_strip_places_each_scored_critic():
    comp = pd.DataFrame({"author": ["Ann", None, "Cy"], "outlet": ["X", "Mag", "Z"], "score_norm": [0.9, 0.5, np.nan]})
    svg = consensus_strip(comp)
    assert svg.count("<circle") == 2 and ">Mag<" in svg and "Cy" not in svg and "(0.70)" in svg
    assert consensus_strip(comp.iloc[[0, 2]]) == ""
