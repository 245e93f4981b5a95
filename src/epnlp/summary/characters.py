"""Characters from the linked entity mentions: one row per character, and who appears with whom.

Pure pandas (no spaCy import): the `characters` stage starts fast.
"""

from __future__ import annotations

import pandas as pd


def character_rows(entities: pd.DataFrame, sentences: pd.DataFrame) -> list[dict]:
    """One row per character per article: aliases, mentions, first sentence, paragraphs, sections."""
    ents = entities[entities["kind"] == "character"].merge(
        sentences[["article_id", "sentence_id", "paragraph_id"]], on=["article_id", "sentence_id"]
    )
    ents = ents[_in_story(ents)]
    if not len(ents):
        return []
    # one grouping for the whole corpus (no per-character frame operations)
    ents = ents.sort_values(["article_id", "canonical", "sentence_id"], kind="mergesort")
    g = ents.groupby(["article_id", "canonical"], sort=True)
    out = pd.DataFrame({
        "aliases": g["text"].agg(lambda s: "; ".join(sorted(set(s)))),
        "mentions": g.size(),
        "first_sentence_id": g["sentence_id"].min().astype(int),
        "paragraphs": g["paragraph_id"].nunique().astype(int),
        "sections": g["section"].agg(lambda s: "; ".join(dict.fromkeys(s))),
    }).reset_index()
    return out.to_dict("records")


def _in_story(ents: pd.DataFrame) -> pd.Series:
    """Mentions of characters the plot names (a role credited only in a casting paragraph is not in
    the story); articles without a plot keep all their characters."""
    if "role" not in ents.columns:
        return pd.Series(True, index=ents.index)
    plot = ents["role"] == "plot"
    named = ents.loc[plot, ["article_id", "canonical"]].drop_duplicates()
    has_plot = ents["article_id"].isin(set(named["article_id"]))
    in_plot = pd.MultiIndex.from_frame(ents[["article_id", "canonical"]]).isin(pd.MultiIndex.from_frame(named))
    return ~has_plot | in_plot


def cooccurrence_rows(entities: pd.DataFrame) -> list[dict]:
    """Pairs of characters named in the same sentence (a < b), with the number of such sentences."""
    ents = entities.loc[entities["kind"] == "character", ["article_id", "sentence_id", "canonical"]].drop_duplicates()
    pairs = ents.merge(ents, on=["article_id", "sentence_id"], suffixes=("_a", "_b"))
    pairs = pairs[pairs["canonical_a"] < pairs["canonical_b"]]
    counts = pairs.groupby(["article_id", "canonical_a", "canonical_b"]).size().reset_index(name="sentences_together")
    return counts.rename(columns={"canonical_a": "character_a", "canonical_b": "character_b"}).to_dict("records")
