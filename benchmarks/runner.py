"""The measuring side of the benchmarks, run in a project copy as `python -m benchmarks.runner MODE`:

- `bare`: the configured spaCy model (same name, disabled components, batch size) over every clean paragraph
  text with `nlp.pipe`, nothing else (with one process, then again with the model as the stage runs it,
  its attribute ruler as tables: `pipe_table_s`, the reference for what epnlp's own layers cost);
- `stage`: `pipeline/nlp.py` exactly as dvc runs it, with timers wrapped around the library functions it
  calls (inclusive seconds) and the process's peak RSS;
- `profile`: the stage under cProfile.

Everything is imported at run time, so the numbers are those of the code as it is now. Words are
whitespace-separated words of the clean paragraph texts (the texts both sides feed to spaCy). The result is
one JSON line after `MARK` on stdout (`run_runner` reads it).
"""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from benchmarks.workspace import _env

MARK = "EPNLP_BENCH "

# What the stage runner times: "module:attribute" or "module:Class.method" (inclusive wall seconds).
TIMED = (
    "epnlp.io:read_table",
    "epnlp.nlp.pipeline:process",
    "epnlp.nlp.pipeline:paragraph_inputs",
    "epnlp.nlp.pipeline:load_model",
    "epnlp.nlp.pipeline:annotate",
    "epnlp.nlp.annotate:rows_for",
    "epnlp.nlp.pipeline:Job.finish",
    "epnlp.nlp.pipeline:run_parallel",
    "epnlp.nlp.entities:load_gazetteers",
    "epnlp.nlp.entities:names_by_article",
    "epnlp.nlp.entities:EntityLayer.__call__",
    "epnlp.nlp.entities:link_rows",
    "epnlp.sentiment.scorer:make_scorer",
    "epnlp.sentiment.scorer:sentiment_rows",
    "epnlp.sentiment.vader:VaderScorer.score",
    "epnlp.sentiment.model:Model.explain",
    "epnlp.schema:Table.frame",
    "epnlp.io:TableStream.flush",
    "epnlp.io:TableStream.close",
    "epnlp.cache:ArticleCache.put",
    "epnlp.cache:ArticleCache.get",
    "epnlp.nlp.docs:KeptDocs.add",
    "epnlp.nlp.docs:KeptDocs.write",
)



def nlp_pass(params: dict, tables: dict, nlp, scorer, n_process: int = 1) -> int:
    """What pipeline/nlp.py computes (entity layer, linking, sentiment), no cache, nothing written.
    Returns the number of sentences."""
    from epnlp.nlp.known import EntityConfig
    from epnlp.nlp.pipeline import NlpConfig, process

    entities = EntityConfig.from_params(params["entities"], params["parse"]["guest_keys"])
    results = process(tables, NlpConfig.from_params(params["nlp"]), entities, nlp=nlp, n_process=n_process, scorer=scorer, cache=None)
    return sum(len(r.sentences) for r in results)


def run_runner(project: Path, mode: str, *args: str) -> dict[str, Any]:
    """Run `python -m benchmarks.runner MODE` in `project`; returns its JSON result plus the parent's wall time."""
    t = time.perf_counter()
    res = subprocess.run(
        [sys.executable, "-m", "benchmarks.runner", mode, *args],
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

    Call before the stage script imports them (its `from epnlp.nlp.pipeline import process` then binds the
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
    table_s = None
    if p["n_process"] == 1:  # the stage's own pipeline (its attribute ruler as tables): what epnlp's layers add to
        from epnlp.nlp.attribute_table import use_attribute_table

        if use_attribute_table(nlp):  # timed second, on a vocabulary the first pass warmed: a slightly low figure
            t4 = time.perf_counter()
            deque(nlp.pipe(texts, batch_size=p["batch_size"]), maxlen=0)
            table_s = time.perf_counter() - t4
    return {
        "seconds": t3 - t0,
        "pipe_s": t3 - t2,
        "pipe_table_s": table_s,
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



def main(argv: list[str] | None = None) -> int:
    """The subprocess side: `python -m benchmarks.runner stage|bare|profile [OUT]`, run in a project folder."""
    argv = sys.argv[1:] if argv is None else argv
    mode = argv[0] if argv else ""
    if mode == "stage":
        out = _stage_runner("pipeline/nlp.py")
    elif mode == "bare":
        out = _bare_runner()
    elif mode == "profile":
        out = _profile_runner("pipeline/nlp.py", argv[1] if len(argv) > 1 else "nlp.prof")
    else:
        print("usage: python -m benchmarks.runner stage|bare|profile [OUT]", file=sys.stderr)
        return 2
    print(MARK + json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
