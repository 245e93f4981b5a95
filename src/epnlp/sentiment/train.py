"""Fitting the sentence-sentiment model (`sentiment.model.Model`): scikit-learn's TF-IDF, then
`epnlp.sentiment.ridge`. The fitted blocks are copied into plain `Vectorizer`s and the weights rounded to float32
precision, so the model scores without scikit-learn and its files are the same bytes on every machine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from epnlp.sentiment.features import Vectorizer
from epnlp.sentiment.lexicon import induce
from epnlp.sentiment.model import Model, model_params, prepare_texts
from epnlp.sentiment.ridge import ridge_fit
from epnlp.sentiment.rules import NEG


@dataclass
class Features:
    """The fitted scikit-learn TF-IDF blocks (word, then char) on prepared texts: what `Model.transform`
    reproduces without scikit-learn. With negation marks the char block does not see negated words."""

    transformer_list: list[tuple[str, Any]]
    params: dict[str, Any]

    def inputs(self, texts: Sequence[str]) -> dict[str, list[str]]:
        """Each block's input: the prepared texts; for the char block without `neg_` words if marked."""
        prepared = prepare_texts(texts, self.params)
        char = [" ".join(w for w in t.split() if not w.startswith(NEG)) for t in prepared]
        return {"word": prepared, "char": char if self.params["negation"] else prepared}

    def fit(self, texts: Sequence[str]) -> Features:
        """Fit each block on its input; idf rounded to float32 precision (`_portable`)."""
        inputs = self.inputs(texts)
        for name, vec in self.transformer_list:
            vec.fit(inputs[name])
            vec.idf_ = _portable(vec.idf_)
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The blocks' TF-IDF rows side by side, word block first (the columns of `Model.coef`)."""
        inputs = self.inputs(texts)
        return sp.hstack([vec.transform(inputs[name]) for name, vec in self.transformer_list], format="csr")


def train(
    texts: Sequence[str], ratings: Sequence[float], seed: int = 13, weights: Sequence[float] | None = None, **hyper: Any
) -> Model:
    """Fit the model on `texts` and their human `ratings` (any symmetric scale, e.g. -4..+4), each row's
    error counted `weights` times in the ridge fit (None: once; `training_set` builds them). Pure."""
    texts = [str(t) for t in texts]
    y = np.asarray(ratings, dtype=float)
    if len(texts) != len(y) or not len(texts):
        raise ValueError(f"need as many ratings as texts (got {len(texts)} texts, {len(y)} ratings)")
    if weights is not None and len(weights) != len(texts):
        raise ValueError(f"need as many weights as texts (got {len(texts)} texts, {len(weights)} weights)")
    p = model_params(hyper)
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import Ridge

    parts = [("word", TfidfVectorizer(ngram_range=p["word_ngrams"], min_df=p["min_df"], sublinear_tf=True))]
    if p["char_ngrams"]:
        char = TfidfVectorizer(analyzer="char_wb", ngram_range=p["char_ngrams"], min_df=p["min_df"], sublinear_tf=True)
        parts.append(("char", char))
    features = Features(parts, p).fit(texts)
    x = features.transform(texts)
    # solved by epnlp.sentiment.ridge (the same bits on every machine), kept in a scikit-learn Ridge for `fitted`
    coef, intercept = ridge_fit(x, y, p["alpha"], sample_weight=None if weights is None else np.asarray(weights, dtype=float))
    regressor = Ridge(alpha=p["alpha"])
    regressor.coef_ = _portable(coef)
    regressor.intercept_ = float(_portable(np.asarray([intercept]))[0])
    regressor.n_features_in_ = x.shape[1]
    model = Model(
        [_from_sklearn(vec) for _, vec in features.transformer_list],
        np.asarray(regressor.coef_, dtype=np.float64).ravel(),
        float(regressor.intercept_),
        p,
        n_train=len(texts),
        seed=int(seed),
        fitted=(features, regressor),
    )
    model.lexicon = induce(model, p["lexicon_size"], p["lexicon_gain"], p["lexicon_min_df"])
    return model


def training_set(
    rated: pd.DataFrame, extras: Sequence[tuple[pd.DataFrame, float]] = ()
) -> tuple[list[str], list[float], list[float] | None]:
    """(texts, ratings, weights) to `train` on: the `rated` rows (weight 1) and the rows of each `extras`
    frame (columns text and rating: rated sentences, or labelled ones with nominal ratings,
    `sentiment.evaluate.load_labelled`) at that frame's weight; frames at weight 0 or empty are left out.
    With no extra rows the weights are None, so the fit is the unweighted one."""
    texts, ratings = rated["text"].tolist(), rated["rating"].astype(float).tolist()
    weights = [1.0] * len(texts)
    for frame, weight in extras:
        if weight <= 0 or not len(frame):
            continue
        texts += frame["text"].tolist()
        ratings += frame["rating"].astype(float).tolist()
        weights += [float(weight)] * len(frame)
    return texts, ratings, None if len(weights) == len(rated) else weights


def _portable(a: np.ndarray) -> np.ndarray:
    """`a` rounded to float32 precision, kept as float64: the last bits of a solver's floats differ
    between machines (BLAS kernels, thread counts, libm), and the saved model must be byte-identical
    wherever it is trained. The rounding is written back into the fitted objects, so scoring stays
    equal to scikit-learn's on the same weights."""
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def _from_sklearn(vec: Any) -> Vectorizer:
    """A fitted `TfidfVectorizer` as a `Vectorizer` (only the settings `train` uses are supported)."""
    unsupported = {
        "lowercase": (vec.lowercase, True), "strip_accents": (vec.strip_accents, None),
        "stop_words": (vec.stop_words, None), "binary": (vec.binary, False), "norm": (vec.norm, "l2"),
        "preprocessor": (vec.preprocessor, None), "tokenizer": (vec.tokenizer, None),
    }
    bad = {k: v for k, (v, want) in unsupported.items() if v != want}
    if bad or vec.analyzer not in ("word", "char_wb"):
        raise ValueError(f"unsupported TfidfVectorizer settings: {bad or {'analyzer': vec.analyzer}}")
    return Vectorizer(
        vec.analyzer,
        tuple(int(n) for n in vec.ngram_range),
        vec.token_pattern,
        bool(vec.sublinear_tf),
        np.asarray(vec.idf_, dtype=np.float64) if vec.use_idf else None,
        np.asarray(vec.get_feature_names_out(), dtype=str),
    )

