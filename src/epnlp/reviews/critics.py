"""Who gave a review: critics and outlets named in a reception sentence, by the parse, NER and token shapes.

A critic is the named subject (or passive agent, or the owner of "Y's list") of a reporting verb outside
quotations, or the object of "According to". The name is the run of capitalised words around the
subject's head (`epnlp.reviews.names`: "Den of Reels", "Lea Holt-Marsh", "512 Review"); "X of Y" with a
person-shaped X is an author and an outlet; the outlet of a named person comes from around the name
("Y's X", "X at/for/on Y", "X (Y)", "writing for Y", "X, critic for Y") or from the verb ("For Y, X said",
"X praised it in Y"). Cast and crew, characters' titles, descriptions in apposition, accolades for a
performer and the episode's writer are not critics. No list of outlets or critics is used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from epnlp.reviews.names import (  # noqa: F401 - CRITIC_WORDS, name_span re-exported
    CRITIC_NOUNS,
    CRITIC_WORDS,
    in_mask,
    is_name_word,
    is_person,
    name_at,
    name_chain,
    name_span,
    person_shaped,
    split_name,
)
from epnlp.reviews.outlets import (  # noqa: F401 - REVIEW_NOUNS, lemma_in re-exported
    REVIEW_NOUNS,
    lemma_in,
    outlet_around,
    outlet_leading,
    outlet_of_verb,
)
from epnlp.reviews.scores import sentence_quote_mask
from epnlp.text.scores import find_scores

REPORTING_VERBS = frozenset(
    """say call describe write remark note feel find think consider argue observe opine comment
    review rate score grade give award place rank list name praise laud applaud commend criticize
    criticise pan slam dismiss fault enjoy like love dislike hate recommend compare highlight single
    declare deem label conclude add complain lament suggest state claim believe point express
    summarize summarise dub hail admire appreciate regard judge cite pose sum hold concur agree rave
    deride celebrate welcome acknowledge admit insist question wonder quip muse lambast blast disagree include
    characterize characterise echo recap see assert explain mention refer liken proclaim contend warn
    speculate theorize theorise posit""".split()
)
STANCE_ADJECTIVES = {
    "positive": 1, "favorable": 1, "favourable": 1, "complimentary": 1, "enthusiastic": 1, "appreciative": 1,
    "critical": -1, "negative": -1, "dismissive": -1, "scathing": -1, "unimpressed": -1, "disappointed": -1,
}
# feelings a critic reports in the passive ("was impressed by", "was disappointed with"): + / -
PSYCH_POSITIVE = frozenset({"impress", "please", "delight", "thrill", "charm", "excite", "enthrall", "captivate"})
PSYCH_NEGATIVE = frozenset({"disappoint", "frustrate", "underwhelm", "bore", "annoy", "irritate", "puzzle", "baffle"})
PSYCH_VERBS = PSYCH_POSITIVE | PSYCH_NEGATIVE
# a name introduced by one of these is the cast or crew, never a critic
CREW_NOUNS = frozenset({"showrunner", "showrunners", "producer", "actor", "actress", "director", "creator", "star",
                        "co-star", "composer", "co-creator", "narrator", "host", "cinematographer"})
_HONOUR_VERBS = frozenset({"name", "list", "rank", "place", "include", "select", "choose", "crown"})
_GROUP_WORDS = {"others", "some", "many", "several", "few", "most", "all"}
_LIST_NOUNS = {"list", "ranking", "rankings", "countdown", "roundup"}
_OPINION_NOUNS = {"feelings", "praise", "criticism", "reservations", "words", "thoughts", "opinion", "opinions"}
_WORK_NOUNS = {"episode", "installment", "instalment", "entry", "script", "story", "hour", "season"}
_SOURCED_NOUNS = {"review", "write-up", "verdict", "recap", "critique"}
_GENERIC = {"episode", "it", "this", "series", "show", "critics", "viewers", "audiences", "fans"}


@dataclass(frozen=True)
class Critic:
    """Who gave a review: outlet and/or author (clean-text spans within the sentence's paragraph doc)."""

    outlet: Span | None
    author: Span | None
    verb: Token
    mentions: tuple[int, ...] = ()  # char offsets (in the doc) where this critic is named


def critic_of(chain: Span, verb: Token) -> Critic:
    """Outlet and author of a named subject: 'A of B' first, then the name's surroundings, then NER."""
    author, outlet = split_name(chain)
    if author is not None:
        return Critic(outlet, author, verb)
    around = outlet_around(chain) or outlet_of_verb(verb, chain) or outlet_leading(chain.sent)
    doc = chain.doc
    titled = chain.start > 0 and doc[chain.start - 1].lower_ in CRITIC_WORDS
    if around is not None and (titled or is_person(chain) or person_shaped(chain)):
        return Critic(around, chain, verb)
    if titled or is_person(chain):
        return Critic(around, chain, verb)
    return Critic(chain, None, verb)


def critic_subject(tok: Token) -> Token | None:
    """The subject (or passive agent) of a reporting verb, following conjunct and xcomp chains up."""
    v = tok
    if lemma_in(tok, PSYCH_VERBS):  # "X was impressed by the cast": the one impressed is the critic
        felt = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if felt is not None:
            return felt
    for _ in range(3):
        subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        agent = next((c for c in v.children if c.dep_ == "agent"), None)
        if agent is not None:
            obj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return obj
        if subj is not None and subj.dep_ == "nsubjpass":
            by = next((t for t in v.subtree if t.lower_ == "by" and t.dep_ in ("agent", "prep")), None)
            obj = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
            if obj is None:  # "was ranked 10th on IGN's list": the list's owner
                lst = next((t for t in v.subtree if t.lower_ in _LIST_NOUNS and t.dep_ == "pobj"), None)
                obj = next((c for c in lst.children if c.dep_ == "poss"), None) if lst is not None else None
            return obj if obj is not None and obj.pos_ == "PROPN" else None
        if subj is not None:
            return subj
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head.pos_ in ("VERB", "AUX"):
            v = v.head
        else:
            break
    return None


def _named_by_noun(h: Token, end: int) -> Token | None:
    """The name behind a critic noun: 'critic Hannah Poole', "The Guardian's review", 'a contributor
    from TheJournal.ie' (the outlet)."""
    kids = [c for c in h.children if c.pos_ == "PROPN"]
    named = next((c for c in kids if c.dep_ in ("appos", "compound", "npadvmod")), None)
    named = named or next((c for c in kids if c.dep_ == "poss"), None)
    if named is None and h.i + 1 < end and h.nbor(1).pos_ == "PROPN":
        named = h.nbor(1)
    if named is None:
        prep = next((c for c in h.children if c.dep_ == "prep" and c.lower_ in ("from", "at", "for", "of", "with")), None)
        named = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    return named


def _is_name(span: Span, people: set[str], titles: frozenset[str]) -> bool:
    """A critic's or outlet's name: not generic, not a credited person, not a character's title."""
    if span.root.pos_ == "PRON" or span.root.lower_ in _GENERIC or span.text.lower() in _GENERIC:
        return False
    if span.text.lower().removeprefix("the ").strip() in people:
        return False
    before = span.doc[span.start - 1] if span.start > span.sent.start else None
    words = [t for t in span if t.lower_ != "the"]
    titled = not words or words[0].text.casefold().rstrip(".") in titles
    titled = titled or (before is not None and before.text.casefold().rstrip(".") in titles)
    # a title or rank introduces a character ("Commander Okoro says"), unless an outlet is named with
    # the person ("Dr. Ana Ruiz of Slate")
    return not titled or split_name(span)[0] is not None or outlet_around(span) is not None


def is_reporting(tok: Token) -> bool:
    """A verb of reporting ('said', 'praised'), a stance copula ('was critical of') or 'had mixed feelings'."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    lemma = tok.lemma_.lower()
    if lemma_in(tok, REPORTING_VERBS) or (lemma_in(tok, PSYCH_VERBS) and any(c.dep_ == "nsubjpass" for c in tok.children)):
        return True
    if lemma == "be":
        return any(c.dep_ == "acomp" and c.lower_ in STANCE_ADJECTIVES for c in tok.children)
    return lemma in ("have", "express", "offer", "voice") and any(c.dep_ == "dobj" and c.lower_ in _OPINION_NOUNS for c in tok.children)


def _after_possessive(chain: Span | None) -> Span | None:
    """"Den of Reels's Lea Holt" parsed with the outlet as subject: the critic is the name after "'s"."""
    if chain is None or chain.end + 1 >= chain.sent.end or chain.doc[chain.end].tag_ != "POS":
        return chain
    return name_chain(chain.doc[chain.end + 1]) or chain


def _such_as(cands: list[tuple[Token, Token]]) -> list[tuple[Token, Token]]:
    """'Others, such as X of Y, found...', 'Some critics, including X, ...': the names given as examples."""
    out = []
    for h, verb in cands:
        if h.lower_ in _GROUP_WORDS or h.lower_ in CRITIC_WORDS:
            named = [t for t in h.subtree if t.dep_ == "pobj" and t.head.lower_ in ("as", "including") and t.pos_ == "PROPN"]
            named += [c for t in named for c in t.conjuncts if c.pos_ == "PROPN"]
            if named:
                out += [(t, verb) for t in sorted(set(named), key=lambda t: t.i)]
                continue
        out.append((h, verb))
    return out


def _crew(chain: Span) -> bool:
    """A name introduced by a cast or crew noun ('executive producer X', 'Showrunner X')."""
    before = chain.doc[chain.start - 1] if chain.start > chain.sent.start else None
    return (before is not None and before.lower_ in CREW_NOUNS) or any(t.lower_ in CREW_NOUNS for t in chain)


def crew_names(sents: Iterable[Span]) -> set[str]:
    """Lower-cased names (and surnames) of people a sentence introduces as cast or crew ('executive
    producer Ada Vance said'): a later 'Vance said' is that person again, not a critic."""
    out: set[str] = set()
    for sent in sents:
        for tok in sent:
            if tok.lower_ in CREW_NOUNS and tok.i + 1 < sent.end and (chain := name_chain(tok.nbor(1))) is not None:
                if person_shaped(chain):
                    out |= {chain.text.lower(), chain[-1].lower_}
    return out


def _described(chain: Span) -> bool:
    """A name in apposition with what the person is ('X, the holiday's creator,'): not a critic, unless
    the description is a critic noun ('X, a critic for Y')."""
    return any(c.dep_ == "appos" and c.pos_ == "NOUN" and c.lower_ not in CRITIC_WORDS for t in chain for c in t.children)


def _opens_quote(tok: Token, mask: list[tuple[int, int]], base: int) -> bool:
    """`tok` is the first word of a quotation: 'X "found the finale gripping"' quotes the critic's words
    from the verb on, and X, outside the quote, is still its subject."""
    if tok.i == tok.sent.start or tok.nbor(-1).text != '"':
        return False
    return any(a == tok.nbor(-1).idx - base for a, _ in mask)


def _review_from(sent: Span, mask: list[tuple[int, int]]) -> list[tuple[Token, Token]]:
    """'received an unfavourable review from X': (X, the review noun) for a named source of a review."""
    out = []
    for tok in sent:
        if tok.lemma_.lower() in _SOURCED_NOUNS and not in_mask(tok, mask, sent.start_char):
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("from", "by")):
                out += [(o, tok) for o in prep.children if o.dep_ == "pobj" and o.pos_ == "PROPN"]
    return out


def _candidates(sent: Span) -> list[tuple[Token, Token]]:
    """(head of a named subject, its reporting verb) pairs, 'According to X' and 'a review from X'."""
    mask = sentence_quote_mask(sent)
    out: list[tuple[Token, Token]] = _review_from(sent, mask)
    for tok in sent:
        if not is_reporting(tok) or (in_mask(tok, mask, sent.start_char) and not _opens_quote(tok, mask, sent.start_char)):
            continue
        if tok.dep_ == "relcl" and tok.head.lemma_ in _WORK_NOUNS:
            continue  # "the best episode that X wrote": X made the episode, X is not a critic
        if lemma_in(tok, frozenset({"write"})) and tok.tag_ == "VBN" and not any(c.dep_ == "nsubj" for c in tok.children):
            continue  # "was written by X": the episode's writer
        if lemma_in(tok, _HONOUR_VERBS) and any(c.dep_ in ("dobj", "dative", "nsubjpass") and c.ent_type_ == "PERSON" for c in tok.children):
            continue  # "Y named X its Performer of the Week", "X was named ... by Y": an accolade for a performer
        subj = critic_subject(tok)
        if subj is None:
            continue
        heads = [subj, *subj.conjuncts]
        heads += [t for t in subj.subtree if t.dep_ == "conj" and t.pos_ == "PROPN" and t.head.dep_ == "pobj"]
        out += [(h, tok) for h in sorted(set(heads), key=lambda t: t.i)]
    for tok in sent:  # "According to X, <a claim>" (not a fragment "According to X!")
        if tok.lower_ == "according" and tok.dep_ != "ROOT" and tok.i + 2 < sent.end and tok.nbor(1).lower_ == "to":
            out.append((next((t for t in tok.nbor(1).children if t.dep_ == "pobj"), tok.nbor(2)), tok))
    return [(h, v) for h, v in out if not in_mask(h, mask, sent.start_char)]


def _unscored(chain: Span | None, scored: list[tuple[int, int]]) -> Span | None:
    """A name without a letter grade glued to its front ('a B. James Hibberd': the sentence splitter
    took the grade's full stop for an initial)."""
    while chain is not None and len(chain) > 1 and any(a <= chain[0].idx < b for a, b in scored):
        chain = chain[1:]
    return chain


def find_critics(sent: Span, people: set[str], titles: frozenset[str] = frozenset()) -> list[Critic]:
    """Critics named in `sent` (outside quotations), in text order; the same name twice is one critic.

    A name introduced by a title or rank in `titles` ("Commander Okoro says") is a character."""
    found: list[tuple[Span, Token]] = []
    seen: set[int] = set()
    scored = [(sc.start + sent.start_char, sc.end + sent.start_char) for sc in find_scores(sent.text)]
    for h, verb in _such_as(_candidates(sent)):
        if h.lower_ in CRITIC_WORDS | REVIEW_NOUNS:
            h = _named_by_noun(h, sent.end)
            if h is None:
                continue
        elif h.is_lower and h.pos_ == "NOUN":  # "Paste magazine ranked it": the name in the compound
            h = next((c for c in h.children if c.dep_ == "compound" and is_name_word(c)), None)
            if h is None or h.lower_ in CREW_NOUNS:
                continue
        chain = _after_possessive(_unscored(name_chain(h), scored))
        if chain is not None and _crew(chain):
            continue  # "showrunner X said": the crew, not a critic
        if chain is None or chain.start in seen or not _is_name(chain, people, titles) or _described(chain):
            continue
        while len(chain) > 2 and chain[0].text.casefold().rstrip(".") in titles:
            chain = chain[1:]  # "Dr. Ana Ruiz of Y": the name without the title
        seen.add(chain.start)
        found.append((chain, verb))
    found.sort(key=lambda f: f[0].start)
    return _merge(found)


def _key(s: Span | None) -> str:
    """A name as compared within one sentence (lower case, no leading "the")."""
    return s.text.lower().removeprefix("the ") if s is not None else ""


def _merge(found: list[tuple[Span, Token]]) -> list[Critic]:
    """One Critic per distinct name; 'Outlet gave it 3/5, with Critic writing...' joins the outlet."""
    critics: list[Critic] = []
    for span, verb in found:
        c = critic_of(span, verb)
        at = span.start_char
        same = next((k for k, p in enumerate(critics) if _key(p.outlet) == _key(c.outlet or c.author) or _key(p.author) == _key(c.author or c.outlet)), None)
        if same is not None:
            critics[same] = replace(critics[same], mentions=critics[same].mentions + (at,))
            continue
        if critics and span.start > 0 and span.doc[span.start - 1].lower_ in ("with", "critic", "reviewer") and critics[-1].author is None:
            last = critics[-1]
            critics[-1] = replace(last, author=c.author or c.outlet, mentions=last.mentions + (at,))
            continue
        critics.append(replace(c, mentions=(at,)))
    return critics
