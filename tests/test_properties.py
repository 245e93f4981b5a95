"""Property-based tests (hypothesis) for the parser and the cleaner: no exception on any text, every
offset valid and pointing at its text, clean spans mapping back to raw spans, and round trips of
rendered articles. Bounded and derandomized, so CI is deterministic and fast."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from epnlp import schema
from epnlp.io import RawArticle
from epnlp.text.clean import normalize
from epnlp.text.parse import ParseConfig, check_text, format_issue, parse, parse_corpus, split_lines

SETTINGS = settings(
    max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)

CONFIG = ParseConfig(
    multi_value_keys=["Writer", "Teleplay", "Director"],
    guest_keys=["Guests"],
    long_paragraph_chars=200,
)

# Pieces of the article format and of messy text: markup characters, every line ending, Unicode
# whitespace and line separators, quotes, dashes, and words the parser looks for.
PIECES = [
    "=", "==", "===", " = ", "-", "- ", "* ", "\u2022 ", ":", ": ", "\n", "\n\n", "\r", "\r\n", "\r\r",
    " ", "  ", "\t", "\u00a0", "\u2003", "\u2028", "\u0085", "\x0b", "\x0c", "\x1c", "\ufeff", "\u200b",
    "Infobox", "infobox", "Plot", "Reception", "Lead", "Writer", "Guests", "Director", "Key", "Value",
    "and", ",", ";", "&", " as ", " - ", " \u2013 ", '"', "\u201c", "\u201d", "'", "\u2019", "\u2026",
    "\u2014", "\ufb01", "\uff21", "a", "Bo Chen", "x y", "The", "\u00e9", "\u0301", "\U0001f600", "\x00",
]
messy = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
any_text = st.one_of(st.text(max_size=300), messy, st.text(alphabet="=-:*\n\r \ta", max_size=200))


def _lines(text: str) -> int:
    return len(split_lines(text))


def check_offsets(text: str, parsed) -> None:
    n = len(text)
    nlines = _lines(text)
    if parsed.title_span:
        s, e = parsed.title_span
        assert 0 <= s < e <= n and text[s:e] == parsed.title == parsed.title.strip()
    for ent in parsed.infobox:
        assert 0 <= ent.start < ent.end <= n
        assert text[ent.start : ent.end] == ent.value == ent.value.strip() != ""
        assert 1 <= ent.line <= nlines
        if ent.role is not None:
            assert 0 <= ent.role_start < ent.role_end <= n
            assert text[ent.role_start : ent.role_end] == ent.role == ent.role.strip() != ""
    assert [s.section_id for s in parsed.sections] == list(range(len(parsed.sections)))
    assert parsed.sections[0].title == "Lead" and parsed.sections[0].level == 1
    for sec in parsed.sections:
        assert 0 <= sec.start <= sec.end <= n
        assert sec.end == sec.start or not text[sec.end - 1].isspace()
        assert sec.parent_id is None or sec.parent_id < sec.section_id
        if sec.section_id:
            assert sec.level >= 2 and sec.title == sec.title.strip() != ""
            assert 0 <= sec.title_start < sec.title_end <= n
            assert text[sec.title_start : sec.title_end] == sec.title
            assert sec.start <= sec.title_start and sec.title_end <= sec.end
            assert sec.start == 0 or text[sec.start - 1] in "\r\n"  # a heading starts a line
    last = 0
    for i, p in enumerate(parsed.paragraphs):
        assert p.paragraph_id == i
        assert 0 <= p.start < p.end <= n and p.start >= last
        body = text[p.start : p.end]
        assert body == body.strip() != ""
        sec = parsed.sections[p.section_id]
        assert sec.start <= p.start and p.end <= sec.end
        last = p.end
    for issue in parsed.issues:
        assert issue.line is None or 1 <= issue.line <= nlines, issue


@SETTINGS
@given(any_text)
def test_parse_never_raises_and_offsets_are_valid(text):
    parsed = parse(text, "a", CONFIG)
    check_offsets(text, parsed)
    for issue in check_text(text, parsed):
        assert issue.line is None or 1 <= issue.line <= _lines(text)


_KINDS = {"str": str, "int": int, "bool": bool}


def check_schema(table: schema.Table, rows: list[dict]) -> None:
    """The schema's contract, checked on the row dicts (the pandas frame is slow per example): every
    column present and of its type, no empty non-nullable cell, no duplicate key."""
    keys = set()
    for r in rows:
        assert set(table.columns) <= set(r), (table.name, set(table.columns) - set(r))
        for col, kind in table.columns.items():
            v = r[col]
            if v is None:
                assert col in table.nullable, (table.name, col, r)
            else:
                assert isinstance(v, _KINDS[kind]) and (kind != "int" or not isinstance(v, bool)), (table.name, col, v)
        k = tuple(r[c] for c in table.key)
        assert k not in keys, (table.name, k)
        keys.add(k)


@SETTINGS
@given(st.lists(any_text, min_size=1, max_size=4), st.sampled_from(["\n", "\r\n", "\r"]))
def test_parse_corpus_rows_fit_the_schema(texts, eol):
    """Any texts, even under colliding file names, give rows the schema accepts and exact offsets."""
    texts = [t.replace("\n", eol) if eol != "\n" else t for t in texts]
    names = ["a.txt", "A.txt", "a_.txt", "b.txt"]
    raws = [RawArticle(Path(n), "a" if n != "b.txt" else "b", t, "", "utf-8") for n, t in zip(names, texts, strict=False)]  # texts may be fewer than names
    rows, issues = parse_corpus(raws, CONFIG)
    by_id = {r["article_id"]: r["source_file"] for r in rows["articles"]}
    articles = [r for r in raws if format_issue(r.text, parse(r.text, r.article_id, CONFIG)) is None]  # not_an_article: no rows
    assert len(by_id) == len(rows["articles"]) == len(articles)
    assert sum(i["problem"] == "not_an_article" for i in issues) == len(raws) - len(articles)
    text_of = dict(zip(names, texts, strict=False))
    for name, r in rows.items():
        check_schema(schema.TABLES[name], r)
    for r in rows["paragraphs"]:
        assert text_of[by_id[r["article_id"]]][r["start"] : r["end"]] == r["text"]
    for r in rows["infobox"]:
        assert text_of[by_id[r["article_id"]]][r["start"] : r["end"]] == r["value"]
    check_schema(schema.REJECTS, issues)


def test_check_schema_is_the_schema():
    """`check_schema` accepts what `Table.frame` accepts, on a real parse (so the fast check is faithful)."""
    text = "= T =\n\nInfobox\n- Writer: A and B\n- Guests: C - D\n\nLead.\n\n== Plot ==\n- item\n"
    rows, issues = parse_corpus([RawArticle(Path("t.txt"), "t", text, "", "utf-8")], CONFIG)
    for name, r in rows.items():
        check_schema(schema.TABLES[name], r)
        assert len(schema.TABLES[name].frame(r)) == len(r) > 0
    check_schema(schema.REJECTS, issues)
    schema.REJECTS.frame(issues)


# -- the cleaner -------------------------------------------------------------------------------


def _inside_replacement(omap, c: int) -> bool:
    """True if clean offset `c` falls strictly inside a multi-character replacement."""
    return any(cs < c < cs + len(e.replacement) for cs, e in zip(omap.clean_starts, omap.edits, strict=True))


@pytest.mark.parametrize("raw", ["\ufeff", "a\u200b", "\u200b\u200ba", "x\u00ad\u200b"])
def test_whole_text_with_deleted_edges_maps_to_whole_raw(raw):
    clean, omap = normalize(raw, 7)
    assert omap.to_raw(0, len(clean)) == (7, 7 + len(raw))


@SETTINGS
@given(any_text, st.integers(0, 1000), st.data())
def test_clean_spans_map_back_to_raw_spans(raw, base, data):
    clean, omap = normalize(raw, base)
    assert omap.to_raw(0, len(clean)) == (base, base + len(raw))
    a = data.draw(st.integers(0, len(clean)), label="a")
    b = data.draw(st.integers(a, len(clean)), label="b")
    rs, re_ = omap.to_raw(a, b)
    assert base <= rs <= re_ <= base + len(raw)
    again = normalize(raw[rs - base : re_ - base])[0]
    if _inside_replacement(omap, a) or _inside_replacement(omap, b):
        assert clean[a:b] in again  # a cut replacement snaps outward to its whole raw span
    else:
        assert again == clean[a:b], (clean[a:b], raw[rs - base : re_ - base])


# -- rendered articles round-trip ---------------------------------------------------------------

# A phrase: a letter (so a line is never a heading, an item or `Infobox`), then words, punctuation,
# markup characters and inner whitespace of several kinds; no surrounding whitespace.
_FIRST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\u00e9\u00df\u0107"
_CHARS = _FIRST + "0123456789'\u2019.,!?()\"&;%$-=:*\u2022\u2013 \t\u00a0"


def _phrase(max_size: int = 30):
    return st.tuples(st.sampled_from(_FIRST), st.text(alphabet=_CHARS, max_size=max_size)).map(
        lambda fs: (fs[0] + fs[1]).rstrip()
    )


_RESERVED = {k.casefold() for k in (*CONFIG.multi_value_keys, *CONFIG.guest_keys)}
_key = _phrase(12).map(lambda k: k.replace(":", "").rstrip()).filter(lambda k: k.casefold() not in _RESERVED)
_value = _phrase(30)
_title = _phrase(20).map(lambda t: t.rstrip("= \t\u00a0"))  # a title cannot end with `=`
_paragraph = st.lists(_phrase(60), min_size=1, max_size=3)  # lines of one paragraph
_block = st.one_of(
    st.tuples(st.just("para"), _paragraph),
    st.tuples(st.just("list"), st.lists(_phrase(30), min_size=1, max_size=3)),
)
_section = st.tuples(_title, st.integers(2, 5), st.booleans(), st.lists(_block, max_size=3))

_name = st.tuples(st.sampled_from(_FIRST), st.text(alphabet=_FIRST + " .", max_size=14)).map(
    lambda fs: (fs[0] + fs[1]).rstrip()
).filter(lambda n: not {"and", "as"} & set(n.casefold().split()))

article = st.fixed_dictionaries(
    {
        "title": _title,
        "writers": st.lists(_name, max_size=4),  # a multi-valued key: one entry per name
        "guests": st.lists(st.tuples(_name, _name), max_size=3),  # `Actor - Role` / `Actor as Role`
        "infobox": st.dictionaries(_key, _value, max_size=5).filter(
            lambda d: len({k.casefold() for k in d}) == len(d)
        ),
        "lead": st.lists(_block, max_size=3),
        "sections": st.lists(_section, max_size=5),
        "eol": st.sampled_from(["\n", "\r\n", "\r"]),
    }
)


def render(a: dict) -> str:
    eol = a["eol"]
    out = [f"= {a['title']} =", ""]
    ib = [f"- {k}: {v}" for k, v in a["infobox"].items()]
    if a["writers"]:
        w = a["writers"]
        ib.append("- Writer: " + (", ".join(w[:-1]) + " and " + w[-1] if len(w) > 1 else w[0]))
    if a["guests"]:
        ib.append("- Guests: " + "; ".join(f"{x} - {r}" if i % 2 == 0 else f"{x} as {r}" for i, (x, r) in enumerate(a["guests"])))
    if ib:
        out += ["Infobox", *ib, ""]

    def blocks(bs):
        for kind, lines in bs:
            out.extend(lines if kind == "para" else [f"- {x}" for x in lines])
            out.append("")

    blocks(a["lead"])
    for title, level, spaced, bs in a["sections"]:
        eq = "=" * level
        out.append(f"{eq} {title} {eq}" if spaced else f"{eq}{title}{eq}")
        blocks(bs)
    return eol.join(out) + eol


def expected_paragraphs(a: dict) -> list[tuple[int, bool, str]]:
    eol = a["eol"]
    want = []
    for sid, bs in [(0, a["lead"]), *((i + 1, s[3]) for i, s in enumerate(a["sections"]))]:
        for kind, lines in bs:
            if kind == "para":
                want.append((sid, False, eol.join(lines)))
            else:
                want.extend((sid, True, x) for x in lines)
    return want


@SETTINGS
@given(article)
def test_rendered_article_round_trips(a):
    # Documented ambiguity: after the infobox and a blank line, `- x: y` is read as one more
    # infobox line (blank lines may separate infobox lines); `- x` starts the lead's list.
    lead_list_first = a["lead"][:1] and a["lead"][0][0] == "list"
    has_infobox = bool(a["infobox"] or a["writers"] or a["guests"])
    assume(not (has_infobox and lead_list_first and ":" in a["lead"][0][1][0]))
    text = render(a)
    parsed = parse(text, "x", CONFIG)
    check_offsets(text, parsed)
    assert parsed.title == a["title"]
    want = [(k, v, None) for k, v in a["infobox"].items()]
    want += [("Writer", w, None) for w in a["writers"]] + [("Guests", x, r) for x, r in a["guests"]]
    assert [(e.key, e.value, e.role) for e in parsed.infobox] == want
    assert [(s.title, s.level) for s in parsed.sections[1:]] == [(t, lv) for t, lv, _, _ in a["sections"]]
    got = [(p.section_id, p.is_list_item, text[p.start : p.end]) for p in parsed.paragraphs]
    assert got == expected_paragraphs(a)
    problems = {i.problem for i in parsed.issues}
    assert not problems & {"no_title", "heading_unbalanced", "infobox_no_colon", "infobox_empty_value", "infobox_duplicate_key"}
    assert ("no_infobox" in problems) == (not has_infobox)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("ab .'\"-`\t\n\r\f\v\x0b\x1c\x85\u00a0\u2019")), max_size=12))
def test_ascii_fast_path_of_the_cleaner_misses_no_edit(text):
    """`edits_for` skips texts with no character any rule replaces; the full rules find nothing there."""
    from epnlp.text.clean import _COMBINED, _REPL, edits_for

    full = [(m.start(), m.end()) for m in _COMBINED.finditer(text) if m.group(0) != _REPL[m.lastgroup or ""]]
    got = [(e.start, e.end) for e in edits_for(text) if e.rule != "nfkc"]
    assert got == full
