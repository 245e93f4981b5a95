"""Split a reception section into critics' reviews and extract each review's facts.

A review starts at a sentence whose reporting verb ("said", "gave", "ranked", ...) has a named subject
(an outlet or a critic, found by the parse and NER, not by a list) and runs through the following
sentences that refer back to it ("They were also pleased...") until the next critic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

if TYPE_CHECKING:
    import pandas as pd

    from epnlp.nlp import KeptDocsFile

from epnlp.scores import RankFact, ScoreFact, find_quotes, find_ranks, find_scores, find_year, quote_mask

REPORTING_VERBS = frozenset(
    """say call describe write remark note feel find think consider argue observe opine comment
    review rate score grade give award place rank list name praise laud applaud commend criticize
    criticise pan slam dismiss fault enjoy like love dislike hate recommend compare highlight single
    declare deem label conclude add complain lament suggest state claim believe point express
    summarize summarise dub hail admire appreciate regard judge""".split()
)
_BACKREF = re.compile(
    r"^\s*(?:(?:however|also|additionally|further(?:more)?|moreover|but|and|overall|in\s+addition),?\s+)?"
    r"(?:they|he|she|the\s+(?:critic|reviewer|review|writer|site|magazine|outlet|publication|paper|author|columnist))\b",
    re.IGNORECASE,
)
_CRITIC_NOUNS = {"critic", "reviewer", "writer", "columnist", "editor", "journalist"}
_CRITIC_WORDS = _CRITIC_NOUNS | {n + "s" for n in _CRITIC_NOUNS}
_REVIEW_NOUNS = {"review", "reviewer", "critic", "recap", "write-up", "verdict"}
_QUOTE_FIRST = re.compile(r'^["\s,]*(?:[a-z]+\s+)?$')  # between '"...,"' and the critic: at most the verb
_WORK_NOUNS = {"episode", "installment", "instalment", "entry", "script", "story", "hour", "season"}
_LINKS = {"for", "of", "at", "from", "with"}
_NAME_LABELS = {"PERSON", "ORG", "WORK_OF_ART", "GPE", "PRODUCT", "NORP", "FAC"}


@dataclass(frozen=True)
class Critic:
    """Who gave a review: outlet and/or author (clean-text spans within the sentence's paragraph doc)."""

    outlet: Span | None
    author: Span | None
    verb: Token
    mentions: tuple[int, ...] = ()  # char offsets (in the doc) where this critic is named


@dataclass
class Review:
    """One critic's review: its sentences (paragraph docs' spans) and the facts found in them."""

    critic: Critic
    sentences: list[Span] = field(default_factory=list)
    year: int | None = None
    score: ScoreFact | None = None
    score_sentence: Span | None = None
    rank: RankFact | None = None
    quotes: list[tuple[Span, int, int]] = field(default_factory=list)  # (sentence, clean start, end)


def _in_mask(tok: Token, mask: list[tuple[int, int]], base: int) -> bool:
    i = tok.idx - base
    return any(a <= i < b for a, b in mask)


def name_span(tok: Token, outlet: bool = False) -> Span:
    """The proper-name phrase headed by `tok` ('The A.V. Club', 'Den of X', "John Smith"), no "'s"."""
    doc = tok.doc
    ent = next((e for e in doc.ents if e.start <= tok.i < e.end and e.label_ in _NAME_LABELS), None)
    left = tok.i
    while left - 1 >= tok.sent.start:
        prev = doc[left - 1]
        if prev.lower_ in _CRITIC_WORDS:
            break
        if prev.dep_ in ("compound", "flat", "amod", "nmod") and prev.head.i >= left and (prev.is_title or prev.is_upper or prev.text[:1].isdigit() or prev.pos_ == "PROPN"):
            left -= 1
        elif prev.lower_ == "the" and prev.head.i >= left:
            left -= 1
            break
        else:
            break
    right = tok.i + 1
    # "Den of X": a one-word name continued over 'of'/'&' when capitalised words follow.
    while (
        right + 1 < tok.sent.end
        and doc[right].lower_ in ("of", "&")
        and doc[right + 1].is_title
        and (right - left == 1 or doc[right].lower_ == "&")
        and (outlet or tok.ent_type_ != "PERSON")
    ):
        k = right + 1
        while k < tok.sent.end and (doc[k].is_title or doc[k].is_upper) and doc[k].pos_ in ("PROPN", "NOUN", "ADJ"):
            k += 1
        right = k
    if ent is not None and ent.start >= left and ent.end > right:
        right = next((t.i for t in doc[tok.i + 1 : ent.end] if t.tag_ == "POS"), ent.end)
    while right > left + 1 and (doc[right - 1].tag_ == "POS" or doc[right - 1].is_punct):
        right -= 1
    return doc[left:right]


def _is_name(span: Span, people: set[str]) -> bool:
    head = span.root
    if head.pos_ == "PRON" or head.lower_ in {"episode", "it", "this", "series", "show", "critics", "viewers", "audiences", "fans"}:
        return False
    if not any(t.is_title or t.is_upper or (t.text[:1].isupper()) for t in span if not t.is_punct):
        return False
    if span.text.lower().removeprefix("the ").strip() in people:
        return False
    return head.pos_ in ("PROPN", "NOUN", "X", "NUM") or head.ent_type_ in _NAME_LABELS


def _is_person(span: Span) -> bool:
    """A critic's name: a PERSON entity of at least two words (outlets are often one word)."""
    words = [t for t in span if t.is_alpha or "." in t.text]
    return len(words) >= 2 and sum(t.ent_type_ == "PERSON" for t in span) >= len(words) - 1


def _pobj_name(prep: Token) -> Span | None:
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is not None and (obj.pos_ == "PROPN" or obj.is_title or obj.is_upper):
        return name_span(obj, outlet=True)
    return None


def _outlet_near(subj: Span, verb: Token) -> Span | None:
    """An outlet named around a critic: 'A of B', 'A, writing for B', "B's A", 'B reviewer A',
    'Writing for B, A said', 'In a review for B, A said'."""
    root = subj.root
    doc = subj.doc
    k = subj.end + (1 if subj.end < len(doc) and doc[subj.end].text == "," else 0)
    if k + 2 < subj.sent.end and doc[k].lower_ in ("writing", "reviewing") and doc[k + 1].lower_ in _LINKS:
        nxt = doc[k + 2] if doc[k + 2].lower_ != "the" else doc[k + 3]
        if nxt.pos_ == "PROPN" or nxt.is_title:
            head = next((t for t in doc[nxt.i : subj.sent.end] if t.dep_ == "pobj"), nxt)
            return name_span(head, outlet=True)
    for child in root.children:
        if child.dep_ == "poss" and (child.pos_ == "PROPN" or child.is_title):
            return name_span(child, outlet=True)
        if child.dep_ == "prep" and child.lower_ in _LINKS and (n := _pobj_name(child)):
            return n
        if child.dep_ in ("acl", "relcl", "advcl") and child.lemma_ in ("write", "review", "work"):
            for c in child.children:
                if c.dep_ == "prep" and c.lower_ in _LINKS and (n := _pobj_name(c)):
                    return n
    # "A.V. Club reviewer Noel Brandt": capitalised words before a critic noun.
    first = subj.start
    if first > 0 and doc[first - 1].lower_ in _CRITIC_WORDS:
        k = first - 1
        while k > subj.sent.start and (doc[k - 1].is_title or doc[k - 1].is_upper or doc[k - 1].text[:1].isupper()):
            k -= 1
        if k < first - 1 and doc[k].i > subj.sent.start - 1:
            words = doc[k : first - 1]
            if words.text.lower() not in {"television", "tv", "film"}:
                return words
    for child in verb.children:
        if child.dep_ in ("advcl", "prep") and child.lemma_ in ("write", "review", "in", "for"):
            for c in [child, *child.subtree]:
                if c.dep_ == "prep" and c.lower_ in ("for", "at", "in") and c.head.lemma_ in ("write", "review", "piece", "column", "article", "recap"):
                    if (n := _pobj_name(c)) is not None:
                        return n
    return None


def _critic(subj: Span, verb: Token) -> Critic:
    """Outlet and author of a named subject: structure first ('A of B', "B's A"), then NER."""
    outlet = _outlet_near(subj, verb)
    doc = subj.doc
    titled = subj.start > 0 and doc[subj.start - 1].lower_ in _CRITIC_WORDS
    if outlet is not None or titled or _is_person(subj):
        return Critic(outlet, subj, verb)
    return Critic(subj, None, verb)


def _critic_subject(tok: Token) -> Token | None:
    """The subject (or passive agent) of a reporting verb, following conjunct and xcomp chains up."""
    v = tok
    for _ in range(3):
        subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        agent = next((c for c in v.children if c.dep_ == "agent"), None)
        if agent is not None:
            obj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return obj
        if subj is not None and subj.dep_ == "nsubjpass":
            # passive: "was ranked ... by Outlet" (the parser may attach 'by' lower down)
            by = next((t for t in v.subtree if t.lower_ == "by" and t.dep_ in ("agent", "prep")), None)
            obj = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
            return obj if obj is not None and obj.pos_ == "PROPN" else None
        if subj is not None:
            return subj
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head.pos_ in ("VERB", "AUX"):
            v = v.head
        else:
            break
    return None


def find_critics(sent: Span, people: set[str], titles: frozenset[str] = frozenset()) -> list[Critic]:
    """Critics named in `sent` (outside quotations): subjects of reporting verbs, 'According to X'.

    A name introduced by a title or rank in `titles` ("Commander Okoro says") is a character."""
    mask = quote_mask(sent.text)
    found: list[tuple[Span, Token]] = []
    seen: set[int] = set()

    def consider(h: Token, verb: Token) -> None:
        if h.i in seen or _in_mask(h, mask, sent.start_char):
            return
        if h.lower_ in _CRITIC_WORDS | _REVIEW_NOUNS:
            # "critic Hannah Poole" (appos/compound), "The Guardian's review" (poss)
            named = next((c for c in h.children if c.dep_ in ("appos", "compound", "poss", "npadvmod") and c.pos_ == "PROPN"), None)
            if named is None:
                nxt = h.doc[h.i + 1] if h.i + 1 < sent.end else None
                named = nxt if nxt is not None and nxt.pos_ == "PROPN" else None
            if named is None:
                return
            h = named if named.dep_ == "poss" else next((t for t in named.subtree if t.dep_ != "compound"), named)
            if h.dep_ == "compound" and h.head.pos_ == "PROPN":
                h = h.head
        span = name_span(h)
        if not _is_name(span, people):
            return
        before = span.doc[span.start - 1] if span.start > sent.start else None
        if span[0].text.casefold().rstrip(".") in titles or (before is not None and before.text.casefold().rstrip(".") in titles):
            return
        seen.add(h.i)
        found.append((span, verb))

    for tok in sent:
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in REPORTING_VERBS or _in_mask(tok, mask, sent.start_char):
            continue
        if tok.dep_ == "relcl" and tok.head.lemma_ in _WORK_NOUNS:
            continue  # "the best episode that X wrote": X made the episode, X is not a critic
        subj = _critic_subject(tok)
        if subj is None:
            continue
        heads = [subj, *subj.conjuncts]
        heads += [t for t in subj.subtree if t.dep_ == "conj" and t.pos_ == "PROPN" and t.head.dep_ == "pobj"]
        for h in sorted(set(heads), key=lambda t: t.i):
            consider(h, tok)
    for tok in sent:  # "According to X,"
        if tok.lower_ == "according" and tok.i + 2 < sent.end and tok.nbor(1).lower_ == "to":
            obj = next((t for t in tok.nbor(1).children if t.dep_ == "pobj"), tok.nbor(2))
            consider(obj, tok)
    found.sort(key=lambda f: f[0].start)
    critics: list[Critic] = []

    def key(s: Span | None) -> str:
        return s.text.lower().removeprefix("the ") if s is not None else ""

    for span, verb in found:
        c = _critic(span, verb)
        at = span.start_char
        same = next((k for k, p in enumerate(critics) if key(p.outlet) == key(c.outlet or c.author) or key(p.author) == key(c.author or c.outlet)), None)
        if same is not None:
            critics[same] = replace(critics[same], mentions=critics[same].mentions + (at,))
            continue
        # "Outlet gave it 3/5, with Critic writing ...": the critic of the outlet's review.
        if critics and span.start > 0 and span.doc[span.start - 1].lower_ in ("with", "critic", "reviewer") and critics[-1].author is None:
            last = critics[-1]
            critics[-1] = replace(last, author=c.author or c.outlet, mentions=last.mentions + (at,))
            continue
        critics.append(replace(c, mentions=(at,)))
    return critics


def _clause_range(c: Critic, sent: Span) -> tuple[int, int]:
    """Char range (relative to sent) of the critic's clause: the verb's subtree plus the critic."""
    toks = list(c.verb.subtree) + [t for s in (c.outlet, c.author) if s is not None for t in s]
    return min(t.idx for t in toks) - sent.start_char, max(t.idx + len(t) for t in toks) - sent.start_char


def _owner(new: list[Review], base: int, pos: int) -> Review:
    """The review whose critic is named last before `pos` (facts follow their critic)."""
    before = [(max((m - base for m in r.critic.mentions if m - base <= pos), default=-1), -k) for k, r in enumerate(new)]
    return new[max(range(len(new)), key=lambda k: before[k])]


def segment(
    sentences: Sequence[tuple[Span, int]], people: set[str], prev_year: int | None = None, titles: Iterable[str] = ()
) -> list[Review]:
    """Reviews from reception sentences in order; `sentences` are (sentence span, paragraph_id)."""
    title_set = frozenset(t.casefold().rstrip(".") for t in titles)
    reviews: list[Review] = []
    current: list[Review] = []
    last_para: int | None = None
    for sent, para in sentences:
        critics = find_critics(sent, people, title_set)
        text = sent.text
        if critics:
            new = [Review(c, [sent]) for c in critics]
            base = sent.start_char

            owner = partial(_owner, new, base)
            year = find_year(text, prev_year)
            for sc in find_scores(text):
                r = owner(sc.start)
                if r.score is None:
                    r.score, r.score_sentence = sc, sent
            for rk in find_ranks(text):
                r = owner(rk.start)
                if r.rank is None:
                    r.rank = rk
            mentions = sorted((m - base, k) for k, r in enumerate(new) for m in r.critic.mentions)
            for a, b in find_quotes(text):
                if a >= mentions[0][0]:
                    owner(a).quotes.append((sent, a, b))
                else:
                    # A quote before every critic: theirs only in the quote-first style ('"...," wrote X').
                    after = next((k for m, k in mentions if m >= b and _QUOTE_FIRST.match(text[b:m])), None)
                    if after is not None:
                        new[after].quotes.append((sent, a, b))
            for r in new:
                r.year = year
            if year is not None:
                prev_year = year
            reviews.extend(new)
            current = new
        elif current and (para == last_para or _BACKREF.match(text)):
            for r in current:
                r.sentences.append(sent)
                if r.score is None and (scores := find_scores(text)):
                    r.score, r.score_sentence = scores[0], sent
                if r.rank is None and (ranks := find_ranks(text)):
                    r.rank = ranks[0]
                r.quotes.extend((sent, a, b) for a, b in find_quotes(text))
        else:
            current = []
        last_para = para
    return reviews


@dataclass(frozen=True)
class PolarityConfig:
    """How a review's text sentiment and its score or rank combine into a polarity."""

    threshold: float = 0.2
    rank_signal: float = 0.5


def score_signal(review: Review, cfg: PolarityConfig) -> float | None:
    """The critic's own verdict on [-1, 1]: a normalised score, else a 'best'/'worst' list rank."""
    if review.score is not None:
        return round(2 * review.score.norm - 1, 4)
    if review.rank is not None:
        return -cfg.rank_signal if review.rank.rank_list.startswith("worst") else cfg.rank_signal
    return None


def polarity(text: float | None, verdict: float | None, cfg: PolarityConfig) -> tuple[str, str]:
    """(polarity, agreement): positive/negative/mixed/neutral, and agree/disagree/'' for text vs score."""
    signals = [s for s in (text, verdict) if s is not None and s == s]
    t = cfg.threshold
    agreement = ""
    if text is not None and verdict is not None:
        if abs(text) >= t and abs(verdict) >= t:
            agreement = "agree" if (text > 0) == (verdict > 0) else "disagree"
        elif abs(verdict) >= t:
            agreement = "text neutral"
    if not signals:
        return "neutral", agreement
    if any(s >= t for s in signals) and any(s <= -t for s in signals):
        return "mixed", agreement
    mean = sum(signals) / len(signals)
    if mean >= t:
        return "positive", agreement
    if mean <= -t:
        return "negative", agreement
    return ("mixed" if any(abs(s) >= t for s in signals) else "neutral"), agreement


def _raw(p, a: int, b: int) -> tuple[int, int, str]:
    s, e = p.offsets.to_raw(a, b)
    return s, e, p.text[s - p.start : e - p.start]


def _raw_text(inputs: dict, aid: str, span: Span | None) -> str | None:
    """The raw text of a doc span (None for None)."""
    if span is None:
        return None
    p = inputs[(aid, span.doc.user_data["ctx"]["paragraph_id"])]
    return _raw(p, span.start_char, span.end_char)[2]


def _sentence_to_raw(inputs: dict, aid: str, sent: Span, a: int, b: int) -> tuple[int, int]:
    """Raw offsets of clean offsets [a, b) relative to a sentence."""
    p = inputs[(aid, sent.doc.user_data["ctx"]["paragraph_id"])]
    return p.offsets.to_raw(sent.start_char + a, sent.start_char + b)


@dataclass
class ReviewTables:
    """Rows of reviews.csv, review_quotes.csv and review_aspects.csv, and issue rows."""

    reviews: list[dict]
    quotes: list[dict]
    aspects: list[dict]
    issues: list[dict]


def review_rows(
    docs: Sequence[Doc],
    inputs: dict[tuple[str, int], object],
    people: dict[str, set[str]],
    sentence_sentiment: dict[tuple[str, int], tuple[float, str]],
    scorer,
    cfg: PolarityConfig,
    aspect_lexicon: dict[str, Sequence[str]] | None = None,
    named: dict[str, list[tuple[int, int, str]]] | None = None,
    titles: Iterable[str] = (),
) -> ReviewTables:
    """Reviews, quotes and judged aspects from the reception docs, plus issue rows (no review found).

    `named` gives, per article, raw spans and canonical names of the people mentioned (entities).

    `docs` are the reception paragraph docs (context in `doc.user_data['ctx']`), in article order;
    `inputs` maps (article_id, paragraph_id) to the ParagraphInput holding the offset map.
    """
    from epnlp.nlp import sentences_of

    by_article: dict[str, list[tuple[Span, int, int]]] = {}
    for doc in docs:
        ctx = doc.user_data["ctx"]
        for k, sent in enumerate(sentences_of(doc)):
            by_article.setdefault(ctx["article_id"], []).append((sent, ctx["paragraph_id"], ctx["first_sentence_id"] + k))
    from epnlp.aspects import aspect_matcher, judgements
    from epnlp.sentiment import vader_evidence

    patterns = aspect_matcher(aspect_lexicon or {})
    review_out: list[dict] = []
    quote_out: list[dict] = []
    aspect_out: list[dict] = []
    pending_quotes: list[tuple[dict, str]] = []
    pending_aspects: list[tuple[dict, str]] = []
    for aid in sorted(by_article):
        sents = by_article[aid]
        sid_of = {(s.doc.user_data["ctx"]["paragraph_id"], s.start): sid for s, _, sid in sents}
        reviews = segment([(s, para) for s, para, _ in sents], people.get(aid, set()), titles=titles)
        for rid, r in enumerate(reviews):
            first, last = r.sentences[0], r.sentences[-1]
            p_first = inputs[(aid, first.doc.user_data["ctx"]["paragraph_id"])]
            p_last = inputs[(aid, last.doc.user_data["ctx"]["paragraph_id"])]
            start = _raw(p_first, first.start_char, first.end_char)[0]
            end = _raw(p_last, last.start_char, last.end_char)[1]
            sids = [sid_of[(s.doc.user_data["ctx"]["paragraph_id"], s.start)] for s in r.sentences]
            scored = [sentence_sentiment[(aid, sid)] for sid in sids if (aid, sid) in sentence_sentiment]
            text_sent = round(sum(c for c, _ in scored) / len(scored), 4) if scored else None
            strongest = max(zip(sids, scored, strict=True), key=lambda x: (abs(x[1][0]), -x[0]), default=None)

            raw_of = partial(_raw_text, inputs, aid)

            score_text = None
            if r.score is not None and r.score_sentence is not None:
                p = inputs[(aid, r.score_sentence.doc.user_data["ctx"]["paragraph_id"])]
                base = r.score_sentence.start_char
                score_text = _raw(p, base + r.score.start, base + r.score.end)[2]
            quotes = []
            for q, (sent, a, b) in enumerate(r.quotes):
                p = inputs[(aid, sent.doc.user_data["ctx"]["paragraph_id"])]
                qs, qe, qt = _raw(p, sent.start_char + a, sent.start_char + b)
                row = {"article_id": aid, "review_id": rid, "quote_id": q, "start": qs, "end": qe, "text": qt}
                quotes.append(row)
                pending_quotes.append((row, sent.text[a:b]))
            verdict = score_signal(r, cfg)
            pol, agreement = polarity(text_sent, verdict, cfg)
            review_out.append(
                {
                    "article_id": aid,
                    "review_id": rid,
                    "outlet": raw_of(r.critic.outlet),
                    "author": raw_of(r.critic.author),
                    "year": r.year,
                    "score_text": score_text,
                    "score": r.score.score if r.score else None,
                    "score_max": r.score.score_max if r.score else None,
                    "score_norm": r.score.norm if r.score else None,
                    "rank": r.rank.rank if r.rank else None,
                    "rank_list": r.rank.rank_list if r.rank else None,
                    "quote": quotes[0]["text"] if quotes else None,
                    "start": start,
                    "end": end,
                    "sentence_ids": " ".join(map(str, sids)),
                    "n_sentences": len(sids),
                    "sentiment": text_sent,
                    "verdict": verdict,
                    "polarity": pol,
                    "agreement": agreement,
                    "evidence": strongest[1][1] if strongest else "",
                    "evidence_sentence_id": strongest[0] if strongest else None,
                }
            )
            quote_out.extend(quotes)

            to_raw = partial(_sentence_to_raw, inputs, aid)

            clause_ids: dict[tuple[int, int], int] = {}
            critic = {raw_of(x) for x in (r.critic.outlet, r.critic.author) if x is not None}
            critic |= {n for n in critic if n} | {x.text for x in (r.critic.outlet, r.critic.author) if x is not None}
            for j in judgements(r.sentences, patterns, (named or {}).get(aid, []), to_raw, critic, lambda t: bool(vader_evidence(t))):
                sid = sid_of[(j.sentence.doc.user_data["ctx"]["paragraph_id"], j.sentence.start)]
                cid = clause_ids.setdefault((sid, j.clause.start), sum(1 for k in clause_ids if k[0] == sid))
                p = inputs[(aid, j.sentence.doc.user_data["ctx"]["paragraph_id"])]
                cs, ce, ct = _raw(p, j.clause.start, j.clause.end)
                row = {"article_id": aid, "review_id": rid, "sentence_id": sid, "clause_id": cid, "target": j.target,
                       "target_type": j.target_type, "start": cs, "end": ce, "text": ct}
                aspect_out.append(row)
                pending_aspects.append((row, j.sentence.doc.text[j.clause.start : j.clause.end]))
    for pending, key in ((pending_quotes, "sentiment"), (pending_aspects, "compound")):
        if pending:
            for (row, _), sc in zip(pending, scorer.score([t for _, t in pending]), strict=True):
                row[key] = sc.compound
                if key == "compound":
                    row["polarity"] = sc.label
    with_reviews = {r["article_id"] for r in review_out}
    issues = [
        {"article_id": aid, "source_file": None, "line": None, "severity": "warning", "problem": "no_reviews",
         "message": "the reception section names no critic or outlet"}
        for aid in sorted(set(by_article) - with_reviews)
    ]
    return ReviewTables(review_out, quote_out, aspect_out, issues)


def credited_people(infobox: pd.DataFrame) -> dict[str, set[str]]:
    """Per article, lower-cased infobox names (credits, guest roles, titles; surnames too): never critics."""
    out: dict[str, set[str]] = {}
    for aid, value, role in zip(infobox["article_id"], infobox["value"], infobox["role"], strict=True):
        names = out.setdefault(aid, set())
        for name in (value, role):
            if isinstance(name, str) and name and any(c.isupper() for c in name[:1]):
                names.add(name.lower())
                if " " in name:
                    names.add(name.split()[-1].lower())
    return out


def people_spans(entities: pd.DataFrame) -> dict[str, list[tuple[int, int, str]]]:
    """Per article, raw (start, end, canonical) of every person or character mention."""
    e = entities[entities["kind"].isin(["person", "character"])]
    out: dict[str, list[tuple[int, int, str]]] = {}
    for aid, s, en, c in zip(e["article_id"], e["start"], e["end"], e["canonical"], strict=True):
        out.setdefault(aid, []).append((int(s), int(en), c))
    return out


def review_tables(
    kept_docs: KeptDocsFile,
    paragraphs: pd.DataFrame,
    edits: pd.DataFrame,
    infobox: pd.DataFrame,
    sentiment: pd.DataFrame,
    entities: pd.DataFrame,
    scorer,
    cfg: PolarityConfig,
    aspect_lexicon: dict[str, Sequence[str]] | None = None,
    titles: Iterable[str] = (),
    model: str = "",
    cache=None,
) -> ReviewTables:
    """`review_rows` from the stage's tables and the kept reception docs, article by article.

    `kept_docs`: the NLP stage's kept docs (Doc objects built only for the articles computed). With a
    `cache` (epnlp.cache.ArticleCache), an article's rows are reused while its rows of the input tables,
    the options, the scorer, the spaCy model name/version and the code are unchanged (the docs are a
    function of the paragraphs' clean text and the model)."""
    import spacy

    from epnlp.cache import article_digests, fingerprint, module_fingerprint, per_article
    from epnlp.nlp import paragraph_inputs

    by_article: dict[str, list[dict]] = {}
    for c in kept_docs.contexts:
        by_article.setdefault(c["article_id"], []).append(c)
    keep = {(c["article_id"], c["paragraph_id"]) for c in kept_docs.contexts}
    mask = [k in keep for k in zip(paragraphs["article_id"], paragraphs["paragraph_id"], strict=True)]
    kept = paragraphs[mask]
    people = entities[entities["kind"].isin(["person", "character"])]
    digests = article_digests(kept, edits[edits["article_id"].isin(set(by_article))], infobox, sentiment, people)
    common = fingerprint(
        cfg.__dict__, aspect_lexicon, sorted(titles), model, spacy.__version__,
        getattr(scorer, "fingerprint", None) or getattr(scorer, "name", None),
        module_fingerprint("reviews", "scores", "aspects", "sentiment", "sentiment_model", "nlp", "clean"),
    )
    keys = {aid: fingerprint(common, digests.get(aid, "")) for aid in by_article}

    def compute(todo: list[str]) -> dict[str, ReviewTables]:
        want = set(todo)
        inputs = {(p.article_id, p.paragraph_id): p for p in paragraph_inputs(kept[kept["article_id"].isin(want)], edits)}
        s = sentiment[sentiment["article_id"].isin(want)]
        sent = {(a, i): (c, e) for a, i, c, e in zip(s["article_id"], s["sentence_id"], s["compound"], s["evidence"], strict=True)}
        docs = kept_docs.docs(want)
        docs.sort(key=lambda d: d.user_data["ctx"]["article_id"])  # stable: file order within an article
        res = review_rows(
            docs, inputs, credited_people(infobox[infobox["article_id"].isin(want)]),
            sent, scorer, cfg, aspect_lexicon, people_spans(people[people["article_id"].isin(want)]), titles,
        )
        out = {aid: ReviewTables([], [], [], []) for aid in todo}
        for name in ("reviews", "quotes", "aspects", "issues"):
            for row in getattr(res, name):
                getattr(out[row["article_id"]], name).append(row)
        return out

    parts = per_article(cache, keys, compute)
    ids = sorted(parts)
    return ReviewTables(*([row for aid in ids for row in getattr(parts[aid], name)] for name in ("reviews", "quotes", "aspects", "issues")))
