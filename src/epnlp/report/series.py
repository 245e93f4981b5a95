"""Critics across the corpus in the HTML report: per series, the season's reception as a trend line
with the critics' spread as a band and the episodes that split the critics most; for the corpus, each
outlet's leniency with its interval; on an article's page, each critic's score against the others'.

Small inline SVG drawn from the `compare` tables (no matplotlib): it stays fast and readable from 2 to
1,000 episodes (dots only while they can be told apart, a line always).
"""

from __future__ import annotations

import html

import pandas as pd

WIDTH = 720
MAX_SERIES = 12  # series sections drawn (the most-reviewed); the tables hold the rest
MAX_OUTLETS = 25  # outlets in the leniency chart (the most-reviewed with a leniency)
SPLIT_N = 5  # divisive episodes listed per series


def _x(i: int, n: int, left: float, right: float) -> float:
    return left + (right - left) * (i / (n - 1) if n > 1 else 0.5)


def _num(v: object) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def trend_svg(rows: pd.DataFrame, label: str, height: int = 170) -> str:
    """One series: consensus per episode in order (line, dots up to 80 episodes), mean ± sd as a band,
    season boundaries as faint lines. Scores (0..1) when most episodes have one, else text sentiment."""
    scored = rows["score_consensus"].notna().mean() >= 0.5
    col, sd_col, lo, hi, unit = ("score_consensus", "score_sd", 0.0, 1.0, "score") if scored else ("sentiment_consensus", "sentiment_sd", -1.0, 1.0, "text sentiment")
    left, right, top, bottom = 40.0, WIDTH - 10.0, 10.0, height - 22.0
    n = len(rows)

    def y(v: float) -> float:
        return bottom - (min(max(v, lo), hi) - lo) / (hi - lo) * (bottom - top)

    parts = [f'<svg class="trend" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="{html.escape(label)}">']
    for v in (lo, (lo + hi) / 2, hi):
        parts.append(f'<line x1="{left}" x2="{right}" y1="{y(v):.1f}" y2="{y(v):.1f}" class="grid"/>'
                     f'<text x="{left - 4}" y="{y(v) + 4:.1f}" class="tick" text-anchor="end">{v:g}</text>')
    seasons = [None if pd.isna(s) else s for s in rows["season"]]  # an unknown season (NA) is its own run
    for i in range(1, n):
        if seasons[i] != seasons[i - 1]:
            xs = (_x(i - 1, n, left, right) + _x(i, n, left, right)) / 2
            parts.append(f'<line x1="{xs:.1f}" x2="{xs:.1f}" y1="{top}" y2="{bottom}" class="season"/>')
    pts = [(i, _num(v), _num(s)) for i, (v, s) in enumerate(zip(rows[col], rows[sd_col], strict=True))]
    band_up = [f"{_x(i, n, left, right):.1f},{y(v + (s or 0)):.1f}" for i, v, s in pts if v is not None]
    band_dn = [f"{_x(i, n, left, right):.1f},{y(v - (s or 0)):.1f}" for i, v, s in reversed(pts) if v is not None]
    if band_up:
        parts.append(f'<polygon points="{" ".join(band_up + band_dn)}" class="band"/>')
        line = " ".join(f"{_x(i, n, left, right):.1f},{y(v):.1f}" for i, v, _ in pts if v is not None)
        parts.append(f'<polyline points="{line}" class="line"/>')
    if n <= 80:
        for (i, v, _), t in zip(pts, rows["title"], strict=True):
            if v is not None:
                parts.append(f'<circle cx="{_x(i, n, left, right):.1f}" cy="{y(v):.1f}" r="3"><title>{html.escape(str(t))}: {v:.2f}</title></circle>')
    parts.append(f'<text x="{left}" y="{height - 6}" class="tick">episodes in order, seasons split by faint lines; '
                 f'{unit}: line = critics\' mean, band = ± one standard deviation</text></svg>')
    return "".join(parts)


def leniency_svg(outlets: pd.DataFrame) -> str:
    """Outlets' leniency (mean of their score − the other critics' mean) with 95 % bootstrap intervals."""
    df = outlets.dropna(subset=["leniency"]).sort_values(["n_reviews", "outlet"], ascending=[False, True], kind="mergesort").head(MAX_OUTLETS)
    df = df.sort_values(["leniency", "outlet"], kind="mergesort")
    if df.empty:
        return ""
    span = max(0.1, float(df[["leniency_low", "leniency_high"]].abs().max().max()))
    row, left, right = 18, 200.0, WIDTH - 60.0
    height = row * len(df) + 30

    def x(v: float) -> float:
        return left + (v + span) / (2 * span) * (right - left)

    parts = [f'<svg class="leniency" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="outlet leniency">',
             f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="4" y2="{height - 24}" class="grid"/>']
    for k, r in enumerate(df.itertuples(index=False)):
        yy = 12 + k * row
        cls = "pos" if r.leniency_low > 0 else ("neg" if r.leniency_high < 0 else "mid")
        parts.append(
            f'<text x="{left - 8}" y="{yy + 4}" text-anchor="end" class="name">{html.escape(str(r.outlet))} ({r.n_leniency})</text>'
            f'<line x1="{x(r.leniency_low):.1f}" x2="{x(r.leniency_high):.1f}" y1="{yy}" y2="{yy}" class="ci {cls}"/>'
            f'<circle cx="{x(r.leniency):.1f}" cy="{yy}" r="4" class="{cls}"><title>{html.escape(str(r.outlet))}: {r.leniency:+.3f} '
            f'[{r.leniency_low:+.3f}, {r.leniency_high:+.3f}]</title></circle>')
    parts.append(f'<text x="{left}" y="{height - 6}" class="tick">harsher ← 0 → more generous than the other critics of the same episodes (score, 0–1 scale)</text></svg>')
    return "".join(parts)


def _divisive(cons: pd.DataFrame, titles: dict[str, str], links: dict[str, str]) -> str:
    df = cons[cons["n_reviews"] >= 3].copy()
    if df.empty:
        return ""
    df = df.sort_values(["agreement", "sentiment_range", "article_id"], ascending=[True, False, True], kind="mergesort").head(SPLIT_N)
    items = "".join(
        f'<li><a href="{html.escape(links.get(r.article_id, "#"))}">{html.escape(titles.get(r.article_id, r.article_id))}</a>: '
        f"{r.n_reviews} reviews, {r.agreement:.0%} share the majority view ({html.escape(str(r.majority_polarity))})</li>"
        for r in df.itertuples(index=False))
    return f"<p>Where the critics disagreed most:</p><ol>{items}</ol>"


def series_section(consensus: pd.DataFrame | None, trends: pd.DataFrame | None, outlets: pd.DataFrame | None,
                   titles: dict[str, str], links: dict[str, str]) -> str:
    """The index's "Critics across the corpus" section (empty without the compare tables or with no
    series of two or more reviewed episodes)."""
    if consensus is None or trends is None or outlets is None:
        return ""
    trends = trends.merge(consensus[["article_id", "score_sd", "sentiment_sd"]], on="article_id", how="left")
    trends["title"] = trends["article_id"].map(titles)
    sizes = trends.groupby("series").size()
    shown = sizes[sizes >= 2].sort_values(ascending=False, kind="mergesort").head(MAX_SERIES)
    out = []
    for series in shown.index:
        rows = trends[trends["series"] == series].sort_values(["season", "episode_order"], kind="mergesort", na_position="last")
        if rows[["score_consensus", "sentiment_consensus"]].notna().any(axis=None):
            cons = consensus[consensus["series"] == series]
            out.append(f"<h3>{html.escape(str(series))} ({len(rows)} episodes)</h3>" + trend_svg(rows, f"reception of {series} by episode")
                       + _divisive(cons, titles, links))
    chart = leniency_svg(outlets)
    if chart:
        out.append("<h3>Outlets: harsh or generous?</h3><p>Each outlet's leniency: the mean, over its reviews, of its score minus "
                   "the mean score of the other critics of the same episode (so a harsh outlet reviewing good episodes is not "
                   "taken for a generous one), with a 95 % bootstrap interval; outlets with enough comparable reviews only "
                   "(the count in brackets). Green: reliably more generous, red: reliably harsher.</p>" + chart)
    if len(shown) < (sizes >= 2).sum():
        out.append(f'<p class="note">The {len(shown)} series with the most episodes are drawn; every series is in season_trends.csv.</p>')
    return '<section id="corpus-critics"><h2>Critics across the corpus</h2>' + "".join(out) + "</section>" if out else ""


def consensus_strip(comp: pd.DataFrame) -> str:
    """An article's scored critics on one 0–1 line against the episode's consensus (mean of the scores,
    band from the lowest to the highest). Empty with fewer than two scores."""
    df = comp.dropna(subset=["score_norm"])
    if len(df) < 2:
        return ""
    left, right, row = 180.0, WIDTH - 20.0, 18
    height = row * len(df) + 34

    def x(v: float) -> float:
        return left + float(v) * (right - left)

    scores = df["score_norm"].astype(float)
    mean = float(scores.mean())
    parts = [f'<svg class="consensus" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="critics against the consensus">',
             f'<rect x="{x(scores.min()):.1f}" y="2" width="{x(scores.max()) - x(scores.min()):.1f}" height="{height - 28}" class="band"/>',
             f'<line x1="{x(mean):.1f}" x2="{x(mean):.1f}" y1="2" y2="{height - 26}" class="line"/>']
    for k, r in enumerate(df.itertuples(index=False)):
        yy = 12 + k * row
        name = r.author if isinstance(r.author, str) else r.outlet
        parts.append(f'<text x="{left - 8}" y="{yy + 4}" text-anchor="end" class="name">{html.escape(str(name))}</text>'
                     f'<circle cx="{x(r.score_norm):.1f}" cy="{yy}" r="4"><title>{float(r.score_norm):.2f}</title></circle>')
    parts.append(f'<text x="{left}" y="{height - 8}" class="tick">score 0 … 1; line: the critics\' mean ({mean:.2f}), band: lowest to highest</text></svg>')
    return "".join(parts)
