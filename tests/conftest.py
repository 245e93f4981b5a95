"""Shared fixtures: paths, the spaCy model (loaded once per session), a full pipeline run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from epnlp.io import load_params

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
# evaluation copies: tests never depend on what a user put in data/raw
EVAL_ARTICLES = ROOT / "data" / "eval" / "entities" / "articles"
SAMPLE = EVAL_ARTICLES / "one_small_step.txt"
OTHER_ARTICLES = sorted(p for p in EVAL_ARTICLES.glob("*.txt") if p != SAMPLE)


@pytest.fixture(scope="session")
def params() -> dict:
    return load_params(ROOT / "params.yaml")


@pytest.fixture(scope="session")
def nlp(params):
    from epnlp.nlp.pipeline import load_model

    return load_model(params["nlp"]["model"])


def make_project(dest: Path, articles: list[Path], scm: bool = False) -> Path:
    """A copy of the project (pipeline, params, dvc.yaml) with `articles` as data/raw; with `scm`, a
    git repository (as a clone is), else DVC without git."""
    for name in ("pipeline", "src"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("dvc.yaml", "params.yaml"):
        shutil.copy(ROOT / name, dest / name)
    raw = dest / "data" / "raw"
    raw.mkdir(parents=True)
    for a in articles:
        shutil.copy(a, raw / a.name)
    if (ROOT / "data" / "raw" / "gazetteers").exists():
        shutil.copytree(ROOT / "data" / "raw" / "gazetteers", raw / "gazetteers")
    for folder in sorted((ROOT / "data").iterdir()):  # the project's own data: everything but the user's and outputs
        if folder.is_dir() and folder.name not in ("raw", "processed", "interim"):
            shutil.copytree(folder, dest / "data" / folder.name)
    if scm:
        subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    subprocess.run([sys.executable, "-m", "dvc", "init", "-q", *([] if scm else ["--no-scm"])], cwd=dest, check=True)
    subprocess.run([sys.executable, "-m", "dvc", "config", "core.analytics", "false"], cwd=dest, check=True)
    return dest


def dvc(project: Path, *args: str) -> subprocess.CompletedProcess:
    """Run dvc in `project` with this interpreter's environment on PATH."""
    import os

    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([sys.executable, "-m", "dvc", *args], cwd=project, env=env, capture_output=True, text=True)


def new_project(tmp_path_factory, articles: list[Path]) -> Path:
    """A fresh project folder `<tmp>/main` with nothing beside it: the repo must be self-contained."""
    base = tmp_path_factory.mktemp("ws")
    (base / "main").mkdir()
    return make_project(base / "main", articles)


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory) -> Path:
    """`dvc repro` once on the sample plus two articles of other shows; returns the project dir."""
    project = new_project(tmp_path_factory, [SAMPLE, *OTHER_ARTICLES])
    res = dvc(project, "repro")
    assert res.returncode == 0, res.stdout + res.stderr
    return project
