"""Command line: `epnlp analyze PATH.txt ...` runs the library chain on article files without DVC;
`epnlp query "SELECT ..."` runs SQL over the pipeline's tables; `epnlp sentiment [FILE]` scores
sentences (one per line) and writes CSV.

Params come from `--params FILE`, else `./params.yaml` when run in a project, else the defaults that
ship with the package (`epnlp/defaults.yaml`, a copy of the repository's params.yaml). Relative paths
in a params file are relative to the folder that holds it.
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

import yaml

from epnlp.io import load_params

# params that name files or folders the CLI reads (resolved against the params file's folder)
PATH_KEYS = (("sentiment", "model_dir"), ("entities", "gazetteer_dir"), ("compare", "aliases"))


def cli_params(path: Path | None) -> tuple[dict, str]:
    """The params to run with and where they came from (a file, or "packaged defaults")."""
    if path is None and Path("params.yaml").is_file():
        path = Path("params.yaml")
    if path is None:
        text = resources.files("epnlp").joinpath("defaults.yaml").read_text(encoding="utf-8")
        return yaml.safe_load(text), "packaged defaults"
    params = load_params(path)
    base = Path(path).resolve().parent
    for section, key in PATH_KEYS:
        value = params.get(section, {}).get(key)
        if value and not Path(value).is_absolute():
            params[section][key] = str(base / value)
    return params, str(path)


def with_available_model(params: dict) -> tuple[dict, str | None]:
    """Fall back to the lexicon (VADER) when the configured method needs a trained model that is not
    there (outside the project, or before `dvc repro` trained it); returns a notice saying so."""
    s = params["sentiment"]
    if s["method"] == "vader" or (Path(s["model_dir"]) / "meta.json").is_file():
        return params, None
    notice = (
        f"note: no trained sentiment model in {s['model_dir']} (train it with `dvc repro train_sentiment` "
        f"in the project, or pass --params); sentence sentiment uses vader instead of {s['method']}"
    )
    return {**params, "sentiment": {**s, "method": "vader"}}, notice


def _analyze(args: argparse.Namespace) -> int:
    from epnlp.analyze import ChainConfig, analyze, summary_text

    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"epnlp analyze: no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    params, _ = cli_params(args.params)
    params, notice = with_available_model(params)
    if notice:
        print(notice, file=sys.stderr)
    result = analyze(args.paths, ChainConfig.from_params(params))
    if args.out:
        result.write(args.out)
    print(summary_text(result))
    return 2 if result.rejected else 0


def _query(args: argparse.Namespace) -> int:
    from epnlp.sql import query

    folder = args.tables
    if folder is None:
        params, _ = cli_params(args.params)
        folder = Path(params["export"]["parquet_dir"])
    try:
        result = query(args.sql, folder)
    except FileNotFoundError as exc:
        print(f"epnlp query: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - DuckDB's parser and binder errors: one line, exit 2
        print(f"epnlp query: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    if args.out:
        from epnlp.io import write_text

        write_text(args.out, result.to_csv(index=False, lineterminator="\n"))
        print(f"{len(result)} rows -> {args.out}")
    else:
        import pandas as pd

        with pd.option_context("display.max_rows", args.max_rows, "display.width", 200, "display.max_colwidth", 60):
            print(result.to_string(index=False, max_rows=args.max_rows))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="epnlp", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    an = sub.add_parser("analyze", help="parse, annotate and summarise article files (no DVC)")
    an.add_argument("paths", type=Path, nargs="+", metavar="PATH", help="article .txt files")
    an.add_argument("--out", type=Path, default=None, help="write every table as CSV into this folder")
    an.add_argument("--params", type=Path, default=None, help="params file (default: ./params.yaml, else packaged defaults)")
    qu = sub.add_parser("query", help="SQL (DuckDB) over the tables, by name: FROM reviews JOIN episode_consensus ...")
    qu.add_argument("sql", help='a SELECT statement, e.g. "SELECT outlet, leniency FROM outlet_stats ORDER BY leniency"')
    qu.add_argument("--tables", type=Path, default=None, help="folder of Parquet tables (default: params export.parquet_dir)")
    qu.add_argument("--out", type=Path, default=None, help="write the result as CSV here instead of printing it")
    qu.add_argument("--max-rows", type=int, default=60, help="rows printed at most (default 60)")
    qu.add_argument("--params", type=Path, default=None, help="params file (default: ./params.yaml, else packaged defaults)")
    _add_sentiment(sub)
    args = parser.parse_args(argv)
    if args.command == "sentiment":
        return _sentiment(args)
    if args.command == "analyze":
        return _analyze(args)
    if args.command == "query":
        return _query(args)
    return 1


def _add_sentiment(sub: argparse._SubParsersAction) -> None:
    """`epnlp sentiment`: score sentences and write CSV (epnlp.sentiment.cli)."""
    from epnlp.sentiment.cli import add_parser

    add_parser(sub)


def _sentiment(args: argparse.Namespace) -> int:
    from epnlp.sentiment.cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
