"""The index of the HTML report (`report.html`), designed for 1 to 1,000 articles.

One sortable, filterable table row per article (plain inline JavaScript, no network) with two tiny inline
SVGs per row: a bar for the critics' mean favourability and a sparkline of the plot's sentiment arc.
Above it, the most and least favourably reviewed episodes (top and bottom N, not one chart with a bar per
episode); below it, the arcs as small multiples while there are few enough to read, else one chart of
their spread. Every graphic is a short SVG string built here (no matplotlib figure per row), with fixed
number formatting, so the same tables always give byte-identical HTML, and a corpus of 1,000 articles
renders in about a second.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from markupsafe import Markup

from epnlp.report.charts import POLARITY_COLOURS
from epnlp.report.render import index_template
from epnlp.report.tables import critic_label, is_missing, signed, typed_comparison

FILTER_FROM = 8  # a filter box from this many articles on (fewer fit on one screen)
MAX_MULTIPLES = 24  # more arcs than this: one chart of their spread instead of one small chart each
_SPARK_POINTS = 40  # a sparkline's points at most (bin means of the smoothed arc)
_ARC_BLUE = "#3b6fb6"
_LOW, _HIGH = POLARITY_COLOURS["negative"], POLARITY_COLOURS["positive"]


def _blank(v: object) -> bool:
    return is_missing(v) or str(v).strip() == ""


def _text(v: object) -> str:
    return "" if _blank(v) else str(v)


def episode_meta(series: object, airdate: object) -> list[str]:
    """[series, airdate] with whatever is known (shown 'Series · airdate'; nothing when neither is known:
    never empty parentheses)."""
    return [t for t in (_text(series), _text(airdate)) if t]


# --------------------------------------------------------------------------- the corpus frame


def date_keys(airdate: pd.Series) -> pd.Series:
    """A sortable ISO date per airdate as written ('2017-02-19', 'February 19, 2017'); '' if unreadable."""
    text = airdate.astype("string").str.strip()
    parsed = pd.to_datetime(text.fillna(""), errors="coerce", format="mixed")
    return parsed.dt.strftime("%Y-%m-%d").fillna("").astype(str)


def corpus_frame(articles: pd.DataFrame, comp: pd.DataFrame) -> pd.DataFrame:
    """One row per article in airdate order (undated last): review count and mean sentiment, verdict and
    favourability of its critics."""
    cols = ["reviews", "mean_sentiment", "mean_verdict", "mean_favourability"]
    if len(comp):  # in review order: a mean's last digit must not depend on the order rows came in
        g = comp.sort_values(["article_id", "review_id"], kind="mergesort").groupby("article_id")
        stats = pd.DataFrame({
            "reviews": g.size(),
            "mean_sentiment": g["sentiment"].mean().round(4),
            "mean_verdict": g["verdict"].mean().round(4),
            "mean_favourability": g["favourability"].mean().round(4),
        })
    else:  # no reviews (or no articles): the index keeps the ids' dtype so the merge still lines up
        stats = pd.DataFrame(columns=cols, index=pd.Index([], dtype=articles["article_id"].dtype, name="article_id"))
    df = articles.merge(stats, left_on="article_id", right_index=True, how="left")
    df["reviews"] = df["reviews"].fillna(0).astype("int64")
    df["date_key"] = date_keys(df["airdate"]).to_numpy()
    df["_undated"] = df["date_key"].eq("")  # no date or none that reads as one ('TBA'): after the dated ones
    order = ["_undated", "date_key", "airdate", "title", "article_id"]
    return df.sort_values(order, kind="mergesort", na_position="last").drop(columns="_undated").reset_index(drop=True)


def arc_values(arc: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each article's smoothed arc in position order (the table split once, not filtered per article)."""
    if arc.empty:
        return {}
    a = arc.sort_values(["article_id", "position"], kind="mergesort")
    ids = a["article_id"].astype(str).to_numpy()
    vals = a["smoothed"].astype("float64").to_numpy()
    cuts = np.flatnonzero(ids[1:] != ids[:-1]) + 1
    starts = np.concatenate([[0], cuts])
    return {ids[s]: part for s, part in zip(starts, np.split(vals, cuts), strict=True)}


def arc_scale(arcs: dict[str, np.ndarray]) -> float:
    """One vertical scale for every sparkline: the largest |smoothed| in the corpus, up to the next 0.1."""
    peak = max((float(np.nanmax(np.abs(v))) for v in arcs.values() if len(v) and not np.isnan(v).all()), default=0.0)
    return min(1.0, max(0.1, math.ceil(peak * 10 - 1e-9) / 10))


# --------------------------------------------------------------------------- tiny SVGs


def _binned(values: np.ndarray, points: int) -> np.ndarray:
    """At most `points` values: bin means over equal runs of sentences (the arc's shape, fewer points)."""
    v = values[~np.isnan(values)]
    if len(v) <= points:
        return v
    return np.array([part.mean() for part in np.array_split(v, points)])


def sparkline(values: Sequence[float] | np.ndarray, scale: float, width: int = 120, height: int = 28,
              points: int = _SPARK_POINTS, label: str = "plot arc") -> str:
    """A tiny inline SVG of an arc on a fixed ±`scale` axis: a zero line, the line, its low and high dots."""
    v = _binned(np.asarray(values, dtype="float64"), points)
    if not len(v):
        return ""
    pad, mid = 3.0, height / 2
    amp = (mid - pad) / scale
    xs = [width / 2] if len(v) == 1 else [pad + k * (width - 2 * pad) / (len(v) - 1) for k in range(len(v))]
    ys = [mid - max(-scale, min(scale, float(y))) * amp for y in v]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    lo, hi = int(np.argmin(v)), int(np.argmax(v))
    dots = "".join(f'<circle cx="{xs[k]:.1f}" cy="{ys[k]:.1f}" r="2" fill="{c}"/>' for k, c in ((lo, _LOW), (hi, _HIGH)))
    return (f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(label)}">'
            f'<line x1="0" y1="{mid:.1f}" x2="{width}" y2="{mid:.1f}" stroke="#bbb" stroke-width="0.8"/>'
            f'<polyline points="{path}" fill="none" stroke="{_ARC_BLUE}" stroke-width="1.5" stroke-linejoin="round"/>{dots}</svg>')


def favour_bar(fav: object, sentiment: object, verdict: object, width: int = 90, height: int = 14) -> str:
    """A bar from the centre for a mean favourability on −1 … +1 (green favourable, red unfavourable); the
    tooltip gives the mean text sentiment and verdict it comes from. '' when there are no reviews."""
    if _blank(fav):
        return ""
    f = max(-1.0, min(1.0, float(fav)))
    mid = width / 2
    x0, x1 = sorted((mid, mid + f * (mid - 1)))
    colour = _HIGH if f >= 0.05 else _LOW if f <= -0.05 else POLARITY_COLOURS["neutral"]
    tip = f"favourability {signed(fav)} (text sentiment {signed(sentiment) or 'n/a'}, verdict {signed(verdict) or 'none'})"
    return (f'<svg class="bar" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{tip}"><title>{tip}</title>'
            f'<rect x="0" y="3" width="{width}" height="{height - 6}" fill="#f0f0f0"/>'
            f'<rect x="{x0:.1f}" y="2" width="{max(x1 - x0, 0.8):.1f}" height="{height - 4}" fill="{colour}"/>'
            f'<line x1="{mid:.1f}" y1="0" x2="{mid:.1f}" y2="{height}" stroke="#666" stroke-width="1"/></svg>')


def band_chart(arcs: dict[str, np.ndarray], scale: float, bins: int = 21, width: int = 720, height: int = 200) -> str:
    """The spread of many arcs on one chart: per position, the median smoothed sentiment (line), the middle
    half of the episodes (dark band) and 80 % of them (light band). No line or legend per episode."""
    grid = np.linspace(0.0, 1.0, bins)
    rows = [np.interp(grid, np.linspace(0.0, 1.0, len(v)), v) if len(v) > 1 else np.full(bins, v[0])
            for v in (a[~np.isnan(a)] for a in arcs.values()) if len(v)]
    if not rows:
        return ""
    q = np.quantile(np.vstack(rows), [0.1, 0.25, 0.5, 0.75, 0.9], axis=0)
    left, right, top, bottom = 52.0, 12.0, 10.0, 34.0
    pw, ph = width - left - right, height - top - bottom

    def x(p: float) -> float:
        return left + p * pw

    def y(v: float) -> float:
        return top + (1 - (max(-scale, min(scale, v)) + scale) / (2 * scale)) * ph

    def area(lo: np.ndarray, hi: np.ndarray) -> str:
        pts = [*(f"{x(p):.1f},{y(v):.1f}" for p, v in zip(grid, hi, strict=True)),
               *(f"{x(p):.1f},{y(v):.1f}" for p, v in zip(grid[::-1], lo[::-1], strict=True))]
        return " ".join(pts)

    median = " ".join(f"{x(p):.1f},{y(v):.1f}" for p, v in zip(grid, q[2], strict=True))
    ticks = "".join(f'<line x1="{left}" y1="{y(t):.1f}" x2="{width - right}" y2="{y(t):.1f}" stroke="{"#999" if t == 0 else "#e3e3e3"}"/>'
                    f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end">{f"{t:+.1f}" if t else "0"}</text>' for t in (-scale, 0.0, scale))
    xlab = "".join(f'<text x="{x(p):.1f}" y="{height - bottom + 16}" text-anchor="middle">{p:g}</text>' for p in (0, 0.5, 1))
    return (f'<svg class="band" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" font-size="11" fill="#444" '
            f'aria-label="median and spread of {len(rows)} plot arcs">{ticks}'
            f'<polygon points="{area(q[0], q[4])}" fill="{_ARC_BLUE}" fill-opacity="0.15"/>'
            f'<polygon points="{area(q[1], q[3])}" fill="{_ARC_BLUE}" fill-opacity="0.3"/>'
            f'<polyline points="{median}" fill="none" stroke="#222" stroke-width="2"/>{xlab}'
            f'<text x="{left + pw / 2:.1f}" y="{height - 4}" text-anchor="middle">position in the plot (0 = first sentence, 1 = last)</text></svg>')


# --------------------------------------------------------------------------- the page


def _best_critics(comp: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """Per article: its most favourable critic ('Name (Outlet, Year) (+0.43)') and every critic's label
    (for the filter box)."""
    if comp.empty:
        return {}, {}
    c = typed_comparison(comp).sort_values(["article_id", "favour_rank", "review_id"], kind="mergesort")
    labels = [critic_label(r) for r in c.to_dict("records")]
    c = c.assign(_label=labels)
    tops = c.groupby("article_id", sort=False).head(1)
    best = {str(a): f"{lab} ({signed(f)})" if not _blank(f) else lab for a, lab, f in zip(tops["article_id"], tops["_label"], tops["favourability"], strict=True)}
    every = {str(a): " ".join(g) for a, g in c.groupby("article_id", sort=False)["_label"]}
    return best, every


def index_rows(corpus: pd.DataFrame, comp: pd.DataFrame, arcs: dict[str, np.ndarray], links: dict[str, str], scale: float) -> list[dict]:
    """What the template shows per article, in the corpus frame's order (SVGs as Markup, the rest escaped)."""
    best, every = _best_critics(comp)
    rows = []
    for r in corpus.to_dict("records"):
        aid, title = str(r["article_id"]), _text(r["title"]) or str(r["article_id"])
        series, airdate = _text(r.get("series")), _text(r.get("airdate"))
        arc = arcs.get(aid, np.array([]))
        rows.append({
            "aid": aid, "href": links[aid], "title": title, "series": series, "airdate": airdate,
            "meta_parts": episode_meta(series, airdate), "date_key": r["date_key"] or airdate,
            "words": "" if _blank(r.get("n_words")) else int(r["n_words"]),
            "words_text": "" if _blank(r.get("n_words")) else f"{int(r['n_words']):,}",
            "reviews": int(r["reviews"]), "fav": "" if _blank(r["mean_favourability"]) else f"{float(r['mean_favourability']):.4f}",
            "fav_text": signed(r["mean_favourability"]),
            "bar": Markup(favour_bar(r["mean_favourability"], r["mean_sentiment"], r["mean_verdict"])),
            "spark": Markup(sparkline(arc, scale, label=f"plot arc of {title}")),
            "arc_mean": f"{float(np.nanmean(arc)):.4f}" if len(arc) and not np.isnan(arc).all() else "",
            "best": best.get(aid, ""),
            "search": " ".join([title, series, airdate, every.get(aid, "")]).lower(),
        })
    return rows


def _top_n(n_reviewed: int) -> int:
    """How many episodes the most/least favourable lists hold: 0 while the table itself is short."""
    n = 5 if n_reviewed < 100 else 10
    return n if n_reviewed > 2 * n else 0


def top_and_bottom(rows: list[dict]) -> tuple[list[dict], list[dict], int]:
    """The most and the least favourably reviewed episodes (N each, best first / worst first) and the fewest
    reviews an episode needs to be listed: 2 when enough episodes have two, so that one critic alone does
    not put an episode at the top of a corpus."""
    reviewed = [r for r in rows if r["fav"]]
    k = _top_n(len(reviewed))
    if not k:
        return [], [], 1
    least = 2 if sum(r["reviews"] >= 2 for r in reviewed) > 2 * k else 1
    pool = [r for r in reviewed if r["reviews"] >= least]
    top = sorted(pool, key=lambda r: (-float(r["fav"]), r["title"], r["aid"]))[:k]
    bottom = sorted(pool, key=lambda r: (float(r["fav"]), r["title"], r["aid"]))[:k]
    return top, bottom, least


def _summary(rows: list[dict]) -> str:
    """'12 articles · 47 critics' reviews · aired 2001-12-11 to 2016-11-30'."""
    n = len(rows)
    bits = [f"{n:,} article{'s' if n != 1 else ''}"]
    reviews = sum(r["reviews"] for r in rows)
    if reviews:
        bits.append(f"{reviews:,} critics' review{'s' if reviews != 1 else ''}")
    dates = sorted(r["date_key"] for r in rows if r["date_key"][:1].isdigit())
    if dates:
        bits.append(f"aired {dates[0]}" + (f" to {dates[-1]}" if dates[-1] != dates[0] else ""))
    return " · ".join(bits)


COLUMNS = [("Episode", "text"), ("Series", "text"), ("Aired", "text"), ("Words", "num"), ("Reviews", "num"),
           ("Critics", "num"), ("Plot arc", "num"), ("Most favourable critic", "text")]


def index_body(articles: pd.DataFrame, comp: pd.DataFrame, arc: pd.DataFrame, links: dict[str, str]) -> str:
    """The index section: top/bottom lists, the episode table, and the arcs (small multiples or spread)."""
    corpus = corpus_frame(articles, comp)
    arcs = arc_values(arc)
    scale = arc_scale(arcs)
    rows = index_rows(corpus, comp, arcs, links, scale)
    top, bottom, least = top_and_bottom(rows)
    with_arc = [r for r in rows if len(arcs.get(r["aid"], ()))]
    multiples = [{"svg": Markup(sparkline(arcs[r["aid"]], scale, width=180, height=60, points=80, label=f"plot arc of {r['title']}")),
                  "href": r["href"], "title": r["title"], "meta_parts": r["meta_parts"]}
                 for r in with_arc] if 1 < len(with_arc) <= MAX_MULTIPLES else []
    band = band_chart({r["aid"]: arcs[r["aid"]] for r in with_arc}, scale) if len(with_arc) > MAX_MULTIPLES else ""
    band_text = (f"The {len(with_arc):,} plot arcs at once: the line is the median smoothed sentiment at each point of the plot, "
                 "the dark band holds the middle half of the episodes and the light band 80 % of them. Each episode's own arc "
                 "is the sparkline in its row of the table.")
    return index_template().render(
        summary=_summary(rows), rows=rows, filter=len(rows) >= FILTER_FROM, columns=[{"label": c, "type": t, "sorted": c == "Aired"} for c, t in COLUMNS],
        top=top, bottom=bottom, least_reviews=least, scale_text=f"{scale:.1f}",
        multiples=multiples, band=Markup(band), band_text=band_text,
    )
