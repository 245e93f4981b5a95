"""Measuring sentence-sentiment scorers against human ratings. Pure functions over DataFrames.

Gold label of a rated sentence: positive if rating >= 0.5, negative if rating <= -0.5, else neutral
(a `label` column, where the file has one, must agree with that rule).
Metrics: `accuracy` and `macro_f1` on the 3 labels (the scorer's own label); `binary_accuracy` on the rows
with |rating| >= 0.5: the sign of the compound agrees with the sign of the rating, a compound of exactly 0
counting half (a scorer that abstains is as good as a coin, not worse); `auc` on the same rows: the chance
that a random positive row gets a higher compound than a random negative one (ties half); `pearson_r` of
compound against rating over all rows; `neutral_share` of the scorer's labels and `gold_neutral_share`;
`n` rows.

Labelled-only sets (columns id, label, text: e.g. the critics' idiom set) are read by `load_labelled`,
which gives each label a nominal rating (+2, 0, -2) so the same metrics apply (r is then point-biserial).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from epnlp.sentiment.model import model_params
from epnlp.sentiment.score import Scorer, label_for

LABELS = ("negative", "neutral", "positive")
POLAR = 0.5  # |rating| at which a sentence counts as positive / negative


def gold_label(rating: float) -> str:
    """positive / negative / neutral from a human rating (-4..+4): the scorers' rule at |rating| `POLAR`."""
    return label_for(rating, POLAR)


def _read_tsv(path: Path, columns: set[str]) -> pd.DataFrame:
    """A TSV read verbatim (no quote processing, nothing read as missing) that must have `columns`."""
    df = pd.read_csv(path, sep="\t", quoting=csv.QUOTE_NONE, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = columns - set(df.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    return df


def load_rated(path: Path) -> pd.DataFrame:
    """A rated-sentence TSV (columns id, rating, text; optionally label) as id, rating, text, gold.

    Read verbatim: no quote processing, nothing read as missing. Rows with an empty text are an error.
    """
    df = _read_tsv(path, {"id", "rating", "text"})
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


NOMINAL = {"positive": 2.0, "neutral": 0.0, "negative": -2.0}


def load_labelled(path: Path) -> pd.DataFrame:
    """A labelled-sentence TSV (columns id, label, text; label positive / negative / neutral) as id,
    rating, text, gold, with the nominal rating of each label (`NOMINAL`). Read verbatim, like `load_rated`."""
    df = _read_tsv(path, {"id", "label", "text"})
    bad = df[~df["label"].isin(list(NOMINAL))]
    if len(bad):
        raise ValueError(f"{path}: unknown label {bad['label'].iloc[0]!r} (id {bad['id'].iloc[0]!r})")
    if (df["text"].str.strip() == "").any() or df["id"].duplicated().any():
        raise ValueError(f"{path}: empty texts or duplicate ids")
    df["rating"] = df["label"].map(NOMINAL).astype(float)
    df["gold"] = df["label"]
    return df[["id", "rating", "text", "gold"]].reset_index(drop=True)


def load_set(path: Path) -> pd.DataFrame:
    """`load_rated` if the file has a rating column, else `load_labelled`."""
    with open(path, encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
    return load_rated(path) if "rating" in header else load_labelled(path)


def halves(df: pd.DataFrame, seed: int = 13) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(dev, test): a fixed 50/50 split stratified by gold label, for the small hand-written sets whose
    dev half may be used to choose rules and thresholds and whose test half is only reported."""
    return split(df, seed=seed, test_size=0.5)


def halved_parts(df: pd.DataFrame, seed: int = 13, train_share: float = 0.0) -> dict[str, pd.DataFrame]:
    """A halved set's parts: "dev" and "test" (`halves`) and, when `train_share` > 0, "train": that share
    of the dev half, which the model is trained on, without the sentences that recur in the dev part or the
    test half (the rated files repeat a few: trained on, they would be measured on themselves); "dev" is
    then the rest of the dev half. The test half is the same whatever the share."""
    dev, test = halves(df, seed=seed)
    if train_share <= 0:
        return {"dev": dev, "test": test}
    if not 0 < train_share < 1:
        raise ValueError(f"train_share must be in [0, 1), got {train_share}")
    train, dev = split(dev, seed=seed, test_size=1.0 - train_share)
    return {"train": without_repeats(train, dev, test), "dev": dev, "test": test}


def without_repeats(train: pd.DataFrame, *measured: pd.DataFrame) -> pd.DataFrame:
    """The rows of `train` whose text recurs in none of the `measured` frames (`_normal` forms): a
    sentence trained on would otherwise be measured on itself."""
    seen = set().union(*(_normal(m["text"]) for m in measured))
    return train[[t not in seen for t in _normal(train["text"])]].reset_index(drop=True)


def _normal(texts: pd.Series) -> list[str]:
    """Texts case-folded, with every run of characters other than letters and digits as one space: what
    counts as the same sentence ("YAY. 300 followers" and "Yay!!! 300 followers" do)."""
    return [" ".join(re.sub(r"[^0-9a-z]+", " ", str(t).lower()).split()) for t in texts]


def set_parts(p: dict, name: str) -> dict[str, pd.DataFrame]:
    """`halved_parts` of the set `name` of params `sentiment` `p` (data.<name>): with a training part if the
    set is one of `train_rated`, at `train_share`."""
    share = float(p.get("train_share", 0.0)) if name in p.get("train_rated", ()) else 0.0
    return halved_parts(load_set(Path(p["data"][name])), seed=int(p["seed"]), train_share=share)


def training_extras(
    p: dict, critic_weight: float | None = None, rated_weight: float | None = None
) -> list[tuple[pd.DataFrame, float]]:
    """The rows trained on besides the movie split, each frame with its weight (params `sentiment` `p`):
    the critics' sentences (`train_extra`) at `critic_weight` and the training parts of the `train_rated`
    sets at `rated_weight` (None: the model params' `critic_weight` / `rated_weight`); a weight (or
    `train_share`) of 0 leaves those rows out. A `train_rated` set must be one of `halved` (ValueError), or
    the evaluation would measure its training rows."""
    mp = model_params(p.get("model", {}))
    critic_weight = mp["critic_weight"] if critic_weight is None else critic_weight
    rated_weight = mp["rated_weight"] if rated_weight is None else rated_weight
    out = []
    if critic_weight > 0 and p.get("train_extra"):
        out.append((load_labelled(Path(p["train_extra"])), critic_weight))
    if rated_weight <= 0 or float(p.get("train_share", 0.0)) <= 0:
        return out
    for name in p.get("train_rated", ()):
        if name not in p.get("halved", ()):
            raise ValueError(f"sentiment.train_rated: {name!r} is not in sentiment.halved, so its training rows would be measured")
        out.append((set_parts(p, name)["train"], rated_weight))
    return out


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
        "binary_accuracy": _sign_agreement(c[polar], r[polar]),
        "auc": _auc(c[r >= POLAR], c[r <= -POLAR]),
        "pearson_r": _pearson(c, r),
        "neutral_share": float(np.mean(pred == "neutral")) if n else None,
        "gold_neutral_share": float(np.mean(gold == "neutral")) if n else None,
    }


def _sign_agreement(c: np.ndarray, r: np.ndarray) -> float | None:
    """Share of rows whose compound has the rating's sign; a compound of exactly 0 counts half."""
    if not len(r):
        return None
    return float(np.mean(np.where(c == 0.0, 0.5, (np.sign(c) == np.sign(r)).astype(float))))


def _auc(pos: np.ndarray, neg: np.ndarray) -> float | None:
    """P(a positive row scores above a negative row), ties half (the Mann-Whitney statistic, from
    mid-ranks so it is O(n log n))."""
    if not len(pos) or not len(neg):
        return None
    ranks = pd.Series(np.concatenate([pos, neg])).rank(method="average").to_numpy()
    u = float(ranks[: len(pos)].sum()) - len(pos) * (len(pos) + 1) / 2
    return u / (len(pos) * len(neg))


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
