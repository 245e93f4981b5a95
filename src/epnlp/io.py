"""I/O at the edges: atomic writes, tables (CSV, typed by the schema), metrics and params.

Raw articles are read and decoded by `epnlp.text.raw`; its names are re-exported here for the stage scripts.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
import yaml

from epnlp.schema import Table
from epnlp.text.raw import Issue, RawArticle, decode, list_articles, raw_text, read_article, slugify

__all__ = [
    "FLOAT_FORMAT", "TMP_SUFFIX", "Issue", "RawArticle", "TableStream", "csv_fragments", "csv_per_group", "decode",
    "list_articles", "load_params", "raw_text", "read_article", "read_table", "slugify", "sync_folder",
    "write_bytes", "write_if_changed", "write_json", "write_metrics", "write_table", "write_tables", "write_text",
]

# mkstemp creates files readable by the owner only; outputs get the usual mode (0666 & ~umask).
_UMASK = os.umask(0o022)
os.umask(_UMASK)
TMP_SUFFIX = ".tmp"


def _open_temp(path: Path, binary: bool = False) -> tuple[IO, str]:
    """A hidden temp file beside `path` (same folder, so the rename is atomic), open for writing and
    with the usual mode; returns the open file and its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)
        return (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")), tmp
    except BaseException:
        os.close(fd)
        _unlink(tmp)
        raise


def _close_temp(fh: IO) -> None:
    """Flush and sync a temp file to disk, then close it (before it is renamed over its target)."""
    with fh:
        fh.flush()
        os.fsync(fh.fileno())


def _stage(path: Path, write, binary: bool = False) -> str:
    """Write a hidden temp file beside `path` with `write(fh)`; return its name."""
    fh, tmp = _open_temp(path, binary)
    try:
        write(fh)
        _close_temp(fh)
    except BaseException:
        fh.close()
        _unlink(tmp)
        raise
    return tmp


def _unlink(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass


def _fsync_dir(folder: Path) -> None:
    """Make the renames durable (best effort: not every platform can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _commit(staged: list[tuple[str, Path]]) -> None:
    """Rename every staged temp file over its target, then sync the folders."""
    try:
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            _unlink(tmp)
        raise
    for folder in {p.parent for _, p in staged}:
        _fsync_dir(folder)


def _atomic(path: Path, write, binary: bool = False) -> None:
    """Write `path` atomically: a reader (or a crash) sees the old file or the new one, never a part."""
    path = Path(path)
    _commit([(_stage(path, write, binary), path)])


def write_bytes(path: Path, data: bytes) -> None:
    """Write a binary file atomically (temp file in the same folder, then rename)."""
    _atomic(path, lambda fh: fh.write(data), binary=True)


def write_text(path: Path, text: str) -> None:
    """Write a text file atomically (temp file in the same folder, then rename)."""
    _atomic(path, lambda fh: fh.write(text))


def write_if_changed(path: Path, text: str) -> bool:
    """Write `path` atomically unless it already holds exactly `text` (then it is left untouched, mtime
    and all, so DVC's hash cache still answers for it). True if written."""
    path = Path(path)
    data = text.encode("utf-8")
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_text(path, text)
    return True


def sync_folder(folder: Path, files: dict[str, str], pattern: str) -> int:
    """Make `folder` hold exactly `files` ({name: text}) among the files matching `pattern`: changed or
    new files are written atomically, unchanged ones left alone, others matching `pattern` removed.
    Returns how many files were written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = sum(write_if_changed(folder / name, text) for name, text in sorted(files.items()))
    for old in folder.glob(pattern):
        if old.name not in files:
            old.unlink()
    return written


def write_json(path: Path, obj: Any) -> None:
    """Write JSON atomically with sorted keys (deterministic)."""
    write_text(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


FLOAT_FORMAT = "%.6g"  # how every table writes its floats


def write_evaluation(stage: str, p: dict, headline: dict[str, dict], detail: dict, errors: pd.DataFrame) -> None:
    """A corpus evaluation stage's outputs, from its params `p`: one DVC metric per headline measure with a
    column per half (`metrics_dir`), the headline and `detail` as JSON (`detail`), every error as CSV
    (`errors`); the headline is printed per half."""
    halves = ("dev", "held_out")
    write_metrics(Path(p["metrics_dir"]), {m: {h: headline[h][m] for h in halves} for m in headline["dev"] if not m.startswith("gold_")})
    write_json(Path(p["detail"]), {"headline": headline, **detail})
    write_text(Path(p["errors"]), errors.to_csv(index=False, lineterminator="\n"))
    for half, m in headline.items():
        print(f"{stage} [{half}]: " + ", ".join(f"{k} {v}" for k, v in m.items()))


def write_metrics(folder: Path, rows: dict[str, dict[str, Any]]) -> None:
    """Headline metrics as DVC shows them best: one small JSON file per measure (`<folder>/<name>.json`,
    a row of `dvc metrics show`) whose keys are where it was measured (`dev`, `held_out`, `sample`,
    `nyt`, `value`, ...), so the table's columns stay few however many measures there are. Files of
    measures no longer written are removed."""
    files = {f"{name}.json": json.dumps(row, sort_keys=True) + "\n" for name, row in rows.items()}
    sync_folder(Path(folder), files, "*.json")


def csv_per_group(
    df: pd.DataFrame, by: str, columns: list[str], float_format: str, header: bool = True
) -> dict[Any, str]:
    """One CSV text (header, unless `header` is False, + that group's rows, in `df` order) per value of
    `by`: the same bytes as `to_csv` on each group, from one `to_csv` of the whole frame split at the
    group boundaries."""
    if df.empty:
        return {}
    df = df.sort_values(by, kind="mergesort")
    body = df[columns]

    def one(frame: pd.DataFrame, header: bool = header) -> str:
        return frame.to_csv(index=False, header=header, lineterminator="\n", float_format=float_format)

    texts = [body[c] for c in columns if not pd.api.types.is_numeric_dtype(body[c])]
    if any(t.astype(str).str.contains("[\r\n]", regex=True).any() for t in texts):
        # a quoted line break inside a field: rows are not lines, so write each group on its own
        return {k: one(g) for k, g in body.groupby(df[by], sort=False)}
    lines = one(body, header=False).split("\n")[:-1]
    head = [",".join(columns)] if header else []
    keys = df[by].to_numpy()
    cuts = [0, *(np.flatnonzero(keys[1:] != keys[:-1]) + 1).tolist(), len(keys)]
    return {
        keys[a]: "\n".join([*head, *lines[a:b]]) + "\n" for a, b in zip(cuts[:-1], cuts[1:], strict=True)
    }


def csv_fragments(table: Table, rows: list[dict]) -> dict[str, str]:
    """`rows` of `table` typed and sorted by its schema, as header-less CSV text per article_id: exactly
    the lines `write_table` writes for that article's rows (tables keyed by article_id first)."""
    if table.key[0] != "article_id":
        raise ValueError(f"table {table.name}: fragments need a key starting with article_id, not {table.key}")
    return csv_per_group(table.frame(rows), "article_id", list(table.columns), FLOAT_FORMAT, header=False)


def _csv_writer(df: pd.DataFrame):
    return lambda fh: df.to_csv(fh, index=False, lineterminator="\n", float_format=FLOAT_FORMAT)


def write_table(df: pd.DataFrame, table: Table, out_dir: Path) -> Path:
    """Validate `df` against `table`'s schema, then write it as CSV atomically."""
    df = table.conform(df)
    path = Path(out_dir) / table.file
    _atomic(path, _csv_writer(df))
    return path


def write_tables(frames: Iterable[tuple[pd.DataFrame, Table]], out_dir: Path) -> list[Path]:
    """Write several tables of one run together: all are validated and written to temp files first,
    then renamed one after another. A schema error or a crash while writing leaves every previous
    table in place; only a kill in the few microseconds of the renames can mix old and new tables.
    """
    conformed = [(table.conform(df), table) for df, table in frames]
    staged: list[tuple[str, Path]] = []
    try:
        for df, table in conformed:
            path = Path(out_dir) / table.file
            staged.append((_stage(path, _csv_writer(df)), path))
    except BaseException:
        for tmp, _ in staged:
            _unlink(tmp)
        raise
    _commit(staged)
    return [p for _, p in staged]


def read_table(table: Table, in_dir: Path) -> pd.DataFrame:
    """Read a table written by `write_table`, typed by its schema."""
    df = pd.read_csv(
        Path(in_dir) / table.file,
        dtype={c: "string" for c, k in table.columns.items() if k == "str"},
        keep_default_na=False,
        na_values={c: [""] for c, k in table.columns.items() if k != "str"},
    )
    for c, k in table.columns.items():
        if k == "str" and c in table.nullable:
            df[c] = df[c].replace("", pd.NA)
    return table.conform(df)


def load_params(path: Path = Path("params.yaml")) -> dict:
    """Load `params.yaml`."""
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class TableStream:
    """Write one table in chunks: rows are buffered and written `chunk_rows` at a time, each chunk
    validated and sorted by the schema. Rows must come in key order across chunks (e.g. one article at
    a time in article order). The CSV is byte-identical to `epnlp.io.write_table` of the whole frame,
    memory is bounded by the chunk size, and the old file is replaced only on `close()`."""

    def __init__(self, table: Table, out_dir: Path, chunk_rows: int = 10_000):
        self.table = table
        self.path = Path(out_dir) / table.file
        self.chunk_rows = max(1, int(chunk_rows))
        self._fh, self._tmp = _open_temp(self.path)
        self._fh.write(",".join(table.columns) + "\n")
        self._last: tuple | None = None
        self._article: str | None = None  # the last article written by `append_csv`
        self._buffer: list[dict] = []
        self.rows = 0
        self.chunks = 0

    def append(self, rows: list[dict]) -> None:
        """Buffer `rows`; write a chunk once `chunk_rows` are buffered."""
        self._buffer.extend(rows)
        if len(self._buffer) >= self.chunk_rows:
            self.flush()

    def append_csv(self, article_id: str, text: str, n_rows: int) -> None:
        """Write one article's rows already formatted by `csv_fragments` (`n_rows` lines of `text`).
        Articles must come in increasing article_id order; a stream takes either rows or fragments."""
        if self._last is not None or self._buffer:
            raise ValueError(f"table {self.table.name}: fragments after row chunks")
        if self._article is not None and article_id <= self._article:
            raise ValueError(f"table {self.table.name}: article {article_id!r} after {self._article!r} is out of key order")
        if text.count("\n") < n_rows or (text and not text.endswith("\n")):
            raise ValueError(f"table {self.table.name}: fragment of {article_id!r} does not hold {n_rows} whole rows")
        self._article = article_id
        self._fh.write(text)
        self.rows += n_rows

    def flush(self) -> None:
        """Write the buffered rows as one typed, sorted chunk."""
        if not self._buffer:
            return
        if self._article is not None:
            raise ValueError(f"table {self.table.name}: row chunks after fragments")
        df = self.table.frame(self._buffer)
        self._buffer = []
        key = list(self.table.key)
        first = tuple(df.loc[0, key])
        if self._last is not None and first <= self._last:
            raise ValueError(f"table {self.table.name}: chunk starting at {first} is out of key order")
        self._last = tuple(df.loc[len(df) - 1, key])
        df.to_csv(self._fh, index=False, header=False, lineterminator="\n", float_format=FLOAT_FORMAT)
        self.rows += len(df)
        self.chunks += 1

    def close(self) -> Path:
        """Write what is buffered, then put the file in place atomically (as `write_table` does)."""
        try:
            self.flush()
            _close_temp(self._fh)
        except BaseException:
            self.abort()
            raise
        _commit([(self._tmp, self.path)])
        return self.path

    def abort(self) -> None:
        """Drop the temp file; the old table stays."""
        self._fh.close()
        _unlink(self._tmp)

    def __enter__(self) -> TableStream:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
