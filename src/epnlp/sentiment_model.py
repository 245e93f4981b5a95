"""A trained sentence-sentiment model and its VADER hybrid, behind the `Scorer` protocol of `sentiment`.

`model`: TF-IDF word (1-2) and character (2-5, within words) n-grams -> ridge regression on the human
rating (-4..+4); compound = tanh(prediction / scale). Strong on movie-review prose, weak out of domain.
With `negation` / `neutral_words` the features see `sentiment_rules.prepare(text)`: negation scopes marked
`neg_` (negated words only in the word block) and medium words ("episode", "said") dropped. With
`lexicon_size` > 0, training also induces a lexicon for blend's VADER (`sentiment_lexicon`), saved in
meta.json. The blend's own settings live in the params too (`sentiment_blend`).

`hybrid`: compound = w * VADER + (1 - w) * model, w = `vader_weight` (0.5 by default: equal weights, not
fitted, because a weight fitted on movie sentences trusts the model and loses VADER's transfer to other
prose; see docs/sentiment.md).

Evidence names the words that moved the score most: for the model, each word's exact share of the linear
prediction (word n-gram weights split over the words they cover, character n-grams given to the word
they lie in), in units of the pre-tanh score.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from epnlp.sentiment import Score, VaderScorer, label_for
from epnlp.sentiment_rules import NEG, prepare

META_FILE = "meta.json"
COEF_FILE = "coef.npy"
FORMAT_VERSION = 2  # 1: a joblib pickle of scikit-learn objects; 2: plain arrays, read without scikit-learn

DEFAULTS: dict[str, Any] = {
    "alpha": 3.0,  # ridge L2 penalty
    "word_ngrams": (1, 2),
    "char_ngrams": (2, 5),
    "min_df": 2,  # n-grams seen in fewer training sentences are dropped
    "scale": 2.0,  # compound = tanh(rating_prediction / scale)
    "vader_weight": 0.5,  # hybrid: weight of VADER's compound (not used in fitting)
    "negation": False,  # mark negation scopes (neg_ prefix; sentiment_rules.prepare)
    "neutral_words": False,  # drop words that describe the medium (episode, season, ...)
    # blend (sentiment_blend; not used in fitting): see that module for the rule
    "blend_vader_weight": 0.5,  # blend: weight of VADER's compound
    "clause_weight": 0.5,  # share of the verdict clause in the model's compound of a contrast
    "bare_damp": 1.0,  # factor on the model's compound when VADER finds no lexicon word
    "idiom_floor": 0.3,  # |compound| at least this when a critic's idiom decides the sign
    "neutral_band": 0.05,  # |compound| below which blend says neutral
    "lexicon_size": 0,  # words induced from the model into blend's VADER lexicon (sentiment_lexicon)
    "lexicon_gain": 2.0,  # VADER valence per unit of the word's model score
    "lexicon_min_df": 5,  # training sentences a word must occur in to be induced
}

_STRIP = ".,;:!?\"'()[]"
_MEMO_WORDS = 50_000  # distinct words whose n-gram ids are memoised per block (cleared when full)


@dataclass(frozen=True, eq=False)  # arrays inside: compared by identity, not elementwise
class Vectorizer:
    """One fitted TF-IDF block (scikit-learn's `TfidfVectorizer`, lower-casing, no stop words, l2 norm)
    as plain data: what `transform` needs, so scoring never imports scikit-learn."""

    analyzer: str  # "word" or "char_wb"
    ngram_range: tuple[int, int]
    token_pattern: str
    sublinear_tf: bool
    idf: np.ndarray | None  # None: no idf weighting
    terms: np.ndarray  # the feature names, in column order

    @cached_property
    def vocabulary(self) -> dict[str, int]:
        return dict(zip(self.terms.tolist(), range(len(self.terms)), strict=True))

    @cached_property
    def tokenize(self):
        """scikit-learn's tokenizer: the token pattern's matches."""
        return re.compile(self.token_pattern).findall

    def analyse(self, doc: str) -> list[str]:
        """scikit-learn's analyser: the n-grams of the lower-cased `doc`."""
        lo, hi = self.ngram_range
        doc = doc.lower()
        out: list[str] = []
        if self.analyzer == "char_wb":
            for w in doc.split():
                w = f" {w} "
                for n in range(lo, hi + 1):
                    out.extend(w[i : i + n] for i in range(max(1, len(w) - n + 1)))
                    if len(w) <= n:  # a short word counts once, whatever n
                        break
            return out
        tokens = self.tokenize(doc)
        for n in range(lo, min(hi, len(tokens)) + 1):
            out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        return out

    def weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Counts (sorted indices) -> TF-IDF rows: sublinear tf, idf, l2 norm, as scikit-learn does them
        (the squares summed in column order, so the result is bit for bit the same)."""
        x = sp.csr_matrix(counts, dtype=np.float64, copy=True)
        if self.sublinear_tf:
            np.log(x.data, x.data)
            x.data += 1.0
        if self.idf is not None:
            x.data *= self.idf[x.indices]
        rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
        norms = np.sqrt(np.bincount(rows, weights=x.data * x.data, minlength=x.shape[0]))
        norms[norms == 0.0] = 1.0
        x.data /= norms[rows]
        return x

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows of `texts` (n-grams outside the vocabulary ignored)."""
        vocab, indices, values, indptr = self.vocabulary, [], [], [0]
        for t in texts:
            c = Counter(j for j in map(vocab.get, self.analyse(t)) if j is not None)
            for j in sorted(c):
                indices.append(j)
                values.append(c[j])
            indptr.append(len(indices))
        counts = sp.csr_matrix(
            (np.asarray(values, dtype=np.float64), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
            shape=(len(texts), len(self.terms)),
        )
        return self.weigh(counts)

    def config(self) -> dict[str, Any]:
        return {
            "analyzer": self.analyzer,
            "ngram_range": list(self.ngram_range),
            "token_pattern": self.token_pattern,
            "sublinear_tf": self.sublinear_tf,
            "use_idf": self.idf is not None,
        }


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
    lexicon: dict[str, float] = field(default_factory=dict)  # induced for VADER (sentiment_lexicon)
    fitted: tuple[Any, Any] | None = field(default=None, repr=False, compare=False)
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
        h = hashlib.sha256(np.ascontiguousarray(self.coef, dtype=np.float64).tobytes())
        h.update(repr(float(self.intercept)).encode())
        h.update(json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()}, sort_keys=True).encode())
        for b in self.blocks:
            h.update(json.dumps(b.config(), sort_keys=True).encode())
            h.update(b"" if b.idf is None else np.ascontiguousarray(b.idf).tobytes())
            h.update("\n".join(b.terms.tolist()).encode())
        h.update(json.dumps(self.lexicon, sort_keys=True).encode())
        return h.hexdigest()

    @property
    def prepares(self) -> bool:
        """Whether texts are rewritten (`sentiment_rules.prepare`) before the features."""
        return bool(self.params["negation"] or self.params["neutral_words"])

    def prepare(self, texts: Sequence[str]) -> list[str]:
        """The texts as the features see them: `sentiment_rules.prepare` if the model was trained so."""
        return _prepared(texts, self.params)

    def _linear(self, x: sp.csr_matrix) -> np.ndarray:
        return np.asarray(x @ self.coef).ravel() + self.intercept

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """The predicted rating (about -4..+4) of each text."""
        return self._linear(self.transform(texts)[0])

    def compound(self, texts: Sequence[str]) -> np.ndarray:
        """tanh(prediction / scale): in (-1, 1), like VADER's compound."""
        return np.tanh(self.predict(texts) / self.scale)

    def _blocks(self) -> list[_Block]:
        """The feature union's blocks with their column offsets and per-word caches (built once)."""
        if not self._cache:
            start = 0
            for vec in self.blocks:
                block = _Block(vec, start, skip_negated=bool(self.params["negation"]))
                self._cache.append(block)
                start += block.width
        return self._cache

    def transform(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, list[_Entries]]:
        """TF-IDF features of `texts` (equal to `features.transform`) and, per block, which word of which
        prepared text each feature occurrence lies in (for evidence). Character n-grams are counted per
        distinct word and memoised: words repeat across a corpus, so the analyser runs once per word."""
        return self._transform(self.prepare(texts))

    def _transform(self, texts: list[str]) -> tuple[sp.csr_matrix, list[_Entries]]:
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
    """One TF-IDF block of the model: its transform (memoised per word for `char_wb`) and how its
    weighted features are spread over words."""

    def __init__(self, vec: Vectorizer, start: int, skip_negated: bool = False):
        self.vec = vec
        self.start = start
        # character n-grams of a negated word would carry the plain word's sign: a model trained with
        # negation marks sees negated words only through the word block
        self.skip = NEG if skip_negated and vec.analyzer == "char_wb" else None
        names = vec.terms.tolist()
        self.width = len(names)
        self.char = vec.analyzer == "char_wb"
        self.vocab = vec.vocabulary
        self.memo: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if self.char:
            self.analyse = vec.analyse
        else:
            # token vocabulary of the block's n-grams and the n-gram -> token matrix (each n-gram's
            # weight split evenly over its tokens)
            self.tokenize = vec.tokenize
            self.tokens: dict[str, int] = {}
            rows, cols, vals = [], [], []
            for j, name in enumerate(names):
                toks = name.split(" ")
                for tok in toks:
                    rows.append(j)
                    cols.append(self.tokens.setdefault(tok, len(self.tokens)))
                    vals.append(1.0 / len(toks))
            self.to_tokens = sp.csr_matrix((vals, (rows, cols)), shape=(self.width, len(self.tokens)))

    def _word(self, word: str) -> tuple[np.ndarray, np.ndarray]:
        """(ids, counts) of one lower-cased word: its char n-gram columns, or its token ids."""
        hit = self.memo.get(word)
        if hit is None:
            if self.skip and word.startswith(self.skip):
                grams: Counter[str] = Counter()
            else:
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
            return self.vec.transform(texts), e
        # the sentence's char_wb counts are the sum of its words' counts; then the TF-IDF weighting
        counts = sp.csr_matrix((e.count, (e.row, e.col)), shape=(len(texts), self.width))
        counts.sum_duplicates()
        return self.vec.weigh(counts), e

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
    for k in ("alpha", "scale", "vader_weight", "blend_vader_weight", "clause_weight", "bare_damp", "idiom_floor", "neutral_band"):
        p[k] = float(p[k])
    p["min_df"], p["lexicon_size"], p["lexicon_min_df"] = int(p["min_df"]), int(p["lexicon_size"]), int(p["lexicon_min_df"])
    p["lexicon_gain"] = float(p["lexicon_gain"])
    p["negation"], p["neutral_words"] = bool(p["negation"]), bool(p["neutral_words"])
    for k in ("vader_weight", "blend_vader_weight", "clause_weight"):
        if not 0.0 <= p[k] <= 1.0:
            raise ValueError(f"{k} must be in [0, 1], got {p[k]}")
    for k in ("bare_damp", "idiom_floor", "neutral_band", "lexicon_gain"):
        if p[k] < 0.0:
            raise ValueError(f"{k} must be >= 0, got {p[k]}")
    return p


def _prepared(texts: Sequence[str], params: dict[str, Any]) -> list[str]:
    """`texts` as the model's features see them under `params` (negation, neutral_words)."""
    if not (params["negation"] or params["neutral_words"]):
        return [str(t) for t in texts]
    return [prepare(str(t), bool(params["negation"]), bool(params["neutral_words"])) for t in texts]


@dataclass
class Features:
    """The fitted scikit-learn TF-IDF blocks (word, then char) on prepared texts: what `Model.transform`
    reproduces without scikit-learn. With negation marks the char block does not see negated words."""

    transformer_list: list[tuple[str, Any]]
    params: dict[str, Any]

    def inputs(self, texts: Sequence[str]) -> dict[str, list[str]]:
        """Each block's input: the prepared texts; for the char block without `neg_` words if marked."""
        prepared = _prepared(texts, self.params)
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
        """The blocks' TF-IDF rows side by side (what `FeatureUnion.transform` gave before negation marks)."""
        inputs = self.inputs(texts)
        return sp.hstack([vec.transform(inputs[name]) for name, vec in self.transformer_list], format="csr")


def train(texts: Sequence[str], ratings: Sequence[float], seed: int = 13, **hyper: Any) -> Model:
    """Fit the model on `texts` and their human `ratings` (any symmetric scale, e.g. -4..+4). Pure."""
    texts = [str(t) for t in texts]
    y = np.asarray(ratings, dtype=float)
    if len(texts) != len(y) or not len(texts):
        raise ValueError(f"need as many ratings as texts (got {len(texts)} texts, {len(y)} ratings)")
    p = _params(hyper)
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import Ridge

    from epnlp.ridge import ridge_fit

    parts = [("word", TfidfVectorizer(ngram_range=p["word_ngrams"], min_df=p["min_df"], sublinear_tf=True))]
    if p["char_ngrams"]:
        char = TfidfVectorizer(analyzer="char_wb", ngram_range=p["char_ngrams"], min_df=p["min_df"], sublinear_tf=True)
        parts.append(("char", char))
    features = Features(parts, p).fit(texts)
    x = features.transform(texts)
    # solved by epnlp.ridge (the same bits on every machine), kept in a scikit-learn Ridge for `fitted`
    coef, intercept = ridge_fit(x, y, p["alpha"])
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
    from epnlp.sentiment_lexicon import induce

    model.lexicon = induce(model, p["lexicon_size"], p["lexicon_gain"], p["lexicon_min_df"])
    return model


def _portable(a: np.ndarray) -> np.ndarray:
    """`a` rounded to float32 precision, kept as float64: the last bits of a solver's floats differ
    between machines (BLAS kernels, thread counts, libm), and the saved model must be byte-identical
    wherever it is trained. The rounding is written back into the fitted objects, so scoring stays
    equal to scikit-learn's on the same weights."""
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def _meta(model: Model) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "method": "tfidf_ridge",
        "params": {k: list(v) if isinstance(v, tuple) else v for k, v in model.params.items()},
        "n_train": model.n_train,
        "seed": model.seed,
        "n_features": int(len(model.coef)),
        "intercept": model.intercept,
        "blocks": [b.config() for b in model.blocks],
        "lexicon": model.lexicon,
    }
    return meta  # no library versions: the same weights must give the same bytes on any machine


def _array_files(model: Model) -> dict[str, np.ndarray]:
    files = {COEF_FILE: model.coef}
    for k, b in enumerate(model.blocks):
        files[f"terms_{k}.npy"] = b.terms
        if b.idf is not None:
            files[f"idf_{k}.npy"] = b.idf
    return files


def save(model: Model, model_dir: Path) -> Path:
    """Write the model into `model_dir`: `meta.json` (settings, intercept) and one `.npy` array per
    weight vector and vocabulary, each atomically; the same model gives the same bytes. Returns the folder."""
    import io

    from epnlp.io import write_bytes, write_json

    d = Path(model_dir)
    d.mkdir(parents=True, exist_ok=True)
    for name, arr in _array_files(model).items():
        buf = io.BytesIO()
        np.save(buf, np.ascontiguousarray(arr), allow_pickle=False)
        write_bytes(d / name, buf.getvalue())
    write_json(d / META_FILE, _meta(model))
    return d


def load(model_dir: Path) -> Model:
    """Read a model written by `save` (no scikit-learn needed)."""
    d = Path(model_dir)
    if not (d / META_FILE).exists():
        raise FileNotFoundError(f"no sentiment model in {d} (run `dvc repro train_sentiment`)")
    meta = json.loads((d / META_FILE).read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT_VERSION:
        raise ValueError(
            f"{d / META_FILE}: model format {meta.get('format')!r}, expected {FORMAT_VERSION}; "
            "retrain it with `dvc repro train_sentiment`"
        )

    def array(name: str) -> np.ndarray:
        return np.load(d / name, allow_pickle=False)

    blocks = [
        Vectorizer(
            b["analyzer"],
            (int(b["ngram_range"][0]), int(b["ngram_range"][1])),
            b["token_pattern"],
            bool(b["sublinear_tf"]),
            array(f"idf_{k}.npy") if b["use_idf"] else None,
            array(f"terms_{k}.npy"),
        )
        for k, b in enumerate(meta["blocks"])
    ]
    return Model(
        blocks, array(COEF_FILE), float(meta["intercept"]), _params(meta["params"]),
        n_train=int(meta["n_train"]), seed=int(meta["seed"]), lexicon=dict(meta.get("lexicon", {})),
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
