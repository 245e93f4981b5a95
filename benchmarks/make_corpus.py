"""Write a seeded benchmark corpus: N articles in the input format, varied from template articles.

    python -m benchmarks.make_corpus --n 1000 --seed 7 --out /tmp/corpus

Same seed, same templates -> byte-identical files; the first k articles of any corpus for a seed are the
k-article corpus. Templates default to data/eval/entities/articles/*.txt. Never commit
the output (benchmarks generate it in a temporary folder).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.corpus import generate, load_template, write_corpus
from epnlp.io import load_params
from epnlp.text.parse import ParseConfig

ROOT = Path(__file__).resolve().parents[1]


def default_templates(root: Path = ROOT) -> list[Path]:
    """The sample and the two other shows' articles kept for evaluation (data/eval/entities/articles)."""
    return sorted((root / "data" / "eval" / "entities" / "articles").glob("*.txt"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, required=True, help="number of articles")
    ap.add_argument("--seed", type=int, default=7, help="seed (default 7)")
    ap.add_argument("--out", type=Path, required=True, help="output folder (created)")
    ap.add_argument("--templates", type=Path, nargs="*", default=None, help="template article files")
    ap.add_argument("--params", type=Path, default=ROOT / "params.yaml", help="params.yaml (section titles)")
    ap.add_argument("--overwrite", action="store_true", help="delete *.txt already in --out first")
    args = ap.parse_args(argv)
    existing = sorted(args.out.glob("*.txt")) if args.out.exists() else []
    if existing and not args.overwrite:
        print(
            f"make_corpus: {args.out} already holds {len(existing)} .txt files (use --overwrite)",
            file=sys.stderr,
        )
        return 2
    for p in existing:
        p.unlink()
    config = ParseConfig.from_params(load_params(args.params)["parse"])
    templates = [load_template(p, config) for p in (args.templates or default_templates())]
    paths = write_corpus(args.out, generate(templates, args.n, args.seed, config))
    n_bytes = sum(p.stat().st_size for p in paths)
    print(
        f"make_corpus: {len(paths)} articles ({n_bytes:,} bytes) from {len(templates)} templates, seed {args.seed} -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
