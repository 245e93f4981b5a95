"""The benchmark's own helpers: what it measures must be the project as a clone has it."""

from __future__ import annotations

import subprocess
import sys

import pytest

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


def _stage(seconds: float, process_s: float, load_s: float, rss: float) -> dict:
    return {"seconds": seconds, "peak_rss_mb": {"self": rss},
            "timers": {"process": {"seconds": process_s, "calls": 1}, "load_model": {"seconds": load_s, "calls": 1}}}


def test_the_table_reports_ratios_against_bare_spacy_with_their_targets():
    from benchmarks.table import format_table, summary

    small = {"n": 10, "words": 1_000, "paragraphs": 50, "articles": 10,
             "bare_1": {"pipe_s": 1.0}, "stage_1": _stage(1.5, 1.2, 0.2, 300.0)}
    large = {"n": 100, "words": 10_000, "paragraphs": 500, "articles": 100,
             "bare_1": {"pipe_s": 10.0}, "stage_1": _stage(12.5, 11.2, 0.2, 330.0),
             "bare_2": {"pipe_s": 5.5}, "stage_2": _stage(8.0, 7.0, 0.2, 330.0)}
    config = {"seed": 7, "templates": ["a.txt"], "model": "m", "disable": [], "batch_size": 64, "sentiment": "blend",
              "git": "abc", "cpus": 2, "python": "3.11", "loadavg_start": (1.0,), "loadavg_end": (1.0,), "total_s": 60.0}
    results = {"config": config, "small": small, "large": large}
    m = summary(results)
    assert m["pass_vs_bare"] == pytest.approx(10.0 / 11.0)  # 10,000 words in 11.0 s of pass (process less model load) vs 10 s
    assert m["stage_vs_bare"] == pytest.approx(0.8) and m["stage_speedup_2"] == pytest.approx(12.5 / 8.0)
    table = format_table(results)
    assert "**0.91×** bare ✓" in table  # pass ≥ 0.85×
    assert "**0.80×** bare ✗" in table  # whole stage < 0.85×
    assert "**1.56×** ✗" in table  # 2 processes < 1.7×
    assert "| `process` | 1 | 11.20 |" in table
