"""Benchmarks of the NLP stage on a generated corpus, each measured in a fresh subprocess.

`run_bench` builds a project copy per corpus size (the repo's pipeline/, dvc.yaml and params.yaml with the
generated articles as data/raw and ../shared beside it), then measures in that copy:

- `dvc repro` from scratch and again with nothing changed (no-op);
- bare spaCy: the configured model (same name, same disabled components, same batch size) over every
  clean paragraph text with `nlp.pipe`, nothing else (`python -m epnlp.bench bare`);
- the NLP stage: `pipeline/nlp.py` exactly as dvc runs it (`python -m epnlp.bench stage`), with timers
  wrapped around the library functions it calls (inclusive seconds; `annotate` + `sentiment_rows` is "the
  NLP pass") and the process's peak RSS;
- both again with `nlp.n_process: 2` on the large corpus.

Everything is imported at run time, so the numbers are those of the code as it is now. Words are
whitespace-separated words of the clean paragraph texts (the texts both sides feed to spaCy).
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MARK = "EPNLP_BENCH "

# What the stage runner times: "module:attribute" or "module:Class.method" (inclusive wall seconds).
TIMED = (
    "epnlp.io:read_table",
    "epnlp.nlp:process",
    "epnlp.nlp:paragraph_inputs",
    "epnlp.nlp:load_model",
    "epnlp.nlp:annotate",
    "epnlp.nlp:rows_for",
    "epnlp.nlp:Job.finish",
    "epnlp.nlp:run_parallel",
    "epnlp.entities:load_gazetteers",
    "epnlp.entities:names_by_article",
    "epnlp.entities:EntityLayer.__call__",
    "epnlp.entities:link_rows",
    "epnlp.sentiment:make_scorer",
    "epnlp.sentiment:sentiment_rows",
    "epnlp.sentiment:VaderScorer.score",
    "epnlp.sentiment_model:Model.explain",
    "epnlp.schema:Table.frame",
    "epnlp.io:TableStream.flush",
    "epnlp.io:TableStream.close",
    "epnlp.cache:ArticleCache.put",
    "epnlp.cache:ArticleCache.get",
    "epnlp.nlp:KeptDocs.add",
    "epnlp.nlp:KeptDocs.write",
)

Log = Callable[[str], None]
NOOP_RUNS = 5  # no-op `dvc repro` runs after the full run: the median counts


def _env(project: Path | None = None) -> dict[str, str]:
    """This interpreter's bin folder first on PATH (dvc's `python pipeline/x.py` is this venv's) and, for a
    project copy, its own src/ first on PYTHONPATH: scripts and library come from one snapshot, even if
    the repo is edited while a benchmark runs."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    if project is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            x for x in (str(Path(project).resolve() / "src"), env.get("PYTHONPATH")) if x
        )
    return env


def repo_deps(root: Path = ROOT) -> list[str]:
    """dvc.yaml dependencies inside the repo that no stage writes (besides pipeline/, src/, data/raw).

    E.g. data/raw/gazetteers, data/eval, tests/gold/...: a project copy needs them to run every stage.
    Files named under data/raw (an evaluation stage reading the sample) come along too.
    """
    import yaml

    spec = yaml.safe_load((root / "dvc.yaml").read_text(encoding="utf-8"))
    outs: set[str] = set()
    deps: list[str] = []
    for stage in spec.get("stages", {}).values():
        for key in ("outs", "metrics", "plots"):
            outs.update(o if isinstance(o, str) else next(iter(o)) for o in stage.get(key, []))
        deps.extend(d if isinstance(d, str) else next(iter(d)) for d in stage.get("deps", []))
    keep = []
    for d in dict.fromkeys(x.rstrip("/") for x in deps):
        if d.startswith("..") or d == "data/raw" or d.split("/")[0] in ("pipeline", "src"):
            continue
        if d in outs or any(d.startswith(o.rstrip("/") + "/") for o in outs):
            continue
        if (root / d).exists():
            keep.append(d)
    # a file inside a kept folder comes with the folder
    return [d for d in keep if not any(d != k and d.startswith(k + "/") for k in keep)]


def snapshot_code(dest: Path, root: Path = ROOT) -> Path:
    """Copy what a project needs besides its articles (pipeline/, src/, dvc.yaml, params.yaml and the
    repo-side deps) into `dest`: every project of one benchmark run is built from this one snapshot."""
    dest = Path(dest)
    for name in ("pipeline", "src"):
        shutil.copytree(root / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("dvc.yaml", "params.yaml"):
        shutil.copy(root / name, dest / name)
    for settings in (root / ".dvc" / "config", root / DVC_SETTINGS):  # the repo's, or a snapshot's copy
        if settings.exists():  # the project's DVC settings, applied by make_workspace
            shutil.copy(settings, dest / DVC_SETTINGS)
            break
    for d in repo_deps(root):
        src, dst = root / d, dest / d
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
        else:
            shutil.copy(src, dst)
    return dest


def make_workspace(
    base: Path, articles: Iterable[Path], root: Path = ROOT, shared: Path | None = None
) -> Path:
    """`base/main`: a copy of the project at `root` (the repo or a `snapshot_code` folder) with `articles`
    added to data/raw, the repo's DVC settings, and `base/shared` -> `shared` (default: the real ../shared
    beside the repo)."""
    base = Path(base)
    base.mkdir(parents=True, exist_ok=True)
    (base / "shared").symlink_to(Path(shared or ROOT.parent / "shared").resolve(), target_is_directory=True)
    dest = base / "main"
    snapshot_code(dest, root)
    raw = dest / "data" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for a in articles:
        shutil.copy(a, raw / Path(a).name)
    subprocess.run(
        [sys.executable, "-m", "dvc", "init", "--no-scm", "-q"], cwd=dest, env=_env(dest), check=True
    )
    settings = dest / DVC_SETTINGS
    if settings.exists():  # the repo's own .dvc/config, as a clone of the repo has it, plus no_scm
        shutil.move(settings, dest / ".dvc" / "config")
        subprocess.run([sys.executable, "-m", "dvc", "config", "core.no_scm", "true"], cwd=dest, env=_env(dest), check=True)
    return dest


DVC_SETTINGS = "dvc-config.ini"  # the repo's .dvc/config inside a code snapshot


def dvc_repro(project: Path) -> tuple[float, str]:
    """Run `dvc repro` in `project`; returns (wall seconds, stdout). Raises if it fails."""
    t = time.perf_counter()
    res = subprocess.run(
        [sys.executable, "-m", "dvc", "repro"], cwd=project, env=_env(project), capture_output=True, text=True
    )
    dt = time.perf_counter() - t
    if res.returncode:
        raise RuntimeError(f"dvc repro failed in {project}:\n{res.stdout[-2000:]}\n{res.stderr[-4000:]}")
    return dt, res.stdout


def prepare_without_dvc(project: Path, root: Path = ROOT) -> None:
    """parse and clean by their scripts, the trained sentiment model copied from `root` (the repo) or
    trained: what the nlp stage needs."""
    for stage in ("parse", "clean"):
        _python(project, [f"pipeline/{stage}.py"])
    from epnlp.sentiment_store import load

    model = root / "models" / "sentiment"
    try:
        load(model)  # present and in this code's format (an older format is retrained)
        usable = True
    except (FileNotFoundError, ValueError):
        usable = False
    if usable:
        shutil.copytree(model, project / "models" / "sentiment")
    else:
        _python(project, ["pipeline/train_sentiment.py"])


def _python(project: Path, args: list[str]) -> subprocess.CompletedProcess:
    res = subprocess.run(
        [sys.executable, *args], cwd=project, env=_env(project), capture_output=True, text=True
    )
    if res.returncode:
        raise RuntimeError(
            f"{' '.join(args)} failed in {project}:\n{res.stdout[-2000:]}\n{res.stderr[-4000:]}"
        )
    return res


def set_n_process(project: Path, n: int) -> None:
    """Set `nlp.n_process` in the project's params.yaml (keeps every other byte)."""
    path = Path(project) / "params.yaml"
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(
        r"(?m)^(nlp:[ \t]*\n(?:(?:[ \t]+.*)?\n)*?[ \t]+n_process:[ \t]*)\d+", rf"\g<1>{n}", text, count=1
    )
    if count != 1:
        raise ValueError(f"{path}: no nlp.n_process to set")
    path.write_text(new, encoding="utf-8")


def clear_nlp_cache(project: Path) -> bool:
    """Delete the NLP stage's per-article cache (params `nlp.cache_dir`), so its next run is cold."""
    from epnlp.io import load_params

    folder = load_params(Path(project) / "params.yaml")["nlp"].get("cache_dir")
    if folder and (Path(project) / folder).exists():
        shutil.rmtree(Path(project) / folder)
        return True
    return False


def nlp_pass(params: dict, paragraphs, edits, infobox, articles, nlp, scorer, n_process: int = 1) -> int:
    """What pipeline/nlp.py computes (entity layer, linking, sentiment), no cache, nothing written.

    Follows the library as it is: `epnlp.nlp.process` (streams per-article results) if present, else
    `run` + `sentiment_rows`. Returns the number of sentences.
    """
    import epnlp.nlp as m

    if hasattr(m, "process"):
        it = m.process(
            params,
            paragraphs,
            edits,
            infobox,
            articles,
            nlp=nlp,
            n_process=n_process,
            scorer=scorer,
            cache=None,
        )
        return sum(len(r.sentences) for r in it)
    from epnlp.sentiment import sentiment_rows

    result, _ = m.run(params, paragraphs, edits, infobox, articles, nlp=nlp, n_process=n_process)
    return len(sentiment_rows(result.sentences, scorer))


def corpus_size(project: Path) -> dict[str, int]:
    """Articles, paragraphs and words of the clean paragraph texts (from the clean stage's table)."""
    from epnlp import schema
    from epnlp.io import read_table

    clean = read_table(schema.CLEAN_PARAGRAPHS, Path(project) / "data" / "processed")
    return {
        "articles": int(clean["article_id"].nunique()),
        "paragraphs": len(clean),
        "words": int(sum(len(t.split()) for t in clean["clean_text"])),
    }


def run_runner(project: Path, mode: str, *args: str) -> dict[str, Any]:
    """Run `python -m epnlp.bench MODE` in `project`; returns its JSON result plus the parent's wall time."""
    t = time.perf_counter()
    res = subprocess.run(
        [sys.executable, "-m", "epnlp.bench", mode, *args],
        cwd=project,
        env=_env(project),
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t
    lines = [ln for ln in res.stdout.splitlines() if ln.startswith(MARK)]
    if res.returncode or not lines:
        raise RuntimeError(
            f"bench runner {mode} failed in {project}:\n{res.stdout[-2000:]}\n{res.stderr[-4000:]}"
        )
    out = json.loads(lines[-1][len(MARK) :])
    out["process_wall_s"] = wall
    out["output"] = [ln for ln in res.stdout.splitlines() if not ln.startswith(MARK)]
    return out


def _peak_rss_mb() -> dict[str, float]:
    import resource

    unit = 1 / 1024 / 1024 if sys.platform == "darwin" else 1 / 1024  # bytes on macOS, KiB on Linux
    return {
        "self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit,
        "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * unit,
    }


def _resolve(spec: str) -> tuple[Any, str] | None:
    module, _, attr = spec.partition(":")
    try:
        owner: Any = importlib.import_module(module)
    except ImportError:
        return None
    *path, name = attr.split(".")
    for p in path:
        owner = getattr(owner, p, None)
        if owner is None:
            return None
    return (owner, name) if callable(getattr(owner, name, None)) else None


def install_timers(specs: Iterable[str] = TIMED) -> dict[str, dict[str, float]]:
    """Wrap each function named in `specs` with an inclusive wall-clock timer; returns the totals.

    Call before the stage script imports them (its `from epnlp.nlp import process` then binds the
    wrapper). A generator's time is the time spent inside it. Names that do not exist (the code
    changed) are skipped.
    """
    totals: dict[str, dict[str, float]] = {}
    for spec in specs:
        found = _resolve(spec)
        if found is None:
            continue
        owner, name = found
        fn = getattr(owner, name)
        key = spec.split(":")[1]
        acc = totals.setdefault(key, {"seconds": 0.0, "calls": 0})

        def timed(*a, _fn=fn, _acc=acc, **kw):
            t = time.perf_counter()
            try:
                out = _fn(*a, **kw)
            finally:
                _acc["seconds"] += time.perf_counter() - t
                _acc["calls"] += 1
            return _timed_generator(out, _acc) if inspect.isgenerator(out) else out

        setattr(owner, name, timed)
    return totals


def _timed_generator(gen, acc: dict[str, float]):
    """Yield from `gen`, adding the time spent inside it (not in the consumer) to `acc`."""
    while True:
        t = time.perf_counter()
        try:
            item = next(gen)
        except StopIteration:
            acc["seconds"] += time.perf_counter() - t
            return
        acc["seconds"] += time.perf_counter() - t
        yield item


def _stage_runner(script: str) -> dict[str, Any]:
    """Run the stage script as dvc would, timing it and the library calls; report peak RSS."""
    import runpy

    t0 = time.perf_counter()
    totals = install_timers()
    runpy.run_path(script, run_name="__main__")
    total = time.perf_counter() - t0
    return {"seconds": total, "timers": totals, "peak_rss_mb": _peak_rss_mb()}


def _bare_runner() -> dict[str, Any]:
    """The configured spaCy model alone over every clean paragraph text (what the stage feeds it)."""
    from collections import deque

    t0 = time.perf_counter()
    import spacy

    from epnlp import schema
    from epnlp.io import load_params, read_table

    params = load_params()
    p = params["nlp"]
    texts = list(read_table(schema.CLEAN_PARAGRAPHS, Path(params["data"]["processed_dir"]))["clean_text"])
    t1 = time.perf_counter()
    nlp = spacy.load(p["model"])
    for name in p["disable"]:
        if name in nlp.pipe_names:
            nlp.disable_pipe(name)
    t2 = time.perf_counter()
    deque(nlp.pipe(texts, batch_size=p["batch_size"], n_process=p["n_process"]), maxlen=0)
    t3 = time.perf_counter()
    return {
        "seconds": t3 - t0,
        "pipe_s": t3 - t2,
        "load_s": t2 - t1,
        "n_process": p["n_process"],
        "components": nlp.pipe_names,
        "words": sum(len(t.split()) for t in texts),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _profile_runner(script: str, out: str) -> dict[str, Any]:
    """The stage under cProfile; stats written to `out`."""
    import cProfile
    import runpy

    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    runpy.run_path(script, run_name="__main__")
    prof.disable()
    total = time.perf_counter() - t0
    prof.dump_stats(out)
    return {"seconds": total, "stats": out, "peak_rss_mb": _peak_rss_mb()}


def profile_report(stats_path: Path, top: int = 25) -> str:
    """The top functions of a cProfile dump by own time and by cumulative time."""
    import io
    import pstats

    buf = io.StringIO()
    st = pstats.Stats(str(stats_path), stream=buf).strip_dirs()
    st.sort_stats("tottime").print_stats(top)
    st.sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


# --- the whole benchmark ---------------------------------------------------------------------------


def build_project(
    work: Path, name: str, articles: list[Path], repro: bool, log: Log, code: Path, root: Path = ROOT
) -> dict[str, Any]:
    """A project copy of `code` with `articles`, prepared by a full `dvc repro` (timed, then a timed no-op)."""
    project = make_workspace(Path(work) / name, articles, code, root.parent / "shared")
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
    import tempfile

    from epnlp.corpus import generate, load_template, write_corpus
    from epnlp.io import load_params
    from epnlp.parse import ParseConfig

    params = load_params(root / "params.yaml")
    config = ParseConfig.from_params(params["parse"])
    template_files = sorted((root / "data" / "eval" / "entities" / "articles").glob("*.txt"))
    templates = [load_template(p, config) for p in template_files]
    work = Path(work or tempfile.mkdtemp(prefix="epnlp-bench-"))
    corpus = write_corpus(work / "corpus", generate(templates, n_large, seed, config))
    code = snapshot_code(work / "code", root)
    started = time.time()
    results: dict[str, Any] = {
        "config": {
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
    }
    sizes = (("small", n_small), ("large", n_large))
    for name, n in sizes:
        r = build_project(work, name, corpus[:n], repro, log, code, root)
        if repro and name == "large":
            # three articles edited in turn (last, middle, first): the median run counts
            picks = [corpus[n - 1].name, corpus[n // 2].name, corpus[0].name]
            r["edit_one"] = edit_articles(Path(r["project"]), picks, log, name)
            r.update(corpus_size(Path(r["project"])))
        results[name] = r
    # rounds that alternate every setting (small, large, large with 2 processes, then again), so a drift
    # in the machine's speed during the benchmark reaches every setting alike: the ratios compare runs
    # minutes apart, not a fast quarter of an hour with a slow one
    settings = [("small", 1), ("large", 1)] + ([("large", 2)] if two_procs else [])
    rounds: dict[tuple[str, int], list[dict[str, Any]]] = {s: [] for s in settings}
    for k in range(max(1, repeats)):
        for name, procs in settings:
            rounds[name, procs].append(measure(Path(results[name]["project"]), procs, log, f"{name}, {procs} process(es), round {k + 1}"))
    for (name, procs), measured in rounds.items():
        results[name].update({f"{key}_{procs}": v for key, v in fastest(measured).items()})
    large = Path(results["large"]["project"])
    results["large"]["stage_warm_1"] = run_runner(large, "stage")  # the large runs filled the cache
    log(f"[large]   again, every article cached: {results['large']['stage_warm_1']['seconds']:.1f} s")
    results["config"]["loadavg_end"] = os.getloadavg()
    results["config"]["total_s"] = time.time() - started
    return results


# --- the table -------------------------------------------------------------------------------------


def _pass_s(stage: dict[str, Any]) -> float | None:
    """Seconds of the NLP pass less the model load: `process` (a generator: time inside it), or `run`
    + `sentiment_rows`, or `annotate` + `sentiment_rows`, whichever the stage used."""
    t = stage["timers"]
    load = t.get("load_model", {}).get("seconds", 0.0)
    if t.get("process", {}).get("calls"):
        return t["process"]["seconds"] - load
    if "sentiment_rows" not in t:
        return None
    if t.get("run", {}).get("calls"):
        return t["run"]["seconds"] - load + t["sentiment_rows"]["seconds"]
    if t.get("annotate", {}).get("calls"):
        return t["annotate"]["seconds"] + t["sentiment_rows"]["seconds"]
    return None


def _fmt(x: float | None, spec: str = ",.0f") -> str:
    return "n/a" if x is None else format(x, spec)


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or not b else a / b


def summary(results: dict[str, Any]) -> dict[str, float | None]:
    """The headline numbers and ratios (the issue's targets) from `run_bench`'s results."""
    s, lg = results["small"], results["large"]
    w = lg["words"]
    bare = w / lg["bare_1"]["pipe_s"]
    pass_ = _ratio(w, _pass_s(lg["stage_1"]))
    stage = w / lg["stage_1"]["seconds"]
    out: dict[str, float | None] = {
        "bare_wps": bare,
        "pass_wps": pass_,
        "stage_wps": stage,
        "pass_vs_bare": _ratio(pass_, bare),
        "stage_vs_bare": stage / bare,
        "stage_s_small": s["stage_1"]["seconds"],
        "stage_s_large": lg["stage_1"]["seconds"],
        "stage_time_ratio": lg["stage_1"]["seconds"] / s["stage_1"]["seconds"],
        "pass_time_ratio": _ratio(_pass_s(lg["stage_1"]), _pass_s(s["stage_1"])),
        "bare_time_ratio": lg["bare_1"]["pipe_s"] / s["bare_1"]["pipe_s"],
        "rss_small_mb": s["stage_1"]["peak_rss_mb"]["self"],
        "rss_large_mb": lg["stage_1"]["peak_rss_mb"]["self"],
        "noop_repro_s": lg.get("noop_repro_s"),
        "noop_repro_s_small": s.get("noop_repro_s"),
        "full_repro_s": lg.get("full_repro_s"),
        "full_repro_s_small": s.get("full_repro_s"),
    }
    out["rss_ratio"] = out["rss_large_mb"] / out["rss_small_mb"]
    if "edit_one" in lg:
        out["edit_one_s"] = lg["edit_one"]["seconds"]
        out["edit_one_share"] = lg["edit_one"]["seconds"] / lg["full_repro_s"]
    if "stage_warm_1" in lg:
        out["stage_warm_s"] = lg["stage_warm_1"]["seconds"]
    if "stage_2" in lg:
        out["stage_speedup_2"] = lg["stage_1"]["seconds"] / lg["stage_2"]["seconds"]
        out["bare_speedup_2"] = lg["bare_1"]["pipe_s"] / lg["bare_2"]["pipe_s"]
        out["stage_s_large_2"] = lg["stage_2"]["seconds"]
        out["bare_wps_2"] = w / lg["bare_2"]["pipe_s"]
    return out


def format_table(results: dict[str, Any]) -> str:
    """Markdown tables: the targets, then where the stage's time goes."""
    c, s, lg = results["config"], results["small"], results["large"]
    m = summary(results)
    ns, nl = s["n"], lg["n"]

    def ok(x: float | None, good: Callable[[float], bool]) -> str:
        return "" if x is None else (" ✓" if good(x) else " ✗")

    rows = [
        "| measure | value | target |",
        "|---|---|---|",
        f"| bare `nlp.pipe`, 1 process ({nl} articles) | {_fmt(m['bare_wps'])} words/s | |",
        f"| NLP pass (`epnlp.nlp.process` less model load: spaCy, entities, sentiment), 1 process | {_fmt(m['pass_wps'])} words/s = **{_fmt(m['pass_vs_bare'], '.2f')}×** bare{ok(m['pass_vs_bare'], lambda x: x >= 0.85)} | ≥ 0.85× |",
        f"| NLP stage (whole `pipeline/nlp.py`: imports, model load, read, pass, write) | {_fmt(m['stage_wps'])} words/s = **{_fmt(m['stage_vs_bare'], '.2f')}×** bare{ok(m['stage_vs_bare'], lambda x: x >= 0.85)} | ≥ 0.85× |",
    ]
    if "stage_speedup_2" in m:
        rows += [
            f"| NLP stage, 2 processes vs 1 ({nl} articles) | {m['stage_s_large_2']:.1f} s vs {m['stage_s_large']:.1f} s = **{m['stage_speedup_2']:.2f}×**{ok(m['stage_speedup_2'], lambda x: x >= 1.7)} | ≥ 1.7× |",
            f"| bare `nlp.pipe`, 2 processes vs 1 (reference) | {_fmt(m['bare_wps_2'])} words/s = {m['bare_speedup_2']:.2f}× | |",
        ]
    rows += [
        f"| NLP stage time, {nl} vs {ns} articles | {m['stage_s_large']:.1f} s vs {m['stage_s_small']:.1f} s = **{m['stage_time_ratio']:.2f}×**{ok(m['stage_time_ratio'], lambda x: x <= 10.5)} | ≤ 10.5× |",
        f"| (NLP pass only / bare pipe only) | {_fmt(m['pass_time_ratio'], '.2f')}× / {m['bare_time_ratio']:.2f}× | |",
        f"| NLP stage peak RSS, {nl} vs {ns} articles | {m['rss_large_mb']:,.0f} MB vs {m['rss_small_mb']:,.0f} MB = **{m['rss_ratio']:.2f}×**{ok(m['rss_ratio'], lambda x: x <= 1.2)} | ≤ 1.2× |",
    ]
    if m["noop_repro_s"] is not None:
        rows += [
            f"| no-op `dvc repro` ({nl} / {ns} articles) | **{m['noop_repro_s']:.2f} s** / {m['noop_repro_s_small']:.2f} s{ok(m['noop_repro_s'], lambda x: x < 2)} | < 2 s |",
            f"| full `dvc repro` from scratch ({nl} / {ns} articles) | {m['full_repro_s']:.1f} s / {m['full_repro_s_small']:.1f} s | |",
        ]
    if m["noop_repro_s"] is not None and len(lg.get("noop_runs", [])) > 1:
        rows.append(f"| no-op runs ({nl} articles; the median counts) | {', '.join(f'{x:.2f}' for x in lg['noop_runs'])} s | |")
    if "edit_one_s" in m:
        rows.append(
            f"| one article of {nl} edited, `dvc repro` | {m['edit_one_s']:.1f} s = **{m['edit_one_share']:.1%}** of the full run{ok(m['edit_one_share'], lambda x: x < 0.05)} ({', '.join(lg['edit_one']['stages'])}) | < 5% |"
        )
        if len(lg["edit_one"].get("runs", [])) > 1:
            rows.append(f"| edit runs (3 articles edited in turn; the median counts) | {', '.join(f'{x:.1f}' for x in lg['edit_one']['runs'])} s | |")
    if "stage_warm_s" in m:
        rows.append(f"| NLP stage, every article cached ({nl} articles) | {m['stage_warm_s']:.1f} s | |")
    for key, label in (("runs_1", "1 process"), ("runs_2", "2 processes")):
        if len(lg.get(key, {}).get("bare", [])) > 1:
            r = lg[key]
            rows.append(
                f"| runs, {label} ({nl} articles; the fastest counts) | bare {', '.join(f'{x:.1f}' for x in r['bare'])} s; "
                f"stage {', '.join(f'{x:.1f}' for x in r['stage'])} s | |"
            )
    extra = ""
    if lg["articles"] > nl:
        extra = f"; each project also holds the {lg['articles'] - nl} repo article(s) dvc.yaml names as deps (counted in words)"
    head = (
        f"Corpus: seed {c['seed']}, {len(c['templates'])} templates; {ns} articles ({s['words']:,} words, "
        f"{s['paragraphs']:,} paragraphs) and {nl} articles ({lg['words']:,} words, {lg['paragraphs']:,} "
        f"paragraphs){extra}. Model {c['model']} (disabled: {', '.join(c['disable']) or 'none'}), batch size "
        f"{c['batch_size']}, sentiment {c['sentiment']}; code {c.get('git') or 'unknown'}; {c['cpus']} CPUs, Python {c['python']}; load average "
        f"{c['loadavg_start'][0]:.2f} at start, {c['loadavg_end'][0]:.2f} at end; {c['total_s'] / 60:.1f} min in all."
    )
    timers = lg["stage_1"]["timers"]
    total = lg["stage_1"]["seconds"]
    brk = [
        "",
        f"Where the NLP stage's {total:.1f} s go ({nl} articles, 1 process; inclusive wall seconds of each call):",
        "",
        "| function | calls | seconds | share of stage |",
        "|---|---|---|---|",
    ]
    brk.append(
        f"| bare `nlp.pipe` on the same texts (separate run) | 1 | {lg['bare_1']['pipe_s']:.1f} | {lg['bare_1']['pipe_s'] / total:.0%} |"
    )
    for name, t in sorted(timers.items(), key=lambda kv: -kv[1]["seconds"]):
        brk.append(f"| `{name}` | {t['calls']:,} | {t['seconds']:.2f} | {t['seconds'] / total:.1%} |")
    return head + "\n\n" + "\n".join(rows) + "\n" + "\n".join(brk) + "\n"


def main(argv: list[str] | None = None) -> int:
    """The subprocess side: `python -m epnlp.bench stage|bare|profile [OUT]`, run in a project folder."""
    argv = sys.argv[1:] if argv is None else argv
    mode = argv[0] if argv else ""
    if mode == "stage":
        out = _stage_runner("pipeline/nlp.py")
    elif mode == "bare":
        out = _bare_runner()
    elif mode == "profile":
        out = _profile_runner("pipeline/nlp.py", argv[1] if len(argv) > 1 else "nlp.prof")
    else:
        print("usage: python -m epnlp.bench stage|bare|profile [OUT]", file=sys.stderr)
        return 2
    print(MARK + json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
