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


def test_packaged_defaults_are_the_projects_params():
    """`epnlp/defaults.yaml` ships with the package; it must say what params.yaml says."""
    packaged = yaml.safe_load((ROOT / "src" / "epnlp" / "defaults.yaml").read_text(encoding="utf-8"))
    assert packaged == yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))


def test_analyze_outside_the_project_uses_packaged_defaults(tmp_path):
    """No params.yaml, no trained model in reach: the CLI still runs, says what it fell back to, and
    writes every table the pipeline writes."""
    out = tmp_path / "tables"
    res = subprocess.run(
        [sys.executable, "-m", "epnlp.cli", "analyze", str(OTHER_ARTICLES[0]), "--out", str(out)],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert res.returncode == 0, res.stderr
    assert "no trained sentiment model" in res.stderr and "vader" in res.stderr
    for name in ("characters", "cooccurrence", "plot_arc", "plot_arc_paragraphs", "readability", "reviews",
                 "entities", "sentiment", "review_sentiment"):
        assert (out / f"{name}.csv").is_file(), name
    assert len(pd.read_csv(out / "characters.csv")) >= 2


@pytest.mark.parametrize(
    "name, content",
    [
        ("README.md", "# Project\n\nThis is a readme about some code. It has sentences.\n\n## Usage\n\nRun it.\n"),
        ("table.csv", "article_id,section_id,text\nx,1,≥ 3\ny,2,≥ 4\n"),
        ("notes.txt", "- item one\n- item two\n- item three\n"),
    ],
)
def test_analyze_rejects_files_that_are_not_articles(tmp_path, capsys, vader_params, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["analyze", str(path), "--params", vader_params]) == 2
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and name in out[0] and "not_an_article" in out[0]


def test_analyze_names_a_missing_file(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "nope.txt")]) == 2
    assert "nope.txt" in capsys.readouterr().err


def test_the_review_scorer_is_the_chains_own_unless_review_method_names_another():
    from dataclasses import replace

    from epnlp.analyze import ChainConfig
    from epnlp.io import load_params
    from epnlp.sentiment.scorer import VaderScorer

    cfg = ChainConfig.from_params(load_params(ROOT / "params.yaml"))
    cfg = replace(cfg, sentiment={**cfg.sentiment, "method": "vader", "threshold": 0.3})
    own = VaderScorer(0.3)
    assert cfg.review_scorer(own) is own  # review_method null: the chain's scorer
    assert replace(cfg, review_method="vader").review_scorer(own) is own
    other = replace(cfg, sentiment={**cfg.sentiment, "method": "model"}, review_method="vader").review_scorer(own)
    assert isinstance(other, VaderScorer) and other is not own and other.threshold == 0.3
