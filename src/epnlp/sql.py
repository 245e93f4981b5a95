"""The tables as Parquet, and SQL over them with DuckDB (`epnlp query`).

Parquet keeps the schema's types (nullable integers stay integers), loads in milliseconds, and DuckDB
reads it in place: `SELECT ... FROM reviews JOIN episode_consensus USING (article_id)` names tables by
their file names. Files are written without pandas metadata, so the same table gives the same bytes
(the pyarrow version is pinned in pyproject.toml: its name is in every file's footer).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from epnlp.io import write_bytes
from epnlp.schema import Table

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def parquet_bytes(df: pd.DataFrame, table: Table) -> bytes:
    """A typed table as Parquet bytes (zstd, no pandas metadata: deterministic)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.Table.from_pandas(table.conform(df), preserve_index=False).replace_schema_metadata(None)
    sink = pa.BufferOutputStream()
    pq.write_table(arrow, sink, compression="zstd", write_statistics=True)
    return sink.getvalue().to_pybytes()


def write_parquet(frames: dict[str, tuple[pd.DataFrame, Table]], folder: Path) -> list[Path]:
    """Write each table as `<folder>/<name>.parquet` (atomically); remove Parquet files of other names."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, (df, table) in sorted(frames.items()):
        path = folder / f"{name}.parquet"
        write_bytes(path, parquet_bytes(df, table))
        out.append(path)
    for old in folder.glob("*.parquet"):
        if old.stem not in frames:
            old.unlink()
    return out


def connect(folder: Path):
    """A DuckDB connection with one view per `<folder>/*.parquet`, named after the file."""
    import duckdb

    con = duckdb.connect()
    files = sorted(Path(folder).glob("*.parquet"))
    if not files:
        raise FileNotFoundError(f"no Parquet tables in {folder} (run `dvc repro` first)")
    for path in files:
        if not _NAME.match(path.stem):
            continue
        literal = str(path.resolve()).replace("'", "''")
        con.execute(f"CREATE VIEW {path.stem} AS SELECT * FROM read_parquet('{literal}')")
    return con


def query(sql: str, folder: Path) -> pd.DataFrame:
    """Run `sql` over the Parquet tables in `folder`; the result as a DataFrame."""
    con = connect(folder)
    try:
        return con.execute(sql).df()
    finally:
        con.close()
