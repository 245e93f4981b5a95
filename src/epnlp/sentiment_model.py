"""A trained sentence-sentiment model and its VADER hybrid, behind the `Scorer` protocol of `sentiment`.

`model`: TF-IDF word (1-2) and character (2-5, within words) n-grams -> ridge regression on the human
rating (-4..+4); compound = tanh(prediction / scale). Strong on movie-review prose, weak out of domain.

`hybrid`: compound = w * VADER + (1 - w) * model, w = `vader_weight` (0.5 by default: equal weights, not
fitted, because a weight fitted on movie sentences trusts the model and loses VADER's transfer to other
prose; see notes/sentiment.md). Beats VADER on movie sentences and holds up on NYT and reception prose.

Evidence names the words that moved the score most: for the model, each word's exact share of the linear
prediction (word n-gram weights split over the words they cover, character n-grams given to the word
they lie in), in units of the pre-tanh score.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import Ridge
from sklearn.pipeline import FeatureUnion

from epnlp.sentiment import Score, VaderScorer, label_for

MODEL_FILE = "model.joblib"
META_FILE = "meta.json"
FORMAT_VERSION = 1

DEFAULTS: dict[str, Any] = {
    "alpha": 3.0,  # ridge L2 penalty
    "word_ngrams": (1, 2),
    "char_ngrams": (2, 5),
    "min_df": 2,  # n-grams seen in fewer training sentences are dropped
    "scale": 2.0,  # compound = tanh(rating_prediction / scale)
    "vader_weight": 0.5,  # hybrid: weight of VADER's compound (not used in fitting)
}

_STRIP = ".,;:!?\"'()[]"


@dataclass
class Model:
    """A fitted model: features (word + char TF-IDF), ridge regressor and what it was trained with."""

    features: FeatureUnion
    regressor: Ridge
    params: dict[str, Any]
    n_train: int
    seed: int
    _names: dict[str, tuple[int, np.ndarray]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def scale(self) -> float:
        return float(self.params["scale"])

    @property
    def vader_weight(self) -> float:
        return float(self.params["vader_weight"])

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """The predicted rating (about -4..+4) of each text."""
        return self.regressor.predict(self.features.transform(list(texts)))

    def compound(self, texts: Sequence[str]) -> np.ndarray:
        """tanh(prediction / scale): in (-1, 1), like VADER's compound."""
        return np.tanh(self.predict(texts) / self.scale)

    def _vectorizers(self) -> list[tuple[TfidfVectorizer, int, np.ndarray]]:
        """(vectorizer, first column, feature names) for each block of the feature union."""
        if not self._names:
            start = 0
            for name, vec in self.features.transformer_list:
                self._names[name] = (start, vec.get_feature_names_out())
                start += len(self._names[name][1])
        return [(vec, *self._names[name]) for name, vec in self.features.transformer_list]

    def explain(self, texts: Sequence[str], top: int = 3) -> tuple[np.ndarray, list[str]]:
        """Compound of each text and its evidence (see `evidence`), with one feature transform."""
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros(0), []
        x = self.features.transform(texts).tocsr()
        compound = np.tanh(self.regressor.predict(x) / self.scale)
        return compound, [_format(self._contributions(t, x[i]), top) for i, t in enumerate(texts)]

    def contributions(self, text: str) -> dict[str, float]:
        """Each word's share of the pre-tanh score (prediction / scale, less intercept / scale).

        Keys are the text's whitespace words, lowercased and stripped of punctuation. The shares sum to
        (prediction - intercept) / scale, except for n-grams that lie only in punctuation.
        """
        return self._contributions(text, self.features.transform([text]).tocsr())

    def _contributions(self, text: str, row) -> dict[str, float]:
        coef = self.regressor.coef_
        contrib = {int(j): float(v * coef[j]) for j, v in zip(row.indices, row.data, strict=True)}
        words = text.lower().split()
        keys = [w.strip(_STRIP) for w in words]
        out: dict[str, float] = defaultdict(float)
        for vec, start, names in self._vectorizers():
            block = {j - start: c for j, c in contrib.items() if start <= j < start + len(names)}
            if not block:
                continue
            if vec.analyzer == "char_wb":
                # char_wb n-grams never cross whitespace: each occurrence lies in exactly one word.
                analyse = vec.build_analyzer()
                vocab = vec.vocabulary_
                per_word = [Counter(analyse(w)) for w in words]
                total: Counter[str] = Counter()
                for counts in per_word:
                    total.update(counts)
                for key, counts in zip(keys, per_word, strict=True):
                    if not key:
                        continue
                    for g, n in counts.items():
                        j = vocab.get(g)
                        if j is not None and j in block:
                            out[key] += block[j] * n / total[g]
            else:
                # word n-grams: a token's weight goes to the words containing it; an n-gram's weight is
                # split evenly over its tokens.
                tokenize = vec.build_tokenizer()
                owners: dict[str, list[str]] = defaultdict(list)
                for w, key in zip(words, keys, strict=True):
                    if key:
                        for tok in tokenize(w):
                            owners[tok].append(key)
                for j, c in block.items():
                    toks = str(names[j]).split(" ")
                    for tok in toks:
                        ks = owners.get(tok, [])
                        for k in ks:
                            out[k] += c / len(toks) / len(ks)
        return {k: v / self.scale for k, v in out.items()}

    def evidence(self, text: str, top: int = 3) -> str:
        """The `top` words that moved the score most, e.g. 'pleased(+0.41) lacked(-0.38)'."""
        return _format(self.contributions(text), top)


def _format(contributions: dict[str, float], top: int) -> str:
    items = sorted(contributions.items(), key=lambda kv: (-abs(kv[1]), kv[0]))
    return " ".join(f"{w}({v:+.2f})" for w, v in items[:top] if round(v, 2) != 0)


def _params(hyper: dict[str, Any]) -> dict[str, Any]:
    unknown = set(hyper) - set(DEFAULTS)
    if unknown:
        raise ValueError(
            f"unknown sentiment model hyperparameters: {sorted(unknown)} (known: {sorted(DEFAULTS)})"
        )
    p = {**DEFAULTS, **hyper}
    p["word_ngrams"] = tuple(int(x) for x in p["word_ngrams"])
    p["char_ngrams"] = tuple(int(x) for x in p["char_ngrams"]) if p["char_ngrams"] else None
    p["alpha"], p["scale"], p["vader_weight"] = float(p["alpha"]), float(p["scale"]), float(p["vader_weight"])
    p["min_df"] = int(p["min_df"])
    if not 0.0 <= p["vader_weight"] <= 1.0:
        raise ValueError(f"vader_weight must be in [0, 1], got {p['vader_weight']}")
    return p


def train(texts: Sequence[str], ratings: Sequence[float], seed: int = 13, **hyper: Any) -> Model:
    """Fit the model on `texts` and their human `ratings` (any symmetric scale, e.g. -4..+4). Pure."""
    texts = [str(t) for t in texts]
    y = np.asarray(ratings, dtype=float)
    if len(texts) != len(y) or not len(texts):
        raise ValueError(f"need as many ratings as texts (got {len(texts)} texts, {len(y)} ratings)")
    p = _params(hyper)
    parts = [("word", TfidfVectorizer(ngram_range=p["word_ngrams"], min_df=p["min_df"], sublinear_tf=True))]
    if p["char_ngrams"]:
        parts.append(
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=p["char_ngrams"], min_df=p["min_df"], sublinear_tf=True
                ),
            )
        )
    features = FeatureUnion(parts)
    x = features.fit_transform(texts)
    regressor = Ridge(alpha=p["alpha"], solver="sparse_cg", random_state=seed).fit(x, y)
    return Model(features, regressor, p, n_train=len(texts), seed=int(seed))


def _meta(model: Model) -> dict[str, Any]:
    import sklearn

    return {
        "format": FORMAT_VERSION,
        "method": "tfidf_ridge",
        "params": {k: list(v) if isinstance(v, tuple) else v for k, v in model.params.items()},
        "n_train": model.n_train,
        "seed": model.seed,
        "n_features": int(len(model.regressor.coef_)),
        "sklearn": sklearn.__version__,
    }


def save(model: Model, model_dir: Path) -> Path:
    """Write `model.joblib` and `meta.json` into `model_dir` (each atomically). Returns the folder."""
    from epnlp.io import write_json

    d = Path(model_dir)
    d.mkdir(parents=True, exist_ok=True)
    for _, vec in model.features.transformer_list:
        # a cache holding id(stop_words), a memory address: drop it so the same model saves to the same bytes
        vec.__dict__.pop("_stop_words_id", None)
    tmp = d / f".{MODEL_FILE}.tmp"
    joblib.dump((model.features, model.regressor), tmp, compress=3)
    tmp.replace(d / MODEL_FILE)
    write_json(d / META_FILE, _meta(model))
    return d


def load(model_dir: Path) -> Model:
    """Read a model written by `save`."""
    d = Path(model_dir)
    if not (d / MODEL_FILE).exists():
        raise FileNotFoundError(f"no sentiment model in {d} (run `dvc repro train_sentiment`)")
    meta = json.loads((d / META_FILE).read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT_VERSION:
        raise ValueError(f"{d}: model format {meta.get('format')!r}, expected {FORMAT_VERSION}")
    features, regressor = joblib.load(d / MODEL_FILE)
    return Model(
        features, regressor, _params(meta["params"]), n_train=int(meta["n_train"]), seed=int(meta["seed"])
    )


def _proportions(compound: float) -> tuple[float, float, float]:
    """(positive, neutral, negative) summing to 1: the compound's magnitude goes to its side."""
    c = min(1.0, max(-1.0, float(compound)))
    return max(c, 0.0), 1.0 - abs(c), max(-c, 0.0)


@dataclass
class ModelScorer:
    """The trained model alone (`name` "model")."""

    model: Model
    threshold: float = 0.05
    name: str = "model"

    def score(self, texts: Sequence[str]) -> list[Score]:
        texts = list(texts)
        if not texts:
            return []
        compound, evidence = self.model.explain(texts)
        out = []
        for c, ev in zip(compound.tolist(), evidence, strict=True):
            pos, neu, neg = _proportions(c)
            out.append(Score(c, pos, neu, neg, label_for(c, self.threshold), ev))
        return out


@dataclass
class HybridScorer:
    """w * VADER + (1 - w) * model on compound and on the class proportions (`name` "hybrid").

    `vader_weight` None takes the weight stored with the model (params `sentiment.model.vader_weight`).
    """

    model: Model
    threshold: float = 0.05
    vader_weight: float | None = None
    name: str = "hybrid"

    def score(self, texts: Sequence[str]) -> list[Score]:
        texts = list(texts)
        if not texts:
            return []
        w = self.model.vader_weight if self.vader_weight is None else float(self.vader_weight)
        vader = VaderScorer(self.threshold).score(texts)
        compound, evidence = self.model.explain(texts)
        out = []
        for v, m, mev in zip(vader, compound.tolist(), evidence, strict=True):
            mp = _proportions(m)
            c = w * v.compound + (1 - w) * m
            pos, neu, neg = (
                w * a + (1 - w) * b for a, b in zip((v.positive, v.neutral, v.negative), mp, strict=True)
            )
            total = pos + neu + neg  # VADER's own proportions are rounded to 3 decimals
            ev = "; ".join(f"{k}: {e}" for k, e in (("model", mev), ("vader", v.evidence)) if e)
            out.append(Score(c, pos / total, neu / total, neg / total, label_for(c, self.threshold), ev))
        return out
