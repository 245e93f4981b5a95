"""Every stage's dvc.yaml deps cover the library modules its script imports, directly or through other
modules (the import closure): a stage must re-run when any code it runs changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from epnlp.codedeps import PACKAGE, import_closure

from .conftest import ROOT

STAGES = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]


def test_closure_follows_imports_inside_functions():
    files = {str(p.relative_to(PACKAGE)) for p in import_closure(ROOT / "pipeline" / "nlp.py")}
    assert {"nlp/pipeline.py", "nlp/entities.py", "text/clean.py", "schema.py", "nlp/engine.py"} <= files
    assert {"nlp/__init__.py", "text/__init__.py"} <= files  # importing a submodule runs its package


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_stage_deps_cover_the_code_it_runs(stage):
    spec = STAGES[stage]
    script = ROOT / spec["cmd"].split()[1]
    deps = [d if isinstance(d, str) else next(iter(d)) for d in spec.get("deps", [])]
    assert str(script.relative_to(ROOT)) in deps, f"{stage}: its script is not a dependency"
    missing = sorted(
        str(f.relative_to(ROOT)) for f in import_closure(script)
        if not any(str(f.relative_to(ROOT)) == d or str(f.relative_to(ROOT)).startswith(d.rstrip("/") + "/") for d in deps)
    )
    assert missing == [], f"{stage}: dvc.yaml deps lack {missing}"


def test_cache_keys_cover_the_code_that_draws_and_formats():
    """The per-article caches hash every module the cached computation runs (the old hand-kept lists
    missed report.py for the HTML pages and io.py for the NLP rows)."""
    names = lambda *m: {str(p.relative_to(PACKAGE)) for p in import_closure(*m)}  # noqa: E731
    assert {"report/site.py", "report/tables.py", "report/series.py", "report/index.py", "io.py"} <= names("report.site")
    assert {"report/article.py", "report/charts.py", "report/render.py"} <= names("report.site")
    assert {"nlp/pipeline.py", "io.py", "text/clean.py", "schema.py", "nlp/entities.py"} <= names("nlp.pipeline")
    assert {"sentiment/blend.py", "sentiment/rules.py", "sentiment/model.py"} <= names("sentiment.scorer")


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_stage_deps_cover_the_tables_its_script_reads(stage):
    """Every `read_table(schema.X, ...)` in a stage's script names a table its deps list."""
    from epnlp import schema

    spec = STAGES[stage]
    script = ROOT / spec["cmd"].split()[1]
    deps = {d if isinstance(d, str) else next(iter(d)) for d in spec.get("deps", [])}
    read = set(re.findall(r"read_table\(schema\.([A-Z_]+),", script.read_text(encoding="utf-8")))
    tables = {getattr(schema, name).name for name in read}
    folders = [d for d in deps if d.startswith("data/interim/") and not Path(d).suffix]  # e.g. the corpus tables
    missing = sorted(t for t in tables if f"data/processed/{t}.csv" not in deps and not folders)
    assert missing == [], f"{stage}: reads {missing} but dvc.yaml does not list them"

