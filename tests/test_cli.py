"""`epnlp analyze` on the sample and on another show's article, without DVC."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
import yaml

from epnlp.cli import main

from .conftest import OTHER_ARTICLES, ROOT, SAMPLE

pytestmark = pytest.mark.slow


def test_help_lists_every_command():
    out = subprocess.run([sys.executable, "-m", "epnlp.cli", "--help"], capture_output=True, text=True, check=True).stdout
    assert "analyze" in out


@pytest.fixture
def vader_params(tmp_path, monkeypatch) -> str:
    """The project's params with the lexicon method (the trained model is a DVC output)."""
    monkeypatch.chdir(ROOT)  # gazetteer paths in params.yaml are relative to the project
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    params["sentiment"]["method"] = "vader"
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params))
    return str(path)


@pytest.mark.parametrize("article", [SAMPLE, OTHER_ARTICLES[0]], ids=["sample", "other_show"])
def test_analyze_prints_a_summary_and_writes_tables(article, tmp_path, capsys, vader_params):
    out_dir = tmp_path / "out"
    assert main(["analyze", str(article), "--out", str(out_dir), "--params", vader_params]) == 0
    out = capsys.readouterr().out
    title = article.read_text(encoding="utf-8").splitlines()[0].strip("= ")
    assert out.startswith(title)
    reviews = pd.read_csv(out_dir / "reviews.csv")
    assert len(reviews) >= 2
    for outlet in reviews["outlet"].dropna():
        assert outlet in out
    assert "critic:" in out and "top people/characters:" in out


def test_analyze_rejects_an_empty_file(tmp_path, capsys, vader_params):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["analyze", str(empty), "--params", vader_params]) == 2
    assert "empty.txt" in capsys.readouterr().out
