"""Sentence sentiment behind one interface: `make_scorer(method, ...)` returns a batch scorer.

Every score carries its evidence: the words that drove it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


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


@lru_cache(maxsize=1)
def _vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def vader_evidence(text: str, top: int = 3, lexicon: dict[str, float] | None = None) -> str:
    """The lexicon words in `text` with the largest absolute valence, e.g. 'fine(+0.8) lack(-1.6)'
    (`lexicon`: VADER's own unless given; words of valence 0 are no evidence)."""
    lex = _vader().lexicon if lexicon is None else lexicon
    words = [w.strip(".,;:!?\"'()[]").lower() for w in text.split()]
    hits = sorted({(w, lex[w]) for w in words if lex.get(w)}, key=lambda x: (-abs(x[1]), x[0]))
    return " ".join(f"{w}({v:+.1f})" for w, v in hits[:top])


def _vader_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vaderSentiment")
    except PackageNotFoundError:
        return "unknown"


@dataclass
class VaderScorer:
    """VADER (Hutto & Gilbert 2014): the transparent lexicon-and-rules baseline."""

    threshold: float = 0.05
    name: str = "vader"

    @property
    def fingerprint(self) -> str:
        """Identifies what this scorer computes (part of cache keys)."""
        return f"vader:{self.threshold!r}:{_vader_version()}"

    def score(self, texts: Sequence[str]) -> list[Score]:
        sia = _vader()
        out = []
        for t in texts:
            s = sia.polarity_scores(t)
            out.append(
                Score(s["compound"], s["pos"], s["neu"], s["neg"], label_for(s["compound"], self.threshold), vader_evidence(t))
            )
        return out


METHODS = ("vader", "model", "hybrid", "blend")
DEFAULT_THRESHOLD = 0.05  # vader, model, hybrid when no threshold is given; blend has its own band


def make_scorer(method: str, threshold: float | None = 0.05, model_dir: Path | None = None) -> Scorer:
    """The sentiment scorer for `method` (see params.yaml `sentiment.method`).

    `threshold` None: the method's own neutral band (0.05 for vader, model and hybrid; for blend the band
    stored with the model, chosen on development data)."""
    if method not in METHODS:
        raise ValueError(f"unknown sentiment method {method!r} (known: {', '.join(METHODS)})")
    if method == "vader":
        return VaderScorer(DEFAULT_THRESHOLD if threshold is None else float(threshold))
    # imported here: sentiment_model builds on this module
    from epnlp.sentiment_model import HybridScorer, ModelScorer, load

    model = load(model_dir if model_dir is not None else Path("models/sentiment"))
    if method == "blend":
        from epnlp.sentiment_blend import BlendScorer

        return BlendScorer(model, None if threshold is None else float(threshold))
    t = DEFAULT_THRESHOLD if threshold is None else float(threshold)
    return ModelScorer(model, t) if method == "model" else HybridScorer(model, t)


def sentiment_rows(sentences: Sequence, scorer: Scorer) -> list[dict]:
    """One sentiment row per sentence (scored in one batch on the clean text)."""
    scores = scorer.score([s.clean_text for s in sentences])
    return [
        {
            "article_id": s.article_id,
            "sentence_id": s.sentence_id,
            "section": s.section,
            "role": s.role,
            "compound": sc.compound,
            "positive": sc.positive,
            "neutral": sc.neutral,
            "negative": sc.negative,
            "label": sc.label,
            "method": scorer.name,
            "evidence": sc.evidence,
        }
        for s, sc in zip(sentences, scores, strict=True)
    ]
