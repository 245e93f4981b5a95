"""Clauses, aspect words and judgement targets in review sentences."""

from __future__ import annotations

import pytest

from epnlp.reviews.aspects import aspect_matcher, aspects_in, clauses, judgements

LEXICON = {"directing": ["directing", "direction"], "story": ["story", "backstory", "script"], "performances": ["performance", "guest star"]}


def test_aspect_words_are_whole_words_any_case():
    pats = aspect_matcher(LEXICON)
    text = "The Direction was fine but the backstory and the Guest Star's storytelling"
    assert [a for a, _, _ in aspects_in(text, pats)] == ["directing", "story", "performances"]


@pytest.mark.slow
def test_clauses_split_at_coordinated_verbs(nlp):
    doc = nlp("Paste said the script was sharp but felt there was a lack of chemistry with the guest star.")
    parts = [doc.text[c.start : c.end] for c in clauses(next(doc.sents))]
    assert parts == ["Paste said the script was sharp", "felt there was a lack of chemistry with the guest star"]


@pytest.mark.slow
def test_judgements_name_people_and_aspects_but_not_the_critic(nlp):
    doc = nlp("Ann Vale of Paste praised Omar Reed directing. She also noted the episode aired on a Tuesday.")
    sents = list(doc.sents)
    people = [(doc.text.index("Omar Reed"), doc.text.index("Omar Reed") + 9, "Omar Reed"), (0, 8, "Ann Vale")]
    got = judgements(sents, aspect_matcher(LEXICON), people, lambda s, a, b: (s.start_char + a, s.start_char + b), {"Ann Vale"}, lambda t: "praised" in t)
    assert [(j.target, j.target_type) for j in got] == [("Omar Reed", "person"), ("directing", "aspect")]


def test_doc_text_is_each_docs_own_text():
    import spacy

    from epnlp.reviews.aspects import doc_text

    nlp = spacy.blank("en")
    a, b, c = nlp("Mira liked it."), nlp("Rook did not."), nlp("Mira liked it.")
    assert [doc_text(d) for d in (a, b, c, a)] == [d.text for d in (a, b, c, a)]
    assert doc_text(nlp("Mira liked it, then.")) == "Mira liked it, then."  # equal prefix, another doc
