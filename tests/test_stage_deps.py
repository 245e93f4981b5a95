"""Every stage's dvc.yaml deps cover the library modules its script imports, directly or through other
modules (the import closure): a stage must re-run when any code it runs changes."""

from __future__ import annotations

import pytest
import yaml

from epnlp.codedeps import import_closure

from .conftest import ROOT

STAGES = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]


def test_closure_follows_imports_inside_functions():
    files = {p.name for p in import_closure(ROOT / "pipeline" / "nlp.py")}
    assert {"nlp.py", "entities.py", "clean.py", "schema.py", "engine.py"} <= files


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
    names = lambda *m: {p.name for p in import_closure(*m)}  # noqa: E731
    assert {"html.py", "report.py", "html_series.py", "html_index.py", "io.py"} <= names("html")
    assert {"html_article.py", "html_charts.py", "html_templates.py"} <= names("html")
    assert {"nlp.py", "io.py", "clean.py", "schema.py", "entities.py"} <= names("nlp")
    assert {"sentiment_blend.py", "sentiment_rules.py", "sentiment_model.py"} <= names("sentiment")
