"""The HTML report's matplotlib charts (plot arc, character co-occurrence grid, critics), each a data: URI.

Drawn with matplotlib's object API (no pyplot state) inside a fixed rc context and saved without dates
or version strings, so the same tables always give byte-identical images.
"""

from __future__ import annotations

import base64
import io
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from epnlp.report.tables import critics_frame, is_missing

POLARITY_COLOURS = {"positive": "#2e7d32", "negative": "#c62828", "mixed": "#ef8f00", "neutral": "#757575"}
_SENTIMENT_BLUE = "#3b6fb6"
_VERDICT_ORANGE = "#e0892b"

# Fixed drawing parameters: same fonts, sizes and SVG ids on every run.
_RC = {
    "svg.hashsalt": "epnlp",
    "svg.fonttype": "path",  # glyphs as paths: the SVG needs no installed font
    "font.family": "DejaVu Sans",  # ships with matplotlib
    "font.size": 9,
    "text.parse_math": False,  # "$" in a sentence or a name is text, not mathtext
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.bbox": "standard",
}
_METADATA = {"svg": {"Date": None, "Creator": None}, "png": {"Software": None}}


@dataclass(frozen=True)
class HtmlOptions:
    """How the report is drawn: image format (svg | png), PNG resolution, co-occurrence grid size."""

    image_format: str = "svg"
    dpi: int = 110
    max_characters: int = 12

    def __post_init__(self) -> None:
        if self.image_format not in _METADATA:
            raise ValueError(f"html image_format must be svg or png, got {self.image_format!r}")

    @classmethod
    def from_params(cls, p: dict) -> HtmlOptions:
        return cls(image_format=p.get("image_format", "svg"), dpi=int(p.get("dpi", 110)), max_characters=int(p.get("max_characters", 12)))


def short(text: str, width: int) -> str:
    """`text` on one line, cut at a word to at most `width` characters ('…' where cut)."""
    return textwrap.shorten(" ".join(str(text).split()), width=width, placeholder="…")


def figure_uri(fig: Figure, opts: HtmlOptions) -> str:
    """The figure as a data: URI (SVG or PNG), with no date or software version in it."""
    buf = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format=opts.image_format, dpi=opts.dpi, metadata=_METADATA[opts.image_format])
    mime = "image/svg+xml" if opts.image_format == "svg" else "image/png"
    return f"data:{mime};base64,{base64.b64encode(buf.getvalue()).decode('ascii')}"


def _chart(draw: Callable[[], Figure], opts: HtmlOptions) -> str:
    """Draw inside the fixed rc context (rcParams are read when artists are made) and encode."""
    with matplotlib.rc_context(_RC):
        fig = draw()
        return figure_uri(fig, opts)


def arc_chart(arc: pd.DataFrame, opts: HtmlOptions) -> str:
    """Raw sentence compound (dots) and the smoothed arc (line) over position, low/high annotated."""

    def draw() -> Figure:
        df = arc.sort_values("position", kind="mergesort")
        x = df["position"].astype(float).to_numpy()
        raw = df["compound"].astype(float).to_numpy()
        sm = df["smoothed"].astype(float).to_numpy()
        fig = Figure(figsize=(8, 3.6))
        ax = fig.subplots()
        ax.axhline(0, color="#999999", lw=0.8)
        for p in df.loc[df["paragraph_id"].ne(df["paragraph_id"].shift()), "position"].iloc[1:]:
            ax.axvline(float(p), color="#dddddd", lw=0.8, zorder=0)
        ax.fill_between(x, sm, 0, where=sm >= 0, interpolate=True, color="#2e7d32", alpha=0.12, lw=0)
        ax.fill_between(x, sm, 0, where=sm < 0, interpolate=True, color="#c62828", alpha=0.12, lw=0)
        ax.plot(x, raw, "o-", color="#9e9e9e", lw=0.7, ms=3, label="sentence compound")
        ax.plot(x, sm, "-", color=_SENTIMENT_BLUE, lw=2.2, label="smoothed")
        for flag, colour, dy in (("is_low", "#c62828", -1), ("is_high", "#2e7d32", 1)):
            hit = df.loc[df[flag].astype(bool)]
            if hit.empty:
                continue
            r = hit.iloc[0]
            px, py = float(r["position"]), float(r["smoothed"])
            ax.plot([px], [py], "o", color=colour, ms=8, zorder=5)
            ha = "left" if px < 0.5 else "right"
            ax.annotate(
                "\n".join(textwrap.wrap(short(r["text"], 96), 40)),
                xy=(px, py), xytext=(12 if ha == "left" else -12, 34 * dy), textcoords="offset points",
                ha=ha, va="bottom" if dy > 0 else "top", fontsize=7.5, color=colour,
                arrowprops={"arrowstyle": "-", "color": colour, "lw": 0.8},
            )
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-1.05, 1.05)  # the full compound scale, so that episodes' charts compare
        ax.set_xlabel("position in the plot (0 = first sentence, 1 = last)")
        ax.set_ylabel("sentiment (−1 … +1)")
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), frameon=False, fontsize=7.5, ncol=2)  # above: clear of the notes
        fig.tight_layout()
        return fig

    return _chart(draw, opts)




# --------------------------------------------------------------------------- co-occurrence


def cooccurrence_matrix(co: pd.DataFrame, max_characters: int) -> pd.DataFrame:
    """A symmetric character x character frame of `sentences_together`, most connected first."""
    if co is None or co.empty:
        return pd.DataFrame()
    both = pd.concat(
        [co.rename(columns={"character_a": "a", "character_b": "b"}), co.rename(columns={"character_b": "a", "character_a": "b"})],
        ignore_index=True,
    )
    both["sentences_together"] = both["sentences_together"].astype("int64")
    degree = both.groupby("a")["sentences_together"].sum()
    order = sorted(degree.index, key=lambda n: (-int(degree[n]), str(n)))[:max_characters]
    m = both[both["a"].isin(order) & both["b"].isin(order)].pivot_table(index="a", columns="b", values="sentences_together", aggfunc="sum", fill_value=0)
    return m.reindex(index=order, columns=order, fill_value=0).astype("int64")


def cooccurrence_chart(matrix: pd.DataFrame, opts: HtmlOptions) -> str:
    """A heat map of how many sentences each pair of characters shares."""

    def draw() -> Figure:
        n = len(matrix)
        size = max(3.2, 0.45 * n + 1.8)
        fig = Figure(figsize=(size + 1.2, size))
        ax = fig.subplots()
        vals = matrix.to_numpy()
        im = ax.imshow(vals, cmap="Blues", vmin=0)
        ax.set_xticks(range(n), [str(c) for c in matrix.columns], rotation=45, ha="right")
        ax.set_yticks(range(n), [str(c) for c in matrix.index])
        top = vals.max() if vals.size else 0
        for i in range(n):
            for j in range(n):
                if vals[i, j] and i != j:
                    ax.text(j, i, str(int(vals[i, j])), ha="center", va="center", fontsize=7, color="white" if vals[i, j] > top / 2 else "#333333")
        ax.spines[:].set_visible(False)
        fig.colorbar(im, ax=ax, shrink=0.7, label="sentences together", ticks=MaxNLocator(integer=True))
        fig.tight_layout()
        return fig

    return _chart(draw, opts)


def critics_chart(comp: pd.DataFrame, opts: HtmlOptions) -> str:
    """Per critic, text sentiment and verdict as side-by-side horizontal bars; polarity at the right."""

    def draw() -> Figure:
        df = critics_frame(comp)
        n = len(df)
        fig = Figure(figsize=(8, 0.62 * n + 1.3))
        ax = fig.subplots()
        ys = list(range(n))
        h = 0.36
        sent = df["sentiment"].astype("float64")
        verd = df["verdict"].astype("float64")
        ax.barh([y - h / 2 for y in ys], sent.fillna(0), height=h, color=_SENTIMENT_BLUE, label="text sentiment")
        ax.barh([y + h / 2 for y in ys], verd.fillna(0), height=h, color=_VERDICT_ORANGE, label="verdict (score or rank)")
        for y, v in zip(ys, verd, strict=True):
            if math.isnan(v):
                ax.text(0.02, y + h / 2, "no score or rank", va="center", fontsize=7, color="#777777")
        for y, pol in zip(ys, df["polarity"], strict=True):
            p = "" if is_missing(pol) else str(pol)
            ax.text(1.04, y, p, va="center", ha="left", fontsize=8, fontweight="bold", color=POLARITY_COLOURS.get(p, "#555555"), transform=ax.get_yaxis_transform())
        ax.axvline(0, color="#666666", lw=0.8)
        ax.set_yticks(ys, df["critic"].tolist())
        ax.invert_yaxis()
        ax.set_xlim(-1, 1)
        ax.set_xlabel("← unfavourable      −1 … +1      favourable →")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22 if n < 4 else -0.12), frameon=False, ncol=2, fontsize=7.5)
        fig.tight_layout()
        return fig

    return _chart(draw, opts)

