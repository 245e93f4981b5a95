"""Reports from the tidy tables: the critics' comparison (with its per-critic frame and DVC plot files),
the credits, a Markdown summary and DVC metrics.

Every report is a DataFrame first; the CSV, the Markdown and the HTML come from the same frame.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from epnlp.io import csv_per_group

REVIEW_COLUMNS = [
    "article_id", "title", "review_id", "outlet", "author", "year", "score_text", "score_norm", "rank",
    "rank_list", "sentiment", "verdict", "polarity", "agreement", "favourability", "favour_rank",
    "evidence", "quote", "start", "end",
]


def review_comparison(reviews: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per review with what a reader needs to compare critics, ranked by favourability.

    Favourability is the mean of the critic's verdict (score or rank, when given) and the text
    sentiment, both on [-1, 1]; ties keep the article's order.
    """
    df = reviews.merge(articles[["article_id", "title"]], on="article_id", how="left")
    fav = df[["sentiment", "verdict"]].astype("Float64").mean(axis=1, skipna=True).round(4)
    df["favourability"] = fav
    df["favour_rank"] = (
        df.assign(_f=fav.fillna(0))
        .sort_values(["article_id", "_f", "review_id"], ascending=[True, False, True], kind="mergesort")
        .groupby("article_id")
        .cumcount()
        .add(1)
        .reindex(df.index)
    )
    return df[REVIEW_COLUMNS].sort_values(["article_id", "review_id"], kind="mergesort").reset_index(drop=True)


def is_missing(v: object) -> bool:
    """None, NaN or pd.NA: a cell every report shows as nothing."""
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def signed(v: object, digits: int = 2) -> str:
    """'+0.40' (a sign always), '' for a missing value."""
    return "" if is_missing(v) else f"{float(v):+.{digits}f}"


def critic_label(row: pd.Series) -> str:
    """'Author (Outlet, Year)' with whatever parts are known."""
    who = [str(x) for x in (row.get("author"), row.get("outlet")) if isinstance(x, str) and x]
    name = who[0] if who else "unnamed critic"
    rest = [str(x) for x in (who[1] if len(who) > 1 else None, row.get("year")) if not is_missing(x)]
    return f"{name} ({', '.join(rest)})" if rest else name


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
    """`review_sentiment` with whole-number columns as integers (a CSV read gives 2016.0 for a year);
    a frame already typed is returned as it is (a page types its article's rows again: no copy then)."""
    todo = {c: "Int64" for c in _WHOLE if c in comp.columns and comp[c].dtype != "Int64"}
    return comp.astype(todo) if todo else comp


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


def credits(infobox: pd.DataFrame) -> pd.DataFrame:
    """One row per infobox key in article order: the key and its values (guests as 'Actor as Role'); the
    credits of both the Markdown summary and the HTML pages."""
    if infobox.empty:
        return pd.DataFrame(columns=["credit", "value"])
    ib = infobox.sort_values(["line", "position"], kind="mergesort")
    vals = ib["value"].astype(str) + ib["role"].map(lambda r: "" if is_missing(r) else f" as {r}")
    out = vals.groupby(ib["key"], sort=False).agg(", ".join)
    return out.rename("value").rename_axis("credit").reset_index()


def comparison_paragraph(comp: pd.DataFrame) -> str:
    """A short paragraph naming the most and least favourable critic and any words/score disagreement."""
    if comp.empty:
        return "No critics' reviews were found."
    rows = comp.to_dict("records")  # an article's few reviews as plain rows: frame operations cost ms each
    # favourability high to low, then review_id; a stable sort, as the frame's mergesort was
    ranked = sorted((r for r in rows if not is_missing(r["favourability"])), key=lambda r: (-r["favourability"], r["review_id"]))
    parts = []
    if ranked:
        top, low = ranked[0], ranked[-1]
        parts.append(f"Most favourable: {critic_label(top)}, {top['polarity']} (favourability {top['favourability']:+.2f}).")
        if len(ranked) > 1:
            parts.append(f"Least favourable: {critic_label(low)}, {low['polarity']} (favourability {low['favourability']:+.2f}).")
    dis = [r for r in rows if isinstance(r["agreement"], str) and r["agreement"] in ("disagree", "text neutral")]
    for r in dis:
        parts.append(
            f"For {critic_label(r)} the words and the score differ: text sentiment {r['sentiment']:+.2f} vs verdict {r['verdict']:+.2f} ({r['agreement']})."
        )
    if not dis and len(comp) > 1:
        parts.append("Where critics gave a score or rank, their words agree with it.")
    return " ".join(parts)


def md_table(df: pd.DataFrame) -> str:
    """A GitHub Markdown table of `df` (empty cells for missing values)."""
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in df.itertuples(index=False):
        cells = ["" if is_missing(v) else (f"{v:.3g}" if isinstance(v, float) else str(v)) for v in row]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines)


def by_article(df: pd.DataFrame) -> Callable[[str], pd.DataFrame]:
    """A lookup article_id -> that article's rows (grouped once: no scan of the table per article)."""
    rows = df.groupby("article_id", sort=False).indices if len(df) else {}  # positions, in table order
    empty = df.iloc[0:0]
    return lambda aid: df.iloc[rows[aid]] if aid in rows else empty


def summary_markdown(
    articles: pd.DataFrame,
    infobox: pd.DataFrame,
    sections: pd.DataFrame,
    entities: pd.DataFrame,
    comparison: pd.DataFrame,
    readability: pd.DataFrame,
    top_entities: int = 10,
    cache=None,
) -> str:
    """The Markdown summary: per article, title, credits, sections, top entities and the critics.

    With a `cache` (epnlp.cache.ArticleCache), an article's part is reused while its rows, the options
    and this module are unchanged."""
    from epnlp.cache import article_digests, fingerprint, module_fingerprint, per_article

    frames = (articles, infobox, sections, entities[~entities["kind"].isin(["date", "other"])], comparison, readability)
    part = [by_article(df) for df in frames]
    digests = article_digests(*frames)
    common = fingerprint(top_entities, module_fingerprint("report.tables", "summary.readability"))
    ids = [str(a) for a in articles["article_id"]]
    keys = {aid: fingerprint(common, digests.get(aid, "")) for aid in ids}

    def compute(todo: list[str]) -> dict[str, str]:
        return {aid: article_markdown(*(f(aid) for f in part), top_entities) for aid in todo}

    parts = per_article(cache, keys, compute)
    return "\n".join(["# Episode summary", "", *(parts[aid] for aid in ids)]).rstrip() + "\n"


def article_markdown(
    art: pd.DataFrame,
    ib: pd.DataFrame,
    secs: pd.DataFrame,
    ents: pd.DataFrame,
    comp: pd.DataFrame,
    rd: pd.DataFrame,
    top_entities: int = 10,
) -> str:
    """One article's part of the summary, from its rows of each table (`ents` without dates/other)."""
    a = art.iloc[0]
    aid = a["article_id"]
    out = [f"## {a['title']}", "", f"`{aid}` from `{a['source_file']}`: {int(a['n_words']):,} words.", ""]
    if len(ib):
        out += ["### Credits", "", md_table(credits(ib)), ""]
    out += ["### Sections", "", md_table(secs[["section_id", "title", "level", "role"]]), ""]
    if len(ents):
        top = ents.groupby(["canonical", "kind"]).size().rename("mentions").reset_index()
        top = top.sort_values(["mentions", "canonical"], ascending=[False, True], kind="mergesort").head(top_entities)
        out += ["### Top entities", "", md_table(top), ""]
    out += ["### What the critics said", ""]
    if len(comp):
        view = comp[["favour_rank", "outlet", "author", "year", "score_text", "score_norm", "rank", "sentiment", "polarity", "agreement"]]
        out += [md_table(view), "", comparison_paragraph(comp), ""]
    else:
        out += ["No critics' reviews were found.", ""]
    if len(rd):
        out += ["### Readability", "", readability_sentence(rd), "", md_table(readability_table(rd).drop(columns="n_sentences").rename(columns={"n_words": "words"})), ""]
    return "\n".join(out)


def headline(m: dict) -> dict[str, dict[str, float | int | None]]:
    """The `metrics` dict as DVC metric rows (`io.write_metrics`): one row per count or mean."""
    rows: dict[str, dict] = {name: {"value": v} for name, v in m["counts"].items()}
    rows.update({f"sentiment_{role}": {"value": v} for role, v in m["sentiment"]["mean_by_role"].items()})
    rows["review_text_mean"] = {"value": m["sentiment"]["mean_review_text"]}
    rows["review_verdict_mean"] = {"value": m["sentiment"]["mean_review_verdict"]}
    return rows


# Flesch-Kincaid grade (US school years) -> the one plain-words reading both reports give
_READING = ((6.0, "easy: primary-school level"), (9.0, "plain English: middle-school level"),
            (13.0, "fairly difficult: high-school level"), (16.0, "difficult: college level"),
            (math.inf, "very difficult: graduate level"))


def reading_words(grade: float) -> str:
    """What a Flesch-Kincaid grade means in plain words ('plain English: middle-school level')."""
    return next(words for limit, words in _READING if grade < limit)


def reading_level(grade: float) -> str:
    """'grade 7.5 (plain English: middle-school level)': the grade and its reading, said once, the same way
    in summary.md and the HTML report (textstat's other grades are in readability.csv, not in the text)."""
    return f"grade {grade:.1f} ({reading_words(grade)})"


def readability_table(rd: pd.DataFrame) -> pd.DataFrame:
    """One row per section: sizes, the Flesch-Kincaid grade (one decimal) and its reading in words."""
    df = rd.sort_values("section_id", kind="mergesort")
    grade = df["flesch_kincaid_grade"].astype(float)
    return pd.DataFrame({
        "section": df["section"].astype(str), "n_sentences": df["n_sentences"], "n_words": df["n_words"],
        "grade": grade.map(lambda g: f"{g:.1f}"), "reading": grade.map(reading_words),
    }).reset_index(drop=True)


def readability_sentence(rd: pd.DataFrame) -> str:
    """One sentence: how hard the plot reads, and the easiest and hardest sections."""
    if rd.empty:
        return "No section had enough prose to score."
    df = rd.assign(g=rd["flesch_kincaid_grade"].astype(float)).sort_values(["g", "section_id"], kind="mergesort")
    easy, hard = df.iloc[0], df.iloc[-1]
    plot = df[df["role"] == "plot"]
    lead = (f"The plot reads at {reading_level(plot['g'].iloc[0])}" if len(plot)
            else f"On average the article reads at {reading_level(df['g'].mean())}")
    if len(df) == 1:
        return lead + "."
    return f"{lead}; the easiest section is {easy['section']} (grade {easy['g']:.1f}) and the hardest is {hard['section']} (grade {hard['g']:.1f})."


def metrics(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    entities: pd.DataFrame,
    sentiment: pd.DataFrame,
    reviews: pd.DataFrame,
    rejects: pd.DataFrame,
) -> dict:
    """Counts and mean sentiments for `dvc metrics show` (rounded, deterministic). `rejects`: every
    stage's problems (`rejects` and `review_issues` rows)."""
    def r(x: float) -> float | None:
        return None if x is None or pd.isna(x) else round(float(x), 4)

    by_role = sentiment.groupby("role")["compound"].mean()
    return {
        "counts": {
            "articles": int(len(articles)),
            "sentences": int(len(sentences)),
            "entities": int(len(entities)),
            "reviews": int(len(reviews)),
            "rejected_articles": int(rejects.loc[rejects["severity"] == "reject", "source_file"].nunique()),
            "warnings": int((rejects["severity"] == "warning").sum()),
        },
        "sentiment": {
            "mean_by_role": {k: r(v) for k, v in sorted(by_role.items())},
            "mean_review_text": r(reviews["sentiment"].mean()) if len(reviews) else None,
            "mean_review_verdict": r(reviews["verdict"].mean()) if len(reviews) else None,
        },
    }
