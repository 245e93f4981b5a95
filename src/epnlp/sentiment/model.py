"""The trained sentence-sentiment model: TF-IDF word (1-2) and character (2-5, within words) n-grams ->
ridge regression on the human rating (-4..+4); compound = tanh(prediction / scale). Strong on movie-review
prose, weak out of domain. With `negation` / `neutral_words` the features see `sentiment.rules.prepare(text)`:
negation scopes marked `neg_` (negated words only in the word block) and medium words ("episode", "said")
dropped. With `lexicon_size` > 0, training also induces a lexicon for blend's VADER (`sentiment.lexicon`),
kept with the model. The blend's own settings live in the params too (`sentiment.blend`).

Evidence names the words that moved the score most: each word's exact share of the linear prediction
(word n-gram weights split over the words they cover, character n-grams given to the word they lie in),
in units of the pre-tanh score. Fitting is `sentiment.train`, the model files `sentiment.store`.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from epnlp.sentiment.features import Block, Entries, Vectorizer
from epnlp.sentiment.rules import compile_constructions, default_constructions, default_critic_lexicon, prepare

DEFAULTS: dict[str, Any] = {
    "alpha": 3.0,  # ridge L2 penalty
    "word_ngrams": (1, 2),
    "char_ngrams": (2, 5),
    "min_df": 2,  # n-grams seen in fewer training sentences are dropped
    "scale": 2.0,  # compound = tanh(rating_prediction / scale)
    "vader_weight": 0.5,  # hybrid: weight of VADER's compound (not used in fitting)
    "negation": False,  # mark negation scopes (neg_ prefix; sentiment.rules.prepare)
    "neutral_words": False,  # drop words that describe the medium (episode, season, ...)
    # blend (sentiment.blend; not used in fitting): see that module for the rule
    "blend_vader_weight": 0.5,  # blend: weight of VADER's compound
    "clause_weight": 0.5,  # share of the verdict clause in the model's compound of a contrast
    "bare_damp": 1.0,  # factor on the model's compound when VADER finds no lexicon word
    "idiom_floor": 0.3,  # |compound| at least this when a critic's idiom decides the sign
    "neutral_band": 0.05,  # |compound| below which blend says neutral
    "score_weight": 0.0,  # blend: share of the verdict of a score the sentence states (sentiment.rules.stated_verdict)
    "lexicon_size": 0,  # words induced from the model into blend's VADER lexicon (sentiment.lexicon)
    "lexicon_gain": 2.0,  # VADER valence per unit of the word's model score
    "lexicon_min_df": 5,  # training sentences a word must occur in to be induced
    "constructions": None,  # blend's critics' constructions {name: {sign, phrases}}; None: the packaged defaults
    "critic_lexicon": None,  # blend's VADER valences for critics' usage {word: valence}; None: the packaged defaults
    "critic_weight": 0.0,  # weight of each extra critic training sentence (sentiment.train_extra) vs a movie one
    "rated_weight": 0.0,  # weight of each sentence of the training parts of sentiment.train_rated sets vs a movie one
    "critic_profile": None,  # blend's settings for critics' prose (method `critic`), over the ones above; None: none
}

# the blend rule's settings (sentiment.blend); a profile may set any of them
BLEND_SETTINGS = ("blend_vader_weight", "clause_weight", "bare_damp", "idiom_floor", "neutral_band", "score_weight")

_STRIP = ".,;:!?\"'()[]"


@dataclass(eq=False)  # arrays inside; `fingerprint` says whether two models compute the same
class Model:
    """A fitted model: its TF-IDF blocks (word, then char), the ridge weights and what it was trained
    with. `fitted` holds scikit-learn's objects when trained in this process (None when loaded)."""

    blocks: list[Vectorizer]
    coef: np.ndarray
    intercept: float
    params: dict[str, Any]
    n_train: int
    seed: int
    lexicon: dict[str, float] = field(default_factory=dict)  # induced for VADER (sentiment.lexicon)
    fitted: tuple[Any, Any] | None = field(default=None, repr=False, compare=False)
    _cache: list[Block] = field(default_factory=list, repr=False, compare=False)

    @property
    def scale(self) -> float:
        """compound = tanh(prediction / scale)."""
        return float(self.params["scale"])

    @property
    def vader_weight(self) -> float:
        """hybrid's weight of VADER's compound."""
        return float(self.params["vader_weight"])

    @property
    def fingerprint(self) -> str:
        """A hash of the fitted weights, intercept, vocabularies and params (part of cache keys)."""
        h = hashlib.sha256(np.ascontiguousarray(self.coef, dtype=np.float64).tobytes())
        h.update(repr(float(self.intercept)).encode())
        h.update(json.dumps(jsonable(self.params), sort_keys=True).encode())
        for b in self.blocks:
            h.update(json.dumps(b.config(), sort_keys=True).encode())
            h.update(b"" if b.idf is None else np.ascontiguousarray(b.idf).tobytes())
            h.update("\n".join(b.terms.tolist()).encode())
        h.update(json.dumps(self.lexicon, sort_keys=True).encode())
        return h.hexdigest()

    def prepare(self, texts: Sequence[str]) -> list[str]:
        """The texts as the features see them: `sentiment.rules.prepare` if the model was trained so."""
        return prepare_texts(texts, self.params)

    def _linear(self, x: sp.csr_matrix) -> np.ndarray:
        return np.asarray(x @ self.coef).ravel() + self.intercept

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """The predicted rating (about -4..+4) of each text."""
        return self._linear(self.transform(texts)[0])

    def compound(self, texts: Sequence[str]) -> np.ndarray:
        """tanh(prediction / scale): in (-1, 1), like VADER's compound."""
        return np.tanh(self.predict(texts) / self.scale)

    def _blocks(self) -> list[Block]:
        """The feature union's blocks with their column offsets and per-word caches (built once)."""
        if not self._cache:
            start = 0
            for vec in self.blocks:
                block = Block(vec, start, skip_negated=bool(self.params["negation"]))
                self._cache.append(block)
                start += block.width
        return self._cache

    def transform(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, list[Entries]]:
        """TF-IDF features of `texts` (equal to `features.transform`) and, per block, which word of which
        prepared text each feature occurrence lies in (for evidence). Character n-grams are counted per
        distinct word and memoised: words repeat across a corpus, so the analyser runs once per word."""
        return self._transform(self.prepare(texts))

    def _transform(self, texts: list[str]) -> tuple[sp.csr_matrix, list[Entries]]:
        words = [t.lower().split() for t in texts]
        parts, entries = [], []
        for block in self._blocks():
            x, e = block.transform(texts, words)
            parts.append(x)
            entries.append(e)
        return sp.hstack(parts, format="csr"), entries

    def explain(self, texts: Sequence[str], top: int = 3) -> tuple[np.ndarray, list[str]]:
        """Compound of each text and its evidence (see `evidence`), for a whole batch at once."""
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros(0), []
        compound, contrib = self._explain(texts)
        return compound, [_format(c, top) for c in contrib]

    def _explain(self, texts: list[str]) -> tuple[np.ndarray, list[dict[str, float]]]:
        """Compounds and per-word contributions of a batch: the row's feature weights (x * coef) are
        spread over the words they lie in, vectorised over all texts (see `contributions`)."""
        texts = self.prepare(texts)
        x, entries = self._transform(texts)
        compound = np.tanh(self._linear(x) / self.scale)
        weighted = x.multiply(self.coef.reshape(1, -1)).tocsr()
        weighted.sort_indices()
        words = [t.lower().split() for t in texts]
        offsets = np.cumsum([0] + [len(w) for w in words])
        per_word = np.zeros(int(offsets[-1]))
        for block, e in zip(self._blocks(), entries, strict=True):
            per_word += block.spread(weighted, e, offsets)
        out: list[dict[str, float]] = []
        for i, ws in enumerate(words):
            acc: dict[str, float] = defaultdict(float)
            for w, v in zip(ws, per_word[offsets[i] : offsets[i + 1]].tolist(), strict=True):
                key = w.strip(_STRIP)
                if key and v:
                    acc[key] += v / self.scale
            out.append(dict(acc))
        return compound, out

    def contributions(self, text: str) -> dict[str, float]:
        """Each word's share of the pre-tanh score (prediction / scale, less intercept / scale).

        Keys are the text's whitespace words, lowercased and stripped of punctuation. A word n-gram's
        weight is split evenly over its tokens and a token's share over the words containing it; a
        character n-gram's weight goes to the words it occurs in, in proportion to its count there
        (char_wb n-grams never cross whitespace). The shares sum to (prediction - intercept) / scale,
        except for n-grams that lie only in punctuation.
        """
        return self._explain([str(text)])[1][0]

    def evidence(self, text: str, top: int = 3) -> str:
        """The `top` words that moved the score most, e.g. 'pleased(+0.41) lacked(-0.38)'."""
        return _format(self.contributions(text), top)


def _format(contributions: dict[str, float], top: int) -> str:
    items = sorted(contributions.items(), key=lambda kv: (-abs(kv[1]), kv[0]))
    return " ".join(f"{w}({v:+.2f})" for w, v in items[:top] if round(v, 2) != 0)


def model_params(hyper: dict[str, Any]) -> dict[str, Any]:
    """`DEFAULTS` overlaid by `hyper`, each value cast to its type and checked (an unknown name or a
    weight out of range is a ValueError), so that a typo in params.yaml fails loudly."""
    unknown = set(hyper) - set(DEFAULTS)
    if unknown:
        raise ValueError(
            f"unknown sentiment model hyperparameters: {sorted(unknown)} (known: {sorted(DEFAULTS)})"
        )
    p = {**DEFAULTS, **hyper}
    p["word_ngrams"] = tuple(int(x) for x in p["word_ngrams"])
    p["char_ngrams"] = tuple(int(x) for x in p["char_ngrams"]) if p["char_ngrams"] else None
    for k in ("alpha", "scale", "vader_weight", "blend_vader_weight", "clause_weight", "bare_damp", "idiom_floor", "neutral_band", "score_weight"):
        p[k] = float(p[k])
    p["min_df"], p["lexicon_size"], p["lexicon_min_df"] = int(p["min_df"]), int(p["lexicon_size"]), int(p["lexicon_min_df"])
    for k in ("lexicon_gain", "critic_weight", "rated_weight"):
        p[k] = float(p[k])
    p["constructions"] = default_constructions() if p["constructions"] is None else dict(p["constructions"])
    compile_constructions(p["constructions"])  # a bad pattern or sign fails here, at training
    lex = default_critic_lexicon() if p["critic_lexicon"] is None else p["critic_lexicon"]
    p["critic_lexicon"] = {str(k): float(v) for k, v in lex.items()}
    p["negation"], p["neutral_words"] = bool(p["negation"]), bool(p["neutral_words"])
    _check_ranges(p, "")
    p["critic_profile"] = _profile(p["critic_profile"])
    return p


def _check_ranges(p: dict[str, Any], where: str) -> None:
    """ValueError if a weight of `p` is outside [0, 1] or a factor negative (`where`: the message's prefix)."""
    for k in ("vader_weight", "blend_vader_weight", "clause_weight", "score_weight"):
        if k in p and not 0.0 <= p[k] <= 1.0:
            raise ValueError(f"{where}{k} must be in [0, 1], got {p[k]}")
    for k in ("bare_damp", "idiom_floor", "neutral_band", "lexicon_gain", "critic_weight", "rated_weight"):
        if k in p and p[k] < 0.0:
            raise ValueError(f"{where}{k} must be >= 0, got {p[k]}")


def _profile(spec: dict[str, Any] | None) -> dict[str, float]:
    """A blend profile ({setting: value}, `BLEND_SETTINGS` only) with float values, checked."""
    prof = {str(k): float(v) for k, v in (spec or {}).items()}
    unknown = set(prof) - set(BLEND_SETTINGS)
    if unknown:
        raise ValueError(f"critic_profile: unknown blend settings {sorted(unknown)} (known: {list(BLEND_SETTINGS)})")
    _check_ranges(prof, "critic_profile: ")
    return prof


def jsonable(params: dict[str, Any]) -> dict[str, Any]:
    """`params` with tuples as lists: as JSON writes them and reads them back."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}


def prepare_texts(texts: Sequence[str], params: dict[str, Any]) -> list[str]:
    """`texts` as the model's features see them under `params` (negation, neutral_words)."""
    if not (params["negation"] or params["neutral_words"]):
        return [str(t) for t in texts]
    return [prepare(str(t), bool(params["negation"]), bool(params["neutral_words"])) for t in texts]

