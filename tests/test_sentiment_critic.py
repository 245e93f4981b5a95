"""Critics' constructions from params, the critics' training sentences and the weighted ridge fit."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from epnlp.io import load_params
from epnlp.sentiment.blend import BlendScorer, critic_vader
from epnlp.sentiment.evaluate import load_labelled
from epnlp.sentiment.negation import negated_judgement
from epnlp.sentiment.ridge import ridge_fit
from epnlp.sentiment.rules import compile_constructions, idioms, main_clause, phrase_regex
from epnlp.sentiment.train import train, training_set

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("phrase", "text", "hit"),
    [
        ("rescue*|save ... otherwise", "a fine turn rescues an otherwise dull hour", True),
        ("rescue*|save ... otherwise", "a fine turn rescues the hour. otherwise dull", False),  # not across clauses
        ("^ at least", "at least the sets are nice", True),
        ("^ at least", "it runs at least an hour", False),
        (";|, ... is|are not $", "the cast is strong; the plot is not.", True),
        (";|, ... is|are not $", "the plot is not; the cast is strong.", False),
        ("another week, another", "another week, another twist", True),
    ],
)
def test_phrase_patterns(phrase, text, hit):
    import re

    assert bool(re.search(phrase_regex(phrase), text)) is hit


def test_a_construction_after_a_negator_counts_with_its_sign_reversed():
    spec = {"wasted_potential": {"sign": -1, "phrases": ["waste|wasted", "fall|falls flat"]},
            "critic_praise": {"sign": 1, "phrases": ["live|lives up to"]},
            "understatement": {"sign": 1, "phrases": ["no mean feat"]}}
    assert idioms("It wasted a fine cast.", None, spec) == (-1, ["wasted_potential"])
    assert idioms("It did not have a single wasted scene.", None, spec) == (1, ["negated_wasted_potential"])
    assert idioms("The sequel does not live up to the original.", None, spec) == (-1, ["negated_critic_praise"])
    # the negated construction is what the negator negates: no negated judgement of "joke" besides it
    lex = {"joke": 1.2, "good": 1.9}
    assert idioms("Not a single joke falls flat.", lex, spec) == (1, ["negated_wasted_potential"])
    assert idioms("Not a single joke is good.", lex, spec) == (-1, ["negated_praise"])
    # a construction that opens with a negator is not the object of an earlier one
    assert idioms("Without doubt it is no mean feat.", None, spec) == (1, ["understatement"])
    # a negator negates only up to punctuation or a contrast word, and "not just" negates nothing
    assert idioms("Although it is not great, it lives up to the hype.", None, spec) == (1, ["critic_praise"])
    assert idioms("It is not great, but it lives up to the hype.", None, spec) == (1, ["critic_praise"])
    assert idioms("Not just the jokes fall flat.", None, spec) == (-1, ["wasted_potential"])
    # a negated construction takes only its own negator: another negator still negates its judgement
    assert idioms("The pilot is not good, and it never falls flat.", lex, spec) == (0, ["negated_wasted_potential", "negated_praise"])


def test_constructions_come_from_params_and_bad_ones_fail():
    assert idioms("It squanders its premise.", None, {}) == (0, [])
    custom = {"praise": {"sign": 1, "phrases": ["pure gold"]}}
    assert idioms("Pure gold.", None, custom) == (1, ["praise"])
    with pytest.raises(ValueError):
        compile_constructions({"x": {"sign": 2, "phrases": ["a"]}})
    with pytest.raises(ValueError):
        train(["good fun", "bad mess"], [1, -1], seed=1, min_df=1, constructions={"x": {"sign": 1, "phrases": []}})


def test_the_model_keeps_its_constructions_and_the_blend_uses_them():
    texts = ["a superb hour", "a wonderful hour", "a dreadful hour", "an awful hour"]
    plain = train(texts, [2, 2, -2, -2], seed=1, min_df=1, constructions={})
    assert plain.params["constructions"] == {}
    [s] = BlendScorer(plain).score(["A superb cast, but it squanders its premise."])
    assert "wasted_potential" not in s.evidence
    packaged = train(texts, [2, 2, -2, -2], seed=1, min_df=1)
    assert "wasted_potential" in packaged.params["constructions"] and packaged.fingerprint != plain.fingerprint


def test_critic_lexicon_makes_negated_blame_words_praise():
    lexicon = critic_vader().lexicon
    assert lexicon["chore"] < 0 and lexicon["devastating"] > 0
    assert negated_judgement("For once the subplot isn't a chore.", lexicon) == 1
    assert critic_vader({}, {"chore": 0.0}).lexicon["chore"] == 0.0


def test_sequence_contrast_gives_the_later_clause():
    assert main_clause("It stumbles early and then soars.") == "soars."
    assert main_clause("It builds real tension only to throw it away.") == "throw it away."


def test_unit_weights_are_the_unweighted_fit_and_weight_two_is_a_duplicated_row():
    rng = np.random.default_rng(0)
    x = sp.random(30, 8, density=0.4, random_state=1, format="csr")
    y = rng.normal(size=30)
    w0, b0 = ridge_fit(x, y, 1.0)
    w1, b1 = ridge_fit(x, y, 1.0, sample_weight=np.ones(30))
    assert np.array_equal(w0, w1) and b0 == b1  # the same bits
    weights = np.ones(30)
    weights[0] = 2.0
    ww, bw = ridge_fit(x, y, 1.0, sample_weight=weights)
    wd, bd = ridge_fit(sp.vstack([x, x[0]]).tocsr(), np.append(y, y[0]), 1.0)
    assert np.allclose(ww, wd, atol=1e-6) and abs(bw - bd) < 1e-6
    with pytest.raises(ValueError):
        ridge_fit(x, y, 1.0, sample_weight=-weights)


def test_training_set_adds_the_extra_rows_only_with_a_weight():
    rated = pd.DataFrame({"text": ["good", "bad"], "rating": [2.0, -2.0]})
    extra = pd.DataFrame({"text": ["not a chore"], "rating": [2.0]})
    news = pd.DataFrame({"text": ["prices rose", "a fine day"], "rating": [0.1, 1.5]})
    assert training_set(rated, [(extra, 0.0)]) == (["good", "bad"], [2.0, -2.0], None)
    assert training_set(rated) == (["good", "bad"], [2.0, -2.0], None)
    assert training_set(rated, [(extra, 0.5)]) == (["good", "bad", "not a chore"], [2.0, -2.0, 2.0], [1.0, 1.0, 0.5])
    texts, ratings, weights = training_set(rated, [(extra, 0.5), (news.iloc[:0], 3.0), (news, 2.0)])
    assert texts == ["good", "bad", "not a chore", "prices rose", "a fine day"]
    assert ratings == [2.0, -2.0, 2.0, 0.1, 1.5] and weights == [1.0, 1.0, 0.5, 2.0, 2.0]


def test_the_critics_training_set_is_balanced_and_kept_apart_from_evaluation():
    p = load_params(ROOT / "params.yaml")["sentiment"]
    path = Path(p["train_extra"])
    df = load_labelled(ROOT / path)
    counts = df["gold"].value_counts().to_dict()
    assert len(df) >= 2000 and abs(counts["positive"] - counts["negative"]) <= 0.02 * len(df)
    assert 0.05 * len(df) <= counts["neutral"] <= 0.15 * len(df)  # some facts and description, mostly verdicts
    assert str(path) not in {str(v) for v in p["data"].values()}  # never an evaluation set
    assert p["data"]["idioms"] != str(path)


_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_STOP = set("the a an of to and is it its in on for with this that as but be by at from was were are has have had "
            "not no than then so just".split())


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _near(a: str, b: str) -> bool:
    """A shared run of four words, or content words (stop words and 1-2 letter words left out) with a
    Jaccard overlap of 0.4 or more: a copy or a close paraphrase."""
    ca, cb = ({w for w in _words(t) if w not in _STOP and len(w) > 2} for t in (a, b))
    if ca | cb and len(ca & cb) / len(ca | cb) >= 0.4:
        return True
    wa, wb = _words(a), _words(b)
    return bool({tuple(wa[i : i + 4]) for i in range(len(wa) - 3)} & {tuple(wb[i : i + 4]) for i in range(len(wb) - 3)})


def test_near_flags_copies_and_close_paraphrases_only():
    assert _near("The finale squanders a terrific premise.", "A terrific premise, which the finale squanders.")
    assert _near("It is not the train wreck I expected at all.", "Honestly, not the train wreck I expected.")
    assert not _near("The finale squanders a terrific premise.", "The score is the best thing in the hour.")


def test_no_training_sentence_copies_or_paraphrases_an_evaluation_sentence():
    """The critics' training sentences share no phrase with the critic-domain evaluation sets (both halves
    of the idioms and reception sentences, and the second and third idiom sets): an overlap would leak them into the model."""
    p = load_params(ROOT / "params.yaml")["sentiment"]
    train = load_labelled(ROOT / p["train_extra"])["text"].tolist()
    idiom_sets = [load_labelled(ROOT / p["data"][k])["text"] for k in ("idioms", "idioms_dev2", "idioms_dev3")]
    evaluation = [*(t for texts in idiom_sets for t in texts), *pd.read_csv(
        ROOT / p["data"]["reception"], sep="\t", quoting=csv.QUOTE_NONE, dtype=str)["text"]]
    close = [(t, e) for t in train for e in evaluation if _near(t, e)]
    assert close == [], close[:5]

