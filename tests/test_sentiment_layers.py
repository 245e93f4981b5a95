"""The sentiment modules form layers: none imports itself through the others, and scoring never loads
the training code or scikit-learn."""

from __future__ import annotations

import subprocess
import sys

import pytest

from epnlp.codedeps import PACKAGE, import_closure, module_file

from .conftest import ROOT

MODULES = sorted(f"sentiment.{p.stem}" for p in (PACKAGE / "sentiment").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("module", MODULES)
def test_no_sentiment_module_imports_itself(module):
    me = module_file(module)
    through = sorted(f.stem for f in import_closure(module) - {me} if me in import_closure(f))
    assert through == [], f"{module} imports itself through {through}"


def test_scoring_code_does_not_include_training():
    scoring = {str(f.relative_to(PACKAGE)) for f in import_closure("sentiment.scorer")}
    assert {"sentiment/blend.py", "sentiment/scorers.py", "sentiment/store.py"} <= scoring
    assert not {"sentiment/train.py", "sentiment/ridge.py", "sentiment/lexicon.py"} & scoring


def test_blend_scores_a_saved_model_without_scikit_learn(tmp_path):
    from epnlp.sentiment.store import save
    from epnlp.sentiment.train import train

    texts = ["a superb hour", "a wonderful finale", "a dull hour", "a tedious finale"]
    save(train(texts, [2.0, 2.0, -2.0, -2.0], seed=1, min_df=1, negation=True), tmp_path / "m")
    code = (
        "import sys; from epnlp.sentiment.scorer import make_scorer; "
        f"[s] = make_scorer('blend', None, {str(tmp_path / 'm')!r}).score(['a superb finale']); "
        "print(s.label, sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn'))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["positive", "[]"]
