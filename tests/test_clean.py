"""Cleaning keeps an offset map: every clean span maps back to the raw text it came from."""

from __future__ import annotations

import re

import pytest

from epnlp.clean import apply_edits, edits_for, normalize


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
