"""Cleaning keeps an offset map: every clean span maps back to the raw text it came from."""

from __future__ import annotations

import re

import pytest

from epnlp.text.clean import apply_edits, edits_for, normalize


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("it\u2019s \u201cfine\u201d", "it's \"fine\""),
        ("a \u2014 b \u2013 c", "a - b - c"),
        ("wait\u2026", "wait..."),
        ("a\u00a0 b\tc", "a b c"),
        ("line one\r\nline two\n\nthree", "line one line two three"),
        ("soft\u00adhyphen zero\u200bwidth", "softhyphen zerowidth"),
        ("\ufb01ne \uff21", "fine A"),
        ("plain text stays", "plain text stays"),
    ],
)
def test_normalize(raw, clean):
    assert normalize(raw)[0] == clean


@pytest.mark.parametrize("raw", ["He said \u201cit\u2019s fine\u201d \u2014 ok\u2026", "a\u00a0\u00a0b\r\n\r\nc  d", "\ufb01 x \u2212 y"])
def test_every_word_maps_back(raw):
    clean, m = normalize(raw, base=100)
    padded = "#" * 100 + raw
    for w in re.finditer(r"\S+", clean):
        s, e = m.to_raw(w.start(), w.end())
        back = padded[s:e]
        # the raw span normalises to the clean word
        assert normalize(back)[0] == w.group(), (w.group(), back)


def test_whole_text_maps_to_whole_raw():
    raw = "  \u201cQuote\u201d  "
    clean, m = normalize(raw)
    assert m.to_raw(0, len(clean)) == (0, len(raw))


def test_edits_rebuild_the_same_text():
    raw = "A\u2019s \u201cB\u201d\u2026"
    edits = edits_for(raw)
    assert [e.rule for e in edits] == ["quote", "double_quote", "double_quote", "ellipsis"]
    assert apply_edits(raw, edits)[0] == normalize(raw)[0]


def _paragraph_tables(raws: list[str]):
    """The parse and clean stages' rows for paragraphs `raws` of one article (each 10 chars apart)."""
    import pandas as pd

    from epnlp import schema
    from epnlp.text.clean import clean_paragraphs

    starts = [sum(len(r) + 10 for r in raws[:k]) for k in range(len(raws))]
    paragraphs = pd.DataFrame({
        "article_id": "a", "paragraph_id": range(len(raws)), "section": "Plot", "role": "plot", "start": starts,
        "end": [s + len(r) for s, r in zip(starts, raws, strict=True)], "text": raws,
    })
    clean, edits = clean_paragraphs(paragraphs)
    return paragraphs, schema.CLEAN_PARAGRAPHS.frame(clean), schema.CLEAN_EDITS.frame(edits)


def test_offset_map_from_recorded_edits_is_the_cleaning_map():
    """The map rebuilt from the `clean_edits` rows (raw offsets) is the one cleaning made."""
    from epnlp.text.clean import offset_map

    raw = "He said \u201cit\u2019s fine\u201d \u2014 ok\u2026  end\u00a0\u00a0x"
    paragraphs, _, edits = _paragraph_tables(["lead", raw])
    base = int(paragraphs["start"][1])
    _, made = normalize(raw, base)
    rebuilt = offset_map(edits[edits["paragraph_id"] == 1], base)
    assert rebuilt == made and len(rebuilt.edits) == 7


def test_paragraph_inputs_take_the_clean_text_from_the_clean_table():
    """The NLP and review stages read the clean stage's text (computed once) and check it against the
    edits: a clean table out of step with the edits is an error naming the paragraph."""
    from epnlp.nlp.annotate import paragraph_inputs

    raws = ["A \u201cquoted\u201d line\u2026", "plain"]
    paragraphs, clean, edits = _paragraph_tables(raws)
    inputs = paragraph_inputs(paragraphs, clean, edits)
    assert [x.clean_text for x in inputs] == ['A "quoted" line...', "plain"]
    s, e = inputs[0].offsets.to_raw(2, 10)
    assert paragraphs["text"][0][s - inputs[0].start : e - inputs[0].start] == "\u201cquoted\u201d"
    marked = clean.assign(clean_text=["A \u00abquoted\u00bb line...", "plain"])  # same lengths: used as given
    assert paragraph_inputs(paragraphs, marked, edits)[0].clean_text.startswith("A \u00ab")
    stale = clean.assign(clean_text=['A "quoted" line', "plain"])
    with pytest.raises(ValueError, match="a paragraph 0"):
        paragraph_inputs(paragraphs, stale, edits)
