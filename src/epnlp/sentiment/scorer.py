"""Sentence sentiment behind one interface: `make_scorer(method, ...)` returns a batch scorer, and
`sentiment_rows` the table rows of scored sentences. Every score carries its evidence: the words that
drove it.

The pieces, each building only on those before it: `sentiment.score` (`Score`, `Scorer`, labels),
`sentiment.vader` (VADER), `sentiment.rules` (negation, contrast, idioms), `sentiment.features` and
`sentiment.model` (the trained model and its evidence), `sentiment.store` (its files), `sentiment.scorers`
(`model`, `hybrid`) and `sentiment.blend` (`blend`); training in `sentiment.train`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from epnlp.sentiment.score import Score, Scorer
from epnlp.sentiment.vader import VaderScorer, vader_evidence

# Score, Scorer, VaderScorer and vader_evidence are re-exported: the pipeline and reviews import them from here
__all__ = ["METHODS", "Score", "Scorer", "VaderScorer", "make_scorer", "scorer_kwargs", "sentiment_rows", "vader_evidence"]

METHODS = ("vader", "model", "hybrid", "blend", "critic")  # critic: blend with its critics' profile
DEFAULT_THRESHOLD = 0.05  # vader, model, hybrid when no threshold is given; blend has its own band


def scorer_kwargs(sentiment: Mapping[str, Any], reviews: bool = False, one_sentence: bool = True) -> dict[str, Any]:
    """`make_scorer`'s keyword arguments from params `sentiment`; `reviews`: for critics' reviews, whose
    method is `review_method` (null: `method`); `one_sentence`: each text scored is one sentence (the
    pipeline's parser sentences and their clauses; not so for a user's lines)."""
    method = (sentiment.get("review_method") if reviews else None) or sentiment["method"]
    return {"method": method, "threshold": sentiment["threshold"], "model_dir": Path(sentiment["model_dir"]), "one_sentence": one_sentence}


def make_scorer(method: str, threshold: float | None = 0.05, model_dir: Path | None = None, one_sentence: bool = False) -> Scorer:
    """The sentiment scorer for `method` (see params.yaml `sentiment.method`).

    `threshold` None: the method's own neutral band (0.05 for vader, model and hybrid; for blend and critic
    the band stored with the model, chosen on development data). `critic` is blend with the settings chosen
    for critics' prose (`sentiment.blend` module doc). `one_sentence`: the texts are known to be single
    sentences, so blend does not count their sentences (its idioms speak for a text's sentence)."""
    if method not in METHODS:
        raise ValueError(f"unknown sentiment method {method!r} (known: {', '.join(METHODS)})")
    if method == "vader":
        return VaderScorer(DEFAULT_THRESHOLD if threshold is None else float(threshold))
    # imported here: numpy and scipy load only when a trained model is used
    from epnlp.sentiment.store import load

    model = load(model_dir if model_dir is not None else Path("models/sentiment"))
    if method in ("blend", "critic"):
        from epnlp.sentiment.blend import BlendScorer

        profile = "critic" if method == "critic" else "general"
        band = None if threshold is None else float(threshold)
        return BlendScorer(model, band, name=method, profile=profile, one_sentence=one_sentence)
    from epnlp.sentiment.scorers import HybridScorer, ModelScorer

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
