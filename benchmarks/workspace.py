"""Project copies for benchmarks: the repo's code snapshot plus generated articles, run by `dvc repro` or
by the stage scripts, each in a fresh subprocess whose `epnlp` is the snapshot's own `src/`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DVC_SETTINGS = "dvc-config.ini"  # the repo's .dvc/config inside a code snapshot

def _env(project: Path | None = None) -> dict[str, str]:
    """This interpreter's bin folder first on PATH (dvc's `python pipeline/x.py` is this venv's) and, for a
    project copy, its own src/ first on PYTHONPATH: scripts and library come from one snapshot, even if
    the repo is edited while a benchmark runs. The repo root follows, for `python -m benchmarks.runner`."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    if project is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            x for x in (str(Path(project).resolve() / "src"), str(ROOT), env.get("PYTHONPATH")) if x
        )
    return env


def repo_deps(root: Path = ROOT) -> list[str]:
    """dvc.yaml dependencies inside the repo that no stage writes (besides pipeline/, src/, data/raw).

    E.g. data/raw/gazetteers, data/eval, tests/gold/...: a project copy needs them to run every stage.
    Files named under data/raw (an evaluation stage reading the sample) come along too.
    """
    import yaml

    spec = yaml.safe_load((root / "dvc.yaml").read_text(encoding="utf-8"))
    outs: set[str] = set()
    deps: list[str] = []
    for stage in spec.get("stages", {}).values():
        for key in ("outs", "metrics", "plots"):
            outs.update(o if isinstance(o, str) else next(iter(o)) for o in stage.get(key, []))
        deps.extend(d if isinstance(d, str) else next(iter(d)) for d in stage.get("deps", []))
    keep = []
    for d in dict.fromkeys(x.rstrip("/") for x in deps):
        if d.startswith("..") or d == "data/raw" or d.split("/")[0] in ("pipeline", "src"):
            continue
        if d in outs or any(d.startswith(o.rstrip("/") + "/") for o in outs):
            continue
        if (root / d).exists():
            keep.append(d)
    # a file inside a kept folder comes with the folder
    return [d for d in keep if not any(d != k and d.startswith(k + "/") for k in keep)]


def snapshot_code(dest: Path, root: Path = ROOT) -> Path:
    """Copy what a project needs besides its articles (pipeline/, src/, dvc.yaml, params.yaml and the
    repo-side deps) into `dest`: every project of one benchmark run is built from this one snapshot."""
    dest = Path(dest)
    for name in ("pipeline", "src"):
        shutil.copytree(root / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("dvc.yaml", "params.yaml"):
        shutil.copy(root / name, dest / name)
    for settings in (root / ".dvc" / "config", root / DVC_SETTINGS):  # the repo's, or a snapshot's copy
        if settings.exists():  # the project's DVC settings, applied by make_workspace
            shutil.copy(settings, dest / DVC_SETTINGS)
            break
    for d in repo_deps(root):
        src, dst = root / d, dest / d
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
        else:
            shutil.copy(src, dst)
    return dest


def make_workspace(base: Path, articles: Iterable[Path], root: Path = ROOT) -> Path:
    """`base/main`: a copy of the project at `root` (the repo or a `snapshot_code` folder) with `articles`
    added to data/raw and the repo's DVC settings. Nothing beside it is needed: the repo is self-contained."""
    base = Path(base)
    base.mkdir(parents=True, exist_ok=True)
    dest = base / "main"
    snapshot_code(dest, root)
    raw = dest / "data" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for a in articles:
        shutil.copy(a, raw / Path(a).name)
    subprocess.run(
        [sys.executable, "-m", "dvc", "init", "--no-scm", "-q"], cwd=dest, env=_env(dest), check=True
    )
    settings = dest / DVC_SETTINGS
    if settings.exists():  # the repo's own .dvc/config, as a clone of the repo has it, plus no_scm
        shutil.move(settings, dest / ".dvc" / "config")
        subprocess.run([sys.executable, "-m", "dvc", "config", "core.no_scm", "true"], cwd=dest, env=_env(dest), check=True)
    return dest


def dvc_repro(project: Path) -> tuple[float, str]:
    """Run `dvc repro` in `project`; returns (wall seconds, stdout). Raises if it fails."""
    t = time.perf_counter()
    res = subprocess.run(
        [sys.executable, "-m", "dvc", "repro"], cwd=project, env=_env(project), capture_output=True, text=True
    )
    dt = time.perf_counter() - t
    if res.returncode:
        raise RuntimeError(f"dvc repro failed in {project}:\n{res.stdout[-2000:]}\n{res.stderr[-4000:]}")
    return dt, res.stdout


def prepare_without_dvc(project: Path, root: Path = ROOT) -> None:
    """parse and clean by their scripts, the trained sentiment model copied from `root` (the repo) or
    trained: what the nlp stage needs."""
    for stage in ("parse", "clean"):
        _python(project, [f"pipeline/{stage}.py"])
    from epnlp.sentiment.store import load

    model = root / "models" / "sentiment"
    try:
        load(model)  # present and in this code's format (an older format is retrained)
        usable = True
    except (FileNotFoundError, ValueError):
        usable = False
    if usable:
        shutil.copytree(model, project / "models" / "sentiment")
    else:
        _python(project, ["pipeline/train_sentiment.py"])


def _python(project: Path, args: list[str]) -> subprocess.CompletedProcess:
    res = subprocess.run(
        [sys.executable, *args], cwd=project, env=_env(project), capture_output=True, text=True
    )
    if res.returncode:
        raise RuntimeError(
            f"{' '.join(args)} failed in {project}:\n{res.stdout[-2000:]}\n{res.stderr[-4000:]}"
        )
    return res


def set_n_process(project: Path, n: int) -> None:
    """Set `nlp.n_process` in the project's params.yaml (keeps every other byte)."""
    path = Path(project) / "params.yaml"
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(
        r"(?m)^(nlp:[ \t]*\n(?:(?:[ \t]+.*)?\n)*?[ \t]+n_process:[ \t]*)\d+", rf"\g<1>{n}", text, count=1
    )
    if count != 1:
        raise ValueError(f"{path}: no nlp.n_process to set")
    path.write_text(new, encoding="utf-8")


def clear_nlp_cache(project: Path) -> bool:
    """Delete the NLP stage's per-article cache (params `nlp.cache_dir`), so its next run is cold."""
    from epnlp.io import load_params

    folder = load_params(Path(project) / "params.yaml")["nlp"].get("cache_dir")
    if folder and (Path(project) / folder).exists():
        shutil.rmtree(Path(project) / folder)
        return True
    return False



def corpus_size(project: Path) -> dict[str, int]:
    """Articles, paragraphs and words of the clean paragraph texts (from the clean stage's table)."""
    from epnlp import schema
    from epnlp.io import read_table

    clean = read_table(schema.CLEAN_PARAGRAPHS, Path(project) / "data" / "processed")
    return {
        "articles": int(clean["article_id"].nunique()),
        "paragraphs": len(clean),
        "words": int(sum(len(t.split()) for t in clean["clean_text"])),
    }

