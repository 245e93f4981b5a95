"""Readability per section with textstat, on the cleaned text of the section's paragraphs."""

from __future__ import annotations

import pandas as pd

SCORES = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
    "dale_chall_readability_score",
)


def scores(text: str) -> dict[str, float | str]:
    """textstat's usual scores for one text (English rules)."""
    import textstat  # imported where used: importing this module stays cheap

    out: dict[str, float | str] = {name: round(float(getattr(textstat, name)(text)), 2) for name in SCORES}
    out["text_standard"] = textstat.text_standard(text, float_output=False)
    return out


def readability_rows(
    sections: pd.DataFrame, paragraphs: pd.DataFrame, clean: pd.DataFrame, sentences: pd.DataFrame, cache=None
) -> list[dict]:
    """One row per section with prose (list items excluded): sizes and textstat scores.

    With a `cache` (epnlp.cache.ArticleCache), an article's rows are reused while its rows of the four
    tables and this module are unchanged."""
    from epnlp.cache import article_digests, fingerprint, module_fingerprint, per_article

    sent_counts = (
        sentences.merge(paragraphs[["article_id", "paragraph_id", "section_id"]], on=["article_id", "paragraph_id"])
        .groupby(["article_id", "section_id"], as_index=False).size()
    )
    prose = paragraphs.loc[~paragraphs["is_list_item"].astype(bool)].merge(clean, on=["article_id", "paragraph_id"])
    digests = article_digests(sections, prose, sent_counts)
    code = module_fingerprint("summary.readability")
    keys = {str(aid): fingerprint(code, digests.get(str(aid), "")) for aid in sections["article_id"].unique()}

    def compute(todo: list[str]) -> dict[str, list[dict]]:
        want = set(todo)
        rows = _rows(sections[sections["article_id"].isin(want)], prose[prose["article_id"].isin(want)], sent_counts)
        out: dict[str, list[dict]] = {aid: [] for aid in todo}
        for r in rows:
            out[r["article_id"]].append(r)
        return out

    done = per_article(cache, keys, compute)
    return [r for aid in sorted(done) for r in done[aid]]


def _rows(sections: pd.DataFrame, prose: pd.DataFrame, sent_counts: pd.DataFrame) -> list[dict]:
    text = prose.groupby(["article_id", "section_id"], sort=True)["clean_text"].agg(" ".join)
    counts = {(a, s): int(n) for a, s, n in sent_counts.itertuples(index=False)}
    meta = sections.set_index(["article_id", "section_id"])
    import textstat

    rows = []
    for (aid, sid), body in text.items():
        n_words = textstat.lexicon_count(body)
        if n_words == 0:
            continue
        rows.append({
            "article_id": aid,
            "section_id": sid,
            "section": meta.loc[(aid, sid), "title"],
            "role": meta.loc[(aid, sid), "role"],
            "n_sentences": counts.get((aid, sid), 0),
            "n_words": n_words,
            **scores(body),
        })
    return rows
