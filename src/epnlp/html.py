"""A self-contained HTML report: one page per article plus an index, charts embedded as data: URIs.

Everything here is pure: frames in, HTML strings out (no file I/O, no network, no clock). Charts are
drawn with matplotlib's object API (no pyplot state) inside a fixed rc context and saved without
dates or version strings, so the same tables always give byte-identical pages.

Layout (`build_site`): `articles/<article_id>.html` for every article, and `report.html`, the index
(one row per article linking its page, the critics per episode in airdate order and, with several
articles, their plot arcs on one axis). With a single article, `report.html` is the index followed by
that article's full page (the link becomes an anchor), so the one file shows everything.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import math
import numbers
import textwrap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from epnlp.io import csv_per_group
from epnlp.report import (
    by_article,
    comparison_paragraph,
    critic_label,
    readability_sentence,
    readability_table,
)

# One colour per entity kind (displaCy looks colours up by the upper-cased label).
KIND_COLOURS: dict[str, str] = {
    "character": "#ffb3c1",
    "person": "#c3b8fc",
    "vessel": "#8fe3e8",
    "place": "#fed28a",
    "organisation": "#bfeeb7",
    "work": "#f2cdf7",
    "date": "#d3e4f5",
    "other": "#e4e7d2",
}
_UNKNOWN_KIND = "#dddddd"

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


# --------------------------------------------------------------------------- small helpers


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _esc(v: object) -> str:
    return "" if _missing(v) else html.escape(str(v))


def _signed(v: object, digits: int = 2) -> str:
    return "" if _missing(v) else f"{float(v):+.{digits}f}"


def _short(text: str, width: int) -> str:
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


def _img(uri: str, alt: str, cls: str) -> str:
    return f'<img class="chart {cls}" src="{uri}" alt="{html.escape(alt)}">'


def table_html(df: pd.DataFrame, formats: dict[str, Callable[[object], str]] | None = None, raw: frozenset[str] = frozenset(), cls: str = "") -> str:
    """An HTML table of `df`; cells escaped unless their column is in `raw` (already HTML)."""
    formats = formats or {}
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = []
    for rec in df.itertuples(index=False):
        cells = []
        for col, v in zip(df.columns, rec, strict=True):
            if col in raw:
                cell = "" if _missing(v) else str(v)
            elif col in formats:
                cell = html.escape(formats[col](v))
            else:
                cell = _esc(v)
            num = ' class="num"' if isinstance(v, numbers.Real) and not isinstance(v, bool) and not _missing(v) else ""
            cells.append(f"<td{num}>{cell}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    c = f' class="{cls}"' if cls else ""
    # in a box of its own: a table wider than the page scrolls inside it instead of losing its last column
    return f'<div class="tablebox"><table{c}><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _note(text: str) -> str:
    return f'<p class="note">{html.escape(text)}</p>'


# --------------------------------------------------------------------------- header and credits


def credits(infobox: pd.DataFrame) -> pd.DataFrame:
    """One row per infobox key in article order: the key and its values (guests as 'Actor as Role')."""
    if infobox.empty:
        return pd.DataFrame(columns=["credit", "value"])
    ib = infobox.sort_values(["line", "position"], kind="mergesort")
    vals = ib["value"].astype(str) + ib["role"].map(lambda r: "" if _missing(r) else f" as {r}")
    out = vals.groupby(ib["key"], sort=False).agg(", ".join)
    return out.rename("value").rename_axis("credit").reset_index()


# infobox keys read, in this order, when the parser found no `Series` / `Airdate` (compared case-folded)
SERIES_KEYS = ("series", "show", "programme", "program", "tv series", "television series")
AIRDATE_KEYS = ("airdate", "air date", "original air date", "aired", "first aired", "original release",
                "release date", "released", "broadcast", "date")


def with_episode_meta(articles: pd.DataFrame, infobox: pd.DataFrame) -> pd.DataFrame:
    """`articles` with an empty `series` / `airdate` filled from other infobox keys (`Show:`, `Date:`, ...),
    so an article whose infobox names them differently is still shown with its series and date."""
    out = articles.copy()
    if infobox.empty or out.empty:
        return out
    ib = infobox[["article_id", "key", "value", "line", "position"]].assign(k=infobox["key"].astype(str).str.strip().str.casefold())
    for col, keys in (("series", SERIES_KEYS), ("airdate", AIRDATE_KEYS)):
        hit = ib[ib["k"].isin(keys) & ib["value"].notna()]
        hit = hit.assign(p=hit["k"].map(keys.index)).sort_values(["article_id", "p", "line", "position"], kind="mergesort")
        hit = hit.drop_duplicates("article_id")  # the first of the preferred key
        found = out["article_id"].map(dict(zip(hit["article_id"], hit["value"].astype(str), strict=True)) if len(hit) else {})
        have = out[col].notna() & out[col].astype("string").str.strip().ne("").fillna(False)
        out[col] = out[col].astype("object").where(have, found.astype("object"))
    return out


def _header(art: pd.Series, infobox: pd.DataFrame) -> str:
    bits = [_esc(art.get("series")), _esc(art.get("airdate")), f"{int(art['n_words']):,} words" if not _missing(art.get("n_words")) else ""]
    sub = " · ".join(b for b in bits if b)
    cr = credits(infobox)
    dl = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in zip(cr["credit"], cr["value"], strict=True))
    body = f'<dl class="credits">{dl}</dl>' if dl else _note("No infobox found.")
    return f"<header><h1>{_esc(art['title'])}</h1><p class=\"sub\">{sub}</p><h2 id=\"credits\">Credits</h2>{body}</header>"


# --------------------------------------------------------------------------- plot with entities


def _non_overlapping(spans: list[dict]) -> list[dict]:
    """Entities sorted by start, longest first at a tie; a span overlapping a kept one is dropped."""
    kept: list[dict] = []
    end = -1
    for s in sorted(spans, key=lambda s: (s["start"], -(s["end"] - s["start"]))):
        if s["start"] >= end:
            kept.append(s)
            end = s["end"]
    return kept


def plot_docs(paragraphs: pd.DataFrame, entities: pd.DataFrame, role: str = "plot") -> list[dict]:
    """displaCy 'manual' docs, one per paragraph of `role`: text plus entity spans relative to it.

    Entity rows carry raw offsets; a paragraph's raw start gives the relative span. A span that does
    not reproduce the entity's text inside the paragraph is left out rather than drawn in the wrong place.
    """
    paras = paragraphs.loc[paragraphs["role"] == role].sort_values("paragraph_id", kind="mergesort")
    ents = entities.loc[entities["role"] == role] if "role" in entities.columns else entities
    docs = []
    for p in paras.itertuples(index=False):
        pstart, text = int(p.start), str(p.text)
        inside = ents[(ents["start"] >= pstart) & (ents["end"] <= pstart + len(text))]
        spans = []
        for e in inside.itertuples(index=False):
            s, t = int(e.start) - pstart, int(e.end) - pstart
            if text[s:t] == str(e.text):
                spans.append({"start": s, "end": t, "label": str(e.kind)})
        docs.append({"text": text, "ents": _non_overlapping(spans), "title": None, "section": str(p.section)})
    return docs


def highlighted_plot(paragraphs: pd.DataFrame, entities: pd.DataFrame) -> str:
    """The plot paragraphs with entities marked by displaCy (one colour per kind), subsection titles kept."""
    from spacy import displacy

    docs = plot_docs(paragraphs, entities)
    if not docs:
        return _note("No plot section was found in this article.")
    colours = {k.upper(): c for k, c in KIND_COLOURS.items()}
    for kind in {e["label"] for d in docs for e in d["ents"]} - set(KIND_COLOURS):
        colours[kind.upper()] = _UNKNOWN_KIND
    out, section = [], docs[0]["section"]
    for d in docs:
        if d["section"] != section:
            section = d["section"]
            out.append(f"<h3>{html.escape(section)}</h3>")
        doc = {k: d[k] for k in ("text", "ents", "title")}
        out.append(displacy.render([doc], style="ent", manual=True, page=False, options={"colors": colours}))
    kinds = sorted({e["label"] for d in docs for e in d["ents"]}, key=lambda k: (list(KIND_COLOURS).index(k) if k in KIND_COLOURS else 99, k))
    legend = "".join(f'<span class="chip" style="background:{KIND_COLOURS.get(k, _UNKNOWN_KIND)}">{html.escape(k)}</span>' for k in kinds)
    return f'<p class="legend">{legend}</p><div class="plot">{"".join(out)}</div>'


# --------------------------------------------------------------------------- arc


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
                "\n".join(textwrap.wrap(_short(r["text"], 96), 40)),
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


def _arc_section(arc: pd.DataFrame, arc_paragraphs: pd.DataFrame, opts: HtmlOptions) -> str:
    if arc.empty:
        return _note("No plot sentences, so no arc.")
    parts = [_img(arc_chart(arc, opts), "Plot sentiment arc: sentence sentiment and its smoothed line over the plot", "arc")]
    for flag, word in (("is_low", "Lowest"), ("is_high", "Highest")):
        hit = arc.loc[arc[flag].astype(bool)]
        if len(hit):
            r = hit.iloc[0]
            parts.append(
                f'<p class="extreme {word.lower()}"><b>{word} point</b> at {float(r["position"]):.2f} '
                f'(smoothed {_signed(r["smoothed"])}, sentence {int(r["sentence_id"])}, text offsets {int(r["start"])}–{int(r["end"])}): '
                f'<q>{_esc(r["text"])}</q></p>'
            )
    if len(arc_paragraphs):
        view = arc_paragraphs.assign(
            span=[f"{a:.2f}–{b:.2f}" for a, b in zip(arc_paragraphs["first_position"].astype(float), arc_paragraphs["last_position"].astype(float), strict=True)]
        )[["paragraph_id", "n_sentences", "span", "mean_compound", "min_compound", "max_compound"]]
        view.columns = ["paragraph", "sentences", "position", "mean", "min", "max"]
        parts.append("<h3>By paragraph</h3>" + table_html(view, {c: _signed for c in ("mean", "min", "max")}))
    return "".join(parts)


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


def cooccurrence_section(co: pd.DataFrame | None, opts: HtmlOptions) -> str:
    """The co-occurrence grid and top pairs, or a note when the table is missing or has no pairs."""
    if co is None or co.empty:
        return _note("No character co-occurrence data for this article (the cooccurrence table is missing or has no pairs).")
    m = cooccurrence_matrix(co, opts.max_characters)
    pairs = co.sort_values(["sentences_together", "character_a", "character_b"], ascending=[False, True, True], kind="mergesort").head(10)
    view = pairs[["character_a", "character_b", "sentences_together"]].set_axis(["character", "with", "sentences together"], axis=1)
    return _img(cooccurrence_chart(m, opts), "Character co-occurrence grid", "cooccurrence") + "<h3>Most frequent pairs</h3>" + table_html(view)


# --------------------------------------------------------------------------- critics


def critic_labels(comp: pd.DataFrame) -> list[str]:
    """'Author (Outlet, Year)' per review, made unique within its article with '#2', '#3' when two read
    the same."""
    seen: dict[tuple[object, str], int] = {}
    out = []
    for r in comp.to_dict("records"):
        label = critic_label(r)
        key = (r.get("article_id"), label)  # unique within each article
        seen[key] = seen.get(key, 0) + 1
        out.append(label if seen[key] == 1 else f"{label} #{seen[key]}")
    return out


_WHOLE = ("review_id", "year", "rank", "favour_rank")


def typed_comparison(comp: pd.DataFrame) -> pd.DataFrame:
    """`review_sentiment` with whole-number columns as integers (a CSV read gives 2016.0 for a year)."""
    return comp.astype({c: "Int64" for c in _WHOLE if c in comp.columns})


def critics_frame(comp: pd.DataFrame) -> pd.DataFrame:
    """One article's reviews in favourability order with a unique `critic` label (chart and DVC plot)."""
    df = typed_comparison(comp).sort_values(["favour_rank", "review_id"], kind="mergesort").reset_index(drop=True)
    df.insert(0, "critic", critic_labels(df))
    return df


PLOT_COLUMNS = ["critic", "favourability", "sentiment", "verdict", "polarity", "favour_rank"]


def critic_plot_files(comp: pd.DataFrame) -> dict[str, str]:
    """One CSV per article for `dvc plots show` ({file name: text}; x = favourability, y = critic)."""
    # what `critics_frame` does per article, once for the whole corpus
    df = typed_comparison(comp).sort_values(["article_id", "favour_rank", "review_id"], kind="mergesort")
    df.insert(0, "critic", critic_labels(df))
    files = csv_per_group(df, "article_id", PLOT_COLUMNS, "%.4g")
    return {f"{aid}.csv": text for aid, text in sorted(files.items())}


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
            p = "" if _missing(pol) else str(pol)
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


def critics_table(comp: pd.DataFrame) -> pd.DataFrame:
    """The critics' table shown in the report: score, rank, sentiment, polarity, agreement, quote."""
    df = critics_frame(comp)

    def rank(r: pd.Series) -> str:
        if _missing(r["rank"]):
            return ""
        return f"#{int(r['rank'])}" + ("" if _missing(r["rank_list"]) else f" in {r['rank_list']}")

    pol = ['<span class="pol" style="color:{}">{}</span>'.format(POLARITY_COLOURS.get(str(p), "#555"), _esc(p)) for p in df["polarity"]]
    return pd.DataFrame({
        "#": df["favour_rank"].astype("Int64"),
        "critic": df["critic"],
        # one column for the two forms a verdict takes (rarely both): narrower at 800 px
        "score or rank": ["; ".join(x for x in (_esc(r["score_text"]), html.escape(rank(r))) if x) for _, r in df.iterrows()],
        "text sentiment": df["sentiment"].map(_signed),
        "verdict": df["verdict"].map(_signed),
        "polarity": pol,
        "agreement": df["agreement"],
        "evidence quote": df["quote"],
        "words that drove the score": df["evidence"],
    })


def _critics_section(comp: pd.DataFrame, opts: HtmlOptions) -> str:
    if comp.empty:
        return _note("No critics' reviews were found.")
    tbl = table_html(critics_table(comp), raw=frozenset({"polarity", "score or rank"}), cls="critics")
    para = comparison_paragraph(comp)
    from epnlp.html_series import consensus_strip

    strip = consensus_strip(comp)
    strip = f"<p>Each critic's score against the episode's consensus:</p>{strip}" if strip else ""
    return _img(critics_chart(comp, opts), "Critics' comparison: text sentiment and verdict per critic", "critics") + f"<p>{html.escape(para)}</p>" + tbl + strip


# --------------------------------------------------------------------------- readability


def readability_view(readability: pd.DataFrame) -> pd.DataFrame:
    """Readability per section: the Flesch-Kincaid grade and its one plain-words reading (as in summary.md)."""
    view = readability_table(readability).rename(columns={"n_sentences": "sentences", "n_words": "words"})
    return view.assign(grade=view["grade"].astype(float))  # a number again: right-aligned, shown as written


def _readability_section(readability: pd.DataFrame) -> str:
    if readability.empty:
        return _note("No section had enough prose to score.")
    note = _note("Every textstat score per section (reading ease, Gunning fog, SMOG, ...) is in data/processed/readability.csv.")
    return f"<p>{html.escape(readability_sentence(readability))}</p>" + table_html(readability_view(readability), {"grade": lambda g: f"{g:.1f}"}) + note


# --------------------------------------------------------------------------- pages

_SECTIONS = (("plot", "Plot"), ("arc", "Sentiment arc"), ("characters", "Who appears with whom"), ("critics", "What the critics said"), ("readability", "Readability"))


@functools.cache
def asset(name: str) -> str:
    """A file of the package's `templates/` folder (the CSS and the index's script), read once."""
    return resources.files("epnlp").joinpath("templates", name).read_text(encoding="utf-8")


def _page(title: str, body: str, script: str = "") -> str:
    """A whole HTML document: inline CSS, the body, an optional inline script (nothing is fetched)."""
    js = f"<script>\n{script}</script>\n" if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{asset('report.css')}</style>\n</head>\n<body>\n{body}\n"
        "<footer>Generated by epnlp from the tables in data/processed and reports/review_sentiment.csv.</footer>\n"
        f"{js}</body>\n</html>\n"
    )


def article_body(
    art: pd.Series,
    infobox: pd.DataFrame,
    paragraphs: pd.DataFrame,
    entities: pd.DataFrame,
    arc: pd.DataFrame,
    arc_paragraphs: pd.DataFrame,
    comp: pd.DataFrame,
    readability: pd.DataFrame,
    cooccurrence: pd.DataFrame | None,
    opts: HtmlOptions,
) -> str:
    """The article's sections (all frames already filtered to this article)."""
    toc = "".join(f'<a href="#{a}">{t}</a>' for a, t in _SECTIONS)
    secs = {
        "plot": highlighted_plot(paragraphs, entities),
        "arc": _arc_section(arc, arc_paragraphs, opts),
        "characters": cooccurrence_section(cooccurrence, opts),
        "critics": _critics_section(comp, opts),
        "readability": _readability_section(readability),
    }
    body = "".join(f'<section id="{a}"><h2>{t}</h2>{secs[a]}</section>' for a, t in _SECTIONS)
    return f'<article id="article-{_esc(art["article_id"])}">{_header(art, infobox)}<nav class="toc">{toc}</nav>{body}</article>'


def build_site(*args, **kwargs) -> dict[str, str]:
    """Every page as {relative path: HTML}: `report.html` and `articles/<article_id>.html`, all in memory
    (same arguments as `iter_site`; for a corpus, stream the pages with `iter_site`)."""
    return dict(sorted(iter_site(*args, **kwargs)))


_SITE: tuple | None = None  # what forked page renderers read: (arts, per-table lookups, opts)


def _render(aid: str, site: tuple | None = None) -> str:
    """Draw one article's page body from `site` (arts, per-table lookups, opts); a forked worker reads the
    `_SITE` its parent set before forking."""
    arts, lookups, opts = site if site is not None else _SITE
    return article_body(arts.loc[aid], *_parts(lookups, aid), opts)


def _parts(lookups: list, aid: str) -> list[pd.DataFrame | None]:
    return [None if f is None else f(aid) for f in lookups]


def _page_keys(arts: pd.DataFrame, frames: tuple, opts: HtmlOptions) -> dict[str, str]:
    """Each article page's cache key: its rows of every frame, the options and the code that draws it."""
    from epnlp.cache import article_digests, fingerprint, module_fingerprint

    code = module_fingerprint("html", "report", "html_series")  # a page's body uses all three
    # an article's rows of every frame, hashed vectorised (no per-article frame operations)
    digests = article_digests(arts, *(df if df is not None else pd.DataFrame({"article_id": []}) for df in frames))
    common = fingerprint(code, repr(opts), [df is None for df in frames])
    return {aid: fingerprint(common, digests.get(aid, "")) for aid in map(str, arts["article_id"])}


def _index_page(arts: pd.DataFrame, comparison: pd.DataFrame, arc: pd.DataFrame, bodies: dict[str, str],
                corpus: dict[str, pd.DataFrame] | None = None) -> str:
    """`report.html`: the index linking every page, or with a single article the index and then its page
    (`bodies` holds that one article's body); `corpus` (the compare tables) adds the critics across series."""
    from epnlp.html_index import index_body
    from epnlp.html_series import series_section

    ids = [str(a) for a in arts["article_id"]]
    single = len(ids) == 1
    links = {aid: (f"#article-{aid}" if single else f"articles/{aid}.html") for aid in ids}
    titles = dict(zip(ids, map(str, arts["title"]), strict=True))
    c = corpus or {}
    index = index_body(arts, comparison, arc, links) + series_section(
        c.get("episode_consensus"), c.get("season_trends"), c.get("outlet_stats"), titles, links)
    if single:
        return _page(str(arts["title"].iloc[0]), index + bodies[ids[0]], asset("index.js"))
    return _page("Episode reports", index, asset("index.js"))


def iter_site(
    articles: pd.DataFrame,
    infobox: pd.DataFrame,
    paragraphs: pd.DataFrame,
    entities: pd.DataFrame,
    arc: pd.DataFrame,
    arc_paragraphs: pd.DataFrame,
    comparison: pd.DataFrame,
    readability: pd.DataFrame,
    cooccurrence: pd.DataFrame | None,
    opts: HtmlOptions | None = None,
    cache=None,
    n_process: int = 1,
    corpus: dict[str, pd.DataFrame] | None = None,
) -> Iterator[tuple[str, str]]:
    """Yield (relative path, HTML) for every article page in article order, then `report.html`.

    With a `cache` (epnlp.cache.ArticleCache), an article page whose rows, options and code are unchanged
    is reused instead of re-rendered (charts are the costly part); pages to render are drawn in
    `n_process` forked worker processes when more than one is asked for (and the platform forks).

    `comparison` is the report stage's `review_sentiment` frame; `cooccurrence` (article_id,
    character_a, character_b, sentences_together) may be None when that table does not exist yet;
    `corpus` holds the compare stage's tables (episode_consensus, season_trends, outlet_stats) when they exist.
    """
    global _SITE
    import multiprocessing as mp

    opts = opts or HtmlOptions()
    comparison = typed_comparison(comparison)
    arts = with_episode_meta(articles, infobox).sort_values("article_id", kind="mergesort").reset_index(drop=True)
    single = len(arts) == 1
    frames = (infobox, paragraphs, entities, arc, arc_paragraphs, comparison, readability, cooccurrence)
    # Split every frame by article once (not a filter per article: that is quadratic in the corpus).
    lookups = [None if df is None else by_article(df) for df in frames]
    ids = [str(a) for a in arts["article_id"]]
    keys = _page_keys(arts, frames, opts) if cache is not None else {}
    todo = [aid for aid in ids if cache is None or not cache.has(aid, keys[aid])]
    site = (arts.set_index(arts["article_id"].astype(str), drop=False), lookups, opts)
    parallel = n_process > 1 and len(todo) > 1 and "fork" in mp.get_all_start_methods()
    if parallel:
        _SITE = site  # inherited by the workers forked just below
    pool = mp.get_context("fork").Pool(n_process) if parallel else None
    try:
        rendered = iter(pool.imap(_render, todo, chunksize=2) if pool is not None else (_render(aid, site) for aid in todo))
        bodies: dict[str, str] = {}
        todo_set = set(todo)
        for aid, title in zip(ids, arts["title"], strict=True):
            if aid in todo_set:
                body = next(rendered)
                if cache is not None:
                    cache.put(aid, keys[aid], body)
                    cache.misses += 1
            else:
                body = cache.get(aid, keys[aid])
            if single:
                bodies[aid] = body
            back = '<nav class="back"><a href="../report.html">← all episodes</a></nav>'
            yield f"articles/{aid}.html", _page(str(title), back + body)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        _SITE = None
    if cache is not None:
        cache.prune({(aid, k) for aid, k in keys.items()})
    yield "report.html", _index_page(arts, comparison, arc, bodies, corpus)


def write_pages(pages: Iterable[tuple[str, str]], dst: Path) -> int:
    """Write (relative path, HTML) pages as they come under `dst`, leaving unchanged files untouched,
    then remove article pages of articles that are gone. Returns how many files were written."""
    from epnlp.io import write_if_changed

    dst = Path(dst)
    (dst / "articles").mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    written = 0
    for rel, text in pages:
        written += write_if_changed(dst / rel, text)
        seen.add(rel)
    for old in (dst / "articles").glob("*.html"):
        if f"articles/{old.name}" not in seen:
            old.unlink()
    return written
