"""Critics compared across a corpus: each episode's consensus, each outlet's and critic's leniency,
and how a season's reception moves. Pure pandas over `reviews`, `articles` and `infobox`.

Two measures of a review are compared: its normalised score (`score_norm`, 0..1, when the critic gave
one) and the sentiment of its words (`sentiment`, -1..1, always). Leniency of an outlet is the mean,
over its reviews, of (its value - the mean of the *other* critics of that episode), so a harsh outlet
reviewing good episodes is not mistaken for a generous one; it is given with a bootstrap interval, and
only when at least `min_reviews` such differences exist.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from epnlp import schema
from epnlp.summary.source_names import Merge, canonical_names


@dataclass(frozen=True)
class CompareConfig:
    """Settings of the comparison (params `compare`)."""

    season_keys: tuple[str, ...] = ("Season",)
    episode_keys: tuple[str, ...] = ("Episode",)
    min_reviews: int = 3  # leniency only with at least this many comparable reviews
    n_boot: int = 1000  # bootstrap resamples for the leniency interval
    seed: int = 13
    window: int = 3  # rolling mean over this many episodes of a season

    @classmethod
    def from_params(cls, p: dict) -> CompareConfig:
        return cls(tuple(p["season_keys"]), tuple(p["episode_keys"]), int(p["min_reviews"]), int(p["n_boot"]), int(p["seed"]), int(p["window"]))


def _first_int(values: pd.Series) -> pd.Series:
    return values.map(lambda v: int(m.group()) if isinstance(v, str) and (m := re.search(r"\d+", v)) else pd.NA)


def episodes(articles: pd.DataFrame, infobox: pd.DataFrame, cfg: CompareConfig) -> pd.DataFrame:
    """article_id, series, season, episode, airdate: the season and episode numbers from the infobox
    (the first listed key present, first number in its value; empty when absent)."""
    out = articles[["article_id", "series", "airdate"]].copy()
    for col, keys in (("season", cfg.season_keys), ("episode", cfg.episode_keys)):
        ib = infobox[infobox["key"].str.casefold().isin([k.casefold() for k in keys])]
        ib = ib.sort_values(["article_id", "position"], kind="mergesort").drop_duplicates("article_id")
        out[col] = out["article_id"].map(dict(zip(ib["article_id"], _first_int(ib["value"]), strict=True)))
    return out


def with_names(reviews: pd.DataFrame, outlets: dict[str, Merge], authors: dict[str, Merge]) -> pd.DataFrame:
    """Reviews with `outlet_name` / `critic_name` (canonical) and `favourability` (mean of the text
    sentiment and the verdict, as in the report)."""
    df = reviews.copy()
    df["outlet_name"] = df["outlet"].map(lambda x: outlets[x].canonical if isinstance(x, str) and x in outlets else pd.NA)
    df["critic_name"] = df["author"].map(lambda x: authors[x].canonical if isinstance(x, str) and x in authors else pd.NA)
    df["favourability"] = df[["sentiment", "verdict"]].astype("Float64").mean(axis=1, skipna=True)
    return df


def _spread(s: pd.Series) -> tuple[object, object]:
    s = s.dropna().astype(float)
    if not len(s):
        return pd.NA, pd.NA
    return (float(s.std(ddof=0)), float(s.max() - s.min()))


def episode_consensus(reviews: pd.DataFrame, eps: pd.DataFrame) -> list[dict]:
    """One row per article: how many critics, their mean/median score and sentiment, spread, agreement."""
    rows = []
    by = dict(tuple(reviews.groupby("article_id", sort=True)))
    for e in eps.sort_values("article_id").itertuples(index=False):
        r = by.get(e.article_id, reviews.iloc[0:0])
        scores = r["score_norm"].dropna().astype(float)
        pol = r["polarity"].value_counts()
        fav = r.dropna(subset=["favourability"]).sort_values(["favourability", "review_id"], kind="mergesort")
        sd, rng = _spread(scores)
        ssd, srng = _spread(r["sentiment"])
        rows.append({
            "article_id": e.article_id, "series": e.series, "season": e.season, "episode": e.episode, "airdate": e.airdate,
            "n_reviews": len(r), "n_scored": len(scores),
            "score_mean": float(scores.mean()) if len(scores) else pd.NA,
            "score_median": float(scores.median()) if len(scores) else pd.NA,
            "score_sd": sd, "score_range": rng,
            "sentiment_mean": float(r["sentiment"].mean()) if len(r) else pd.NA,
            "sentiment_sd": ssd, "sentiment_range": srng,
            "majority_polarity": sorted(pol.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if len(pol) else pd.NA,
            "agreement": float(pol.max() / pol.sum()) if len(pol) else pd.NA,
            "most_favourable_review_id": int(fav["review_id"].iloc[-1]) if len(fav) else pd.NA,
            "least_favourable_review_id": int(fav["review_id"].iloc[0]) if len(fav) else pd.NA,
        })
    return rows


def leave_one_out(reviews: pd.DataFrame, col: str) -> pd.Series:
    """Each review's `col` minus the mean of the other reviews of its article that have one (NA when
    the review has none or is the only one)."""
    v = reviews[col].astype("Float64")
    g = v.groupby(reviews["article_id"])
    total, count = g.transform("sum"), g.transform("count")
    others = (total - v) / (count - 1)
    return (v - others).where(v.notna() & (count > 1))


def _boot_interval(x: np.ndarray, n_boot: int, seed: int) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    means = rng.choice(x, size=(n_boot, len(x)), replace=True).mean(axis=1)
    lo, hi = np.percentile(means, [2.5, 97.5])
    return float(lo), float(hi)


def _entity_seed(seed: int, name: str) -> int:
    """A seed per outlet or critic: its interval does not change when others are added."""
    return seed + int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:8], 16)


def _leniency(d: pd.Series, name: str, cfg: CompareConfig) -> dict:
    x = d.dropna().to_numpy(dtype=float)
    if len(x) < cfg.min_reviews:
        return {"mean": pd.NA, "low": pd.NA, "high": pd.NA, "n": len(x)}
    lo, hi = _boot_interval(x, cfg.n_boot, _entity_seed(cfg.seed, name))
    return {"mean": float(x.mean()), "low": lo, "high": hi, "n": len(x)}


def source_stats(reviews: pd.DataFrame, by: str, cfg: CompareConfig) -> list[dict]:
    """One row per outlet (`by="outlet_name"`) or critic (`by="critic_name"`): reviews, episodes, mean
    score, leniency of score and of words (with intervals), and how often words and score agree."""
    df = reviews.assign(_ds=leave_one_out(reviews, "score_norm"), _dt=leave_one_out(reviews, "sentiment"))
    rows = []
    for name, g in df.dropna(subset=[by]).groupby(by, sort=True):
        ls, lt = _leniency(g["_ds"], f"score:{name}", cfg), _leniency(g["_dt"], f"text:{name}", cfg)
        judged = g["agreement"].isin(["agree", "disagree"])
        scores = g["score_norm"].dropna().astype(float)
        rows.append({
            "name": name, "n_reviews": len(g), "n_episodes": g["article_id"].nunique(), "n_scored": len(scores),
            "score_mean": float(scores.mean()) if len(scores) else pd.NA,
            "sentiment_mean": float(g["sentiment"].mean()),
            "leniency": ls["mean"], "leniency_low": ls["low"], "leniency_high": ls["high"], "n_leniency": ls["n"],
            "sentiment_leniency": lt["mean"], "sentiment_leniency_low": lt["low"], "sentiment_leniency_high": lt["high"],
            "n_sentiment_leniency": lt["n"],
            "words_score_agreement": float((g.loc[judged, "agreement"] == "agree").mean()) if judged.any() else pd.NA,
        })
    return rows


def season_trends(consensus: pd.DataFrame, window: int) -> list[dict]:
    """Per series and season, episodes in order (episode number, then airdate) with the consensus
    score and sentiment and their rolling means over `window` episodes."""
    df = consensus.copy()
    df["_ep"] = df["episode"].astype("Float64")
    df = df.sort_values(["series", "season", "_ep", "airdate", "article_id"], kind="mergesort", na_position="last")
    rows = []
    for _, g in df.groupby(["series", "season"], sort=True, dropna=False):
        score = g["score_mean"].astype("Float64")
        text = g["sentiment_mean"].astype("Float64")
        rolled_s = score.astype(float).rolling(window, min_periods=1).mean()
        rolled_t = text.astype(float).rolling(window, min_periods=1).mean()
        for i, (e, s, t, rs, rt) in enumerate(zip(g.itertuples(index=False), score, text, rolled_s, rolled_t, strict=True)):
            rows.append({
                "series": e.series, "season": e.season, "episode_order": i + 1, "article_id": e.article_id,
                "episode": e.episode, "airdate": e.airdate, "score_consensus": s, "sentiment_consensus": t,
                "score_rolling": rs if not np.isnan(rs) else pd.NA, "sentiment_rolling": rt if not np.isnan(rt) else pd.NA,
            })
    return rows


def merge_rows(outlets: dict[str, Merge], authors: dict[str, Merge]) -> list[dict]:
    """The name merges made, for `name_merges.csv`."""
    return [
        {"kind": kind, "raw": m.raw, "canonical": m.canonical, "n_reviews": m.n_reviews, "rule": m.rule}
        for kind, merges in (("outlet", outlets), ("critic", authors)) for m in merges.values()
    ]


def compare_tables(reviews: pd.DataFrame, articles: pd.DataFrame, infobox: pd.DataFrame, cfg: CompareConfig,
                   aliases: dict[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """Every comparison table, typed, by table name (what the `compare` stage writes)."""
    outlets = canonical_names(reviews["outlet"].dropna(), aliases)
    authors = canonical_names(reviews["author"].dropna())
    named = with_names(reviews, outlets, authors)
    consensus = schema.EPISODE_CONSENSUS.frame(episode_consensus(named, episodes(articles, infobox, cfg)))
    return {
        "episode_consensus": consensus,
        "outlet_stats": schema.OUTLET_STATS.frame([{"outlet": r.pop("name"), **r} for r in source_stats(named, "outlet_name", cfg)]),
        "critic_stats": schema.CRITIC_STATS.frame([{"critic": r.pop("name"), **r} for r in source_stats(named, "critic_name", cfg)]),
        "season_trends": schema.SEASON_TRENDS.frame(season_trends(consensus, cfg.window)),
        "name_merges": schema.NAME_MERGES.frame(merge_rows(outlets, authors)),
    }
