"""Command line: `epnlp analyze PATH.txt` runs the library chain on one article without DVC;
`epnlp sentiment [FILE]` scores sentences (one per line) and writes CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from epnlp.io import load_params


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="epnlp", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    an = sub.add_parser("analyze", help="parse, annotate and summarise one article (no DVC)")
    an.add_argument("path", type=Path, help="an article .txt file")
    an.add_argument("--out", type=Path, default=None, help="write the tables as CSV into this folder")
    an.add_argument("--params", type=Path, default=Path("params.yaml"), help="params file (default: params.yaml)")
    _add_sentiment(sub)
    args = parser.parse_args(argv)
    if args.command == "sentiment":
        return _sentiment(args)
    if args.command == "analyze":
        from epnlp.analyze import analyze, summary_text

        params = load_params(args.params)
        result = analyze(args.path, params)
        if args.out:
            result.write(args.out)
        print(summary_text(result))
        return 0 if not result.rejected else 2
    return 1


def _add_sentiment(sub: argparse._SubParsersAction) -> None:
    """`epnlp sentiment`: score sentences and write CSV (epnlp.sentiment_cli)."""
    from epnlp.sentiment_cli import add_parser

    add_parser(sub)


def _sentiment(args: argparse.Namespace) -> int:
    from epnlp.sentiment_cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
