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
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import Ridge
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import normalize

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
_MEMO_WORDS = 50_000  # distinct words whose n-gram ids are memoised per block (cleared when full)


@dataclass
class Model:
    """A fitted model: features (word + char TF-IDF), ridge regressor and what it was trained with."""

    features: FeatureUnion
    regressor: Ridge
    params: dict[str, Any]
    n_train: int
    seed: int
    _cache: list[_Block] = field(default_factory=list, repr=False, compare=False)

    @property
    def scale(self) -> float:
        return float(self.params["scale"])

    @property
    def vader_weight(self) -> float:
        return float(self.params["vader_weight"])

    @property
    def fingerprint(self) -> str:
        """A hash of the fitted weights, intercept, vocabularies and params (part of cache keys)."""
        import hashlib

        h = hashlib.sha256(np.ascontiguousarray(self.regressor.coef_).tobytes())
        h.update(repr(float(self.regressor.intercept_)).encode())
        h.update(json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()}, sort_keys=True).encode())
        for _, vec in self.features.transformer_list:
            h.update(json.dumps(sorted(vec.vocabulary_.items()), separators=(",", ":")).encode())
        return h.hexdigest()

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """The predicted rating (about -4..+4) of each text."""
        return self.regressor.predict(self.transform(texts)[0])

    def compound(self, texts: Sequence[str]) -> np.ndarray:
        """tanh(prediction / scale): in (-1, 1), like VADER's compound."""
        return np.tanh(self.predict(texts) / self.scale)

    def _blocks(self) -> list[_Block]:
        """The feature union's blocks with their column offsets and per-word caches (built once)."""
        if not self._cache:
            start = 0
            for _, vec in self.features.transformer_list:
                block = _Block(vec, start)
                self._cache.append(block)
                start += block.width
        return self._cache

    def transform(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, list[_Entries]]:
        """TF-IDF features of `texts` (equal to `features.transform`) and, per block, which word of which
        text each feature occurrence lies in (for evidence). Character n-grams are counted per distinct
        word and memoised: words repeat across a corpus, so the analyser runs once per word, not per use."""
        texts = [str(t) for t in texts]
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
        x, entries = self.transform(texts)
        compound = np.tanh(self.regressor.predict(x) / self.scale)
        weighted = x.multiply(self.regressor.coef_.reshape(1, -1)).tocsr()
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


@dataclass
class _Entries:
    """Feature occurrences of a batch in one block: text row, word (index over the batch's words), block
    column (char n-grams) or token id (word n-grams), and count."""

    row: np.ndarray
    word: np.ndarray
    col: np.ndarray
    count: np.ndarray


_EMPTY = np.zeros(0, dtype=np.int64)


class _Block:
    """One TfidfVectorizer of the union: its transform (memoised per word for `char_wb`) and how its
    weighted features are spread over words."""

    def __init__(self, vec: TfidfVectorizer, start: int):
        self.vec = vec
        self.start = start
        names = vec.get_feature_names_out()
        self.width = len(names)
        self.char = vec.analyzer == "char_wb"
        self.vocab = vec.vocabulary_
        self.memo: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if self.char:
            self.analyse = vec.build_analyzer()
        else:
            # token vocabulary of the block's n-grams and the n-gram -> token matrix (each n-gram's
            # weight split evenly over its tokens)
            self.tokenize = vec.build_tokenizer()
            self.tokens: dict[str, int] = {}
            rows, cols, vals = [], [], []
            for j, name in enumerate(names):
                toks = str(name).split(" ")
                for tok in toks:
                    rows.append(j)
                    cols.append(self.tokens.setdefault(tok, len(self.tokens)))
                    vals.append(1.0 / len(toks))
            self.to_tokens = sp.csr_matrix((vals, (rows, cols)), shape=(self.width, len(self.tokens)))

    def _word(self, word: str) -> tuple[np.ndarray, np.ndarray]:
        """(ids, counts) of one lower-cased word: its char n-gram columns, or its token ids."""
        hit = self.memo.get(word)
        if hit is None:
            grams = Counter(self.analyse(word)) if self.char else Counter(self.tokenize(word))
            table = self.vocab if self.char else self.tokens
            pairs = sorted((table[g], n) for g, n in grams.items() if g in table)
            hit = (np.array([p[0] for p in pairs], dtype=np.int64), np.array([p[1] for p in pairs], dtype=np.float64))
            if len(self.memo) >= _MEMO_WORDS:
                self.memo.clear()
            self.memo[word] = hit
        return hit

    def _entries(self, words: list[list[str]]) -> _Entries:
        ids, counts, rows = [], [], []
        for i, ws in enumerate(words):
            for w in ws:
                c, n = self._word(w)
                ids.append(c)
                counts.append(n)
                rows.append(i)
        if not ids:
            return _Entries(_EMPTY, _EMPTY, _EMPTY, np.zeros(0))
        lens = np.fromiter((len(c) for c in ids), dtype=np.int64, count=len(ids))
        return _Entries(
            np.repeat(np.asarray(rows, dtype=np.int64), lens),
            np.repeat(np.arange(len(ids), dtype=np.int64), lens),
            np.concatenate(ids),
            np.concatenate(counts),
        )

    def transform(self, texts: list[str], words: list[list[str]]) -> tuple[sp.csr_matrix, _Entries]:
        e = self._entries(words)
        if not self.char:
            return sp.csr_matrix(self.vec.transform(texts)), e
        # the sentence's char_wb counts are the sum of its words' counts; then TfidfTransformer's steps
        counts = sp.csr_matrix((e.count, (e.row, e.col)), shape=(len(texts), self.width))
        counts.sum_duplicates()
        vec = self.vec
        if vec.sublinear_tf:
            np.log(counts.data, counts.data)
            counts.data += 1.0
        if vec.use_idf:
            counts.data *= vec.idf_[counts.indices]
        if vec.norm is not None:
            counts = normalize(counts, norm=vec.norm, copy=False)
        return counts, e

    def spread(self, weighted: sp.csr_matrix, e: _Entries, offsets: np.ndarray) -> np.ndarray:
        """Each word's share of this block's weighted features (x * coef), over the batch's words."""
        n_words = int(offsets[-1])
        if not len(e.row):
            return np.zeros(n_words)
        block = weighted[:, self.start : self.start + self.width]
        if not self.char:
            block = (block @ self.to_tokens).tocsr()  # weight per (text, token)
        block = sp.csr_matrix(block)
        block.sort_indices()
        width = block.shape[1]
        # occurrences of the same id in the same text share its weight by count
        key = e.row * width + e.col
        uniq, inv = np.unique(key, return_inverse=True)
        total = np.bincount(inv, weights=e.count)
        flat = np.repeat(np.arange(block.shape[0], dtype=np.int64), np.diff(block.indptr)) * width + block.indices
        pos = np.searchsorted(flat, uniq)
        found = (pos < len(flat)) & (flat[np.minimum(pos, len(flat) - 1)] == uniq)
        value = np.where(found, block.data[np.minimum(pos, len(flat) - 1)] if len(flat) else 0.0, 0.0)
        share = e.count / total[inv] * value[inv]
        return np.bincount(e.word, weights=share, minlength=n_words)


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

    @property
    def fingerprint(self) -> str:
        """Identifies what this scorer computes (part of cache keys)."""
        return f"model:{self.threshold!r}:{self.model.fingerprint}"

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

    @property
    def fingerprint(self) -> str:
        """Identifies what this scorer computes (part of cache keys)."""
        w = self.model.vader_weight if self.vader_weight is None else float(self.vader_weight)
        return f"hybrid:{w!r}:{VaderScorer(self.threshold).fingerprint}:{self.model.fingerprint}"

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
