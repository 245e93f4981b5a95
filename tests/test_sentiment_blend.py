"""The blend method: the combination rule on hand-made parts, a negation-aware model on a tiny training
set, the neutral band, and byte-identical training across PYTHONHASHSEED values."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from epnlp.sentiment.blend import BlendScorer, Parts, combine, parts, profile_settings, sentence_counts
from epnlp.sentiment.model import BLEND_SETTINGS
from epnlp.sentiment.scorer import make_scorer
from epnlp.sentiment.store import save
from epnlp.sentiment.train import train

from .test_sentiment_model import EDGE_TEXTS, NEGATIVE, POSITIVE

FLAGS = {"min_df": 1, "alpha": 1.0, "negation": True, "neutral_words": True}
SETTINGS = {"blend_vader_weight": 0.4, "clause_weight": 0.5, "bare_damp": 0.25, "idiom_floor": 0.3, "neutral_band": 0.1}


@pytest.fixture(scope="module")
def model():
    # "episode" only in negative sentences: a model that kept it would learn it as negative
    neg = [t + " episode" for t in NEGATIVE]
    return train(POSITIVE + neg, [2.5] * len(POSITIVE) + [-2.5] * len(neg), seed=7, **FLAGS)


def test_combine_follows_the_documented_rule():
    p = Parts(
        vader=np.array([0.5, 0.0, 0.2, -0.4]),
        model=np.array([0.2, 0.8, -0.6, 0.6]),
        clause=np.array([np.nan, np.nan, 0.4, np.nan]),
        bare=np.array([False, True, False, False]),
        idiom=np.array([0.0, 0.0, 0.0, 1.0]),
        evidence=["", "", "", ""],
    )
    c = combine(p, SETTINGS)
    assert c[0] == pytest.approx(0.4 * 0.5 + 0.6 * 0.2)
    assert c[1] == pytest.approx(0.6 * 0.8 * 0.25)  # no lexicon word: the model is damped
    assert c[2] == pytest.approx(0.4 * 0.2 + 0.6 * (0.5 * -0.6 + 0.5 * 0.4))  # contrast: half the clause
    # an idiom sets the sign: the blend (-0.16 + 0.36 = 0.2) agrees, but is lifted to the floor
    assert c[3] == pytest.approx(0.3)
    p.idiom[3] = -1.0
    assert combine(p, SETTINGS)[3] == pytest.approx(-0.3)
    # a stated score has its share of the compound (no effect while score_weight is 0 or absent)
    p.stated = np.array([np.nan, -0.6, np.nan, np.nan])
    assert combine(p, SETTINGS)[1] == pytest.approx(0.6 * 0.8 * 0.25)
    c = combine(p, {**SETTINGS, "score_weight": 0.5})
    assert c[1] == pytest.approx(0.5 * 0.6 * 0.8 * 0.25 + 0.5 * -0.6)
    assert c[0] == pytest.approx(0.4 * 0.5 + 0.6 * 0.2)


def test_an_idiom_speaks_for_its_own_sentence_of_a_longer_text():
    p = Parts(
        vader=np.array([-0.5, -0.5]), model=np.array([0.0, 0.0]), clause=np.full(2, np.nan),
        bare=np.zeros(2, bool), idiom=np.array([1.0, 1.0]), evidence=["", ""], sentences=np.array([1.0, 4.0]),
    )
    c = combine(p, SETTINGS)  # blend -0.2; the idiom would lift its sentence to the floor, +0.3
    assert c[0] == pytest.approx(0.3)
    assert c[1] == pytest.approx(-0.2 + (0.3 + 0.2) / 4)  # one sentence of four moves a quarter of the way


def test_the_pipelines_sentences_are_not_split_again(model):
    texts = ["Ep. 3 is rarely anything short of gripping.", "A plain line."]
    assert parts(model, texts).sentences.tolist() == [2.0, 1.0]  # a splitter cuts after "Ep."
    assert parts(model, texts, one_sentence=True).sentences is None  # one sentence each: the idiom decides
    one, split = BlendScorer(model, one_sentence=True), BlendScorer(model)
    assert one.score(texts[:1])[0].compound >= split.score(texts[:1])[0].compound
    assert one.score(texts[:1])[0].compound > 0 and one.fingerprint != split.fingerprint


def test_sentences_are_counted_for_the_texts_asked_abbreviations_ending_none():
    texts = ["Mr. Smith is here. It is not good.", "One. Two. Three.", "Dr. Who is not bad at all."]
    assert sentence_counts(texts, [0, 2]).tolist() == [2.0, 1.0, 1.0]
    assert sentence_counts(texts, [1]).tolist() == [1.0, 3.0, 1.0]


def test_a_stated_score_is_a_verdict_and_named_in_the_evidence(model):
    scorer = BlendScorer(model)
    model.params["score_weight"] = 0.5
    try:
        low, high, ratings = scorer.score([
            "Ada Vance gave the episode one star out of five.",
            "Ada Vance gave the episode 9/10.",
            "The episode had a Nielsen rating of 2.1.",
        ])
    finally:
        model.params["score_weight"] = 0.0
    assert low.label == "negative" and "score: one star out of five(-0.60)" in low.evidence
    assert high.label == "positive" and "score: 9/10(+0.80)" in high.evidence
    assert "score:" not in ratings.evidence  # viewership, written without a scale: no verdict


def test_negated_words_are_their_own_features(model):
    plain = model.contributions("a dull finale")
    negated = model.contributions("not a dull finale")
    assert plain["dull"] < 0
    assert "dull" not in negated  # marked neg_dull: unseen in training, and no character n-grams
    assert negated.get("neg_dull", 0.0) == 0.0


def test_medium_words_carry_no_weight(model):
    assert "episode" not in model.contributions("a superb episode")
    assert model.compound(["a superb episode"])[0] == model.compound(["a superb"])[0]


def test_batch_features_equal_sklearns_transform_with_negation_marks(model):
    features, regressor = model.fitted
    texts = [*EDGE_TEXTS, "not dull, never boring", "nothing superb"]
    x, _ = model.transform(texts)
    expected = features.transform(texts)
    assert np.abs((x - expected).toarray()).max() == 0.0
    assert np.array_equal(model.predict(texts), regressor.predict(expected))


def test_neutral_band_from_the_model_or_the_threshold(model):
    scorer = BlendScorer(model)
    assert scorer.band == model.params["neutral_band"]
    [flat] = BlendScorer(model, threshold=0.99).score(["Reviewers loved the superb finale."])
    assert flat.label == "neutral" and 0 < flat.compound < 0.99
    [pos, neg] = scorer.score(["Reviewers loved the superb finale.", "A dull and tedious hour."])
    assert pos.label == "positive" and neg.label == "negative"
    assert "superb" in pos.evidence and "dull" in neg.evidence


def test_idiom_decides_the_sign_and_is_named_in_the_evidence(model):
    [s] = BlendScorer(model).score(["A superb cast, but it squanders its premise."])
    assert s.compound <= -model.params["idiom_floor"]
    assert "idiom: wasted_potential" in s.evidence


def test_make_scorer_builds_blend_from_a_saved_model(model, tmp_path):
    save(model, tmp_path / "m")
    scorer = make_scorer("blend", None, tmp_path / "m")
    texts = ["Reviewers loved the superb finale.", "not dull"]
    assert scorer.score(texts) == BlendScorer(model).score(texts)
    assert make_scorer("blend", 0.2, tmp_path / "m").fingerprint != scorer.fingerprint


TRAIN_SCRIPT = """
import sys
from pathlib import Path
from epnlp.io import load_params
from epnlp.sentiment.evaluate import load_rated
from epnlp.sentiment.store import save
from epnlp.sentiment.train import train
p = load_params(Path("params.yaml"))["sentiment"]
df = load_rated(Path(p["data"]["movie"])).head(3000)
save(train(df["text"].tolist(), df["rating"].tolist(), seed=int(p["seed"]), **p["model"]), Path(sys.argv[1]))
"""


def test_training_gives_the_same_bytes_whatever_the_hash_seed_and_blas_kernel(tmp_path):
    """Hash seeds and OpenBLAS kernels (chosen per CPU; forced here) must not change the saved bytes."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    dirs = []
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS_")}
    for seed, kernel in (("1", {}), ("4242", {"OPENBLAS_CORETYPE": "Sandybridge", "OPENBLAS_NUM_THREADS": "1"})):
        out = tmp_path / f"m{seed}"
        env = {**base, **kernel, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", TRAIN_SCRIPT, str(out)], cwd=root, env=env, check=True)
        dirs.append(out)
    names = sorted(p.name for p in dirs[0].iterdir())
    assert names == sorted(p.name for p in dirs[1].iterdir()) and "coef.npy" in names
    for name in names:
        assert (dirs[0] / name).read_bytes() == (dirs[1] / name).read_bytes(), name


def test_induced_lexicon_has_model_words_vader_lacks_and_no_function_words():
    from epnlp.sentiment.lexicon import induce
    from epnlp.sentiment.vader import analyser

    texts = POSITIVE + NEGATIVE + ["a riveting hour", "riveting and gripping", "a listless hour", "listless, limp"]
    ratings = [2.5] * len(POSITIVE) + [-2.5] * len(NEGATIVE) + [2.5, 2.5, -2.5, -2.5]
    m = train(texts, ratings, seed=7, **{**FLAGS, "lexicon_size": 50, "lexicon_gain": 2.0, "lexicon_min_df": 2})
    lex = m.lexicon
    assert lex["riveting"] > 0 > lex["listless"]
    assert not set(lex) & set(analyser().lexicon)  # VADER's own words keep VADER's valences
    assert not {"and", "the", "was", "episode"} & set(lex)
    assert all(abs(v) <= 4.0 for v in lex.values())
    [(word, value)] = induce(m, 1, 2.0, 2).items()  # the strongest word alone
    assert lex[word] == value and abs(value) == max(abs(v) for v in lex.values())
    # inside VADER the induced word gets VADER's negation rule
    from epnlp.sentiment.blend import critic_vader

    sia = critic_vader(lex)
    assert sia.polarity_scores("a listless hour")["compound"] < 0 < sia.polarity_scores("never listless")["compound"]


def test_blend_settings_are_checked():
    with pytest.raises(ValueError, match="blend_vader_weight"):
        train(["good", "bad"], [1, -1], seed=1, min_df=1, blend_vader_weight=1.5)
    with pytest.raises(ValueError, match="neutral_band"):
        train(["good", "bad"], [1, -1], seed=1, min_df=1, neutral_band=-0.1)


def test_the_critic_profile_overrides_the_blend_settings_and_nothing_else(model):
    assert profile_settings(model.params) == {k: float(model.params[k]) for k in BLEND_SETTINGS}
    model.params["critic_profile"] = {"blend_vader_weight": 0.0, "neutral_band": 0.3}
    try:
        crit = profile_settings(model.params, "critic")
        assert crit["blend_vader_weight"] == 0.0 and crit["neutral_band"] == 0.3
        assert crit["clause_weight"] == model.params["clause_weight"]  # not in the profile: the general value
        text = ["The costumes are lovely, and the plot is a mess."]  # VADER and the model disagree in sign
        general, critic = BlendScorer(model).score(text)[0], BlendScorer(model, profile="critic").score(text)[0]
        assert critic.compound != general.compound
        p = parts(model, text)
        assert critic.compound == pytest.approx(float(combine(p, crit)[0]))  # the model's word only, no VADER
        assert BlendScorer(model, profile="critic").band == 0.3 and BlendScorer(model).band == model.params["neutral_band"]
        assert BlendScorer(model, profile="critic").fingerprint != BlendScorer(model).fingerprint
        with pytest.raises(ValueError, match="unknown blend profile"):
            profile_settings(model.params, "tweets")
    finally:
        model.params["critic_profile"] = {}


def test_make_scorer_critic_is_blend_with_the_stored_critic_profile(model, tmp_path):
    model.params["critic_profile"] = {"blend_vader_weight": 0.0}
    try:
        save(model, tmp_path / "m")
    finally:
        model.params["critic_profile"] = {}
    scorer = make_scorer("critic", None, tmp_path / "m")
    assert scorer.name == "critic" and scorer.settings["blend_vader_weight"] == 0.0
    assert make_scorer("blend", None, tmp_path / "m").settings["blend_vader_weight"] == model.params["blend_vader_weight"]


def test_critic_profile_settings_are_checked():
    with pytest.raises(ValueError, match="unknown blend settings"):
        train(["good", "bad"], [1, -1], seed=1, min_df=1, critic_profile={"alpha": 2.0})
    with pytest.raises(ValueError, match="critic_profile: blend_vader_weight"):
        train(["good", "bad"], [1, -1], seed=1, min_df=1, critic_profile={"blend_vader_weight": 2.0})


def test_verdict_clauses_are_scored_only_for_settings_that_weigh_them(model):
    texts = ["The opening drags, but the finale is superb.", "A superb hour."]
    full, bare = parts(model, texts), parts(model, texts, contrast=False)
    assert not np.isnan(full.clause[0]) and np.isnan(bare.clause).all()
    unweighted = {**SETTINGS, "clause_weight": 0.0}
    assert combine(bare, unweighted) == pytest.approx(combine(full, unweighted))  # the same compounds, less work
    assert "clause: contrast" in full.evidence[0] and "clause:" not in bare.evidence[0]
    kept, model.params["clause_weight"] = model.params["clause_weight"], 0.0
    try:
        scored = BlendScorer(model).score(texts[:1])[0]
    finally:
        model.params["clause_weight"] = kept
    assert "clause:" not in scored.evidence  # evidence names only what moved the score
