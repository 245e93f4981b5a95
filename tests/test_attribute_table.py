"""The attribute ruler as table lookups gives exactly the stock ruler's annotations."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from epnlp.nlp.attribute_table import AttributeTable, use_attribute_table
from tests.conftest import OTHER_ARTICLES

ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]

TEXTS = [
    "The detective ain't gonna wait; let's go, y'all, c'mon.",
    "There are two doors, and there was nothing behind either of them.",
    "Which one did she pick? That one, obviously.",
    "  Two   spaces\tand a tab \n\n then a blank line. ",
    "Nothin' was said. He has been told, but he is not going to do it.",
    "",
]


def _annotations(doc) -> tuple:
    return doc.to_array(ATTRS).tolist(), [str(t.morph) for t in doc], [t.lemma_ for t in doc]


@pytest.fixture(scope="module")
def stock(params):
    return spacy.load(params["nlp"]["model"])


def test_same_annotations_as_the_stock_ruler(stock, nlp):
    paragraphs = [line for p in OTHER_ARTICLES[:3] for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = TEXTS + paragraphs
    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeTable)
    assert not isinstance(stock.get_pipe("attribute_ruler"), AttributeTable)
    for a, b in zip(stock.pipe(texts), nlp.pipe(texts), strict=True):
        assert _annotations(a) == _annotations(b), a.text[:60]


def test_swap_keeps_the_name_place_and_disabled_state(params):
    nlp = spacy.load(params["nlp"]["model"])
    names = list(nlp.component_names)
    nlp.disable_pipe("attribute_ruler")
    assert use_attribute_table(nlp)
    assert nlp.component_names == names
    assert "attribute_ruler" in nlp.disabled
    assert not use_attribute_table(nlp)  # already a table


def _ruler_nlp(patterns: list[dict]):
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add_patterns(patterns)
    return nlp


def _tagged(nlp, words: list[str], tags: list[str]):
    doc = spacy.tokens.Doc(nlp.vocab, words=words)
    doc.from_array([TAG], np.array([[nlp.vocab.strings.add(t)] for t in tags], dtype="uint64"))
    return doc


PATTERNS = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"LOWER": "kettle", "TAG": "NN"}]], "attrs": {"POS": "PROPN"}},  # later: overrides POS only
    {"patterns": [[{"LOWER": {"REGEX": "^wh"}}]], "attrs": {"LEMMA": "wh-word"}},
    {"patterns": [[{"TAG": {"NOT_IN": ["NN", "VB"]}}]], "attrs": {"POS": "X"}},
    {"patterns": [[{"LOWER": "put"}, {"LOWER": "on"}]], "attrs": {"LEMMA": "don"}, "index": 0},
    {"patterns": [[{"LOWER": "put"}, {"LOWER": "on"}]], "attrs": {"LEMMA": "upon"}, "index": -1},
    {"patterns": [[{"LOWER": "kettle"}, {"LOWER": "on"}]], "attrs": {"POS": "VERB"}, "index": 0},  # a Matcher pattern after a table one
    {"patterns": [[{"LOWER": "when"}, {"TAG": "NNP"}]], "attrs": {"LEMMA": "matcher"}, "index": 0},  # ... and one before a table one
    {"patterns": [[{"TAG": "WRB"}]], "attrs": {"LEMMA": "table-wins"}},
]


def test_rules_apply_in_pattern_order_attribute_by_attribute():
    stock = _ruler_nlp(PATTERNS)
    fast = _ruler_nlp(PATTERNS)
    assert use_attribute_table(fast)
    table = fast.get_pipe("attribute_ruler")
    assert len(table.rest) == 4 and len(table.rules) == 5  # the two-token patterns stay in the Matcher
    words = ["Put", "on", "the", "kettle", "on", "when", "Ada", "asks"]
    tags = ["VB", "RP", "DT", "NN", "RP", "WRB", "NNP", "VBZ"]
    a, b = stock.get_pipe("attribute_ruler")(_tagged(stock, words, tags)), table(_tagged(fast, words, tags))
    assert _annotations(a) == _annotations(b)
    kettle = b[3]
    assert (kettle.pos_, str(kettle.morph)) == ("VERB", "Number=Sing")  # NOUN, then PROPN, then VERB; morph kept
    assert (b[0].lemma_, b[1].lemma_, b[5].lemma_, b[6].pos_) == ("don", "upon", "table-wins", "X")


def test_a_ruler_setting_extension_attributes_is_kept():
    if not spacy.tokens.Token.has_extension("flag"):
        spacy.tokens.Token.set_extension("flag", default=False)
    nlp = _ruler_nlp([{"patterns": [[{"LOWER": "a"}]], "attrs": {"_": {"flag": True}}}])
    assert not use_attribute_table(nlp)
    assert not isinstance(nlp.get_pipe("attribute_ruler"), AttributeTable)
    assert nlp("a b")[0]._.flag


def test_the_memo_grows_with_the_tag_set_not_the_vocabulary(nlp):
    """Words no rule names share one key class: a thousand new words add no memo entries of their own."""
    table = nlp.get_pipe("attribute_ruler")
    nlp("Zorvak met Quillon near the river.")  # every key shape of such a sentence seen once
    before = len(table._memo)
    nlp(" ".join(f"Zorvak{k} met Quillon{k} near the river{k}." for k in range(300)))
    assert len(table._memo) - before < 20
    assert all(table._word_class(1, nlp.vocab.strings[f"zorvak{k}"]) == -1 for k in range(300))


def test_pattern_values_are_read_as_the_matcher_reads_them():
    """A part of speech by name or by id, a tag by its hash: the same matches as the stock ruler."""
    from spacy.symbols import NOUN

    blank = spacy.blank("en")
    nn = blank.vocab.strings.add("NN")
    patterns = [
        {"patterns": [[{"POS": "NOUN"}]], "attrs": {"LEMMA": "by-name"}},
        {"patterns": [[{"POS": NOUN, "LOWER": "tea"}]], "attrs": {"LEMMA": "by-id"}},
        {"patterns": [[{"TAG": {"IN": [nn]}, "LOWER": "pot"}]], "attrs": {"LEMMA": "by-hash"}},
    ]
    stock, fast = _ruler_nlp(patterns), _ruler_nlp(patterns)
    assert use_attribute_table(fast)
    assert len(fast.get_pipe("attribute_ruler").rules) == 3  # all three decided by the table

    def doc(nlp):
        d = spacy.tokens.Doc(nlp.vocab, words=["kettle", "tea", "pot", "boils"])
        vals = [[nlp.vocab.strings.add(t), p] for t, p in (("NN", NOUN), ("NN", NOUN), ("NN", 0), ("VBZ", 0))]
        d.from_array([TAG, POS], np.array(vals, dtype="uint64"))
        return d

    a, b = stock.get_pipe("attribute_ruler")(doc(stock)), fast.get_pipe("attribute_ruler")(doc(fast))
    assert _annotations(a) == _annotations(b)
    assert [t.lemma_ for t in b] == ["by-name", "by-id", "by-hash", ""]
