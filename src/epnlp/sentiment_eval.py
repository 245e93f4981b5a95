"""Measuring sentence-sentiment scorers against human ratings. Pure functions over DataFrames.

Gold label of a rated sentence: positive if rating >= 0.5, negative if rating <= -0.5, else neutral
(a `label` column, where the file has one, must agree with that rule).
Metrics: `accuracy` and `macro_f1` on the 3 labels (the scorer's own label); `binary_accuracy` on the rows
with |rating| >= 0.5: the sign of the compound agrees with the sign of the rating (a compound of 0 is
wrong); `pearson_r` of compound against rating over all rows; `n` rows.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from epnlp.sentiment import Scorer

LABELS = ("negative", "neutral", "positive")
POLAR = 0.5  # |rating| at which a sentence counts as positive / negative


def gold_label(rating: float) -> str:
    """positive / negative / neutral from a human rating (-4..+4)."""
    if rating >= POLAR:
        return "positive"
    if rating <= -POLAR:
        return "negative"
    return "neutral"


def load_rated(path: Path) -> pd.DataFrame:
    """A rated-sentence TSV (columns id, rating, text; optionally label) as id, rating, text, gold.

    Read verbatim: no quote processing, nothing read as missing. Rows with an empty text are an error.
    """
    df = pd.read_csv(
        path, sep="\t", quoting=csv.QUOTE_NONE, dtype=str, keep_default_na=False, encoding="utf-8"
    )
    missing = {"id", "rating", "text"} - set(df.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    df["rating"] = pd.to_numeric(df["rating"], errors="raise").astype(float)
    if (df["text"].str.strip() == "").any():
        raise ValueError(f"{path}: {int((df['text'].str.strip() == '').sum())} rows have no text")
    df["gold"] = [gold_label(r) for r in df["rating"]]
    if "label" in df.columns:
        bad = df[df["label"] != df["gold"]]
        if len(bad):
            raise ValueError(
                f"{path}: {len(bad)} rows whose label disagrees with their rating, e.g. id {bad['id'].iloc[0]!r}"
            )
    return df[["id", "rating", "text", "gold"]].reset_index(drop=True)


def split(df: pd.DataFrame, seed: int = 13, test_size: float = 0.2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test): a fixed random split stratified by gold label. Same seed, same split."""
    from sklearn.model_selection import train_test_split

    strat = df["gold"] if "gold" in df.columns else df["rating"].map(gold_label)
    train, test = train_test_split(df, test_size=test_size, random_state=seed, stratify=strat)
    return train.reset_index(drop=True), test.reset_index(drop=True)


def metrics(
    compound: Sequence[float], labels: Sequence[str], ratings: Sequence[float]
) -> dict[str, float | int | None]:
    """The metrics of predicted compounds and labels against human ratings (see the module doc)."""
    c = np.asarray(compound, dtype=float)
    r = np.asarray(ratings, dtype=float)
    pred = np.asarray(labels, dtype=object)
    if not (len(c) == len(r) == len(pred)):
        raise ValueError(f"lengths differ: {len(c)} compounds, {len(pred)} labels, {len(r)} ratings")
    gold = np.asarray([gold_label(x) for x in r], dtype=object)
    n = len(r)
    f1s = []
    for lab in LABELS:
        tp = int(np.sum((pred == lab) & (gold == lab)))
        fp = int(np.sum((pred == lab) & (gold != lab)))
        fn = int(np.sum((pred != lab) & (gold == lab)))
        if tp + fp + fn:  # a label absent from both gold and prediction is left out of the mean
            f1s.append(2 * tp / (2 * tp + fp + fn))
    polar = np.abs(r) >= POLAR
    return {
        "n": n,
        "accuracy": float(np.mean(pred == gold)) if n else None,
        "macro_f1": float(np.mean(f1s)) if f1s else None,
        "binary_accuracy": float(np.mean(np.sign(c[polar]) == np.sign(r[polar]))) if polar.any() else None,
        "pearson_r": _pearson(c, r),
    }


def _pearson(x: np.ndarray, y: np.ndarray) -> float | None:
    if len(x) < 2:
        return None
    dx, dy = x - x.mean(), y - y.mean()
    den = math.sqrt(float(dx @ dx) * float(dy @ dy))
    return float(dx @ dy) / den if den > 0 else None


def evaluate(scorer: Scorer, df: pd.DataFrame) -> dict[str, float | int | None]:
    """Score `df.text` with `scorer` and measure it against `df.rating`."""
    scores = scorer.score(list(df["text"]))
    return metrics([s.compound for s in scores], [s.label for s in scores], df["rating"].tolist())


def rounded(result: dict, digits: int = 4) -> dict:
    """`result` (nested dicts) with every float rounded to `digits` decimals, for the reports."""
    if isinstance(result, dict):
        return {k: rounded(v, digits) for k, v in result.items()}
    if isinstance(result, float):
        return round(result, digits)
    return result
