"""A per-article cache of NLP results, keyed by the article's inputs, the params and the code."""

from __future__ import annotations

import os
import pickle
import tempfile
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
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self._path(article_id, key))
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def prune(self, live: set[tuple[str, str]]) -> int:
        """Delete entries (and stray temp files) not in `live`; returns how many were removed."""
        keep = {self._path(a, k).name for a, k in live}
        removed = 0
        for f in self.folder.iterdir():
            if f.name not in keep:
                f.unlink()
                removed += 1
        return removed
