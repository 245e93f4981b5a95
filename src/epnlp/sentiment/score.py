"""What every sentence-sentiment scorer returns: a `Score` per text, the `Scorer` protocol, and the rules
that turn a compound into a label and class proportions. No epnlp imports: every scorer builds on this."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Score:
    """Sentiment of one text: compound in [-1, 1], class proportions, label and evidence words."""

    compound: float
    positive: float
    neutral: float
    negative: float
    label: str
    evidence: str


class Scorer(Protocol):
    """Scores a batch of texts; `name` is the method recorded in the tables."""

    name: str

    def score(self, texts: Sequence[str]) -> list[Score]: ...


def label_for(compound: float, threshold: float = 0.05) -> str:
    """positive / negative / neutral from a compound score and a symmetric threshold."""
    if compound >= threshold:
        return "positive"
    if compound <= -threshold:
        return "negative"
    return "neutral"


def proportions(compound: float) -> tuple[float, float, float]:
    """(positive, neutral, negative) summing to 1: the compound's magnitude goes to its side."""
    c = min(1.0, max(-1.0, float(compound)))
    return max(c, 0.0), 1.0 - abs(c), max(-c, 0.0)


def compound_score(compound: float, threshold: float, evidence: str) -> Score:
    """The `Score` of a scorer that has only a compound: proportions from it, the label at `threshold`."""
    pos, neu, neg = proportions(compound)
    return Score(compound, pos, neu, neg, label_for(compound, threshold), evidence)


def join_evidence(notes: Iterable[tuple[str, str]]) -> str:
    """'model: a(+0.41); vader: b(-1.6)' from (source, evidence) pairs, empty evidence left out."""
    return "; ".join(f"{source}: {e}" for source, e in notes if e)
