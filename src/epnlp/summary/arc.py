"""The plot's sentiment arc: sentence sentiment along the plot, smoothed, on a 0-1 position scale.

Positions are normalised per article (first plot sentence 0, last 1) so that episodes of different
lengths compare. The smoothed value is a centred rolling mean of the compound over `window` sentences;
at the edges it averages the sentences that exist (so the first value uses fewer neighbours).
"""

from __future__ import annotations

import pandas as pd

from epnlp.io import FLOAT_FORMAT, csv_per_group
from epnlp.schema import PLOT_ARC, PLOT_ARC_PARAGRAPHS

# Smoothed values are rounded before the extremes are picked, so that float noise cannot move a tie.
_DECIMALS = 6


def smooth(values: pd.Series, window: int) -> pd.Series:
    """Centred rolling mean over `window` values; edges average what is there (window 1 = unchanged)."""
    if not isinstance(window, int) or isinstance(window, bool) or window < 1:
        raise ValueError(f"arc window must be a positive integer, got {window!r}")
    out = values.astype("float64").rolling(window=window, center=True, min_periods=1).mean()
    return out.round(_DECIMALS)


def positions(n: int) -> list[float]:
    """`n` evenly spaced positions from 0 to 1 (a single sentence sits at 0)."""
    if n <= 1:
        return [0.0] * n
    return [round(i / (n - 1), _DECIMALS) for i in range(n)]


def plot_arc(sentences: pd.DataFrame, sentiment: pd.DataFrame, window: int, role: str = "plot") -> pd.DataFrame:
    """One row per plot sentence: position 0-1, compound, smoothed compound, low/high flags, offsets.

    `sentences` and `sentiment` are the tables of those names; sentences of `role` without a
    sentiment row are left out. The lowest and highest smoothed points (the first one on a tie) are
    flagged; every row keeps its sentence's id, raw start/end and text, copied from `sentences`.
    """
    smooth(pd.Series([], dtype="float64"), window)  # validate the window even for empty input
    sents = sentences.loc[sentences["role"] == role, ["article_id", "sentence_id", "paragraph_id", "section", "start", "end", "text"]]
    scores = sentiment[["article_id", "sentence_id", "compound"]]
    df = sents.merge(scores, on=["article_id", "sentence_id"], how="inner")
    if df.empty:
        return PLOT_ARC.frame()
    df = df.sort_values(["article_id", "start", "sentence_id"], kind="mergesort").reset_index(drop=True)
    # every article at once (grouped operations, no per-article frames)
    by = df.groupby("article_id", sort=False)
    df["plot_index"] = by.cumcount()
    sizes = by["sentence_id"].transform("size")
    df["position"] = [0.0 if n <= 1 else round(i / (n - 1), _DECIMALS) for i, n in zip(df["plot_index"], sizes, strict=True)]
    rolled = df["compound"].astype("float64").groupby(df["article_id"], sort=False).rolling(window=window, center=True, min_periods=1).mean()
    df["smoothed"] = rolled.reset_index(level=0, drop=True).sort_index().round(_DECIMALS).to_numpy()
    df["is_low"] = False
    df["is_high"] = False
    smoothed = df["smoothed"].groupby(df["article_id"], sort=False)
    df.loc[smoothed.idxmin().to_numpy(), "is_low"] = True
    df.loc[smoothed.idxmax().to_numpy(), "is_high"] = True
    return PLOT_ARC.conform(df)


def paragraph_summary(arc: pd.DataFrame) -> pd.DataFrame:
    """One row per plot paragraph: its sentence count, position span and mean/min/max compound."""
    if arc.empty:
        return PLOT_ARC_PARAGRAPHS.frame()
    compound = arc["compound"].astype("float64")
    g = arc.assign(compound=compound, position=arc["position"].astype("float64")).groupby(["article_id", "paragraph_id"], sort=True)
    out = g.agg(
        n_sentences=("sentence_id", "size"),
        first_position=("position", "min"),
        last_position=("position", "max"),
        mean_compound=("compound", "mean"),
        min_compound=("compound", "min"),
        max_compound=("compound", "max"),
    ).reset_index()
    out["mean_compound"] = out["mean_compound"].round(_DECIMALS)
    return PLOT_ARC_PARAGRAPHS.conform(out)


def extremes(arc: pd.DataFrame) -> pd.DataFrame:
    """The flagged rows of an arc: one `low` and one `high` row per article (column `extreme`)."""
    low = arc.loc[arc["is_low"].astype(bool)].assign(extreme="low")
    high = arc.loc[arc["is_high"].astype(bool)].assign(extreme="high")
    return pd.concat([low, high], ignore_index=True).sort_values(["article_id", "extreme"], ascending=[True, False], kind="mergesort").reset_index(drop=True)


PLOT_FILE_COLUMNS = ["plot_index", "position", "compound", "smoothed", "sentence_id"]


def plot_file_frame(arc: pd.DataFrame) -> pd.DataFrame:
    """The columns `dvc plots` draws for one article's arc (x = position, y = smoothed)."""
    return arc[PLOT_FILE_COLUMNS].reset_index(drop=True)


def plot_files(arc: pd.DataFrame) -> dict[str, str]:
    """One CSV per article for `dvc plots show` ({file name: text}): it draws one arc per file, titled
    by the file name."""
    files = csv_per_group(arc, "article_id", PLOT_FILE_COLUMNS, FLOAT_FORMAT)
    return {f"{aid}.csv": text for aid, text in sorted(files.items())}
