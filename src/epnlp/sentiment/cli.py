"""`epnlp sentiment`: score sentences (one per line, from a file or standard input) and write CSV
`text,compound,label,evidence` to standard output or `--out`.

The method, neutral band and model folder come from the `sentiment:` section of params (`--params`, else
`params.yaml` in the working directory if there is one, else the packaged defaults `DEFAULTS`: VADER, which
needs no trained model). `--method` overrides the method.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import TextIO

from epnlp.sentiment.scorer import METHODS, Scorer, make_scorer, scorer_kwargs

# Used when there is no params file: VADER works anywhere (the trained model is a DVC output of the repo).
DEFAULTS = {"method": "vader", "threshold": None, "model_dir": "models/sentiment"}
BATCH = 1000  # lines scored at once: bounded memory on long inputs, batched model scoring
COLUMNS = ("text", "compound", "label", "evidence")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the `sentiment` subcommand on the CLI's subparsers."""
    p = sub.add_parser("sentiment", help="score sentences (one per line) and write CSV")
    p.add_argument("path", nargs="?", type=Path, help="a text file, one sentence per line (default: stdin)")
    p.add_argument("--out", type=Path, default=None, help="write the CSV here (default: stdout)")
    p.add_argument("--method", choices=METHODS, default=None, help="default: params sentiment.method")
    p.add_argument("--params", type=Path, default=None, help="params file (default: ./params.yaml if present)")


def settings(params: Path | None, method: str | None) -> dict:
    """The sentiment settings: `DEFAULTS`, overlaid by the params file's `sentiment:` section, then by
    `method`. An explicitly named params file must exist."""
    out = dict(DEFAULTS)
    path = params if params is not None else Path("params.yaml")
    if params is not None or path.exists():
        from epnlp.io import load_params

        section = (load_params(path) or {}).get("sentiment") or {}
        out.update({k: section[k] for k in DEFAULTS if k in section})
    if method is not None:
        out["method"] = method
    return out


def lines(fh: TextIO) -> Iterator[str]:
    """The non-blank lines of `fh`, without their line ends."""
    for line in fh:
        text = line.rstrip("\r\n")
        if text.strip():
            yield text


def write_scores(texts: Iterable[str], scorer: Scorer, out: TextIO) -> int:
    """Score `texts` in batches and write the CSV rows (with a header) to `out`; returns the row count."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    n, batch = 0, []
    for text in [*texts, None]:
        if text is not None:
            batch.append(text)
        if batch and (text is None or len(batch) >= BATCH):
            for t, s in zip(batch, scorer.score(batch), strict=True):
                writer.writerow((t, f"{s.compound:.4f}", s.label, s.evidence))
            n += len(batch)
            batch = []
    return n


def run(args: argparse.Namespace) -> int:
    """Run the subcommand: 0 on success, 2 if the input, params or model cannot be read."""
    try:
        s = settings(args.params, args.method)
        scorer = make_scorer(**scorer_kwargs(s, one_sentence=False))  # a line may hold several sentences
    except (FileNotFoundError, ValueError) as exc:
        print(f"epnlp sentiment: {exc}", file=sys.stderr)
        return 2
    try:
        src = nullcontext(sys.stdin) if args.path is None else open(args.path, encoding="utf-8")
    except OSError as exc:
        print(f"epnlp sentiment: cannot read {args.path}: {exc}", file=sys.stderr)
        return 2
    with src as fh:
        if args.out is None:
            write_scores(lines(fh), scorer, sys.stdout)
            return 0
        buf = io.StringIO()
        n = write_scores(lines(fh), scorer, buf)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(buf.getvalue(), encoding="utf-8")
    print(f"epnlp sentiment: {n} sentences ({scorer.name}) -> {args.out}", file=sys.stderr)
    return 0
