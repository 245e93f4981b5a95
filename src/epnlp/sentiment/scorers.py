"""The trained model behind the `Scorer` protocol: `model` alone, and `hybrid`, its mean with VADER.

`hybrid`: compound = w * VADER + (1 - w) * model, w = `vader_weight` (0.5 by default: equal weights, not
fitted, because a weight fitted on movie sentences trusts the model and loses VADER's transfer to other
prose; see docs/sentiment.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from epnlp.sentiment.model import Model
from epnlp.sentiment.score import Score, compound_score, join_evidence, label_for, proportions
from epnlp.sentiment.vader import VaderScorer


@dataclass
class ModelScorer:
    """The trained model alone (`name` "model")."""

    model: Model
    threshold: float = 0.05
    name: str = "model"

    @property
    def fingerprint(self) -> str:
        """Identifies what this scorer computes (part of cache keys)."""
        return f"model:{self.threshold!r}:{self.model.fingerprint}"

    def score(self, texts: Sequence[str]) -> list[Score]:
        """One `Score` per text: the model's compound, proportions from it, its evidence words."""
        compound, evidence = self.model.explain(texts)
        return [compound_score(c, self.threshold, ev) for c, ev in zip(compound.tolist(), evidence, strict=True)]


@dataclass
class HybridScorer:
    """w * VADER + (1 - w) * model on compound and on the class proportions (`name` "hybrid").

    `vader_weight` None takes the weight stored with the model (params `sentiment.model.vader_weight`).
    """

    model: Model
    threshold: float = 0.05
    vader_weight: float | None = None
    name: str = "hybrid"

    @property
    def weight(self) -> float:
        """The weight of VADER's compound in use."""
        return self.model.vader_weight if self.vader_weight is None else float(self.vader_weight)

    @property
    def fingerprint(self) -> str:
        """Identifies what this scorer computes (part of cache keys)."""
        return f"hybrid:{self.weight!r}:{VaderScorer(self.threshold).fingerprint}:{self.model.fingerprint}"

    def score(self, texts: Sequence[str]) -> list[Score]:
        """One `Score` per text: the weighted mean of VADER's and the model's, evidence from both."""
        texts = list(texts)
        w = self.weight
        vader = VaderScorer(self.threshold).score(texts)
        compound, evidence = self.model.explain(texts)
        out = []
        for v, m, mev in zip(vader, compound.tolist(), evidence, strict=True):
            c = w * v.compound + (1 - w) * m
            pos, neu, neg = (
                w * a + (1 - w) * b for a, b in zip((v.positive, v.neutral, v.negative), proportions(m), strict=True)
            )
            total = pos + neu + neg  # VADER's own proportions are rounded to 3 decimals
            ev = join_evidence((("model", mev), ("vader", v.evidence)))
            out.append(Score(c, pos / total, neu / total, neg / total, label_for(c, self.threshold), ev))
        return out
