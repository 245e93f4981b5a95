"""The README's commands, verbatim, in a fresh copy of the project whose data/raw holds none of the
articles the repo ships (a user's own articles), with nothing beside it (no ../shared)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from .conftest import ROOT, make_project

pytestmark = pytest.mark.slow

MARKER = "<!-- readme-commands -->"


def readme_commands(text: str) -> list[str]:
    """The lines of the bash block after the marker, comments stripped."""
    block = text.split(MARKER, 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    lines = [re.sub(r"\s+#.*$", "", line).strip() for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def test_readme_block_is_found_and_starts_with_activation():
    cmds = readme_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert cmds[0] == "source .venv/bin/activate"
    assert "dvc repro" in cmds and any(c.startswith("dvc exp run") for c in cmds)


@pytest.fixture(scope="module")
def user_project(tmp_path_factory) -> Path:
    """A git clone-like project: two corpus articles of other shows as data/raw, a .venv that is this
    interpreter's environment, committed so that `dvc exp run` has a baseline."""
    corpus = sorted((ROOT / "data" / "corpus" / "articles").glob("*.txt"))[:2]
    base = tmp_path_factory.mktemp("user")
    project = make_project(base / "main", corpus, scm=True)
    for stale in (project / "data" / "raw").glob("one_small_step*"):
        stale.unlink()
    (project / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    shutil.copy(ROOT / ".gitignore", project / ".gitignore")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "add", "-A"], cwd=project, check=True, capture_output=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=project, check=True, capture_output=True)
    return project


def test_readme_commands_run_as_written(user_project):
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    cmds = readme_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    script = "set -e\n" + "\n".join(cmds) + "\n"
    res = subprocess.run(["bash", "-c", script], cwd=user_project, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    processed = user_project / "data" / "processed"
    articles = pd.read_csv(processed / "articles.csv")
    assert set(articles["source_file"]) == {p.name for p in (user_project / "data" / "raw").glob("*.txt")}
    assert "one_small_step" not in set(articles["article_id"])
    assert len(pd.read_csv(processed / "reviews.csv")) >= 2
    assert (user_project / "reports" / "report.html").is_file()
    assert "reports/metrics/reviews/found.json" in res.stdout  # dvc metrics show lists the corpus evaluation
    status = subprocess.run(["git", "status", "--porcelain"], cwd=user_project, capture_output=True, text=True).stdout
    assert "dvc_plots" not in status  # `dvc plots show` output is git-ignored
