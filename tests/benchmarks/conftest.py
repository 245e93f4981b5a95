"""Benchmark fixtures: one generated corpus per session, parsed and cleaned once, the model loaded once.

Sizes: EPNLP_BENCH_SMALL / EPNLP_BENCH_LARGE (default 100 / 1000 articles, the issue's sizes);
EPNLP_BENCH_QUICK=1 gives 20 / 200. The small corpus is the large one's first articles (same seed).
Each test records its numbers in `RESULTS`; the terminal summary prints them as one table.
"""

from __future__ import annotations

import copy
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from ..conftest import OTHER_ARTICLES, ROOT, SAMPLE

RESULTS: dict[str, dict] = {}
SEED = 7


@dataclass
class Corpus:
    """A parsed and cleaned corpus: the frames the NLP stage reads, and the texts it feeds to spaCy."""

    files: list[Path]
    tables: dict[str, pd.DataFrame]  # the NLP pass's input tables (epnlp.nlp.pipeline.INPUT_TABLES)
    texts: list[str]

    @property
    def words(self) -> int:
        return sum(len(t.split()) for t in self.texts)


def timed(fn, *args, **kwargs):
    """Call fn; return (result, wall seconds) so a test can record its own time."""
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t


@pytest.fixture(scope="session")
def sizes() -> dict[str, int]:
    if os.environ.get("EPNLP_BENCH_QUICK"):
        return {"small": 20, "large": 200}
    return {
        "small": int(os.environ.get("EPNLP_BENCH_SMALL", 100)),
        "large": int(os.environ.get("EPNLP_BENCH_LARGE", 1000)),
    }


@pytest.fixture(scope="session")
def bench_params(params) -> dict:
    """params.yaml with its relative paths made absolute (tests may run from any folder)."""
    p = copy.deepcopy(params)
    p["entities"]["gazetteer_dir"] = str(ROOT / p["entities"]["gazetteer_dir"]) if "entities" in p else None
    p["sentiment"]["model_dir"] = str(ROOT / p["sentiment"]["model_dir"])
    return p


@pytest.fixture(scope="session")
def corpus_files(tmp_path_factory, params, sizes) -> list[Path]:
    from benchmarks.corpus import generate, load_template, write_corpus
    from epnlp.text.parse import ParseConfig

    config = ParseConfig.from_params(params["parse"])
    templates = [load_template(p, config) for p in [SAMPLE, *OTHER_ARTICLES]]
    return write_corpus(tmp_path_factory.mktemp("corpus"), generate(templates, sizes["large"], SEED, config))


def _load(files: list[Path], params: dict) -> Corpus:
    from epnlp import schema
    from epnlp.io import read_article
    from epnlp.text.clean import clean_paragraphs
    from epnlp.text.parse import ParseConfig, parse_corpus

    rows, _ = parse_corpus([read_article(f) for f in files], ParseConfig.from_params(params["parse"]))
    t = {name: schema.TABLES[name].frame(r) for name, r in rows.items()}
    clean_rows, edit_rows = clean_paragraphs(t["paragraphs"])
    t["clean_paragraphs"] = schema.CLEAN_PARAGRAPHS.frame(clean_rows)
    t["clean_edits"] = schema.CLEAN_EDITS.frame(edit_rows)
    return Corpus(files, t, [r["clean_text"] for r in clean_rows])


@pytest.fixture(scope="session")
def corpora(corpus_files, params, sizes) -> dict[str, Corpus]:
    return {"small": _load(corpus_files[: sizes["small"]], params), "large": _load(corpus_files, params)}


@pytest.fixture(scope="session")
def model(params):
    from epnlp.nlp.pipeline import load_model

    return load_model(params["nlp"]["model"], params["nlp"]["disable"])


@pytest.fixture(scope="session")
def scorer(bench_params):
    from epnlp.sentiment.scorer import make_scorer

    s = bench_params["sentiment"]
    if not (Path(s["model_dir"]) / "meta.json").exists():
        pytest.skip("no trained sentiment model: run `dvc repro train_sentiment` first")
    return make_scorer(s["method"], s["threshold"], Path(s["model_dir"]), one_sentence=True)  # as the pipeline


@pytest.fixture(scope="session")
def project_for(tmp_path_factory, corpus_files, sizes):
    """project_for(size, repro): a project copy of that corpus, prepared once (by `dvc repro` if asked)."""
    from benchmarks.workspace import dvc_repro, make_workspace, prepare_without_dvc

    made: dict[str, Path] = {}

    def get(size: str, repro: bool = False) -> Path:
        key = f"{size}-{repro}"
        if key not in made:
            project = make_workspace(tmp_path_factory.mktemp(f"ws-{key}"), corpus_files[: sizes[size]], ROOT)
            if repro:
                RESULTS.setdefault("full_repro", {})[size], _ = dvc_repro(project)
            else:
                prepare_without_dvc(project, ROOT)
            made[key] = project
        return made[key]

    return get


def _row(label: str, value: str) -> str:
    return f"  {label:<58} {value}"


def pytest_terminal_summary(terminalreporter):
    """Print what the benchmarks measured, with the ratios the issue sets targets for."""
    if not RESULTS:
        return
    r = RESULTS
    tr = terminalreporter
    tr.section("epnlp benchmark summary")
    if "bare" in r:
        tr.write_line(
            _row(
                f"bare nlp.pipe ({r['bare']['n']} articles, {r['bare']['words']:,} words)",
                f"{r['bare']['wps']:,.0f} words/s",
            )
        )
    if "pass_1" in r:
        ratio = (
            f" = {r['pass_1']['wps'] / r['bare']['wps']:.2f}x bare (target >= 0.85)" if "bare" in r else ""
        )
        tr.write_line(
            _row(
                "NLP pass (entities + sentiment, no cache), 1 process",
                f"{r['pass_1']['wps']:,.0f} words/s{ratio}",
            )
        )
    if "pass_2" in r and "pass_1" in r:
        tr.write_line(
            _row(
                "NLP pass, 2 processes vs 1",
                f"{r['pass_1']['seconds'] / r['pass_2']['seconds']:.2f}x faster (target >= 1.7)",
            )
        )
    if "pass_small" in r and "pass_1" in r:
        tr.write_line(
            _row(
                f"NLP pass time, {r['pass_1']['n']} vs {r['pass_small']['n']} articles",
                f"{r['pass_1']['seconds']:.1f} s / {r['pass_small']['seconds']:.1f} s = {r['pass_1']['seconds'] / r['pass_small']['seconds']:.2f}x (target <= 10.5)",
            )
        )
    if "rss_small" in r and "rss_large" in r:
        a, b = r["rss_large"], r["rss_small"]
        tr.write_line(
            _row(
                f"NLP stage peak RSS, {a['n']} vs {b['n']} articles",
                f"{a['mb']:,.0f} MB / {b['mb']:,.0f} MB = {a['mb'] / b['mb']:.2f}x (target <= 1.2)",
            )
        )
        tr.write_line(
            _row(
                f"NLP stage time (subprocess), {a['n']} vs {b['n']} articles",
                f"{a['seconds']:.1f} s / {b['seconds']:.1f} s = {a['seconds'] / b['seconds']:.2f}x",
            )
        )
    if "noop" in r:
        tr.write_line(
            _row(
                f"no-op dvc repro ({r['noop']['n']} articles)", f"{r['noop']['seconds']:.2f} s (target < 2 s)"
            )
        )
    for size, s in r.get("full_repro", {}).items():
        tr.write_line(_row(f"full dvc repro from scratch ({size})", f"{s:.1f} s"))
