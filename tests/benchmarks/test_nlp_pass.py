"""(a) bare nlp.pipe vs the epnlp NLP pass, (b) 2 processes vs 1, (c) 100 vs 1,000 articles: in process.

The NLP pass is what pipeline/nlp.py computes (`benchmarks.runner.nlp_pass`: the library's `process`, with
the entity layer, alias linking and the configured scorer; no cache, nothing written), on the same model
object and the same texts as bare spaCy.
"""

from __future__ import annotations

from collections import deque

from .conftest import RESULTS, timed


def nlp_pass(model, corpus, params, scorer, n_process: int) -> int:
    from benchmarks.runner import nlp_pass as run_pass

    return run_pass(params, corpus.tables, model, scorer, n_process)


def _record(key: str, benchmark, corpus, seconds: float) -> None:
    RESULTS[key] = {
        "n": len(corpus.files),
        "words": corpus.words,
        "seconds": seconds,
        "wps": corpus.words / seconds,
    }
    benchmark.extra_info.update(
        {"articles": len(corpus.files), "words": corpus.words, "words_per_s": round(corpus.words / seconds)}
    )


def test_bare_nlp_pipe(benchmark, model, corpora, bench_params):
    c = corpora["large"]
    bs = bench_params["nlp"]["batch_size"]
    _, dt = benchmark.pedantic(
        timed, (lambda: deque(model.pipe(c.texts, batch_size=bs), maxlen=0),), rounds=1, iterations=1
    )
    _record("bare", benchmark, c, dt)


def test_nlp_pass_one_process(benchmark, model, corpora, bench_params, scorer):
    _pass(benchmark, model, corpora["large"], bench_params, scorer, 1, "pass_1")
    if "bare" in RESULTS:
        benchmark.extra_info["vs_bare"] = round(RESULTS["pass_1"]["wps"] / RESULTS["bare"]["wps"], 3)


def _pass(benchmark, model, corpus, bench_params, scorer, n_process: int, name: str) -> float:
    """Time the NLP pass once on `corpus` with `n_process` processes; record it as `name`."""
    n, dt = benchmark.pedantic(timed, (nlp_pass, model, corpus, bench_params, scorer, n_process), rounds=1, iterations=1)
    assert n > 0
    _record(name, benchmark, corpus, dt)
    return dt


def test_nlp_pass_two_processes(benchmark, model, corpora, bench_params, scorer):
    dt = _pass(benchmark, model, corpora["large"], bench_params, scorer, 2, "pass_2")
    if "pass_1" in RESULTS:
        benchmark.extra_info["speedup_vs_1"] = round(RESULTS["pass_1"]["seconds"] / dt, 3)


def test_nlp_pass_small_corpus(benchmark, model, corpora, bench_params, scorer):
    dt = _pass(benchmark, model, corpora["small"], bench_params, scorer, 1, "pass_small")
    if "pass_1" in RESULTS:
        benchmark.extra_info["large_vs_small_time"] = round(RESULTS["pass_1"]["seconds"] / dt, 3)
