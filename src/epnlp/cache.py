"""A per-article cache of NLP results, keyed by the article's inputs, the params and the code."""

from __future__ import annotations

import pickle
from pathlib import Path


class ArticleCache:
    """One pickle per article in `folder`, named `<article_id>.<key>.pkl`; written atomically.

    Kept as a DVC output with `persist: true` so DVC leaves it in place between runs; entries whose
    key no longer matches are pruned at the end of a run.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.hits = 0  # entries found by `has`
        self.misses = 0  # entries computed (counted by the caller: puts may happen in worker processes)

    def _path(self, article_id: str, key: str) -> Path:
        return self.folder / f"{article_id}.{key[:32]}.pkl"

    def has(self, article_id: str, key: str) -> bool:
        found = self._path(article_id, key).is_file()
        self.hits += found
        return found

    def get(self, article_id: str, key: str):
        with open(self._path(article_id, key), "rb") as fh:
            return pickle.load(fh)

    def put(self, article_id: str, key: str, value) -> None:
        from epnlp.io import write_bytes

        write_bytes(self._path(article_id, key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def prune(self, live: set[tuple[str, str]]) -> int:
        """Delete entries (and stray temp files) not in `live`; returns how many were removed."""
        keep = {self._path(a, k).name for a, k in live}
        removed = 0
        for f in self.folder.iterdir():
            if f.name not in keep:
                f.unlink()
                removed += 1
        return removed


def fingerprint(*parts: object) -> str:
    """A stable hash of JSON-able parts (sorted keys)."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def module_fingerprint(*modules: str) -> str:
    """Hash of the source of `epnlp` modules (e.g. "report") and of every module they import, directly
    or not (`codedeps.import_closure`): part of a cache key, so a change to any code that computed a
    cached result invalidates it, without a hand-kept list of modules."""
    import hashlib

    from epnlp.codedeps import PACKAGE, import_closure

    h = hashlib.sha256()
    for f in sorted(import_closure(*modules)):
        h.update(str(f.relative_to(PACKAGE)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def article_digests(*frames, column: str = "article_id") -> dict[str, str]:
    """A digest per article of its rows across `frames` (row hashes by pandas, vectorised; the frames'
    column names are part of it). Articles absent from a frame still get that frame's (empty) part."""
    import hashlib

    import numpy as np
    import pandas as pd

    parts: dict[str, list[bytes]] = {}
    for k, df in enumerate(frames):
        if not len(df):
            continue
        rows = pd.util.hash_pandas_object(df.astype(str), index=False).to_numpy()
        codes, ids = pd.factorize(df[column])
        order = np.argsort(codes, kind="stable")
        bounds = np.cumsum(np.bincount(codes, minlength=len(ids)))
        start = 0
        head = (str(k) + ":" + ",".join(map(str, df.columns))).encode()
        for aid, end in zip(ids, bounds, strict=True):
            parts.setdefault(str(aid), []).append(head + rows[order[start:end]].tobytes())
            start = int(end)
    return {aid: hashlib.sha256(b"|".join(p)).hexdigest() for aid, p in parts.items()}


def per_article(cache: ArticleCache | None, keys: dict[str, str], compute) -> dict:
    """The value of every article in `keys`: read from `cache` where its key is unchanged, the rest from
    one call `compute(article_ids)` -> {article_id: value} and stored. Stale entries are pruned."""
    if cache is None:
        return compute(sorted(keys))
    hits = {aid for aid, k in keys.items() if cache.has(aid, k)}
    todo = sorted(set(keys) - hits)
    values = compute(todo) if todo else {}
    for aid in todo:
        cache.put(aid, keys[aid], values[aid])
    cache.misses += len(todo)
    values.update({aid: cache.get(aid, keys[aid]) for aid in hits})
    cache.prune({(aid, k) for aid, k in keys.items()})
    return values
