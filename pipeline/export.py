"""Stage `export`: every table of `data/processed/` also as Parquet (`export.parquet_dir`), for SQL
with `epnlp query` (DuckDB) and for tools that read Parquet."""

from __future__ import annotations

from pathlib import Path

from epnlp import schema
from epnlp.io import load_params, read_table
from epnlp.sql import write_parquet


def main() -> None:
    params = load_params()
    src = Path(params["data"]["processed_dir"])
    names = [n for n in schema.TABLES if (src / f"{n}.csv").exists()]
    frames = {n: (read_table(schema.TABLES[n], src), schema.TABLES[n]) for n in names}
    paths = write_parquet(frames, Path(params["export"]["parquet_dir"]))
    print(f"export: {len(paths)} tables -> {params['export']['parquet_dir']}")


if __name__ == "__main__":
    main()
