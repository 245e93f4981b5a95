"""An article page's charts (plot arc, character co-occurrence grid, critics), each a small SVG document
embedded as a data: URI.

Drawn here from the tables as SVG text rather than with matplotlib (the house rule prefers a library;
the measured reason: matplotlib cost about 20 times as much per page, most of a cold `report` stage;
numbers in docs/scaling.md, "The cold pipeline after `nlp`"). The charts show the same things (axes, ticks, labels, legends, colours);
text is laid out with an estimated glyph width, as no font is measured. Every number is written with a
fixed precision and there are no ids, dates or versions, so the same tables always give the same bytes.
"""

from __future__ import annotations

import base64
import html
import math
import re
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd

from epnlp.report.tables import is_missing

POLARITY_COLOURS = {"positive": "#2e7d32", "negative": "#c62828", "mixed": "#ef8f00", "neutral": "#757575"}
_SENTIMENT_BLUE = "#3b6fb6"
_VERDICT_ORANGE = "#e0892b"
_GREEN, _RED, _GREY = "#2e7d32", "#c62828", "#9e9e9e"
# matplotlib's "Blues" (ColorBrewer), interpolated linearly between these nine stops as matplotlib does
_BLUES = ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")
_FONT = 12.0  # px: the charts' text size (ticks, labels); notes and legends are smaller
_GLYPH = 0.58  # a glyph's mean width in ems, for laying out text without measuring a font
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold


@dataclass(frozen=True)
class HtmlOptions:
    """How the report is drawn: the co-occurrence grid's size (most connected characters first)."""

    max_characters: int = 12

    @classmethod
    def from_params(cls, p: dict) -> HtmlOptions:
        return cls(max_characters=int(p.get("max_characters", 12)))


def short(text: str, width: int) -> str:
    """`text` on one line, cut at a word to at most `width` characters ('…' where cut)."""
    return textwrap.shorten(" ".join(str(text).split()), width=width, placeholder="…")


# --------------------------------------------------------------------------- SVG primitives


def esc(text: object) -> str:
    """`text` safe inside an SVG element or attribute: escaped, and characters XML cannot hold dropped."""
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def text_width(text: str, size: float = _FONT) -> float:
    """An estimate of `text`'s width in px at `size` (no font is measured)."""
    return len(text) * size * _GLYPH


def _f(v: float) -> str:
    return f"{v:.1f}"


def _text(x: float, y: float, s: object, size: float = _FONT, anchor: str = "start", fill: str = "#333333", extra: str = "") -> str:
    return (f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size:g}" text-anchor="{anchor}" fill="{fill}"{extra}>{esc(s)}</text>')


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1.0, extra: str = "") -> str:
    return f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" stroke="{stroke}" stroke-width="{width:g}"{extra}/>'


def _points(pts: list[tuple[float, float]]) -> str:
    return " ".join(f"{_f(x)},{_f(y)}" for x, y in pts)


def _document(width: float, height: float, parts: list[str]) -> str:
    """A standalone SVG document of `parts` (no XML declaration, ids or metadata)."""
    w, h = math.ceil(width), math.ceil(height)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            f'font-family="DejaVu Sans, Verdana, sans-serif"><rect width="{w}" height="{h}" fill="#ffffff"/>' + "".join(parts) + "</svg>")


def svg_uri(svg: str) -> str:
    """An SVG document as a data: URI."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _tick(v: float) -> str:
    """A tick label as matplotlib writes it: one decimal, a true minus sign."""
    return f"{v:.1f}".replace("-", "−")


def _legend(x: float, y: float, items: list[tuple[str, str]], size: float = 10.0, lines: dict[str, float] | None = None) -> list[str]:
    """A one-row legend of (colour, label) starting at (x, y) (y is the text baseline): a bar swatch each,
    or for a colour in `lines` a line of that width (a dot on it when the width is under 2)."""
    parts = []
    for colour, label in items:
        if lines and colour in lines:
            mid = y - size * 0.35
            parts.append(_line(x, mid, x + size * 1.6, mid, colour, lines[colour]))
            if lines[colour] < 2:
                parts.append(f'<circle cx="{_f(x + size * 0.8)}" cy="{_f(mid)}" r="2.1" fill="{colour}"/>')
        else:
            parts.append(f'<rect x="{_f(x)}" y="{_f(y - size * 0.8)}" width="{_f(size * 1.6)}" height="{_f(size * 0.8)}" fill="{colour}"/>')
        parts.append(_text(x + size * 2.1, y, label, size))
        x += size * 2.1 + text_width(label, size) + size * 2
    return parts


# --------------------------------------------------------------------------- plot arc


def _signed_areas(pts: list[tuple[float, float]]) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """The polygons between the line through `pts` (x, value) and 0, above and below, meeting at the
    crossings (what matplotlib's fill_between(..., interpolate=True) fills)."""
    path: list[tuple[float, float]] = []
    for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
        path.append((x0, y0))
        if y0 * y1 < 0:
            path.append((x0 + (x1 - x0) * y0 / (y0 - y1), 0.0))
    path.append(pts[-1])
    ends = [(path[0][0], 0.0)], [(path[-1][0], 0.0)]
    up = ends[0] + [(x, max(y, 0.0)) for x, y in path] + ends[1]
    down = ends[0] + [(x, min(y, 0.0)) for x, y in path] + ends[1]
    return up, down


def _note(px: float, py: float, text: str, colour: str, above: bool, box: tuple[float, float, float, float]) -> list[str]:
    """A marked point with its sentence (wrapped, 40 characters a line) beside it, joined by a thin line;
    the text is kept inside `box` (left, top, right, bottom)."""
    left, top, right, bottom = box
    lines = textwrap.wrap(short(text, 96), 40) or [""]
    size, lead = 10.0, 12.0
    on_left = px < (left + right) / 2
    tx = px + 17 if on_left else px - 17
    widest = max(text_width(s, size) for s in lines)
    tx = min(tx, right - widest) if on_left else max(tx, left + widest)
    first = py - 47 - lead * (len(lines) - 1) if above else py + 47 + size
    first = min(max(first, top + size), bottom - lead * (len(lines) - 1))
    edge = first + lead * (len(lines) - 1) + 3 if above else first - size
    parts = [_line(px, py, tx, edge, colour, 1.1), f'<circle cx="{_f(px)}" cy="{_f(py)}" r="5.5" fill="{colour}"/>']
    parts += [_text(tx, first + lead * k, s, size, "start" if on_left else "end", colour) for k, s in enumerate(lines)]
    return parts


def arc_chart(arc: pd.DataFrame) -> str:
    """Raw sentence compound (dots) and the smoothed arc (line) over position, low/high annotated."""
    df = arc.sort_values("position", kind="mergesort")
    width, height, left, right, top, bottom = 800.0, 360.0, 62.0, 785.0, 36.0, 305.0

    def x(v: float) -> float:
        return left + (v + 0.02) / 1.04 * (right - left)

    def y(v: float) -> float:
        return bottom - (v + 1.05) / 2.1 * (bottom - top)  # the full compound scale, so that episodes' charts compare

    pos = df["position"].astype(float).tolist()
    raw = [(x(p), y(v)) for p, v in zip(pos, df["compound"].astype(float), strict=True) if math.isfinite(v)]
    sm = [(p, v) for p, v in zip(pos, df["smoothed"].astype(float), strict=True) if math.isfinite(v)]
    parts = [_line(x(float(p)), top, x(float(p)), bottom, "#dddddd", 1.1)
             for p in df.loc[df["paragraph_id"].ne(df["paragraph_id"].shift()), "position"].iloc[1:]]
    parts.append(_line(left, y(0), right, y(0), "#999999", 1.1))
    if sm:
        up, down = _signed_areas(sm)
        for poly, colour in ((up, _GREEN), (down, _RED)):
            parts.append(f'<polygon points="{_points([(x(a), y(b)) for a, b in poly])}" fill="{colour}" fill-opacity="0.12"/>')
    if raw:
        parts.append(f'<polyline points="{_points(raw)}" fill="none" stroke="{_GREY}" stroke-width="1"/>')
        parts += [f'<circle cx="{_f(a)}" cy="{_f(b)}" r="2.1" fill="{_GREY}"/>' for a, b in raw]
    if sm:
        parts.append(f'<polyline class="smoothed" points="{_points([(x(a), y(b)) for a, b in sm])}" fill="none" stroke="{_SENTIMENT_BLUE}" stroke-width="3"/>')
    for flag, colour, above in (("is_low", _RED, False), ("is_high", _GREEN, True)):
        hit = df.loc[df[flag].astype(bool) & np.isfinite(df["smoothed"].astype("float64"))]
        if len(hit):
            r = hit.iloc[0]
            parts += _note(x(float(r["position"])), y(float(r["smoothed"])), r["text"], colour, above, (2.0, 2.0, width - 2, height - 40))
    parts += _axes((left, top, right, bottom), [(x(v / 5), _tick(v / 5)) for v in range(6)], [(y(v / 2), _tick(v / 2)) for v in range(-2, 3)])
    parts.append(_text((left + right) / 2, height - 8, "position in the plot (0 = first sentence, 1 = last)", anchor="middle"))
    parts.append(_text(14, (top + bottom) / 2, "sentiment (−1 … +1)", anchor="middle", extra=f' transform="rotate(-90 14 {_f((top + bottom) / 2)})"'))
    parts += _legend(left, 20, [(_GREY, "sentence compound"), (_SENTIMENT_BLUE, "smoothed")], lines={_GREY: 1.0, _SENTIMENT_BLUE: 3.0})
    return svg_uri(_document(width, height, parts))


def _axes(box: tuple[float, float, float, float], xticks: list[tuple[float, str]], yticks: list[tuple[float, str]]) -> list[str]:
    """The left and bottom axis lines of `box` (left, top, right, bottom) with their ticks and labels."""
    left, top, right, bottom = box
    parts = [_line(left, top, left, bottom, "#333333", 1.1), _line(left, bottom, right, bottom, "#333333", 1.1)]
    for px, label in xticks:
        parts += [_line(px, bottom, px, bottom + 5, "#333333"), _text(px, bottom + 18, label, anchor="middle")]
    for py, label in yticks:
        parts += [_line(left - 5, py, left, py, "#333333"), _text(left - 8, py + 4, label, anchor="end")]
    return parts


# --------------------------------------------------------------------------- co-occurrence


def cooccurrence_matrix(co: pd.DataFrame, max_characters: int) -> pd.DataFrame:
    """A symmetric character x character frame of `sentences_together`, most connected first."""
    if co is None or co.empty:
        return pd.DataFrame()
    # summed in dicts: a page's pairs are a few dozen, where a pandas pivot costs ~20 ms
    together: dict[tuple[object, object], int] = {}
    degree: dict[object, int] = {}
    for a, b, n in zip(co["character_a"], co["character_b"], co["sentences_together"].astype("int64"), strict=True):
        for u, v in ((a, b), (b, a)):
            together[u, v] = together.get((u, v), 0) + int(n)
            degree[u] = degree.get(u, 0) + int(n)
    order = sorted(degree, key=lambda n: (-degree[n], str(n)))[:max_characters]
    vals = np.array([[together.get((r, c), 0) for c in order] for r in order], dtype="int64").reshape(len(order), len(order))
    return pd.DataFrame(vals, index=pd.Index(order, name="a"), columns=pd.Index(order, name="b"))


def blues(share: float) -> str:
    """The colour of `share` (0..1) on matplotlib's "Blues" scale."""
    t = min(max(share, 0.0), 1.0) * (len(_BLUES) - 1)
    k = min(int(t), len(_BLUES) - 2)
    a, b = (tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (_BLUES[k], _BLUES[k + 1]))
    return "#" + "".join(f"{round(u + (v - u) * (t - k)):02x}" for u, v in zip(a, b, strict=True))


def integer_ticks(top: int, most: int = 6) -> list[int]:
    """0..`top` in a round integer step (1, 2, 5, 10, 20, ...) giving at most `most` + 1 ticks."""
    step = 1
    while top / step > most:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return list(range(0, top + 1, step))


def _colourbar(x0: float, y0: float, length: float, top: int) -> list[str]:
    """A vertical colour scale 0..`top` (bottom to top) at (x0, y0), integer ticks, labelled."""
    bands, parts = 32, []
    for k in range(bands):
        yk = y0 + length * (bands - 1 - k) / bands
        parts.append(f'<rect x="{_f(x0)}" y="{_f(yk)}" width="14" height="{_f(length / bands + 0.5)}" fill="{blues((k + 0.5) / bands)}"/>')
    for v in integer_ticks(top):
        yv = y0 + length - (length * v / top if top else 0)
        parts += [_line(x0 + 14, yv, x0 + 18, yv, "#333333"), _text(x0 + 21, yv + 4, v, 10)]
    mid = y0 + length / 2
    parts.append(_text(x0 + 52, mid, "sentences together", 11, "middle", extra=f' transform="rotate(90 {_f(x0 + 52)} {_f(mid)})"'))
    return parts


def cooccurrence_chart(matrix: pd.DataFrame) -> str:
    """A heat map of how many sentences each pair of characters shares, with its colour scale."""
    names = [str(c) for c in matrix.index]
    n, cell = len(names), 34.0
    label = max((text_width(s, 11) for s in names), default=0.0)
    left, top = label + 16, 10.0
    side = n * cell
    vals = matrix.to_numpy()
    peak = int(vals.max()) if vals.size else 0
    parts = []
    for i in range(n):
        yi = top + i * cell
        parts.append(_text(left - 6, yi + cell / 2 + 4, names[i], 11, "end"))
        for j in range(n):
            v = int(vals[i, j])
            parts.append(f'<rect x="{_f(left + j * cell)}" y="{_f(yi)}" width="{_f(cell)}" height="{_f(cell)}" fill="{blues(v / peak if peak else 0)}"/>')
            if v and i != j:
                parts.append(_text(left + (j + 0.5) * cell, yi + cell / 2 + 3.5, v, 10, "middle", "#ffffff" if v > peak / 2 else "#333333"))
    for j, name in enumerate(names):
        cx, cy = left + (j + 0.5) * cell, top + side + 8
        parts.append(_text(cx, cy + 4, name, 11, "end", extra=f' transform="rotate(-45 {_f(cx)} {_f(cy)})"'))
    parts += _colourbar(left + side + 20, top + side * 0.15, max(side * 0.7, 60.0), peak)
    height = max(top + side + label * 0.71 + 20, top + side * 0.15 + max(side * 0.7, 60.0) + 10)
    return svg_uri(_document(left + side + 90, height, parts))


# --------------------------------------------------------------------------- critics


def critics_chart(df: pd.DataFrame) -> str:
    """Per critic of an article's `critics_frame`, text sentiment and verdict as side-by-side horizontal
    bars; polarity at the right."""
    names = [str(c) for c in df["critic"]]
    width, row, bar = 800.0, 44.0, 16.0
    left = min(max(max((text_width(s) for s in names), default=0.0) + 16, 80.0), 360.0)
    right, top = width - 90, 10.0
    bottom = top + row * len(df)

    def x(v: float) -> float:
        return left + (v + 1) / 2 * (right - left)

    parts = [_line(x(v / 2), top, x(v / 2), bottom, "#eeeeee") for v in (-1, 1)]
    for k, r in enumerate(df[["sentiment", "verdict", "polarity"]].itertuples(index=False)):
        mid = top + row * (k + 0.5)
        for v, colour, y0 in ((r.sentiment, _SENTIMENT_BLUE, mid - bar), (r.verdict, _VERDICT_ORANGE, mid)):
            v = 0.0 if is_missing(v) else float(v)
            parts.append(f'<rect x="{_f(min(x(0), x(v)))}" y="{_f(y0)}" width="{_f(abs(x(v) - x(0)))}" height="{_f(bar)}" fill="{colour}"/>')
        if is_missing(r.verdict):
            parts.append(_text(x(0.02), mid + bar / 2 + 3.5, "no score or rank", 10, fill="#777777"))
        pol = "" if is_missing(r.polarity) else str(r.polarity)
        parts.append(_text(right + 10, mid + 4, pol, 11, fill=POLARITY_COLOURS.get(pol, "#555555"), extra=' font-weight="bold"'))
    parts.append(_line(x(0), top, x(0), bottom, "#666666", 1.1))
    labels = [(top + row * (k + 0.5), s if text_width(s) <= left - 16 else short(s, int((left - 16) / (_FONT * _GLYPH)))) for k, s in enumerate(names)]
    parts += _axes((left, top, right, bottom), [(x(v / 2), _tick(v / 2)) for v in range(-2, 3)], labels)
    parts.append(_text((left + right) / 2, bottom + 38, "← unfavourable      −1 … +1      favourable →", anchor="middle", extra=' xml:space="preserve"'))
    items = [(_SENTIMENT_BLUE, "text sentiment"), (_VERDICT_ORANGE, "verdict (score or rank)")]
    span = sum(10 * 4.1 + text_width(s, 10) for _, s in items)
    parts += _legend((left + right - span) / 2, bottom + 62, items)
    return svg_uri(_document(width, bottom + 74, parts))
