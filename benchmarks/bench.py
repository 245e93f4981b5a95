"""Benchmark the NLP stage on a generated corpus and print the numbers as a table.

    python -m benchmarks.bench                  # 100 vs 1,000 articles (about half an hour on 2 cores)
    python -m benchmarks.bench --quick          # 20 vs 200: a smoke run of every measurement
    python -m benchmarks.bench --profile 200    # cProfile of the NLP stage on 200 articles: top functions

Measured in the same run on the same texts, each in a fresh process, with the code as it is now: words/s
of the NLP pass and of the whole stage vs bare `nlp.pipe`; 2 processes vs 1; 100 vs 1,000 articles
(time and peak memory); no-op `dvc repro`. Projects: `benchmarks.workspace`; measuring: `benchmarks.runner`; the table: `benchmarks.table`; docs/scaling.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.runner import profile_report, run_runner
from benchmarks.table import format_table
from benchmarks.workspace import (
    ROOT,
    clear_nlp_cache,
    corpus_size,
    dvc_repro,
    make_workspace,
    prepare_without_dvc,
    set_n_process,
    snapshot_code,
)

Log = Callable[[str], None]
NOOP_RUNS = 5  # no-op `dvc repro` runs after the full run: the median counts


def build_project(
    work: Path, name: str, articles: list[Path], repro: bool, log: Log, code: Path, root: Path = ROOT
) -> dict[str, Any]:
    """A project copy of `code` with `articles`, prepared by a full `dvc repro` (timed, then a timed no-op)."""
    project = make_workspace(Path(work) / name, articles, code)
    out: dict[str, Any] = {"project": str(project), "n": len(articles)}
    if repro:
        log(f"[{name}] dvc repro (full run) on {len(articles)} articles ...")
        out["full_repro_s"], stdout = dvc_repro(project)
        out["full_repro_log"] = [
            ln for ln in stdout.splitlines() if ln and not ln.startswith(("Updating", "Generating"))
        ]
        log(f"[{name}] full repro {out['full_repro_s']:.1f} s; dvc repro again (no-op), {NOOP_RUNS} times ...")
        runs = [dvc_repro(project) for _ in range(NOOP_RUNS)]
        out["noop_runs"] = [dt for dt, _ in runs]
        out["noop_repro_s"] = statistics.median(out["noop_runs"])
        out["noop_ran_stages"] = sorted({st for _, stdout in runs for st in re.findall(r"Running stage '([^']+)'", stdout)})
        log(f"[{name}] no-op repro: median {out['noop_repro_s']:.2f} s of {', '.join(f'{x:.2f}' for x in out['noop_runs'])}")
    else:
        log(f"[{name}] parse + clean on {len(articles)} articles (no dvc) ...")
        prepare_without_dvc(project, root)
    out.update(corpus_size(project))
    return out


def measure(project: Path, n_process: int, log: Log, name: str) -> dict[str, Any]:
    """Bare nlp.pipe, then the stage from a cold cache, with `n_process` processes: one run of each."""
    set_n_process(project, n_process)
    try:
        log(f"[{name}] bare nlp.pipe, {n_process} process(es) ...")
        bare = run_runner(project, "bare")
        log(f"[{name}]   {bare['pipe_s']:.1f} s; NLP stage (cold cache), {n_process} process(es) ...")
        clear_nlp_cache(project)
        stage = run_runner(project, "stage")
        log(f"[{name}]   {stage['seconds']:.1f} s")
    finally:
        set_n_process(project, 1)
    return {"bare": bare, "stage": stage}


def fastest(measured: list[dict[str, Any]]) -> dict[str, Any]:
    """Several `measure` runs of one setting as one: the fastest bare run and the fastest stage run (the
    least disturbed by other load on the machine), with every run's seconds under "runs"."""
    return {
        "bare": min((m["bare"] for m in measured), key=lambda r: r["pipe_s"]),
        "stage": min((m["stage"] for m in measured), key=lambda r: r["seconds"]),
        "runs": {"bare": [m["bare"]["pipe_s"] for m in measured], "stage": [m["stage"]["seconds"] for m in measured]},
    }


def edit_articles(project: Path, file_names: list[str], log: Log, name: str) -> dict[str, Any]:
    """`edit_one_article` for each of `file_names` in turn: the median run (by time), with every run's
    seconds under "runs"."""
    runs = [edit_one_article(project, f, log, name) for f in file_names]
    mid = sorted(runs, key=lambda r: r["seconds"])[(len(runs) - 1) // 2]
    return {**mid, "runs": [r["seconds"] for r in runs], "files": list(file_names)}


def edit_one_article(project: Path, file_name: str, log: Log, name: str) -> dict[str, Any]:
    """Add a sentence to one article, then `dvc repro`: the incremental run's time and what ran."""
    path = Path(project) / "data" / "raw" / file_name
    path.write_text(
        path.read_text(encoding="utf-8") + "\nA sentence added to measure an incremental run.\n",
        encoding="utf-8",
    )
    log(f"[{name}] edited {file_name}; dvc repro ...")
    seconds, stdout = dvc_repro(project)
    log(f"[{name}]   {seconds:.1f} s")
    nlp_line = [ln for ln in stdout.splitlines() if ln.startswith("nlp:")]
    return {
        "seconds": seconds,
        "stages": re.findall(r"Running stage '([^']+)'", stdout),
        "nlp": nlp_line[-1] if nlp_line else None,
    }


def _git_state(root: Path) -> str | None:
    """`<commit>` or `<commit>+dirty` of the repo the snapshot was taken from (None outside git)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def _config(params: dict, seed: int, template_files: list[Path], work: Path, root: Path, repeats: int) -> dict[str, Any]:
    """What a run measured with: corpus, model and settings, machine, code version."""
    return {
        "seed": seed,
        "templates": [p.name for p in template_files],
        "model": params["nlp"]["model"],
        "disable": params["nlp"]["disable"],
        "batch_size": params["nlp"]["batch_size"],
        "sentiment": params["sentiment"]["method"],
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "loadavg_start": os.getloadavg(),
        "work": str(work),
        "git": _git_state(root),
        "repeats": repeats,
    }


def _rounds(results: dict[str, Any], two_procs: bool, repeats: int, log: Log) -> None:
    """Bare pipe and stage for each setting, in rounds that alternate the settings (small, large, large
    with 2 processes, then again), so a drift in the machine's speed reaches every setting alike: the
    ratios compare runs minutes apart, not a fast quarter of an hour with a slow one. The fastest run of
    each setting is kept in `results`."""
    settings = [("small", 1), ("large", 1)] + ([("large", 2)] if two_procs else [])
    rounds: dict[tuple[str, int], list[dict[str, Any]]] = {s: [] for s in settings}
    for k in range(max(1, repeats)):
        for name, procs in settings:
            rounds[name, procs].append(measure(Path(results[name]["project"]), procs, log, f"{name}, {procs} process(es), round {k + 1}"))
    for (name, procs), measured in rounds.items():
        results[name].update({f"{key}_{procs}": v for key, v in fastest(measured).items()})


def run_bench(
    n_small: int = 100,
    n_large: int = 1000,
    seed: int = 7,
    work: Path | None = None,
    repro: bool = True,
    two_procs: bool = True,
    log: Log = lambda s: print(s, file=sys.stderr, flush=True),
    root: Path = ROOT,
    repeats: int = 1,
) -> dict[str, Any]:
    """Generate the corpus (the small one is the large one's first articles) and measure everything."""
    from benchmarks.corpus import generate, load_template, write_corpus
    from epnlp.io import load_params
    from epnlp.text.parse import ParseConfig

    params = load_params(root / "params.yaml")
    config = ParseConfig.from_params(params["parse"])
    template_files = sorted((root / "data" / "eval" / "entities" / "articles").glob("*.txt"))
    templates = [load_template(p, config) for p in template_files]
    work = Path(work or tempfile.mkdtemp(prefix="epnlp-bench-"))
    corpus = write_corpus(work / "corpus", generate(templates, n_large, seed, config))
    code = snapshot_code(work / "code", root)
    started = time.time()
    results: dict[str, Any] = {"config": _config(params, seed, template_files, work, root, repeats)}
    sizes = (("small", n_small), ("large", n_large))
    for name, n in sizes:
        r = build_project(work, name, corpus[:n], repro, log, code, root)
        if repro and name == "large":
            # three articles edited in turn (last, middle, first): the median run counts
            picks = [corpus[n - 1].name, corpus[n // 2].name, corpus[0].name]
            r["edit_one"] = edit_articles(Path(r["project"]), picks, log, name)
            r.update(corpus_size(Path(r["project"])))
        results[name] = r
    _rounds(results, two_procs, repeats, log)
    large = Path(results["large"]["project"])
    results["large"]["stage_warm_1"] = run_runner(large, "stage")  # the large runs filled the cache
    log(f"[large]   again, every article cached: {results['large']['stage_warm_1']['seconds']:.1f} s")
    results["config"]["loadavg_end"] = os.getloadavg()
    results["config"]["total_s"] = time.time() - started
    return results


# --- the table -------------------------------------------------------------------------------------



def profile(n: int, seed: int, work: Path, top: int) -> str:
    """Generate `n` articles, parse and clean them, run the NLP stage under cProfile; the top functions."""
    from benchmarks.corpus import generate, load_template, write_corpus
    from epnlp.io import load_params
    from epnlp.text.parse import ParseConfig

    config = ParseConfig.from_params(load_params(ROOT / "params.yaml")["parse"])
    files = sorted((ROOT / "data" / "eval" / "entities" / "articles").glob("*.txt"))
    corpus = write_corpus(
        work / "corpus", generate([load_template(p, config) for p in files], n, seed, config)
    )
    project = make_workspace(work / "profile", corpus, ROOT)
    prepare_without_dvc(project, ROOT)
    size = corpus_size(project)
    out = run_runner(project, "profile", str(work / "nlp.prof"))
    head = f"NLP stage under cProfile: {n} articles, {size['words']:,} words, {out['seconds']:.1f} s (profiled), peak RSS {out['peak_rss_mb']['self']:,.0f} MB\n"
    return head + profile_report(work / "nlp.prof", top)


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
        results = run_bench(
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
        print(format_table(results))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
