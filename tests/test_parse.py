"""Parser tests on small articles written here (heading and infobox variants, offsets)."""

from __future__ import annotations

import pytest

from epnlp.text.parse import ParseConfig, parse, split_lines, split_values

CONFIG = ParseConfig(multi_value_keys=["Writer", "Teleplay", "Director"], guest_keys=["Guests"])

ARTICLE = """= Pilot (Night Desk) =

Infobox
- Series: Night Desk
- Writer: Ann Lee, Bo Chen and Cy Dunn
- Director: Dee Fox & Eli Gray
- Guests: Fay Hill - Dr. Gus Ito; Hal Jo as Ivy Kay
- Prev: Love and War
- Season Article: Night Desk: season 1

Lead paragraph one.
Second line of the same lead paragraph.

Lead paragraph two.

==Synopsis==
Plot text here.

== Reception ==
Critics liked it.
=== Ratings ===
Many watched.
==== Deep ====
Nested text.

== See also ==
- Item one
* Item two
"""


@pytest.fixture(scope="module")
def parsed():
    return parse(ARTICLE, "pilot", CONFIG)


def test_title_and_offsets(parsed):
    assert parsed.title == "Pilot (Night Desk)"
    s, e = parsed.title_span
    assert ARTICLE[s:e] == parsed.title


def test_multi_valued_infobox_splits_commas_and_and(parsed):
    assert parsed.infobox_values("writer") == ["Ann Lee", "Bo Chen", "Cy Dunn"]
    assert parsed.infobox_values("Director") == ["Dee Fox", "Eli Gray"]
    for e in parsed.infobox:
        assert ARTICLE[e.start : e.end] == e.value


def test_single_valued_keys_keep_and_and_colons(parsed):
    assert parsed.infobox_values("Prev") == ["Love and War"]
    assert parsed.infobox_values("Season Article") == ["Night Desk: season 1"]


def test_guests_give_actor_and_role(parsed):
    guests = [(e.value, e.role) for e in parsed.infobox if e.key == "Guests"]
    assert guests == [("Fay Hill", "Dr. Gus Ito"), ("Hal Jo", "Ivy Kay")]
    for e in parsed.infobox:
        if e.role:
            assert ARTICLE[e.role_start : e.role_end] == e.role


def test_sections_levels_parents_and_roles(parsed):
    got = [(s.title, s.level, s.parent_id, s.role) for s in parsed.sections]
    assert got == [
        ("Lead", 1, None, "lead"),
        ("Synopsis", 2, None, "plot"),
        ("Reception", 2, None, "reception"),
        ("Ratings", 3, 2, "reception"),
        ("Deep", 4, 3, "reception"),
        ("See also", 2, None, "other"),
    ]


def test_paragraphs_and_list_items(parsed):
    texts = [(ARTICLE[p.start : p.end], p.section_id, p.is_list_item) for p in parsed.paragraphs]
    assert texts[0] == ("Lead paragraph one.\nSecond line of the same lead paragraph.", 0, False)
    assert ("Item one", 5, True) in texts and ("Item two", 5, True) in texts
    assert ("Nested text.", 4, False) in texts
    assert not parsed.issues


@pytest.mark.parametrize(
    "line, title, level",
    [("==Plot==", "Plot", 2), ("== Plot ==", "Plot", 2), ("===  Critical reception ===", "Critical reception", 3), ("=====X=====", "X", 5)],
)
def test_heading_variants(line, title, level):
    p = parse(f"= T =\n\n{line}\nBody.\n", "t")
    assert (p.sections[1].title, p.sections[1].level) == (title, level)


def test_unbalanced_heading_is_read_and_warned():
    p = parse("= T =\n\n== Plot =\nBody.\n", "t")
    assert p.sections[1].title == "Plot" and p.sections[1].role == "plot"
    assert [(i.problem, i.line) for i in p.issues if i.problem == "heading_unbalanced"] == [("heading_unbalanced", 3)]


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_line_endings_keep_offsets(eol):
    text = eol.join(["= T =", "", "== Plot ==", "A b.", "", "C d."]) + eol
    p = parse(text, "t")
    assert [text[q.start : q.end] for q in p.paragraphs] == ["A b.", "C d."]
    assert [ln.number for ln in split_lines(text)][:3] == [1, 2, 3]


@pytest.mark.parametrize(
    "body, problem",
    [
        ("- Director Jane Doe", "infobox_no_colon"),
        ("- Music:", "infobox_empty_value"),
        ("- Director: A\n- Director: B", "infobox_duplicate_key"),
    ],
)
def test_infobox_problems_are_warned_with_line(body, problem):
    p = parse(f"= T =\n\nInfobox\n{body}\n\n== Plot ==\nX.\n", "t")
    hits = [i for i in p.issues if i.problem == problem]
    assert hits and hits[0].severity == "warning" and hits[0].line >= 4


def test_missing_title_infobox_plot_reception_are_warned():
    p = parse("Just a paragraph.\n", "bare")
    assert p.title == "bare"
    assert {"no_title", "no_infobox", "no_plot", "no_reception"} <= {i.problem for i in p.issues}


def test_split_values_offsets():
    text = "A, B and C; D & E"
    got = list(split_values(text, 10))
    assert [v for v, _, _ in got] == ["A", "B", "C", "D", "E"]
    assert all(text[s - 10 : e - 10] == v for v, s, e in got)


@pytest.mark.parametrize(
    "heading, role",
    [
        ("Broadcast and reception", "reception"),
        ("Critical reaction and legacy", "reception"),
        ("Reviews", "reception"),
        ("Release and response", "reception"),
        ("Plot summary", "plot"),
        ("Episode synopsis", "plot"),
        ("Ratings", "other"),
        ("Viewership", "other"),
        ("Broadcast", "other"),
        ("Production", "other"),
    ],
)
def test_section_role_from_the_heading_words(heading, role):
    p = parse(f"= T =\n\n== {heading} ==\nBody.\n", "t")
    assert p.sections[1].role == role


def test_ratings_subsection_inherits_reception():
    p = parse("= T =\n\n== Broadcast and reception ==\n=== Viewers ===\nSeen by many.\n", "t")
    assert [s.role for s in p.sections[1:]] == ["reception", "reception"]


CRITICS_ELSEWHERE = """= T =

The episode aired in May. Dana Price of Reelside gave the episode a B+, calling it "bold".

== Plot ==
Mara said the ship was lost, calling it "a disaster".

== Production ==
Filming took place in June.

Critic Tom Hale wrote that the episode "earns its ending".
"""


def test_reception_paragraphs_in_other_sections_when_no_reception_section():
    p = parse(CRITICS_ELSEWHERE, "t")
    roles = [(CRITICS_ELSEWHERE[q.start : q.end][:12], q.role) for q in p.paragraphs]
    assert roles == [("The episode ", "reception"), ("Mara said th", None), ("Filming took", None), ("Critic Tom H", "reception")]
    assert "no_reception" not in {i.problem for i in p.issues}


def test_critics_elsewhere_are_left_alone_when_there_is_a_reception_section():
    p = parse(CRITICS_ELSEWHERE + "\n== Reception ==\nIt was liked.\n", "t")
    assert [q.role for q in p.paragraphs] == [None, None, None, None, None]


def test_issues_come_in_line_order_when_a_heading_precedes_the_infobox():
    text = "= T =\n== Notes =\nInfobox\n- Director A\n- Writer: W\n- Writer: V\n=== Deep ==\nPlot words.\n"
    issues = parse(text, "t", CONFIG).issues
    walk = [(i.problem, i.line) for i in issues if i.line is not None]
    assert walk == [("heading_unbalanced", 2), ("infobox_no_colon", 4), ("infobox_duplicate_key", 6), ("heading_unbalanced", 7)]


def test_a_repeated_infobox_key_numbers_its_values_on():
    parsed = parse("= T =\nInfobox\n- Writer: A and B\n- Series: S\n- writer: C\n", "t", CONFIG)
    assert [(e.key, e.position, e.value) for e in parsed.infobox if e.key.casefold() == "writer"] == [
        ("Writer", 0, "A"), ("Writer", 1, "B"), ("writer", 2, "C")
    ]


def test_after_a_blank_line_an_item_without_colon_starts_a_lead_list():
    text = "= T =\nInfobox\n- Series: S\n\n- Airdate: 2001\n\n- a list item\n- another\n"
    parsed = parse(text, "t", CONFIG)
    assert [e.key for e in parsed.infobox] == ["Series", "Airdate"]
    assert [(text[p.start : p.end], p.is_list_item, p.section_id) for p in parsed.paragraphs] == [
        ("a list item", True, 0), ("another", True, 0)
    ]
