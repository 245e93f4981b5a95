"""Negation scopes, medium words, contrast clauses and critics' idioms on small hand-written sentences."""

from __future__ import annotations

import pytest

from epnlp.sentiment.blend import critic_vader
from epnlp.sentiment.negation import negated_judgement
from epnlp.sentiment.rules import contrast_split, idioms, main_clause, prepare, stated_verdict

LEXICON = {"bad": -2.5, "good": 1.9, "perfect": 2.7, "care": 2.2, "like": 1.5, "ashamed": -2.1, "fine": 0.8,
           "charms": 1.9, "gripping": 1.5, "sparkling": 1.2, "problems": -1.7, "grin": 2.1, "superb": 3.1, "bored": -1.3,
           "better": 1.9, "amusing": 1.6, "interesting": 1.7, "funny": 1.9, "stop": -1.2, "win": 2.8, "jokes": 1.2}


def test_negation_scope_runs_to_the_next_punctuation_or_contrast():
    assert prepare("Not disappointed, but fine.") == "not neg_disappointed , but fine ."
    assert prepare("I don't think I hate it") == "i don't neg_think neg_i neg_hate neg_it"
    assert prepare("It never bores; it thrills") == "it never neg_bores ; it thrills"
    assert prepare("no problem but dull") == "no neg_problem but dull"


def test_medium_and_reporting_words_are_dropped_possessives_too():
    assert prepare("The episode's second season finale, she said, was great") == "the second , she , was great"
    assert prepare("Not an episode I liked") == "not neg_an neg_i neg_liked"


def test_preparation_can_be_switched_off():
    assert prepare("Not the episode", negation=False, neutral_words=False) == "not the episode"
    assert prepare("Not the episode", negation=False) == "not the"
    assert prepare("Not the episode", neutral_words=False) == "not neg_the neg_episode"


@pytest.mark.parametrize(
    ("text", "clause"),
    [
        ("Handsome to look at, but hollow at the centre.", "hollow at the centre."),
        ("Although the ending is abrupt, it works.", "it works."),
        ("Despite a slow start, the finale soars", "the finale soars"),
        ("The score is good; yet the script is thin.", "the script is thin."),
        ("A plain sentence with no contrast.", None),
        ("Good, but.", None),
        ("Clumsy in places; even so, the cast sells it.", "the cast sells it."),
        ("The idea is clever. Still, nothing lands.", "nothing lands."),
        ("Noble as its aims are, the hour drags.", "the hour drags."),
        ("What sounds like filler turns out to be the best hour.", "the best hour."),
        ("A bright opening gives way to an hour of fog.", "an hour of fog."),
        ("She still lives in the lighthouse.", None),  # "still" as a plain adverb is no contrast
    ],
)
def test_main_clause_is_the_verdict_after_the_concession(text, clause):
    assert main_clause(text) == clause


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("Not bad at all.", 1),
        ("It is not good.", -1),
        ("There is no reason to care.", -1),
        ("I'm not ashamed to say it.", 1),
        ("Far from perfect.", -1),
        ("Not only good but great.", 0),  # "not only" negates nothing
        ("It never feels like a retread.", 0),  # "like" is too ambiguous to negate
        ("Not in the least, after a long wait, good.", 0),  # the judgement lies past the scope
        ("A good hour.", 0),
        ("The pilot is not without its charms.", 1),  # litotes: two negations keep the word's sign
        ("It is never less than gripping.", 1),
        ("The jokes are somewhat less than sparkling.", -1),  # "less than" negates
        ("The hour is not without problems.", -1),
        ("It would be hard not to grin.", 1),  # "hard" negates the negation
        ("It is impossible not to care.", 1),
        ("Hard to call it anything less than superb.", 1),  # "anything less than" only occurs negated
        ("It is nothing less than superb.", 1),
        ("The show rarely looks this good.", 1),  # a rhetorical superlative keeps the word's sign
        ("I have never been so bored.", -1),
        ("The show has never looked better.", 1),
        ("It never gets better.", -1),  # no degree word, no perfect participle: a plain negation
        ("It is not this good.", -1),  # only never / rarely / seldom are rhetorical
        ("It is never more than mildly amusing.", -1),
        ("It never gets more interesting.", -1),
        ("The director never makes this material funny.", -1),  # "this" is a determiner here
        ("Fans riot when the finale is anything less than perfect.", -1),  # not negated: "less than" negates
        ("If the finale is anything less than perfect, fans riot.", 0),  # ... in a supposition: nothing
        ("It never stops being funny.", 1),  # a negated stop before being / to / -ing: a double negation
        ("It never stops to be funny.", 1),
        ("He never stopped the funny man.", -1),  # a stop with an object: a plain negation
        ("How did it not win?", 0),  # a question asserts nothing
        ("Who could not care?", 0),
        ("It is not good. Why not?", -1),  # only the negator's own clause is asked
        ("It is not funny, so why bother?", -1),
        ("It is not good\nwhy watch?", -1),  # a line break ends a sentence
        ('He did not say "why?" and it was bad.', 0),  # the quote ends the scope: no judgement negated
        ("Not to mention the bad sets.", 0),  # "not to mention" adds, it does not negate
        ("There is no better hour on television.", 1),  # a comparative after no / nothing: a superlative
        ("Nothing better than a good grin.", 1),
        ("It is no better than a rerun.", -1),  # ... except "no" before "than"
        ("It has no better jokes than the last one.", -1),
        ("The show hasn't looked this good in years.", 1),  # a perfect participle + this, any negator
        ("I haven't been this bored in years.", -1),
        ("It hasn't been so bad after all.", 1),  # "so" only after never / rarely / seldom
        ("Even if it isn't perfect, the jokes land.", 0),  # a concession or supposition asserts nothing
        ("It is fun, although it isn't perfect.", 0),
        ("If I can't win, I will grin.", 0),
        ("It is good, if not perfect.", 0),
        ("If it is good, it is not perfect.", -1),  # the comma ends the conditional clause
        ("But if it is bad, it is not good.", -1),
    ],
)
def test_negated_judgement(text, sign):
    assert negated_judgement(text, LEXICON) == sign


@pytest.mark.parametrize(
    ("text", "sign", "name"),
    [
        ("A strong last act rescues an otherwise forgettable hour.", 1, "rescue"),
        ("The episode is rarely anything short of gripping.", 1, "understatement"),
        ("It is not the train wreck I expected.", 1, "not_the_disaster"),
        ("What might have been silly turns out to be moving.", 1, "turns_out"),
        ("The sets, if nothing else, look good.", -1, "faint_praise"),
        ("It squanders its premise.", -1, "wasted_potential"),
        ("The cast is strong; the writing is not.", -1, "elided_negation"),
        ("Sure, because every detective owns a yacht.", -1, "sarcasm"),
    ],
)
def test_idioms_decide_the_sign(text, sign, name):
    total, names = idioms(text)
    assert total == sign and name in names


def test_no_idiom_in_plain_prose_and_negated_judgement_only_with_a_lexicon():
    assert idioms("The crew lands on a frozen moon.") == (0, [])
    assert idioms("Not bad at all.") == (0, [])
    assert idioms("Not bad at all.", LEXICON) == (1, ["negated_blame"])


def test_anchors_are_a_necessary_condition_of_every_construction():
    """The substring pre-test may only skip texts the construction's regex cannot match."""
    from epnlp.sentiment.rules import compile_constructions, default_constructions, phrase_anchors

    assert phrase_anchors("rescue*|save* ... otherwise") == ("otherwise",)
    assert phrase_anchors("; ... is|are not $") == ("not",)
    texts = [
        "A late twist rescues an otherwise dull hour.", "It squanders a fine cast.", "Sure, because we needed more fog.",
        "The sets, if nothing else, look good.", "It is a step down from last week.", "Ada thinks it works; it does not.",
        "Plain description of a ship landing on a moon.", "What might have been silly turns out to be moving.",
    ]
    for idiom in compile_constructions(default_constructions()):
        for text in texts:
            low = text.lower()
            if idiom.pattern.search(low):
                assert any(a in low for a in idiom.anchors), (idiom.name, text)


def test_constructions_negated_in_a_question_or_after_not_to_mention_count_neither_way():
    assert idioms("How is this not a disaster?", LEXICON) == (0, [])
    assert idioms("It is not a disaster.", LEXICON)[0] == 1
    assert idioms("Not to mention a train wreck of a finale.", LEXICON) == (0, [])
    assert idioms("The plot drags, not to mention the wasted cast.", LEXICON) == (-1, ["wasted_potential"])
    assert idioms("The plot drags, and not a single scene is wasted.", LEXICON) == (1, ["negated_wasted_potential"])


def test_constructions_negated_in_a_conditional_or_concessive_clause_count_neither_way():
    assert idioms("Even if it is not a disaster, it drags.", LEXICON) == (0, [])
    assert idioms("Unless the finale is not a train wreck, I quit.", LEXICON) == (0, [])
    assert idioms("If it drags, it is not a disaster.", LEXICON)[0] == 1


def test_a_litotes_is_named_as_such_in_the_evidence():
    assert idioms("The pilot is not without its charms.", LEXICON) == (1, ["litotes"])
    assert idioms("The pilot is not good.", LEXICON) == (-1, ["negated_praise"])
    assert idioms("The pilot rarely looks this good.", LEXICON) == (1, ["rhetorical"])



@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("Ada Vance gave the episode 7 out of 10.", 0.4),
        ("Nightjar Weekly gave it two and a half stars out of five.", 0.0),
        ("Tobias Reed graded it an A-.", 2 * 3.7 / 4.3 - 1.0),
        ("Kestrel gave it 2/10 and Orm gave it 8/10.", 0.0),
        ("It earned a perfect score from Mara Quint.", 1.0),
    ],
)
def test_a_stated_score_maps_its_scale_to_a_verdict(text, verdict):
    value, evidence = stated_verdict(text)
    assert value == pytest.approx(verdict)
    assert evidence


@pytest.mark.parametrize("text", ["The finale drew a rating of 2.1 among adults.", "A fine, moving hour.", "It was watched by 3.1 million viewers."])
def test_no_verdict_without_a_score_and_its_scale(text):
    value, evidence = stated_verdict(text)
    assert value != value and evidence == ""  # nan


def test_a_conceded_part_decides_nothing_but_the_verdict_clause_does():
    lex = critic_vader().lexicon
    # constructions and negated judgements in the conceded part of a contrast do not count ...
    assert idioms("Although the subplot goes nowhere, the finale of Nightjar soars.", lex) == (0, [])
    assert idioms("It won't win awards, but Kestrel is a likeable hour.", lex) == (0, [])
    # ... in the verdict clause they do, and a construction reaching into the contrast words counts
    assert idioms("The finale soars, but the subplot goes nowhere.", lex) == (-1, ["wasted_potential"])
    assert idioms("The cast is fine, but it is not good.", lex) == (-1, ["negated_praise"])
    assert idioms("What might have been silly turns out to be moving.", lex)[0] == 1
    text = "The sets are nice, but the story drags."
    conceded, verdict = contrast_split(text)
    assert text[:conceded] == "The sets are nice" and text[verdict:] == "the story drags." == main_clause(text)
    assert contrast_split("A plain sentence.") is None
    for text in ("Where the pilot stumbled, the finale soars.", "Whereas the pilot stumbled, the finale soars."):
        assert main_clause(text) == "the finale soars."
