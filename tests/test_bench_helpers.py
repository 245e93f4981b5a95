"""The benchmark's own helpers: what it measures must be the project as a clone has it."""

from __future__ import annotations

import subprocess
import sys

from benchmarks.bench import fastest
from benchmarks.workspace import DVC_SETTINGS, _env, make_workspace, snapshot_code

from .conftest import ROOT


def test_fastest_keeps_the_fastest_runs_and_every_time():
    rounds = [
        {"bare": {"pipe_s": 5.0}, "stage": {"seconds": 7.0}},
        {"bare": {"pipe_s": 4.0}, "stage": {"seconds": 8.0}},
    ]
    got = fastest(rounds)
    assert got["bare"]["pipe_s"] == 4.0 and got["stage"]["seconds"] == 7.0
    assert got["runs"] == {"bare": [5.0, 4.0], "stage": [7.0, 8.0]}


def test_workspace_gets_the_repos_dvc_settings(tmp_path):
    code = snapshot_code(tmp_path / "code", ROOT)
    assert (code / DVC_SETTINGS).read_text(encoding="utf-8") == (ROOT / ".dvc" / "config").read_text(encoding="utf-8")
    # a repo with more settings than this one's: every plain one reaches the workspace
    (code / DVC_SETTINGS).write_text("[core]\n    analytics = false\n    autostage = true\n[cache]\n    type = copy\n", encoding="utf-8")
    project = make_workspace(tmp_path / "ws", [], code)
    settings = [("core", "analytics", "false"), ("core", "autostage", "true"), ("cache", "type", "copy"), ("core", "no_scm", "true")]
    for section, key, value in settings:
        got = subprocess.run(
            [sys.executable, "-m", "dvc", "config", f"{section}.{key}"], cwd=project, env=_env(project),
            capture_output=True, text=True, check=True,
        )
        assert got.stdout.strip().lower() == value, (section, key)
    assert (project / ".dvc" / "config").read_text(encoding="utf-8").count("no_scm") == 1
