"""The Dask engine: same rows as the local engine, a killed worker loses and duplicates nothing, and
the local engine never imports Dask."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from epnlp import schema
from epnlp.io import write_tables
from epnlp.nlp.engine import EngineConfig

from .conftest import ROOT


def test_engine_config_reads_params_and_refuses_unknown_engines():
    assert EngineConfig.from_params(None) == EngineConfig("local", "", 2)
    assert EngineConfig.from_params({"name": "dask", "address": "tcp://h:8786", "workers": 4}).address == "tcp://h:8786"
    with pytest.raises(ValueError, match="engine.name"):
        EngineConfig.from_params({"name": "spark"})


def test_the_local_engine_never_imports_dask():
    code = ("import sys; from epnlp.nlp.engine import EngineConfig, open_engine\n"
            "with open_engine(EngineConfig()) as e: assert e is None\n"
            "import epnlp.nlp.pipeline, epnlp.analyze; print(any(m.split('.')[0] in ('dask', 'distributed') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def _stage_copy(src: Path, dest: Path, engine: dict) -> Path:
    """A folder with what the nlp stage reads (from a finished project) and params with `engine`."""
    for name in ("pipeline", "models", "data/processed", "data/raw/gazetteers"):
        if (src / name).exists():
            shutil.copytree(src / name, dest / name)
    params = yaml.safe_load((src / "params.yaml").read_text(encoding="utf-8"))
    params["engine"] = engine
    params["nlp"]["shard_articles"] = 1
    (dest / "params.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")
    return dest


@pytest.mark.slow
def test_dask_nlp_stage_writes_the_local_bytes(pipeline_run, tmp_path):
    """The nlp stage on a LocalCluster of 2 workers writes byte-identical tables and kept docs."""
    pytest.importorskip("dask.distributed")
    project = _stage_copy(pipeline_run, tmp_path / "dask", {"name": "dask", "address": "", "workers": 2})
    res = subprocess.run([sys.executable, "pipeline/nlp.py"], cwd=project, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "dashboard" in res.stderr and "3 computed" in res.stdout
    for name in ("sentences", "entities", "sentiment"):
        assert (project / "data/processed" / f"{name}.csv").read_bytes() == (pipeline_run / "data/processed" / f"{name}.csv").read_bytes(), name
    for name in ("reception.spacy", "reception.ctx.json"):
        assert (project / "data/interim" / name).read_bytes() == (pipeline_run / "data/interim" / name).read_bytes(), name


def _loaded_models() -> list[str]:
    from epnlp.nlp.engine import _MODELS

    return sorted(name for name, _ in _MODELS)


@pytest.mark.slow
def test_a_killed_worker_loses_and_duplicates_no_rows(tmp_path, params):
    """Kill one of two workers (one with tasks running) after the first shard is back: the run completes
    with the local rows."""
    pytest.importorskip("dask.distributed")
    from epnlp.analyze import ChainConfig, analyze
    from epnlp.nlp.engine import DaskEngine
    from epnlp.nlp.pipeline import process
    from epnlp.sentiment.scorer import make_scorer

    files = sorted((ROOT / "data" / "corpus" / "articles").glob("*.txt"))[:10]
    p = {**params, "sentiment": {**params["sentiment"], "method": "vader"}, "nlp": {**params["nlp"], "shard_articles": 1}}
    cfg = ChainConfig.from_params(p)
    t = analyze(files, cfg).tables  # parse, clean and the local NLP rows, in memory
    folder = tmp_path / "tables"  # what the workers read, as the stage's inputs folder
    write_tables([(t[name], schema.TABLES[name]) for name in ("paragraphs", "clean_paragraphs", "clean_edits")], folder)
    scorer = make_scorer("vader", p["sentiment"]["threshold"], Path(p["sentiment"]["model_dir"]))
    engine = DaskEngine(EngineConfig("dask", "", 2))
    engine_run, busy = engine.run, []

    def run_and_kill(*args, **kwargs):
        """Kill the busier worker right after the first result, inside the engine's stream (`process`
        collects every result before it yields one, so killing between its results would prove nothing)."""
        for k, result in enumerate(engine_run(*args, **kwargs)):
            yield result
            if k == 0:
                loaded = engine.client.run(_loaded_models)  # warmed before the first task: every worker has the model
                assert set(map(tuple, loaded.values())) == {(p["nlp"]["model"],)}, loaded
                running = {w: len(keys) for w, keys in engine.client.processing().items()}
                worker = max(running, key=lambda w: (running[w], w))
                busy.append(running[worker])
                os.kill(engine.client.run(os.getpid, workers=[worker])[worker], signal.SIGKILL)

    engine.run = run_and_kill
    try:
        results = list(process(t, cfg.nlp, cfg.entities, scorer=scorer, engine=engine, inputs_dir=folder))
    finally:
        engine.close()
    assert busy and busy[0] > 0  # the killed worker had tasks to lose
    got = schema.ENTITIES.frame([r for x in results for r in x.entities])
    assert [x.article_id for x in results] == sorted(t["articles"]["article_id"])
    assert got.equals(t["entities"]) and len(got) == len(t["entities"])
    assert schema.SENTIMENT.frame([r for x in results for r in x.sentiment]).equals(t["sentiment"])


def test_the_worker_preload_gives_workers_the_engines_settings():
    """`dask worker --preload-nanny epnlp.nlp.dask_settings`: importing it in the nanny replaces Dask's
    pre-spawn environment (no 64 KiB malloc trimming) and turns the stack sampling off."""
    import copy
    import importlib
    import sys

    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    saved = copy.deepcopy(dask.config.config)
    try:
        assert "MALLOC_TRIM_THRESHOLD_" in dask.config.get("distributed.nanny.pre-spawn-environ")  # Dask's default
        sys.modules.pop("epnlp.nlp.dask_settings", None)
        importlib.import_module("epnlp.nlp.dask_settings")
        env = dask.config.get("distributed.nanny.pre-spawn-environ")
        assert "MALLOC_TRIM_THRESHOLD_" not in env and env["OMP_NUM_THREADS"] == 1
        assert dask.config.get("distributed.worker.profile.enabled") is False
    finally:
        dask.config.config.clear()
        dask.config.config.update(saved)
