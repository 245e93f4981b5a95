"""Incremental runs cannot go stale: a code edit in a module a stage runs, even one only imported by the
module that caches per-article results, re-runs that stage and changes its outputs (the page cache key
and the stage deps both come from the import closure)."""

from __future__ import annotations

import re

import pytest

from benchmarks.workspace import dvc_repro, make_workspace, snapshot_code

from .conftest import ROOT, SAMPLE

MARK = "STALE-CHECK-7f3a"
WRAP = f'''

_unwrapped_comparison_paragraph = comparison_paragraph


def comparison_paragraph(comp):  # added by tests/test_stale_cache.py
    return _unwrapped_comparison_paragraph(comp) + " {MARK}"
'''


def _pages(project) -> dict[str, str]:
    return {str(p.relative_to(project)): p.read_text(encoding="utf-8") for p in (project / "reports").rglob("*.html")}


@pytest.mark.slow
def test_editing_report_code_redraws_the_cached_article_pages(tmp_path):
    code = snapshot_code(tmp_path / "code", ROOT)
    project = make_workspace(tmp_path / "ws", [SAMPLE], code)
    dvc_repro(project)
    before = _pages(project)
    assert before and not any(MARK in html for html in before.values())
    report = project / "src" / "epnlp" / "report" / "tables.py"
    report.write_text(report.read_text(encoding="utf-8") + WRAP, encoding="utf-8")
    _, log = dvc_repro(project)
    ran = set(re.findall(r"Running stage '([^']+)'", log))
    assert {"summarize", "report"} & ran, log
    after = _pages(project)
    marked = [name for name, html in after.items() if MARK in html]
    # the article page (drawn through the per-article page cache) shows the edited paragraph
    assert any(name != "reports/index.html" and "index" not in name for name in marked), sorted(after)
    md = [p for p in (project / "reports").rglob("*.md") if MARK in p.read_text(encoding="utf-8")]
    assert md, "the Markdown summary was not redrawn"
