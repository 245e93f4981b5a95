"""`epnlp sentiment`: sentences from a file or stdin to CSV, method from params, --method, --out."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
import yaml

from epnlp.cli import main
from epnlp.sentiment.cli import DEFAULTS, settings
from epnlp.sentiment.store import save
from epnlp.sentiment.train import train

LINES = ["A wonderful, moving hour.", "", "A dull and tedious mess.", "The episode aired on a Tuesday."]


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def sentences(tmp_path):
    p = tmp_path / "in.txt"
    p.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return p


def test_file_to_stdout_with_vader(sentences, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no params.yaml here: the packaged defaults
    assert main(["sentiment", str(sentences), "--method", "vader"]) == 0
    rows = read_csv(capsys.readouterr().out)
    assert [r["text"] for r in rows] == [t for t in LINES if t]  # the blank line is skipped
    assert list(rows[0]) == ["text", "compound", "label", "evidence"]
    assert [r["label"] for r in rows] == ["positive", "negative", "neutral"]
    assert float(rows[0]["compound"]) > 0 > float(rows[1]["compound"])
    assert "wonderful" in rows[0]["evidence"] and "dull" in rows[1]["evidence"]


def test_stdin_and_out_file(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO('He said "fine, I guess", then left.\n'))
    out = tmp_path / "sub" / "scores.csv"
    assert main(["sentiment", "--out", str(out)]) == 0
    assert capsys.readouterr().out == ""
    [row] = read_csv(out.read_text(encoding="utf-8"))
    assert row["text"] == 'He said "fine, I guess", then left.'  # quotes survive the CSV round trip


def test_method_and_band_come_from_params(tmp_path, monkeypatch, capsys, sentences):
    model_dir = tmp_path / "model"
    save(train(["good fun", "great fun", "bad mess", "awful mess"], [2, 2, -2, -2], seed=1, min_df=1,
               negation=True, neutral_words=True), model_dir)
    params = tmp_path / "p.yaml"
    params.write_text(yaml.safe_dump({"sentiment": {"method": "blend", "threshold": 0.99, "model_dir": str(model_dir)}}))
    assert main(["sentiment", str(sentences), "--params", str(params)]) == 0
    rows = read_csv(capsys.readouterr().out)
    assert {r["label"] for r in rows} == {"neutral"}  # band 0.99: nothing is that strong
    assert settings(params, "vader")["method"] == "vader"  # --method wins over params


def test_packaged_defaults_without_params(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert settings(None, None) == DEFAULTS


def test_missing_model_or_params_is_a_clear_error(tmp_path, monkeypatch, capsys, sentences):
    monkeypatch.chdir(tmp_path)
    assert main(["sentiment", str(sentences), "--method", "blend"]) == 2
    assert "no sentiment model" in capsys.readouterr().err
    assert main(["sentiment", str(sentences), "--params", str(tmp_path / "nope.yaml")]) == 2
    assert main(["sentiment", str(tmp_path / "missing.txt"), "--method", "vader"]) == 2


def test_console_entry_point_runs(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "epnlp.cli", "sentiment", "--method", "vader"],
        input="Superb.\n", capture_output=True, text=True, check=True, cwd=tmp_path,
    ).stdout
    assert read_csv(out)[0]["label"] == "positive"
