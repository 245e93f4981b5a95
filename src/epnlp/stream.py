"""Streaming, atomic table writers: rows are appended chunk by chunk, the file appears at the end."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from epnlp.schema import Table


class TableStream:
    """Write one table in chunks (each chunk validated and sorted by the schema; chunks must come in
    key order, e.g. one article at a time in article order). The CSV is byte-identical to
    `epnlp.io.write_table` of the whole frame, and replaces the old file only on `close()`."""

    def __init__(self, table: Table, out_dir: Path):
        self.table = table
        self.path = Path(out_dir) / table.file
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
        self._fh.write(",".join(table.columns) + "\n")
        self._last: tuple | None = None
        self.rows = 0

    def append(self, rows: list[dict]) -> None:
        if not rows:
            return
        df = self.table.frame(rows)
        first = tuple(df.loc[0, list(self.table.key)])
        if self._last is not None and first <= self._last:
            raise ValueError(f"table {self.table.name}: chunk starting at {first} is out of key order")
        self._last = tuple(df.loc[len(df) - 1, list(self.table.key)])
        df.to_csv(self._fh, index=False, header=False, lineterminator="\n", float_format="%.6g")
        self.rows += len(df)

    def close(self) -> Path:
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self._tmp, self.path)
        return self.path

    def abort(self) -> None:
        self._fh.close()
        if os.path.exists(self._tmp):
            os.unlink(self._tmp)

    def __enter__(self) -> TableStream:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
