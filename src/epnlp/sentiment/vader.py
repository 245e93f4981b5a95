"""VADER (Hutto & Gilbert 2014), the transparent lexicon-and-rules baseline: one shared analyser, the
evidence words it found, and `VaderScorer`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from epnlp.sentiment.score import Score, label_for


@lru_cache(maxsize=1)
def analyser() -> SentimentIntensityAnalyzer:
    """VADER with its own lexicon, built once (reading the lexicon file takes a while)."""
    return SentimentIntensityAnalyzer()


def vader_evidence(text: str, top: int = 3, lexicon: dict[str, float] | None = None) -> str:
    """The lexicon words in `text` with the largest absolute valence, e.g. 'fine(+0.8) lack(-1.6)'
    (`lexicon`: VADER's own unless given; words of valence 0 are no evidence)."""
    lex = analyser().lexicon if lexicon is None else lexicon
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
    """VADER's compound, proportions and label at `threshold`, with its evidence words (`name` "vader")."""

    threshold: float = 0.05
    name: str = "vader"

    @property
    def fingerprint(self) -> str:
        """Identifies what this scorer computes (part of cache keys)."""
        return f"vader:{self.threshold!r}:{_vader_version()}"

    def score(self, texts: Sequence[str]) -> list[Score]:
        sia = analyser()
        out = []
        for t in texts:
            s = sia.polarity_scores(t)
            out.append(
                Score(s["compound"], s["pos"], s["neu"], s["neg"], label_for(s["compound"], self.threshold), vader_evidence(t))
            )
        return out
