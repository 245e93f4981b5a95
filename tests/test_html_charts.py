"""The article charts as SVG: well-formed, one mark per row, text escaped, same bytes every time."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from epnlp.report.charts import (
    _BLUES,
    _SENTIMENT_BLUE,
    _VERDICT_ORANGE,
    POLARITY_COLOURS,
    _signed_areas,
    arc_chart,
    blues,
    cooccurrence_chart,
    cooccurrence_matrix,
    critics_chart,
    esc,
    integer_ticks,
)
from epnlp.report.tables import critics_frame

NS = "{http://www.w3.org/2000/svg}"


def tree(uri: str) -> ET.Element:
    """The chart's SVG, parsed (so it is well-formed XML)."""
    assert uri.startswith("data:image/svg+xml;base64,")
    return ET.fromstring(base64.b64decode(uri.split(",", 1)[1]))


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def arc_rows(n: int) -> pd.DataFrame:
    comp = [0.5, -0.4, -0.8, 0.2, 0.9, 0.1][:n]
    return pd.DataFrame({
        "article_id": "a", "sentence_id": range(n), "paragraph_id": [0, 0, 0, 1, 1, 1][:n], "start": 0, "end": 1,
        "position": [i / max(n - 1, 1) for i in range(n)], "compound": comp,
        "smoothed": pd.Series(comp).rolling(3, center=True, min_periods=1).mean(),
        "is_low": [i == 2 for i in range(n)], "is_high": [i == 4 for i in range(n)],
        "text": [f"Sentence {i} of Mira & <Rook>." for i in range(n)],
    })


def test_arc_has_one_point_per_sentence_and_escaped_notes():
    root = tree(arc_chart(arc_rows(6)))
    smoothed = [p for p in root.iter(f"{NS}polyline") if p.get("class") == "smoothed"]
    assert len(smoothed) == 1 and len(smoothed[0].get("points").split()) == 6
    assert sum(1 for c in root.iter(f"{NS}circle") if c.get("r") == "2.1") == 6 + 1  # the dots, and the legend's
    assert {"Sentence 2 of Mira & <Rook>.", "Sentence 4 of Mira & <Rook>."} <= set(texts(root))  # low and high, as written
    assert sum(1 for c in root.iter(f"{NS}circle") if c.get("r") == "5.5") == 2
    assert {"position in the plot (0 = first sentence, 1 = last)", "sentiment (−1 … +1)", "smoothed", "−1.0", "0.5"} <= set(texts(root))
    assert sum(1 for ln in root.iter(f"{NS}line") if ln.get("stroke") == "#dddddd") == 1  # one paragraph boundary


def test_arc_of_one_sentence_is_drawn():
    root = tree(arc_chart(arc_rows(1)))
    assert len([p for p in root.iter(f"{NS}polyline") if p.get("class") == "smoothed"][0].get("points").split()) == 1


def test_areas_meet_at_the_crossing():
    up, down = _signed_areas([(0.0, 1.0), (1.0, -1.0)])
    assert up == [(0.0, 0.0), (0.0, 1.0), (0.5, 0.0), (1.0, 0.0), (1.0, 0.0)]
    assert down == [(0.0, 0.0), (0.0, 0.0), (0.5, 0.0), (1.0, -1.0), (1.0, 0.0)]


def test_cooccurrence_grid_cells_counts_and_labels():
    co = pd.DataFrame({"article_id": "a", "character_a": ["Ada <&>", "Bo"], "character_b": ["Bo", "Cy"], "sentences_together": [4, 1]})
    m = cooccurrence_matrix(co, 12)
    root = tree(cooccurrence_chart(m))
    cells = [r for r in root.iter(f"{NS}rect") if r.get("width") == "34.0"]
    assert len(cells) == 9
    assert texts(root).count("Ada <&>") == 2  # row and column
    in_cells = [t.text for t in root.iter(f"{NS}text") if t.get("text-anchor") == "middle" and t.get("font-size") == "10"]
    assert sorted(in_cells) == ["1", "1", "4", "4"]  # the off-diagonal pairs, none on the diagonal
    assert [t.text for t in root.iter(f"{NS}text") if t.get("font-size") == "10" and t.get("text-anchor") == "start"] == ["0", "1", "2", "3", "4"]  # the scale
    assert "sentences together" in texts(root)
    assert list(m.index) == ["Bo", "Ada <&>", "Cy"]  # most connected first
    assert [r.get("fill") for r in cells][:3] == [_BLUES[0], _BLUES[-1], _BLUES[2]]  # Bo: self, Ada (4 = the peak), Cy (1 = a quarter)


def test_critics_bars_notes_and_polarity():
    comp = pd.DataFrame({
        "article_id": "a", "review_id": [0, 1], "outlet": ["Kettle <Weekly> & Co", "Dock"], "author": [None, None], "year": [2020, 2021],
        "favour_rank": [1, 2], "sentiment": [0.4, -0.2], "verdict": [0.8, None], "polarity": ["positive", "mixed"],
    })
    root = tree(critics_chart(critics_frame(comp)))
    fills = [r.get("fill") for r in root.iter(f"{NS}rect")]
    assert fills.count(_SENTIMENT_BLUE) == 2 + 1 and fills.count(_VERDICT_ORANGE) == 2 + 1  # a bar each, and the legend's swatch
    assert texts(root).count("no score or rank") == 1
    assert "Kettle <Weekly> & Co (2020)" in texts(root)
    pol = {t.text: t.get("fill") for t in root.iter(f"{NS}text") if t.get("font-weight") == "bold"}
    assert pol == {"positive": POLARITY_COLOURS["positive"], "mixed": POLARITY_COLOURS["mixed"]}


def test_charts_are_the_same_bytes_every_time():
    co = pd.DataFrame({"article_id": "a", "character_a": ["Ada"], "character_b": ["Bo"], "sentences_together": [2]})
    assert arc_chart(arc_rows(6)) == arc_chart(arc_rows(6))
    assert cooccurrence_chart(cooccurrence_matrix(co, 12)) == cooccurrence_chart(cooccurrence_matrix(co, 12))


@pytest.mark.parametrize("share, colour", [(0.0, "#f7fbff"), (1.0, "#08306b"), (0.5, "#6baed6"), (-1, "#f7fbff"), (2, "#08306b")])
def test_blues_follows_matplotlibs_stops(share, colour):
    assert blues(share) == colour


@pytest.mark.parametrize("top, ticks", [(0, [0]), (2, [0, 1, 2]), (7, [0, 2, 4, 6]), (24, [0, 5, 10, 15, 20]), (60, [0, 10, 20, 30, 40, 50, 60])])
def test_integer_ticks(top, ticks):
    assert integer_ticks(top) == ticks


def test_escape_drops_what_xml_cannot_hold():
    assert esc('a\x00b\x1f<"c">') == "ab&lt;&quot;c&quot;&gt;"
