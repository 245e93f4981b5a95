"""The evaluate_sentiment stage's pure helpers: which sets it builds and what goes in the headline."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("evaluate_sentiment", ROOT / "pipeline" / "evaluate_sentiment.py")
stage = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(stage)


def test_rated_sets_halves_the_named_sets_and_keeps_the_rest_whole(tmp_path):
    movie = tmp_path / "movie.tsv"
    movie.write_text("id\trating\ttext\n" + "".join(f"m{i}\t{2 if i % 2 else -2}\tt{i}\n" for i in range(20)))
    small = tmp_path / "small.tsv"
    small.write_text("id\tlabel\ttext\n" + "".join(f"s{i}\t{'positive' if i % 2 else 'negative'}\tt{i}\n" for i in range(10)))
    other = tmp_path / "other.tsv"
    other.write_text("id\trating\ttext\nx\t1.0\tgood\ny\t-1.0\tbad\n")
    p = {"seed": 3, "test_size": 0.2, "halved": ["small"], "data": {"movie": movie, "small": small, "other": other}}
    sets = stage.rated_sets(p)
    assert sorted(sets) == ["movie_heldout", "other", "small_dev", "small_test"]
    assert len(sets["movie_heldout"]) == 4 and len(sets["other"]) == 2
    assert len(sets["small_dev"]) == len(sets["small_test"]) == 5
    assert not set(sets["small_dev"]["id"]) & set(sets["small_test"]["id"])


def test_rated_sets_measure_a_trained_sets_dev_rows_only(tmp_path):
    movie = tmp_path / "movie.tsv"
    movie.write_text("id\trating\ttext\n" + "".join(f"m{i}\t{2 if i % 2 else -2}\tt{i}\n" for i in range(20)))
    news = tmp_path / "news.tsv"
    news.write_text("id\trating\ttext\n" + "".join(f"n{i}\t{2 if i % 2 else -2}\tt{i}\n" for i in range(40)))
    p = {"seed": 3, "test_size": 0.2, "halved": ["news"], "train_rated": ["news"], "train_share": 0.6,
         "data": {"movie": movie, "news": news}}
    sets = stage.rated_sets(p)
    assert sorted(sets) == ["movie_heldout", "news_dev", "news_test"]
    assert len(sets["news_test"]) == 20 and len(sets["news_dev"]) == 8  # 12 of the dev half are training rows


def test_headline_is_the_named_methods_key_figures_only():
    figures = {"binary_accuracy": 0.7, "pearson_r": 0.5, "macro_f1": 0.6, "auc": 0.8, "n": 10}
    report = {m: {s: dict(figures) for s in ("nyt_test", "reception_dev", "idioms_test")} for m in ("vader", "blend", "model")}
    report["vader"]["nyt_test"]["pearson_r"] = 0.4
    head = stage.headline(report, ["blend", "vader", "blend", "critic"])  # critic not measured: no row
    assert sorted(head) == sorted(f"{m}_{k}" for m in ("blend", "vader") for k in ("binary_accuracy", "pearson_r", "macro_f1"))
    assert sorted(head["blend_pearson_r"]) == ["idioms", "nyt"]  # test halves, short names; dev halves are not headline figures
    assert head["blend_pearson_r"]["nyt"] == 0.5 and head["vader_pearson_r"]["nyt"] == 0.4
    assert "auc" not in " ".join(head)
