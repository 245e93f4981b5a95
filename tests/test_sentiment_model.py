"""The trained sentiment model and its VADER hybrid, on a tiny hand-made training set."""

from __future__ import annotations

import json
import math

import pytest

from epnlp.sentiment.scorer import VaderScorer
from epnlp.sentiment.scorers import HybridScorer, ModelScorer
from epnlp.sentiment.store import load, save
from epnlp.sentiment.train import train

POSITIVE = [
    "a wonderful and moving episode",
    "the acting was superb",
    "brilliant writing and a superb cast",
    "a delightful hour of television",
    "the finale was wonderful",
    "critics praised the brilliant script",
    "an excellent and gripping story",
    "the direction was excellent",
    "a superb, moving performance",
    "they loved the delightful ending",
    "a gripping and brilliant mystery",
    "reviewers praised the excellent pacing",
    "one of the best episodes, wonderful",
    "the guest star was brilliant",
    "a moving and excellent finale",
    "she loved the superb score",
    "an excellent, delightful romp",
    "the best hour of the season",
    "praised for its wonderful cast",
    "gripping, moving and superb",
]
NEGATIVE = [
    "a dull and tedious episode",
    "the acting was terrible",
    "awful writing and a boring cast",
    "a tedious hour of television",
    "the finale was dreadful",
    "critics panned the terrible script",
    "a boring and clumsy story",
    "the direction was awful",
    "a dull, lifeless performance",
    "they hated the dreadful ending",
    "a clumsy and boring mystery",
    "reviewers panned the tedious pacing",
    "one of the worst episodes, awful",
    "the guest star was terrible",
    "a lifeless and dull finale",
    "she hated the awful score",
    "a tedious, clumsy mess",
    "the worst hour of the season",
    "panned for its dreadful cast",
    "boring, dull and terrible",
]
HYPER = {"min_df": 1, "alpha": 1.0}


@pytest.fixture(scope="module")
def model():
    texts = POSITIVE + NEGATIVE
    ratings = [2.5] * len(POSITIVE) + [-2.5] * len(NEGATIVE)
    return train(texts, ratings, seed=7, **HYPER)


UNSEEN_POS = "Reviewers loved the superb, gripping finale."
UNSEEN_NEG = "Critics hated the tedious, clumsy finale."


def test_ranks_unseen_positive_above_negative(model):
    pos, neg = ModelScorer(model).score([UNSEEN_POS, UNSEEN_NEG])
    assert pos.compound > 0 > neg.compound
    assert pos.label == "positive" and neg.label == "negative"


def test_scores_are_in_range_and_proportions_sum_to_one(model):
    for scorer in (ModelScorer(model), HybridScorer(model)):
        for s in scorer.score([UNSEEN_POS, UNSEEN_NEG, "The episode aired on a Tuesday."]):
            assert -1.0 <= s.compound <= 1.0
            assert min(s.positive, s.neutral, s.negative) >= 0
            assert s.positive + s.neutral + s.negative == pytest.approx(1.0)


def test_an_empty_batch_scores_to_nothing(model):
    assert ModelScorer(model).score([]) == HybridScorer(model).score([]) == []


def test_evidence_names_the_words_that_drove_the_score(model):
    [s] = ModelScorer(model).score(["The script was superb but the pacing was dreadful."])
    words = dict(item[:-1].split("(") for item in s.evidence.split())
    assert {"superb", "dreadful"} <= set(words)
    assert float(words["superb"]) > 0 > float(words["dreadful"])


def test_word_contributions_add_up_to_the_score(model):
    text = "A superb, moving finale -- but the pacing was dull."
    contrib = model.contributions(text)
    z = (model.predict([text])[0] - model.intercept) / model.scale
    assert sum(contrib.values()) == pytest.approx(z, abs=1e-9)
    assert set(contrib) <= {"a", "superb", "moving", "finale", "but", "the", "pacing", "was", "dull"}


def test_hybrid_is_the_weighted_mean_of_vader_and_model(model):
    texts = [UNSEEN_POS, UNSEEN_NEG, "They were also pleased with Robert Picardo directing."]
    v = VaderScorer().score(texts)
    m = ModelScorer(model).score(texts)
    for w in (0.5, 0.8):
        h = HybridScorer(model, vader_weight=w).score(texts)
        for hi, vi, mi in zip(h, v, m, strict=True):
            assert hi.compound == pytest.approx(w * vi.compound + (1 - w) * mi.compound)
    [pleased] = HybridScorer(model).score(["They were also pleased with Robert Picardo directing."])
    assert "vader: pleased(+1.9)" in pleased.evidence
    assert pleased.evidence.startswith("model: ")


def test_same_seed_same_scores(model):
    again = train(POSITIVE + NEGATIVE, [2.5] * 20 + [-2.5] * 20, seed=7, **HYPER)
    texts = [UNSEEN_POS, UNSEEN_NEG, "an ordinary episode"]
    assert HybridScorer(again).score(texts) == HybridScorer(model).score(texts)


def test_same_training_saves_the_same_bytes_and_loads_back(model, tmp_path):
    save(model, tmp_path / "a")
    save(train(POSITIVE + NEGATIVE, [2.5] * 20 + [-2.5] * 20, seed=7, **HYPER), tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == ["coef.npy", "idf_0.npy", "idf_1.npy", "meta.json", "terms_0.npy", "terms_1.npy"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    loaded = load(tmp_path / "a")
    texts = [UNSEEN_POS, UNSEEN_NEG]
    assert ModelScorer(loaded).score(texts) == ModelScorer(model).score(texts)
    meta = json.loads((tmp_path / "a" / "meta.json").read_text())
    assert meta["n_train"] == 40 and meta["seed"] == 7
    assert meta["params"]["min_df"] == 1 and meta["params"]["vader_weight"] == 0.5


def test_threshold_sets_the_neutral_band(model):
    [s] = ModelScorer(model, threshold=0.99).score([UNSEEN_POS])
    assert abs(s.compound) < 0.99 and s.label == "neutral"
    assert math.isclose(s.neutral, 1 - abs(s.compound))


def test_rejects_bad_input():
    with pytest.raises(ValueError, match="unknown sentiment model hyperparameters"):
        train(["good", "bad"], [1, -1], seed=1, min_df=1, alpah=2.0)
    with pytest.raises(ValueError, match="as many ratings"):
        train(["good", "bad"], [1], seed=1)
    with pytest.raises(FileNotFoundError):
        load("/nonexistent/model/dir")


EDGE_TEXTS = [
    UNSEEN_POS,
    UNSEEN_NEG,
    "",
    "...",
    "( superb ) !! -- dull",
    "very very good good, superb superb superb",
    "Brilliant-brilliant writing; a DULL, dull hour.",
    "Über-café naïve moving finale",
    "x y z",
]


def reference_contributions(model, text: str) -> dict[str, float]:
    """The evidence rule written out per text and per n-gram (slow, obviously right): a word n-gram's
    weight x*coef split evenly over its tokens, each token's share split over the words containing it;
    a character n-gram's weight split over the words it occurs in, by count."""
    from collections import Counter, defaultdict

    features, regressor = model.fitted
    row = features.transform([text]).tocsr()
    coef = regressor.coef_
    words = text.lower().split()
    keys = [w.strip(".,;:!?\"'()[]") for w in words]
    out: dict[str, float] = defaultdict(float)
    start = 0
    for _, vec in features.transformer_list:
        names = vec.get_feature_names_out()
        block = {j - start: row[0, j] * coef[j] for j in row.indices if start <= j < start + len(names)}
        if vec.analyzer == "char_wb":
            per_word = [Counter(vec.build_analyzer()(w)) for w in words]
            total = sum(per_word, Counter())
            for key, counts in zip(keys, per_word, strict=True):
                for g, n in counts.items():
                    j = vec.vocabulary_.get(g)
                    if key and j in block:
                        out[key] += block[j] * n / total[g]
        else:
            owners: dict[str, list[str]] = defaultdict(list)
            for w, key in zip(words, keys, strict=True):
                for tok in vec.build_tokenizer()(w):
                    owners[tok].append(key)
            for j, c in block.items():
                toks = str(names[j]).split(" ")
                for tok in toks:
                    for k in owners[tok]:
                        out[k] += c / len(toks) / len(owners[tok])
        start += len(names)
    return {k: v / model.scale for k, v in out.items() if v}


def test_batch_features_equal_sklearns_transform(model):
    import numpy as np

    features, regressor = model.fitted
    x, _ = model.transform(EDGE_TEXTS)
    expected = features.transform(EDGE_TEXTS)
    assert x.shape == expected.shape
    assert np.abs((x - expected).toarray()).max() == 0.0  # bit for bit, without scikit-learn
    assert np.array_equal(model.predict(EDGE_TEXTS), regressor.predict(expected))


def test_batch_evidence_equals_the_per_text_rule(model):
    compound, evidence = model.explain(EDGE_TEXTS)
    for i, text in enumerate(EDGE_TEXTS):
        ref = reference_contributions(model, text)
        got = model._explain([text])[1][0]
        assert set(got) == set(ref), text
        for k in ref:
            assert got[k] == pytest.approx(ref[k], abs=1e-12), (text, k)
        # the batch gives each text the same evidence as scoring it alone
        assert evidence[i] == model.evidence(text)
        assert compound[i] == pytest.approx(model.compound([text])[0], abs=1e-15)


def test_word_memo_is_bounded_and_does_not_change_scores(model, monkeypatch):
    import epnlp.sentiment.features as features

    before = model.explain(EDGE_TEXTS)
    monkeypatch.setattr(features, "_MEMO_WORDS", 3)
    model._cache.clear()
    after = model.explain(EDGE_TEXTS)
    assert all(len(b.memo) <= 3 for b in model._cache)
    assert list(before[0]) == list(after[0]) and before[1] == after[1]
    model._cache.clear()


def test_scorer_fingerprints_change_with_what_changes_the_scores(model):
    from epnlp.sentiment.scorer import VaderScorer

    again = train(POSITIVE + NEGATIVE, [2.5] * 20 + [-2.5] * 20, seed=7, **HYPER)
    other = train(POSITIVE + NEGATIVE, [2.0] * 20 + [-2.5] * 20, seed=7, **HYPER)
    assert again.fingerprint == model.fingerprint != other.fingerprint
    prints = {
        HybridScorer(model).fingerprint, HybridScorer(model, threshold=0.1).fingerprint,
        HybridScorer(model, vader_weight=0.3).fingerprint, HybridScorer(other).fingerprint,
        ModelScorer(model).fingerprint, VaderScorer().fingerprint, VaderScorer(0.1).fingerprint,
    }
    assert len(prints) == 7
    assert HybridScorer(again).fingerprint == HybridScorer(model).fingerprint
