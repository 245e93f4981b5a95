"""One article's page body: what each section shows, worked out from the article's rows (this module),
and the markup, in `templates/article.html.j2` (one macro per section).

Sections: the header with the credits, the plot with its entities marked by displaCy, the sentiment arc,
who appears with whom, the critics and the readability per section. Pure: frames in, HTML out (the
charts come from `report.charts`, the critics' consensus strip from `report.series`).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from markupsafe import Markup

from epnlp.report.charts import (
    POLARITY_COLOURS,
    HtmlOptions,
    arc_chart,
    cooccurrence_chart,
    cooccurrence_matrix,
    critics_chart,
)
from epnlp.report.render import page_template
from epnlp.report.series import consensus_strip
from epnlp.report.tables import (
    comparison_paragraph,
    credits,
    critics_frame,
    is_missing,
    readability_sentence,
    readability_table,
    signed,
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

SECTIONS = (("plot", "Plot"), ("arc", "Sentiment arc"), ("characters", "Who appears with whom"), ("critics", "What the critics said"), ("readability", "Readability"))

# infobox keys read, in this order, when the parser found no `Series` / `Airdate` (compared case-folded)
SERIES_KEYS = ("series", "show", "programme", "program", "tv series", "television series")
AIRDATE_KEYS = ("airdate", "air date", "original air date", "aired", "first aired", "original release",
                "release date", "released", "broadcast", "date")


@dataclass(frozen=True)
class Chart:
    """An embedded chart: its data: URI, alternative text and CSS class."""

    uri: str
    alt: str
    cls: str


@dataclass(frozen=True)
class Cell:
    """A table cell: a value (escaped when shown unless Markup), right-aligned when a number, in a
    polarity colour when `colour` is set."""

    text: object
    num: bool = False
    colour: str = ""


@dataclass(frozen=True)
class Table:
    """A table's heading and rows of cells."""

    head: list[str]
    rows: list[list[Cell]]
    cls: str = ""


@dataclass(frozen=True)
class Header:
    """An article's title, the parts of the line under it and its credits as (key, values)."""

    title: object
    sub: list[str]
    credits: list[tuple[str, str]]


@dataclass(frozen=True)
class Section:
    """What one section shows (each its own parts, in `article.html.j2`'s macro of the same name); `note`
    alone when there is nothing to show."""

    note: str = ""
    chart: Chart | None = None
    paragraph: str = ""  # under the chart: the critics compared, how hard the article reads
    items: list[dict] = field(default_factory=list)  # plot: its paragraphs; arc: its lowest and highest points
    legend: list[tuple[str, str]] = field(default_factory=list)  # plot: (entity kind, colour)
    table: Table | None = None
    strip: Markup = Markup("")  # critics: each one's score against the consensus (inline SVG)


def _macros():
    """The macros of `article.html.j2`, one per section (plus note, chart, table, header, article)."""
    return page_template("article.html.j2").module


def table(df: pd.DataFrame, formats: dict[str, Callable[[object], str]] | None = None, cls: str = "",
          colours: dict[str, Callable[[object], str]] | None = None) -> Table:
    """`df` as a table: `formats` turn a column's values into text, `colours` give a column's cells a
    colour; values are escaped when shown (Markup ones excepted) and a missing one shows as nothing."""
    formats, colours = formats or {}, colours or {}
    rows = []
    for rec in df.itertuples(index=False):
        cells = []
        for col, v in zip(df.columns, rec, strict=True):
            text = formats[col](v) if col in formats else v
            num = isinstance(v, numbers.Real) and not isinstance(v, bool) and not is_missing(v)
            cells.append(Cell(text, num, colours[col](v) if col in colours else ""))
        rows.append(cells)
    return Table([str(c) for c in df.columns], rows, cls)


def table_html(df: pd.DataFrame, formats: dict[str, Callable[[object], str]] | None = None, cls: str = "") -> str:
    """`table(df, formats, cls)` as HTML."""
    return str(_macros().table(table(df, formats, cls)))


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


def header(art: pd.Series, infobox: pd.DataFrame) -> Header:
    """Title, the line under it (series · airdate · words, what is known) and the credits."""
    words = None if is_missing(art.get("n_words")) else f"{int(art['n_words']):,} words"
    sub = [str(v) for v in (art.get("series"), art.get("airdate"), words) if not is_missing(v) and str(v)]
    cr = credits(infobox)
    return Header(art["title"], sub, list(zip(cr["credit"], cr["value"], strict=True)))


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
    # columns taken out once: a boolean filter of the frame per paragraph costs more than the page
    starts, ends = ents["start"].to_numpy("int64"), ents["end"].to_numpy("int64")
    texts, kinds = [str(x) for x in ents["text"]], [str(x) for x in ents["kind"]]
    docs = []
    for p in paras.itertuples(index=False):
        pstart, text = int(p.start), str(p.text)
        spans = []
        for i in np.flatnonzero((starts >= pstart) & (ends <= pstart + len(text))):
            s, t = int(starts[i]) - pstart, int(ends[i]) - pstart
            if text[s:t] == texts[i]:
                spans.append({"start": s, "end": t, "label": kinds[i]})
        docs.append({"text": text, "ents": _non_overlapping(spans), "title": None, "section": str(p.section)})
    return docs


def plot_section(paragraphs: pd.DataFrame, entities: pd.DataFrame) -> Section:
    """The plot paragraphs with entities marked by displaCy (one colour per kind), subsection titles kept."""
    from spacy import displacy

    docs = plot_docs(paragraphs, entities)
    if not docs:
        return Section(note="No plot section was found in this article.")
    kinds = sorted({e["label"] for d in docs for e in d["ents"]}, key=lambda k: (list(KIND_COLOURS).index(k) if k in KIND_COLOURS else 99, k))
    colours = {k.upper(): c for k, c in KIND_COLOURS.items()} | {k.upper(): _UNKNOWN_KIND for k in kinds if k not in KIND_COLOURS}
    shown, section = [], docs[0]["section"]
    for d in docs:
        heading = d["section"] if d["section"] != section else None
        section = d["section"]
        doc = {k: d[k] for k in ("text", "ents", "title")}
        shown.append({"heading": heading, "html": Markup(displacy.render([doc], style="ent", manual=True, page=False, options={"colors": colours}))})
    return Section(items=shown, legend=[(k, KIND_COLOURS.get(k, _UNKNOWN_KIND)) for k in kinds])


# --------------------------------------------------------------------------- arc, characters, critics, readability


def arc_section(arc: pd.DataFrame, arc_paragraphs: pd.DataFrame) -> Section:
    """The arc chart, its lowest and highest points with their sentences, and the arc by paragraph."""
    if arc.empty:
        return Section(note="No plot sentences, so no arc.")
    extremes = []
    for flag, word in (("is_low", "Lowest"), ("is_high", "Highest")):
        hit = arc.loc[arc[flag].astype(bool)]
        if len(hit):
            r = hit.iloc[0]
            extremes.append({"word": word, "cls": word.lower(), "position": f"{float(r['position']):.2f}", "smoothed": signed(r["smoothed"]),
                             "sentence": int(r["sentence_id"]), "start": int(r["start"]), "end": int(r["end"]), "text": r["text"]})
    by_paragraph = None
    if len(arc_paragraphs):
        first, last = arc_paragraphs["first_position"].astype(float), arc_paragraphs["last_position"].astype(float)
        view = arc_paragraphs.assign(span=[f"{a:.2f}–{b:.2f}" for a, b in zip(first, last, strict=True)])
        view = view[["paragraph_id", "n_sentences", "span", "mean_compound", "min_compound", "max_compound"]]
        view.columns = ["paragraph", "sentences", "position", "mean", "min", "max"]
        by_paragraph = table(view, {c: signed for c in ("mean", "min", "max")})
    chart = Chart(arc_chart(arc), "Plot sentiment arc: sentence sentiment and its smoothed line over the plot", "arc")
    return Section(chart=chart, items=extremes, table=by_paragraph)


def characters_section(co: pd.DataFrame | None, opts: HtmlOptions) -> Section:
    """The co-occurrence grid and the ten most frequent pairs, or a note when there are no pairs."""
    if co is None or co.empty:
        return Section(note="No character co-occurrence data for this article (the cooccurrence table is missing or has no pairs).")
    m = cooccurrence_matrix(co, opts.max_characters)
    pairs = co.sort_values(["sentences_together", "character_a", "character_b"], ascending=[False, True, True], kind="mergesort").head(10)
    view = pairs[["character_a", "character_b", "sentences_together"]].set_axis(["character", "with", "sentences together"], axis=1)
    return Section(chart=Chart(cooccurrence_chart(m), "Character co-occurrence grid", "cooccurrence"), table=table(view))


def cooccurrence_section(co: pd.DataFrame | None, opts: HtmlOptions) -> str:
    """The co-occurrence section's HTML."""
    return str(_macros().characters(characters_section(co, opts)))


def critics_table(df: pd.DataFrame) -> pd.DataFrame:
    """The critics' table shown in the report from an article's `critics_frame`: score, rank, sentiment,
    polarity, agreement, quote."""

    def rank(r: pd.Series) -> str:
        if is_missing(r["rank"]):
            return ""
        return f"#{int(r['rank'])}" + ("" if is_missing(r["rank_list"]) else f" in {r['rank_list']}")

    return pd.DataFrame({
        "#": df["favour_rank"].astype("Int64"),
        "critic": df["critic"],
        # one column for the two forms a verdict takes (rarely both): narrower at 800 px
        "score or rank": ["; ".join(x for x in ("" if is_missing(r["score_text"]) else str(r["score_text"]), rank(r)) if x) for _, r in df.iterrows()],
        "text sentiment": df["sentiment"].map(signed),
        "verdict": df["verdict"].map(signed),
        "polarity": df["polarity"],
        "agreement": df["agreement"],
        "evidence quote": df["quote"],
        "words that drove the score": df["evidence"],
    })


def critics_section(comp: pd.DataFrame) -> Section:
    """The critics' chart, a paragraph comparing them, their table and the consensus strip."""
    if comp.empty:
        return Section(note="No critics' reviews were found.")
    colour = {"polarity": lambda p: POLARITY_COLOURS.get(str(p), "#555")}
    critics = critics_frame(comp)  # the chart's and the table's rows, in one order
    chart = Chart(critics_chart(critics), "Critics' comparison: text sentiment and verdict per critic", "critics")
    return Section(chart=chart, paragraph=comparison_paragraph(comp), table=table(critics_table(critics), cls="critics", colours=colour),
                   strip=Markup(consensus_strip(comp)))


def readability_view(readability: pd.DataFrame) -> pd.DataFrame:
    """Readability per section: the Flesch-Kincaid grade and its one plain-words reading (as in summary.md)."""
    view = readability_table(readability).rename(columns={"n_sentences": "sentences", "n_words": "words"})
    return view.assign(grade=view["grade"].astype(float))  # a number again: right-aligned, shown as written


def readability_section(readability: pd.DataFrame) -> Section:
    """One sentence on how hard the article reads and the grade per section."""
    if readability.empty:
        return Section(note="No section had enough prose to score.")
    return Section(paragraph=readability_sentence(readability), table=table(readability_view(readability), {"grade": lambda g: f"{g:.1f}"}))


@dataclass(frozen=True)
class ArticleRows:
    """One article's rows of every table its page shows (`cooccurrence` None when that table does not
    exist yet): all a page is drawn from, besides the article's own row and the options."""

    infobox: pd.DataFrame
    paragraphs: pd.DataFrame
    entities: pd.DataFrame
    arc: pd.DataFrame
    arc_paragraphs: pd.DataFrame
    comparison: pd.DataFrame
    readability: pd.DataFrame
    cooccurrence: pd.DataFrame | None


def article_body(art: pd.Series, rows: ArticleRows, opts: HtmlOptions) -> str:
    """The article's page body."""
    sections = {
        "plot": plot_section(rows.paragraphs, rows.entities),
        "arc": arc_section(rows.arc, rows.arc_paragraphs),
        "characters": characters_section(rows.cooccurrence, opts),
        "critics": critics_section(rows.comparison),
        "readability": readability_section(rows.readability),
    }
    return str(_macros().article({"aid": art["article_id"], "header": header(art, rows.infobox), "toc": SECTIONS, "sections": sections}))
