"""The model's features without scikit-learn: a fitted TF-IDF block as plain data (`Vectorizer`, the same
n-grams and weights as scikit-learn's `TfidfVectorizer`, bit for bit), and a block's view per word
(`Block`): the features counted word by word (memoised), and each word's share of the block's weighted
features, which is how evidence names the words that drove a score."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp

from epnlp.sentiment.rules import NEG

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
        """Term -> column."""
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
        """The settings as saved in meta.json (the arrays are saved beside it)."""
        return {
            "analyzer": self.analyzer,
            "ngram_range": list(self.ngram_range),
            "token_pattern": self.token_pattern,
            "sublinear_tf": self.sublinear_tf,
            "use_idf": self.idf is not None,
        }


@dataclass
class Entries:
    """Feature occurrences of a batch in one block: text row, word (index over the batch's words), block
    column (char n-grams) or token id (word n-grams), and count."""

    row: np.ndarray
    word: np.ndarray
    col: np.ndarray
    count: np.ndarray


_EMPTY = np.zeros(0, dtype=np.int64)


class Block:
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

    def _entries(self, words: list[list[str]]) -> Entries:
        ids, counts, rows = [], [], []
        for i, ws in enumerate(words):
            for w in ws:
                c, n = self._word(w)
                ids.append(c)
                counts.append(n)
                rows.append(i)
        if not ids:
            return Entries(_EMPTY, _EMPTY, _EMPTY, np.zeros(0))
        lens = np.fromiter((len(c) for c in ids), dtype=np.int64, count=len(ids))
        return Entries(
            np.repeat(np.asarray(rows, dtype=np.int64), lens),
            np.repeat(np.arange(len(ids), dtype=np.int64), lens),
            np.concatenate(ids),
            np.concatenate(counts),
        )

    def transform(self, texts: list[str], words: list[list[str]]) -> tuple[sp.csr_matrix, Entries]:
        """The block's TF-IDF rows of `texts` (split into `words`) and where each feature lies."""
        e = self._entries(words)
        if not self.char:
            return self.vec.transform(texts), e
        # the sentence's char_wb counts are the sum of its words' counts; then the TF-IDF weighting
        counts = sp.csr_matrix((e.count, (e.row, e.col)), shape=(len(texts), self.width))
        counts.sum_duplicates()
        return self.vec.weigh(counts), e

    def spread(self, weighted: sp.csr_matrix, e: Entries, offsets: np.ndarray) -> np.ndarray:
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
