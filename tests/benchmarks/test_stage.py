"""(d) peak memory of the NLP stage for the small and large corpus, (e) no-op `dvc repro`: subprocesses.

The stage runs as dvc runs it (`pipeline/nlp.py` in a project copy) inside `python -m benchmarks.runner stage`,
which reports the process's own `ru_maxrss`, so each size is measured in a fresh process.
"""

from __future__ import annotations

import pytest

from .conftest import RESULTS


@pytest.mark.parametrize("size", ["small", "large"])
def test_stage_peak_memory(benchmark, project_for, sizes, size):
    from benchmarks.runner import run_runner
    from benchmarks.workspace import clear_nlp_cache

    project = project_for(size, repro=size == "large")
    clear_nlp_cache(project)  # measure a cold run, not reads from the per-article cache
    out = benchmark.pedantic(run_runner, (project, "stage"), rounds=1, iterations=1)
    mb = out["peak_rss_mb"]["self"]
    RESULTS[f"rss_{size}"] = {"n": sizes[size], "mb": mb, "seconds": out["seconds"]}
    benchmark.extra_info.update(
        {"articles": sizes[size], "peak_rss_mb": round(mb, 1), "stage_s": round(out["seconds"], 2)}
    )
    other = RESULTS.get("rss_small" if size == "large" else "rss_large")
    if other and size == "large":
        benchmark.extra_info["rss_large_vs_small"] = round(mb / other["mb"], 3)


def test_noop_dvc_repro(benchmark, project_for, sizes):
    from benchmarks.workspace import dvc_repro

    project = project_for("large", repro=True)
    seconds, stdout = benchmark.pedantic(dvc_repro, (project,), rounds=3, iterations=1)
    assert "Running stage" not in stdout, stdout
    best = benchmark.stats.stats.min if benchmark.stats else seconds
    RESULTS["noop"] = {"n": sizes["large"], "seconds": best}
    benchmark.extra_info.update({"articles": sizes["large"], "noop_repro_s": round(best, 3)})
