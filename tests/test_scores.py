"""Scores, ranks, years and quotes as critics write them (no model needed)."""

from __future__ import annotations

import pytest

from epnlp.reviews.scores import find_quotes, find_ranks, find_year
from epnlp.text.scores import find_scores, number


@pytest.mark.parametrize(
    "text, written, score, score_max",
    [
        ("gave it 9 out of 10, remarking", "9 out of 10", 9, 10),
        ("scored it 4/5.", "4/5", 4, 5),
        ("awarded three and a half stars out of five", "three and a half stars out of five", 3.5, 5),
        ("rated it 7.5/10", "7.5/10", 7.5, 10),
        ("gave it 2 stars out of 4", "2 stars out of 4", 2, 4),
        ("gave the episode a B+, praising", "B+", 3.3, 4.3),
        ("gave it an A-.", "A-", 3.7, 4.3),
        ("a C grade for the finale", "C", 2.0, 4.3),
        ("gave the finale an F, calling it", "F", 0.0, 4.3),
        # letter grades in quotes, after "the episode", before "grade"; A+ is the top of the scale
        ("graded the pilot a 'B-', noting", "B-", 2.7, 4.3),
        ('She gave the hour an "A+" grade.', "A+", 4.3, 4.3),
        ("Grade: D+", "D+", 1.3, 4.3),
        ("graded it a B-minus, saying", "B-minus", 2.7, 4.3),
        ("gave the finale a C plus.", "C plus", 2.3, 4.3),
        ('gave "Paper Moons" a B+.', "B+", 3.3, 4.3),
        # stars with no maximum written are out of 5
        ("wrote a four-star review of it", "four-star", 4, 5),
        ("awarded it three stars, saying", "three stars", 3, 5),
        ("gave the season opener 4.5 stars", "4.5 stars", 4.5, 5),
        ("gave it 3\u00bd stars", "3\u00bd stars", 3.5, 5),
        ("rated it \u2605\u2605\u2605\u2605 in print", "\u2605\u2605\u2605\u2605", 4, 5),
        ("\u2605\u2605\u2606\u2606 for the finale", "\u2605\u2605\u2606\u2606", 2, 4),
        ("2.5/5 stars for the finale", "2.5/5 stars", 2.5, 5),
        ("a 3.0 star rating out of 5.0", "3.0 star rating out of 5.0", 3, 5),
        # the score written as one hyphenated word
        ("gave the episode a seven-out-of-ten rating", "seven-out-of-ten", 7, 10),
        ("a five-out-of-five review", "five-out-of-five", 5, 5),
        # a bare number is out of 10; "perfect" is the top
        ("gave it a rating of 6.4, citing", "6.4", 6.4, 10),
        ("handed the episode a perfect score", "perfect score", 1, 1),
        ("a perfect rating of 10 from the site", "10", 10, 10),
    ],
)
def test_find_scores(text, written, score, score_max):
    (s,) = find_scores(text)
    assert (s.text, s.score, s.score_max) == (written, score, score_max)
    assert text[s.start : s.end] == written


@pytest.mark.parametrize(
    "text",
    [
        "aired on 9/11 in 2001", "In 2016, it was a B-movie homage", "Plan B worked", "a 2.4 rating among adults",
        "a 1.1/4 share among adults", "an approval rating of 88%", "gave Tanya a chance", "the A-Team returned",
        # hyphenated counts that are not "N-out-of-M" scores
        "the 2-of-3 playoff", "Three-of-Eight returns", "in a two-from-three vote", "the one-of-one original",
        # "N of M" in words, with no "out" and no stars: a name or a count
        "Ada Vance as Two of Five was a highlight", "one of ten best", "two of the three leads",
    ],
)
def test_no_false_scores(text):
    assert find_scores(text) == []


@pytest.mark.parametrize(
    "text, rank, rank_list",
    [
        ("the 4th best episode that Jane Roe wrote for", 4, "Jane Roe episodes"),
        ("placed it the 16th best Jane Roe episode", 16, "Jane Roe episodes"),
        ("named it the fifth-best episode of Deep Meridian in 2022", 5, "Deep Meridian episodes"),
        ("called it the 3rd worst episode", 3, "worst episodes"),
        ("ranked it number 3 on its list", 3, "episodes"),
        ("the 21st best drama episode", 21, "drama episodes"),
    ],
)
def test_find_ranks(text, rank, rank_list):
    (r,) = find_ranks(text)
    assert (r.rank, r.rank_list) == (rank, rank_list)


@pytest.mark.parametrize(
    "text, prev, year",
    [
        ("In 2021, X reviewed it", None, 2021),
        ("That same year Y placed it", 2016, 2016),
        ("The following year, Z said", 2016, 2017),
        ("A year later, Z said", 2010, 2011),
        ("Two years later, Z said", 2010, 2012),
        ("Z said it was fine", 2010, None),
    ],
)
def test_find_year(text, prev, year):
    assert find_year(text, prev) == year


def test_find_quotes_and_numbers():
    text = 'called it "a triumph" and "sly"'
    assert [text[a:b] for a, b in find_quotes(text)] == ["a triumph", "sly"]
    assert (number("three and a half"), number("half"), number("7.5"), number("lots")) == (3.5, 0.5, 7.5, None)


@pytest.mark.parametrize(
    "text, quotes",
    [
        ('ranked "Paper Moons" the tenth best, praising its "unshowy, lived-in dialogue."', ["unshowy, lived-in dialogue."]),
        ('remarking "Basically, Jane Roe pulls the episode up"', ["Basically, Jane Roe pulls the episode up"]),
        ('called it "Superb."', ["Superb."]),
    ],
)
def test_quoted_titles_are_not_quotes(text, quotes):
    assert [text[a:b] for a, b in find_quotes(text)] == quotes
