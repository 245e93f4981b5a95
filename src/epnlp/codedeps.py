"""Which library code a piece of code runs: the import closure of `epnlp` modules, read from the source
(imports inside functions included). One answer for two questions: what a per-article cache key must
hash (`cache.module_fingerprint`), and what a stage's `dvc.yaml` deps must list
(`tests/test_stage_deps.py`, `scripts/sync_stage_deps.py`)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # src/epnlp


def _imports(path: Path) -> set[str]:
    """Dotted names of `epnlp` modules imported anywhere in `path` (and `from epnlp import x` as epnlp.x),
    with the packages they sit in (importing `epnlp.a.b` runs `epnlp/a/__init__.py`)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "epnlp":
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "epnlp")
    parents = {".".join(m.split(".")[:k]) for m in out for k in range(2, m.count(".") + 1)}
    return out | parents


def module_file(module: str) -> Path | None:
    """The source file of an `epnlp` module ("epnlp.nlp.pipeline" or "nlp"), or None (a name that is no module)."""
    parts = module.split(".")
    base = PACKAGE.joinpath(*(parts[1:] if parts[0] == "epnlp" else parts))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@cache
def _closure(start: tuple[Path, ...]) -> frozenset[Path]:
    todo, seen = list(start), set()
    while todo:
        for module in _imports(todo.pop()):
            f = module_file(module)
            if f is not None and f not in seen:
                seen.add(f)
                todo.append(f)
    return frozenset(seen)


def import_closure(*starts: Path | str) -> frozenset[Path]:
    """The `epnlp` source files that `starts` (script paths or module names) import, transitively; a
    module named as a start is included itself."""
    paths = []
    for s in starts:
        f = module_file(s) if isinstance(s, str) else Path(s).resolve()
        if f is None:
            raise ValueError(f"no epnlp module {s!r}")
        paths.append(f)
    named = {p for s, p in zip(starts, paths, strict=True) if isinstance(s, str)}
    return _closure(tuple(sorted(paths))) | named
