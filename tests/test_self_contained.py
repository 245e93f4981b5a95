"""Nothing the pipeline reads lies outside the repository, and a clean clone's run leaves git clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT


def _paths(node) -> list[str]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in [*_paths(k), *_paths(v)]]
    if isinstance(node, list):
        return [p for v in node for p in _paths(v)]
    return [node] if isinstance(node, str) else []


@pytest.mark.parametrize("name", ["dvc.yaml", "params.yaml"])
def test_no_path_leaves_the_repository(name):
    spec = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
    outside = [p for p in _paths(spec) if p.startswith(("..", "/")) or "/../" in p]
    assert outside == [], f"{name} names paths outside the repo: {outside}"


def test_every_dvc_dependency_is_in_the_repository():
    """Files a stage depends on and no stage writes must be tracked by git (a clone has them)."""
    spec = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))
    outs = {next(iter(o)) if isinstance(o, dict) else o for st in spec["stages"].values() for k in ("outs", "metrics", "plots") for o in st.get(k, [])}
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for stage, st in spec["stages"].items():
        for dep in st.get("deps", []):
            if any(dep == o or dep.startswith(o.rstrip("/") + "/") for o in outs):
                continue
            assert any(t == dep or t.startswith(dep.rstrip("/") + "/") for t in tracked), f"{stage}: {dep} is not in git"


@pytest.mark.slow
def test_a_clean_clone_run_leaves_git_clean(tmp_path):
    """`dvc repro` in a fresh clone of the committed project rewrites nothing git tracks: the committed
    dvc.lock is what any machine produces (model bytes, table bytes, no bytecode in dependency hashes)."""
    clone = tmp_path / "epnlp"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    (clone / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    venv_bin = str(Path(sys.executable).parent)
    env = {"PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path)}
    res = subprocess.run([f"{venv_bin}/dvc", "repro"], cwd=clone, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout
    diff = subprocess.run(["git", "diff", "--", "dvc.lock"], cwd=clone, capture_output=True, text=True).stdout
    assert status == "", status + diff[:4000]
