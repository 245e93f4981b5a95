"""The plot sentiment arc on small hand-made tables (no model needed)."""

from __future__ import annotations

import pandas as pd
import pytest

from epnlp import schema
from epnlp.summary.arc import (
    PLOT_ARC,
    PLOT_ARC_PARAGRAPHS,
    extremes,
    paragraph_summary,
    plot_arc,
    plot_file_frame,
    positions,
    smooth,
)

RAW = "Lead here. Ana wins. Bo loses badly. Cy shrugs. Dee cheers loudly. Reviews follow."


def _sentence(aid: str, sid: int, role: str, pid: int, text: str, raw: str = RAW) -> dict:
    start = raw.index(text)
    return {"article_id": aid, "sentence_id": sid, "section": "Plot" if role == "plot" else "Lead", "role": role,
            "paragraph_id": pid, "start": start, "end": start + len(text), "text": text}


def _sentiment(aid: str, sid: int, role: str, compound: float) -> dict:
    return {"article_id": aid, "sentence_id": sid, "section": "Plot", "role": role, "compound": compound,
            "positive": max(compound, 0), "neutral": 1 - abs(compound), "negative": max(-compound, 0),
            "label": "neutral", "method": "vader", "evidence": ""}


@pytest.fixture
def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    texts = [("lead", 0, "Lead here."), ("plot", 1, "Ana wins."), ("plot", 1, "Bo loses badly."), ("plot", 2, "Cy shrugs."),
             ("plot", 2, "Dee cheers loudly."), ("reception", 3, "Reviews follow.")]
    compounds = [0.9, 0.6, -0.9, 0.0, 0.9, -0.9]
    sents = [_sentence("a", i, role, pid, t) for i, (role, pid, t) in enumerate(texts)]
    senti = [_sentiment("a", i, role, c) for i, ((role, _, _), c) in enumerate(zip(texts, compounds, strict=True))]
    return schema.SENTENCES.frame(sents), schema.SENTIMENT.frame(senti)


@pytest.mark.parametrize(
    "values, window, expected",
    [
        ([0.0, 3.0, 6.0, 9.0], 3, [1.5, 3.0, 6.0, 7.5]),  # edges average the neighbours that exist
        ([0.0, 3.0, 6.0, 9.0], 1, [0.0, 3.0, 6.0, 9.0]),
        ([1.0, -1.0], 5, [0.0, 0.0]),  # a window wider than the plot is the plot's mean
        ([0.3], 3, [0.3]),
    ],
)
def test_smooth_is_a_centred_rolling_mean(values, window, expected):
    assert smooth(pd.Series(values), window).tolist() == pytest.approx(expected)


@pytest.mark.parametrize("window", [0, -1, 2.5, True, "3"])
def test_smooth_rejects_a_bad_window(window):
    with pytest.raises(ValueError, match="window"):
        smooth(pd.Series([1.0]), window)


@pytest.mark.parametrize("n, expected", [(0, []), (1, [0.0]), (2, [0.0, 1.0]), (5, [0.0, 0.25, 0.5, 0.75, 1.0])])
def test_positions_run_from_0_to_1(n, expected):
    assert positions(n) == expected


def test_arc_rows_are_the_plot_sentences_with_copied_offsets(tables):
    sents, senti = tables
    arc = plot_arc(sents, senti, window=3)
    assert list(arc.columns) == list(PLOT_ARC.columns)
    assert arc["sentence_id"].tolist() == [1, 2, 3, 4]  # lead and reception left out
    assert arc["position"].tolist() == pytest.approx([0.0, 1 / 3, 2 / 3, 1.0], abs=1e-6)
    assert arc["plot_index"].tolist() == [0, 1, 2, 3]
    for row in arc.itertuples(index=False):
        assert RAW[row.start : row.end] == row.text
    src = sents.set_index("sentence_id")
    assert arc.set_index("sentence_id")[["start", "end", "text", "paragraph_id"]].equals(src.loc[[1, 2, 3, 4], ["start", "end", "text", "paragraph_id"]])


def test_arc_smooths_and_flags_the_extremes(tables):
    arc = plot_arc(*tables, window=3)
    # compounds 0.6, -0.9, 0.0, 0.9 -> centred means over 3 (2 at the edges)
    assert arc["smoothed"].tolist() == pytest.approx([-0.15, -0.1, 0.0, 0.45])
    low, high = arc.loc[arc["is_low"], "sentence_id"].tolist(), arc.loc[arc["is_high"], "sentence_id"].tolist()
    assert (low, high) == ([1], [4])
    ex = extremes(arc)
    assert ex["extreme"].tolist() == ["low", "high"]
    assert ex["text"].tolist() == ["Ana wins.", "Dee cheers loudly."]
    raw = plot_arc(*tables, window=1)
    assert raw["smoothed"].tolist() == pytest.approx(raw["compound"].tolist())
    assert raw.loc[raw["is_low"], "text"].tolist() == ["Bo loses badly."]


def test_a_tie_flags_the_first_point_only():
    raw = "One. Two. Three."
    sents = schema.SENTENCES.frame([_sentence("t", i, "plot", 0, t, raw) for i, t in enumerate(["One.", "Two.", "Three."])])
    senti = schema.SENTIMENT.frame([_sentiment("t", i, "plot", 0.0) for i in range(3)])
    arc = plot_arc(sents, senti, window=1)
    assert arc["is_low"].tolist() == [True, False, False]
    assert arc["is_high"].tolist() == [True, False, False]


def test_articles_are_positioned_separately_and_order_follows_the_text(tables):
    sents, senti = tables
    raw_b = "Zed runs. Yan hides."
    # sentence ids out of text order: position follows the offsets
    b = [_sentence("b", 7, "plot", 0, "Yan hides.", raw_b), _sentence("b", 9, "plot", 0, "Zed runs.", raw_b)]
    sents = pd.concat([sents, schema.SENTENCES.frame(b)], ignore_index=True)
    senti = pd.concat([senti, schema.SENTIMENT.frame([_sentiment("b", 7, "plot", -0.5), _sentiment("b", 9, "plot", 0.5)])], ignore_index=True)
    arc = plot_arc(sents, senti, window=3)
    b_arc = arc[arc["article_id"] == "b"].sort_values("position")
    assert b_arc["text"].tolist() == ["Zed runs.", "Yan hides."]
    assert b_arc["position"].tolist() == [0.0, 1.0]
    assert arc.groupby("article_id")["is_low"].sum().tolist() == [1, 1]


def test_sentences_without_a_score_are_left_out(tables):
    sents, senti = tables
    arc = plot_arc(sents, senti[senti["sentence_id"] != 2], window=3)
    assert arc["sentence_id"].tolist() == [1, 3, 4]
    assert arc["position"].tolist() == [0.0, 0.5, 1.0]


def test_no_plot_gives_empty_typed_tables(tables):
    sents, senti = tables
    arc = plot_arc(sents[sents["role"] != "plot"], senti, window=3)
    assert arc.empty and list(arc.columns) == list(PLOT_ARC.columns)
    para = paragraph_summary(arc)
    assert para.empty and list(para.columns) == list(PLOT_ARC_PARAGRAPHS.columns)


def test_paragraph_summary(tables):
    para = paragraph_summary(plot_arc(*tables, window=3))
    assert list(para.columns) == list(PLOT_ARC_PARAGRAPHS.columns)
    assert para["paragraph_id"].tolist() == [1, 2]
    assert para["n_sentences"].tolist() == [2, 2]
    assert para["mean_compound"].tolist() == pytest.approx([-0.15, 0.45])
    assert para["min_compound"].tolist() == pytest.approx([-0.9, 0.0])
    assert para["max_compound"].tolist() == pytest.approx([0.6, 0.9])
    assert para["first_position"].tolist() == pytest.approx([0.0, 2 / 3], abs=1e-6)
    assert para["last_position"].tolist() == pytest.approx([1 / 3, 1.0], abs=1e-6)


def test_plot_file_has_what_dvc_plots_draws(tables):
    f = plot_file_frame(plot_arc(*tables, window=3))
    assert {"position", "smoothed", "compound"} <= set(f.columns)
