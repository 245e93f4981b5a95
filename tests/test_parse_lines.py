"""Line classification (`epnlp.text.lines`): titles, headings and list items, with offsets."""

from __future__ import annotations

import pytest

from epnlp.text.lines import Line, heading, list_item, split_lines, strip_span, title_line


@pytest.mark.parametrize(
    "text, title",
    [("= Pilot =", "Pilot"), ("  =  Two  words =  ", "Two  words"), ("== Plot ==", None), ("= =", None),
     ("=x=", "x"), ("= Pilot", None), ("= a = =", None)],
)
def test_title_line(text, title):
    span = title_line(text)
    assert (text[span[0] : span[1]] if span else None) == title


@pytest.mark.parametrize(
    "text, level, title, balanced",
    [("== Plot ==", 2, "Plot", True), ("  ===Cast=== ", 3, "Cast", True), ("== Reception ===", 2, "Reception", False),
     ("==Plot", 2, "Plot", False), ("= Title =", None, None, None), ("== ==", None, None, None), ("Plot ==", None, None, None)],
)
def test_heading(text, level, title, balanced):
    head = heading(Line(1, 100, 100 + len(text), text))
    if level is None:
        assert head is None
        return
    assert (head.level, head.title, head.balanced) == (level, title, balanced)
    assert text[head.offset : head.offset + len(head.title)] == title


@pytest.mark.parametrize(
    "text, value",
    [("- Series: X", "Series: X"), ("  *  two  ", "two"), ("\u2022 dot", "dot"), ("-no space", None), ("- ", None),
     ("-", None), ("text - not a bullet", None)],
)
def test_list_item(text, value):
    span = list_item(text)
    assert (text[span[0] : span[1]] if span else None) == value


def test_split_lines_and_strip_span_keep_offsets():
    text = "a\r\n b \rc\n"
    lines = split_lines(text)
    assert [(ln.number, ln.text) for ln in lines] == [(1, "a"), (2, " b "), (3, "c")]
    assert all(text[ln.start : ln.end] == ln.text for ln in lines)
    assert strip_span(text, lines[1].start, lines[1].end) == (lines[1].start + 1, lines[1].end - 1)
