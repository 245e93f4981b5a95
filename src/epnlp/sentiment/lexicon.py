"""A lexicon induced from the trained model, for VADER: the words the movie model weighs most that
VADER's own lexicon lacks ("gripping", "tedious", "contrived", ...), each with the valence the model gives
the word alone. Inside VADER these words get VADER's rules (negation, "but", intensifiers, caps), which
the bag-of-words model does not apply to them: "isn't tedious" is then praise.

Only the training split's model is used (no evaluation data); the size and gain are chosen on the dev
sets (docs/sentiment.md). Induction needs scikit-learn (training only); scoring reads the stored lexicon.
Deterministic: ties broken by the word, valences rounded to 2 decimals.
"""

from __future__ import annotations

import math
import re

import numpy as np

from epnlp.sentiment.model import Model
from epnlp.sentiment.negation import NEGATORS
from epnlp.sentiment.rules import NEG, NEUTRAL_WORDS
from epnlp.sentiment.vader import analyser

_WORD = re.compile(r"^[a-z][a-z'-]{2,}$")
MAX_VALENCE = 4.0  # VADER's scale


def candidates(model: Model, min_df: int) -> list[str]:
    """Single words of the model's word block seen in at least `min_df` training sentences (from the
    smoothed idf), alphabetic, not negated, not a negator, not a medium word, not a function word
    (scikit-learn's English stop words: "and", "was", "too" carry the movie data's habits, not a
    judgement), not in VADER's lexicon."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    vec = model.blocks[0]
    if vec.analyzer != "word" or vec.idf is None:
        return []
    vader = analyser().lexicon
    n = model.n_train
    out = []
    for term, idf in zip(vec.terms.tolist(), vec.idf.tolist(), strict=True):
        if " " in term or not _WORD.match(term) or term.startswith(NEG):
            continue
        if term in vader or term in NEUTRAL_WORDS or term in NEGATORS or term in ENGLISH_STOP_WORDS:
            continue
        if term.endswith("n't"):
            continue
        df = (1 + n) / math.exp(idf - 1.0) - 1.0  # scikit-learn's smooth idf, inverted
        if df >= min_df - 1e-6:
            out.append(term)
    return out


def induce(model: Model, size: int, gain: float, min_df: int = 5) -> dict[str, float]:
    """The `size` candidate words with the largest model valence (pre-tanh score of the word alone, less
    the intercept), as VADER valences `gain * valence` clipped to +-4 and rounded to 2 decimals."""
    words = candidates(model, min_df) if size > 0 else []
    if not words:
        return {}
    valence = (model.predict(words) - model.intercept) / model.scale
    order = sorted(range(len(words)), key=lambda i: (-abs(float(valence[i])), words[i]))[:size]
    out = {}
    for i in order:
        v = round(float(np.clip(gain * valence[i], -MAX_VALENCE, MAX_VALENCE)), 2)
        if v:
            out[words[i]] = v
    return dict(sorted(out.items()))
