"""Where a critic wrote: the outlet named next to a critic's name, on the reporting verb, or leading the
sentence ("Y's X", "X at Y", "X (Y)", "For Y, X said", "Writing for Y, ..."). Used by
`epnlp.reviews.critics`; no list of outlets is used.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from epnlp.reviews.names import CRITIC_WORDS, name_at, name_chain

REVIEW_NOUNS = frozenset({"review", "reviewer", "critic", "recap", "write-up", "verdict", "contributor"})
_OUTLET_LINKS = {"for", "of", "at", "from", "with", "on"}
_VERB_LINKS = {"for", "at", "in", "on"}


def lemma_in(tok: Token, words: frozenset[str]) -> str:
    """The word of `words` that `tok` inflects, by its lemma or by stripping a regular ending (the small
    model lemmatises 'rated' as 'rat'); '' if none."""
    low = tok.lower_
    cands = [tok.lemma_.lower(), low]
    for end in ("ed", "ing", "es", "s"):
        if low.endswith(end) and len(low) > len(end) + 2:
            stem = low[: -len(end)]
            cands += [stem, stem + "e"] + ([stem[:-1]] if stem[-1] == stem[-2] else [])
    if low.endswith("ied"):
        cands.append(low[:-3] + "y")
    return next((c for c in cands if c in words), "")


def outlet_around(name: Span) -> Span | None:
    """An outlet written next to a person's name: "Y's X", 'X at/of/for/on Y', 'X, writing for Y',
    'Y reviewer X'."""
    doc, lo, hi = name.doc, name.sent.start, name.sent.end
    if name.start - 2 >= lo and doc[name.start - 1].tag_ == "POS":
        return name_at(doc[name.start - 2])
    k = name.end + (1 if name.end < hi and doc[name.end].text == "," else 0)
    if k < hi and doc[k].lower_ in ("writing", "reviewing"):  # "X, reviewing the episode for Y,"
        k = next((j for j in range(k + 1, min(hi, k + 5)) if doc[j].lower_ in _OUTLET_LINKS | {"in"} or doc[j].is_punct), k)
    if k + 1 < hi and doc[k].lower_ in _OUTLET_LINKS:
        return name_at(doc[k + 1])
    if name.end < hi and doc[name.end].text == "(" and name.end + 1 < hi:  # "X (Y)"
        inner = name_at(doc[name.end + 1])
        if inner is not None and inner.end < hi and doc[inner.end].text == ")":
            return inner
    if name.start - 2 >= lo and doc[name.start - 1].lower_ in CRITIC_WORDS:
        return _outlet_before_noun(doc[name.start - 1])
    return _outlet_in_apposition(name)


def _outlet_before_noun(noun: Token) -> Span | None:
    """'Y critic X', "Y's TV critic X": the name before a critic noun, past descriptors and a possessive."""
    doc, lo = noun.doc, noun.sent.start
    k = noun.i - 1
    if k - 1 >= lo and doc[k].is_upper and doc[k - 1].tag_ == "POS":  # "Y's TV critic X" (not "Y's literature scholar")
        k -= 1
    if doc[k].tag_ == "POS" and k - 1 >= lo:
        k -= 1
    words = name_chain(doc[k])
    if words is not None and words.text.lower() not in {"television", "tv", "film"}:
        return words
    return None


def _outlet_of_noun(noun: Token) -> Span | None:
    """The outlet of a critic or review noun: its possessor ("Y's critic") or 'for/at/of/with/to Y'."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is not None and noun.lower_ in CRITIC_WORDS:
        return name_at(poss)
    prep = next((p for p in noun.children if p.dep_ == "prep" and p.lower_ in _OUTLET_LINKS | {"to", "in"}), None)
    obj = next((o for o in prep.children if o.dep_ == "pobj"), None) if prep is not None else None
    return name_at(obj) if obj is not None else None


def _outlet_in_apposition(name: Span) -> Span | None:
    """'X, television critic for Y,', 'Y's critic, X,', "X's review for Y", 'X, who writes for Y,': the
    outlet of a critic noun in apposition with the name, of the name's review, or of its relative clause."""
    nouns = [c for t in name for c in t.children if c.dep_ == "appos" and c.lower_ in CRITIC_WORDS]
    if name.root.dep_ == "appos" and name.root.head.lower_ in CRITIC_WORDS:
        nouns.append(name.root.head)
    if name.root.dep_ == "poss" and name.root.head.lower_ in REVIEW_NOUNS:
        nouns.append(name.root.head)
    for noun in nouns:
        found = _outlet_of_noun(noun)
        if found is not None:
            return found
    for c in name.root.children:
        if c.dep_ in ("acl", "relcl") and lemma_in(c, frozenset({"write", "review", "work", "contribute"})):
            prep = next((p for p in c.children if p.dep_ == "prep" and p.lower_ in _OUTLET_LINKS | {"to", "in"}), None)
            obj = next((o for o in prep.children if o.dep_ == "pobj"), None) if prep is not None else None
            if obj is not None:
                return name_at(obj)
    return None


def outlet_of_verb(verb: Token, name: Span) -> Span | None:
    """An outlet attached to the reporting verb: 'For Y, X said', 'X praised it in Y', 'Writing for Y, X
    said', 'In a review for Y, X said'. 'in' needs an organisation entity (not a work or a place)."""
    for v in (verb, *verb.ancestors):
        found = _outlet_of_one_verb(v, name)
        if found is not None:
            return found
    return None


def _outlet_of_one_verb(verb: Token, name: Span) -> Span | None:
    """`_outlet_of_verb` for one verb of the chain."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in _VERB_LINKS:
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            chain = name_at(obj)
            if chain is not None and (child.lower_ != "in" or any(t.ent_type_ == "ORG" for t in chain)):
                if child.lower_ in ("for", "at") or child.i < name.start or child.i > verb.i:
                    return chain
        if child.dep_ in ("advcl", "csubj", "prep") and child.lemma_ in ("write", "review", "in", "for"):
            for c in [child, *child.subtree]:
                if c.dep_ == "prep" and c.lower_ in ("for", "at", "in") and c.head.lemma_ in ("write", "review", "piece", "column", "article", "recap"):
                    chain = name_at(next((x for x in c.children if x.dep_ == "pobj"), None))
                    if chain is not None:
                        return chain
    return None


def outlet_leading(sent: Span) -> Span | None:
    """'Writing for Y, ...' / 'Reviewing the episode for Y, ...' / 'In a review for Y, ...' at the start
    of the sentence, whatever the parse made of it."""
    words = [t for t in sent[:8]]
    if not words or words[0].lower_ not in ("writing", "reviewing", "in"):
        return None
    for k, t in enumerate(words[1:], 1):
        if t.is_punct:
            return None
        if t.lower_ in ("for", "at") and k + 1 < len(words):
            return name_at(words[k + 1])
    return None
