"""Engines compared on one generated corpus, in the same run: the NLP pass in one local process, in
the local 2-process pool, and as Dask tasks on a LocalCluster of 2 workers; then the expected wall time
for larger corpora on more workers, from the measured per-article cost and per-task overhead.

    python -m benchmarks.engines --n 1000 --rounds 2     # about 20 minutes on 2 cores
    python -m benchmarks.engines --n 200 --rounds 1      # a quicker look
    python -m benchmarks.engines --n 200 --kill          # kill one of two Dask workers halfway through

Each setting runs once per round, settings alternating, so drift of the machine's speed reaches all
alike; the fastest round of each counts. The rows of every setting are checked equal to the local ones.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import generate, load_template, write_corpus
from epnlp import schema
from epnlp.flow import parse_and_clean
from epnlp.io import load_params, read_article, write_tables
from epnlp.nlp.engine import DaskEngine, EngineConfig
from epnlp.nlp.known import EntityConfig
from epnlp.nlp.pipeline import INPUT_TABLES, NlpConfig, load_model, process
from epnlp.sentiment.scorer import make_scorer
from epnlp.text.parse import ParseConfig

ROOT = Path(__file__).resolve().parents[1]


def prepare(n: int, seed: int, work: Path, params: dict) -> dict:
    """Generate, parse and clean `n` articles; write the nlp stage's inputs into `work/tables`."""
    config = ParseConfig.from_params(params["parse"])
    templates = [load_template(p, config) for p in sorted((ROOT / "data/eval/entities/articles").glob("*.txt"))]
    files = write_corpus(work / "corpus", generate(templates, n, seed, config))
    t, _ = parse_and_clean([read_article(p) for p in files], config)
    write_tables([(t[name], schema.TABLES[name]) for name in ("paragraphs", "clean_paragraphs", "clean_edits")], work / "tables")
    t["words"] = int(t["articles"]["n_words"].sum())
    return t


def timed(label: str, run) -> tuple[float, list]:
    t0 = time.perf_counter()
    results = list(run())
    dt = time.perf_counter() - t0
    print(f"  {label}: {dt:.1f} s", flush=True)
    return dt, results


def kill_run(n: int, seed: int, shard: int, params: dict, scorer) -> dict:
    """The issue's kill test at scale: `n` generated articles on a 2-worker LocalCluster, one worker
    SIGKILLed when about half the articles are back; the rows must equal the local engine's exactly."""
    import shutil

    work = Path(tempfile.mkdtemp(prefix="epnlp-kill-"))
    t = prepare(n, seed, work, params)
    settings = NlpConfig.from_params({**params["nlp"], "shard_articles": shard})
    entities = EntityConfig.from_params(params["entities"], params["parse"]["guest_keys"])
    inputs = {name: t[name] for name in INPUT_TABLES}
    local = [x.csv for x in process(inputs, settings, entities, nlp=load_model(settings.model, list(settings.disable)), n_process=1, scorer=scorer)]
    engine = DaskEngine(EngineConfig("dask", "", 2))
    try:
        state = {"after": 0, "busy": 0}
        engine_run = engine.run

        def run_and_kill(*args, **kwargs):
            """The engine's results as they arrive; one worker killed when half the articles are back
            (here, inside the engine's stream: `process` collects every result before yielding any)."""
            for k, result in enumerate(engine_run(*args, **kwargs), 1):
                yield result
                if k == n // 2:
                    state["after"], state["busy"] = k, _kill_busiest(engine)

        engine.run = run_and_kill
        got = [x.csv for x in process(inputs, settings, entities, scorer=scorer, engine=engine, inputs_dir=work / "tables")]
    finally:
        engine.close()
        shutil.rmtree(work, ignore_errors=True)
    same = got == local
    print(f"  rows identical to the local engine's: {same} ({len(got)} articles, {sum(len(c.get('entities', '')) for c in got):,} bytes of entity rows)")
    return {"n": n, "killed_after": state["after"], "tasks_on_killed_worker": state["busy"], "identical": same, "articles": len(got)}


def _kill_busiest(engine: DaskEngine) -> int:
    """SIGKILL the worker with the most tasks running or held (its work must be redone); how many."""
    import os
    import signal

    held = {w: len(keys) for w, keys in engine.client.has_what().items()}
    running = {w: len(keys) for w, keys in engine.client.processing().items()}
    worker = max(running, key=lambda w: (running[w] + held.get(w, 0), w))
    busy = running[worker] + held.get(worker, 0)
    pid = engine.client.run(os.getpid, workers=[worker])[worker]
    os.kill(pid, signal.SIGKILL)
    print(f"  killed worker pid {pid} (running or holding {busy} tasks)", flush=True)
    return busy


def print_expected(per_article: float, overhead: float, shard: int) -> None:
    """Expected wall time for 10k and 100k articles on 8, 32 and 128 workers (perfect spreading)."""
    for n in (10_000, 100_000):
        for w in (8, 32, 128):
            tasks = -(-n // shard)
            print(f"expected {n:>7,} articles on {w:>3} workers: {(n * per_article + tasks * overhead) / w / 60:6.1f} min "
                  f"(+ scheduler: {tasks:,} tasks)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--shard", type=int, default=10, help="articles per task (nlp.shard_articles)")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--kill", action="store_true", help="only the kill test: one of two workers killed halfway")
    args = ap.parse_args(argv)
    params = load_params(ROOT / "params.yaml")
    params["nlp"]["shard_articles"] = args.shard
    s = params["sentiment"]
    scorer = make_scorer(s["method"], s["threshold"], ROOT / s["model_dir"], one_sentence=True)  # as the pipeline
    if args.kill:
        out = kill_run(args.n, args.seed, args.shard, params, scorer)
        if args.json:
            args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
        return 0 if out["identical"] else 1
    work = Path(tempfile.mkdtemp(prefix="epnlp-engine-"))
    t = prepare(args.n, args.seed, work, params)
    settings = NlpConfig.from_params(params["nlp"])
    entities = EntityConfig.from_params(params["entities"], params["parse"]["guest_keys"])
    nlp = load_model(settings.model, list(settings.disable))
    inputs = {name: t[name] for name in INPUT_TABLES}
    t0 = time.perf_counter()
    engine = DaskEngine(EngineConfig("dask", "", 2))
    engine.warm(settings.model, list(settings.disable))  # as the pool's forked workers have it
    startup = time.perf_counter() - t0
    times: dict[str, list[float]] = {"local_1": [], "local_pool_2": [], "dask_2": []}
    reference = None
    try:
        for r in range(args.rounds):
            print(f"round {r + 1}", flush=True)
            runs = {
                "local_1": lambda: process(inputs, settings, entities, nlp=nlp, n_process=1, scorer=scorer),
                "local_pool_2": lambda: process(inputs, settings, entities, n_process=2, scorer=scorer),
                "dask_2": lambda: process(inputs, settings, entities, scorer=scorer, engine=engine, inputs_dir=work / "tables"),
            }
            for name, run in runs.items():
                dt, results = timed(name, run)
                times[name].append(dt)
                rows = [x.csv for x in results]
                reference = reference or rows
                assert rows == reference, f"{name}: rows differ from the local engine's"
    finally:
        engine.close()
    best = {k: min(v) for k, v in times.items()}
    n_tasks = -(-args.n // args.shard)
    per_article = best["local_1"] / args.n
    overhead = max(0.0, (best["dask_2"] * 2 - best["local_1"]) / n_tasks)  # worker-seconds per task beyond the work
    out = {"n": args.n, "words": t["words"], "shard": args.shard, "rounds": times, "best": best,
           "dask_startup_s (cluster + model on each worker)": startup, "dask_vs_local_1": best["local_1"] / best["dask_2"],
           "dask_vs_pool_2": best["local_pool_2"] / best["dask_2"], "per_article_s": per_article,
           "task_overhead_s": overhead}
    print(json.dumps(out, indent=1))
    print_expected(per_article, overhead, args.shard)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
