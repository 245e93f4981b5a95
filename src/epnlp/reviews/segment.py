"""Segment a reception section into critics' reviews: who, which sentences, and the facts in them.

A review starts at a sentence naming a critic (`epnlp.reviews.critics`) and runs through the following
sentences of the paragraph, or a new paragraph opening with "They/He/She/The critic...", until the next
critic. A critic named again (surname, outlet) continues their own review, never starts a new one. A
score, rank or quote goes to the critic named last before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from spacy.tokens import Span

from epnlp.reviews.critics import Critic, crew_names, find_critics
from epnlp.reviews.scores import RankFact, find_quotes, find_ranks, find_year
from epnlp.text.scores import ScoreFact, find_scores

_BACKREF = re.compile(
    r"^\s*(?:(?:however|also|additionally|further(?:more)?|moreover|but|and|overall|in\s+addition),?\s+)?"
    r"(?:they|he|she|the\s+(?:critic|reviewer|review|writer|site|magazine|outlet|publication|paper|author|columnist))\b",
    re.IGNORECASE,
)
# audience figures, not opinions: a sentence reporting them names no critic ("according to Nielsen")
_AUDIENCE = re.compile(
    r"\d[\d.,]*\s+(?:million\s+|thousand\s+)?(?:viewers|households|people)\b|\bratings?\s+share\b|\b18[-\u2013]49\b", re.I
)
# a review aggregator's figures (approval share, review count, consensus): not a critic's review
_AGGREGATE = re.compile(
    r"\bapproval\s+(?:rating|score)\b|\bbased\s+on\s+\d+\s+(?:critics|reviews)\b|\baggregat\w*|\bconsensus\b", re.I
)
_QUOTE_FIRST = re.compile(r'^["\s,]*(?:[a-z]+\s+)?$')  # between '"...,"' and the critic: at most the verb


@dataclass
class Review:
    """One critic's review: its sentences (paragraph docs' spans) and the facts found in them."""

    critic: Critic
    sentences: list[Span] = field(default_factory=list)
    year: int | None = None
    score: ScoreFact | None = None
    score_sentence: Span | None = None
    rank: RankFact | None = None
    quotes: list[tuple[Span, int, int]] = field(default_factory=list)  # (sentence, clean start, end)


Owners = list[tuple[Review, tuple[int, ...]]]  # reviews named in one sentence, with where they are named


def _owner(owners: Owners, base: int, pos: int) -> Review:
    """The review whose critic is named last before `pos` (facts follow their critic)."""
    before = [(max((m - base for m in ms if m - base <= pos), default=-1), -k) for k, (_, ms) in enumerate(owners)]
    return owners[max(range(len(owners)), key=lambda k: before[k])][0]


def _norm_name(text: str) -> str:
    """A critic name as compared: lower case, no leading "the", no possessive."""
    t = text.lower().replace("\u2019", "'").strip()
    t = t.removeprefix("the ").removesuffix("'s").removesuffix("'")
    return t.strip()


def _names(c: Critic) -> set[str]:
    """How a critic can be named again: the full author name, its surname, the outlet."""
    out = {_norm_name(s.text) for s in (c.author, c.outlet) if s is not None}
    if c.author is not None and len(c.author) > 1:
        out.add(_norm_name(c.author[-1].text if c.author[-1].text != "-" else c.author.text))
        words = c.author.text.split()
        out.add(_norm_name(words[-1]))
    return out


def known_critic(reviews: Sequence[Review], c: Critic) -> Review | None:
    """The earlier review of a critic named again ("Marsh notes...", "IGN also..."): a later mention of
    a known critic continues that critic's review, it is never a new critic."""
    for r in reversed(reviews):
        names = _names(r.critic)
        if c.author is not None and _norm_name(c.author.text) in names:
            return r
        if c.author is None and c.outlet is not None and _norm_name(c.outlet.text) in names:
            return r
    return None


def _other(c: Critic, others: set[str], reviews: Sequence[Review]) -> bool:
    """A character or a person of the cast or crew named as if a critic (no outlet, not a known critic)."""
    if c.author is not None and c.outlet is not None:
        return False
    name = _norm_name((c.author or c.outlet).text)
    return name in others and known_critic(reviews, c) is None


def _add_facts(owners: Owners, sent: Span, previous: Review | None) -> None:
    """Scores, ranks and quotes of a sentence naming critics go to the critic named last before them; a
    score before every critic to the review the sentence continues ("She gave it a B. X of Y wrote...")."""
    text, base = sent.text, sent.start_char
    owner = partial(_owner, owners, base)
    first = min(m - base for _, ms in owners for m in ms)
    for sc in find_scores(text):
        r = previous if previous is not None and sc.end <= first else owner(sc.start)
        if r.score is None:
            r.score, r.score_sentence = sc, sent
    for rk in find_ranks(text):
        r = owner(rk.start)
        if r.rank is None:
            r.rank = rk
    mentions = sorted((m - base, k) for k, (_, ms) in enumerate(owners) for m in ms)
    for a, b in find_quotes(text):
        if a >= mentions[0][0]:
            owner(a).quotes.append((sent, a, b))
        else:
            # A quote before every critic: theirs only in the quote-first style ('"...," wrote X').
            after = next((k for m, k in mentions if m >= b and _QUOTE_FIRST.match(text[b:m])), None)
            if after is not None:
                owners[after][0].quotes.append((sent, a, b))


def _critic_speaks(sent: Span) -> bool:
    """Whether the critic is the one acting in a follow-on sentence: it opens with "He/She/They/The
    critic" or a personal pronoun is a subject ('..., and he gave it a B')."""
    return bool(_BACKREF.match(sent.text)) or any(t.dep_ == "nsubj" and t.lower_ in ("he", "she", "they") for t in sent)


def _continue(current: list[Review], sent: Span) -> None:
    """A sentence that refers back to the current reviews joins each of them, with its quotes; a score or
    rank only when the critic is the one acting (not an aggregator's average in the next sentence)."""
    text = sent.text
    speaks = _critic_speaks(sent)
    for r in current:
        r.sentences.append(sent)
        if speaks and r.score is None and (scores := find_scores(text)):
            r.score, r.score_sentence = scores[0], sent
        if speaks and r.rank is None and (ranks := find_ranks(text)):
            r.rank = ranks[0]
        r.quotes.extend((sent, a, b) for a, b in find_quotes(text))


def segment(
    sentences: Sequence[tuple[Span, int]], people: set[str], prev_year: int | None = None, titles: Iterable[str] = (),
    others: set[str] = frozenset(),
) -> list[Review]:
    """Reviews from reception sentences in order; `sentences` are (sentence span, paragraph_id).

    `people` (credited names) are never critics; `others` (characters, people named elsewhere) are not
    critics unless an outlet is named with them."""
    title_set = frozenset(t.casefold().rstrip(".") for t in titles)
    others = set(others) | crew_names(s for s, _ in sentences)
    reviews: list[Review] = []
    current: list[Review] = []
    last_para: int | None = None
    for sent, para in sentences:
        figures = _AUDIENCE.search(sent.text) or _AGGREGATE.search(sent.text)
        critics = [] if figures else find_critics(sent, people, title_set)
        critics = [c for c in critics if not _other(c, others, reviews)]
        if critics:
            owners: Owners = []
            fresh: list[Review] = []
            for c in critics:
                old = known_critic(reviews + fresh, c)
                k = next((i for i, (r, _) in enumerate(owners) if r is old), None) if old is not None else None
                if k is not None:
                    owners[k] = (old, owners[k][1] + c.mentions)
                    continue
                if old is None:
                    old = Review(c, [])
                    fresh.append(old)
                if not old.sentences or old.sentences[-1] is not sent:
                    old.sentences.append(sent)
                owners.append((old, c.mentions))
            _add_facts(owners, sent, current[-1] if current and para == last_para else None)
            year = find_year(sent.text, prev_year)
            for r in fresh:
                r.year = year
            if year is not None and fresh:
                prev_year = year
            reviews.extend(fresh)
            current = [r for r, _ in owners]
        elif current and (para == last_para or _BACKREF.match(sent.text)):
            _continue(current, sent)
        else:
            current = []
        last_para = para
    return reviews
