"""Benchmark the NLP stage on a generated corpus and print the numbers as a table (`epnlp bench`).

    python scripts/bench.py                  # 100 vs 1,000 articles (about half an hour on 2 cores)
    python scripts/bench.py --quick          # 20 vs 200: a smoke run of every measurement
    python scripts/bench.py --profile 200    # cProfile of the NLP stage on 200 articles: top functions

Measured in the same run on the same texts, each in a fresh process, with the code as it is now: words/s
of the NLP pass and of the whole stage vs bare `nlp.pipe`; 2 processes vs 1; 100 vs 1,000 articles
(time and peak memory); no-op `dvc repro`. See src/epnlp/bench.py and docs/scaling.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from epnlp import bench

ROOT = Path(__file__).resolve().parents[1]


def profile(n: int, seed: int, work: Path, top: int) -> str:
    """Generate `n` articles, parse and clean them, run the NLP stage under cProfile; the top functions."""
    from epnlp.corpus import generate, load_template, write_corpus
    from epnlp.io import load_params
    from epnlp.parse import ParseConfig

    config = ParseConfig.from_params(load_params(ROOT / "params.yaml")["parse"])
    files = sorted((ROOT / "data" / "eval" / "entities" / "articles").glob("*.txt"))
    corpus = write_corpus(
        work / "corpus", generate([load_template(p, config) for p in files], n, seed, config)
    )
    project = bench.make_workspace(work / "profile", corpus, ROOT, ROOT.parent / "shared")
    bench.prepare_without_dvc(project, ROOT)
    size = bench.corpus_size(project)
    out = bench.run_runner(project, "profile", str(work / "nlp.prof"))
    head = f"NLP stage under cProfile: {n} articles, {size['words']:,} words, {out['seconds']:.1f} s (profiled), peak RSS {out['peak_rss_mb']['self']:,.0f} MB\n"
    return head + bench.profile_report(work / "nlp.prof", top)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-small", type=int, default=100, help="articles in the small corpus (default 100)")
    ap.add_argument("--n-large", type=int, default=1000, help="articles in the large corpus (default 1000)")
    ap.add_argument("--quick", action="store_true", help="20 vs 200 articles: a smoke run")
    ap.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    ap.add_argument("--no-repro", action="store_true", help="skip the full and no-op `dvc repro` runs")
    ap.add_argument("--one-process", action="store_true", help="skip the 2-process runs")
    ap.add_argument("--work", type=Path, default=None, help="work folder (default: a temporary one, deleted)")
    ap.add_argument("--json", type=Path, default=None, help="also write every measurement as JSON here")
    ap.add_argument(
        "--profile", type=int, default=None, metavar="N", help="only profile the stage on N articles"
    )
    ap.add_argument("--repeats", type=int, default=1, help="rounds over every setting (bare + stage each); the fastest run of each counts (default 1)")
    ap.add_argument("--top", type=int, default=25, help="functions listed by --profile (default 25)")
    args = ap.parse_args(argv)
    if args.quick:
        args.n_small, args.n_large = 20, 200
    if not 0 < args.n_small < args.n_large:
        ap.error("need 0 < --n-small < --n-large")
    work = args.work or Path(tempfile.mkdtemp(prefix="epnlp-bench-"))
    try:
        if args.profile:
            print(profile(args.profile, args.seed, work, args.top))
            return 0
        results = bench.run_bench(
            args.n_small,
            args.n_large,
            args.seed,
            work,
            repro=not args.no_repro,
            two_procs=not args.one_process,
            root=ROOT,
            repeats=args.repeats,
        )
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(bench.format_table(results))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
