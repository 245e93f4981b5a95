"""Split a reception section into critics' reviews and extract each review's facts.

A review starts at a sentence whose reporting verb ("said", "gave", "ranked", ...) has a named subject
(an outlet or a critic, found by the parse and NER, not by a list) and runs through the following
sentences that refer back to it ("They were also pleased...") until the next critic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

if TYPE_CHECKING:
    import pandas as pd

    from epnlp.nlp import KeptDocsFile

from epnlp.review_critics import Critic, find_critics, name_span  # noqa: F401 - re-exported
from epnlp.review_polarity import Clause, PolarityConfig, Signal, decide, describe, review_signals
from epnlp.scores import RankFact, ScoreFact, find_quotes, find_ranks, find_scores, find_year

_BACKREF = re.compile(
    r"^\s*(?:(?:however|also|additionally|further(?:more)?|moreover|but|and|overall|in\s+addition),?\s+)?"
    r"(?:they|he|she|the\s+(?:critic|reviewer|review|writer|site|magazine|outlet|publication|paper|author|columnist))\b",
    re.IGNORECASE,
)
_QUOTE_FIRST = re.compile(r'^["\s,]*(?:[a-z]+\s+)?$')  # between '"...,"' and the critic: at most the verb


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


Owners = list[tuple[Review, tuple[int, ...]]]  # reviews named in one sentence, with where they are named


def _owner(owners: Owners, base: int, pos: int) -> Review:
    """The review whose critic is named last before `pos` (facts follow their critic)."""
    before = [(max((m - base for m in ms if m - base <= pos), default=-1), -k) for k, (_, ms) in enumerate(owners)]
    return owners[max(range(len(owners)), key=lambda k: before[k])][0]


def _norm_name(text: str) -> str:
    t = text.lower().replace("\u2019", "'").strip()
    t = t.removeprefix("the ").removesuffix("'s").removesuffix("'")
    return t.strip()


def _names(c: Critic) -> set[str]:
    """How a critic can be named again: the full author name, its surname, the outlet."""
    out = {_norm_name(s.text) for s in (c.author, c.outlet) if s is not None}
    if c.author is not None and len(c.author) > 1:
        out.add(_norm_name(c.author[-1].text if c.author[-1].text != "-" else c.author.text))
        words = c.author.text.split()
        out.add(_norm_name(words[-1]))
    return out


def known_critic(reviews: Sequence[Review], c: Critic) -> Review | None:
    """The earlier review of a critic named again ("Marsh notes...", "IGN also..."): a later mention of
    a known critic continues that critic's review, it is never a new critic."""
    for r in reversed(reviews):
        names = _names(r.critic)
        if c.author is not None and _norm_name(c.author.text) in names:
            return r
        if c.author is None and c.outlet is not None and _norm_name(c.outlet.text) in names:
            return r
    return None


def _other(c: Critic, others: set[str], reviews: Sequence[Review]) -> bool:
    """A character or a person of the cast or crew named as if a critic (no outlet, not a known critic)."""
    if c.author is not None and c.outlet is not None:
        return False
    name = _norm_name((c.author or c.outlet).text)
    return name in others and known_critic(reviews, c) is None


def _add_facts(owners: Owners, sent: Span, previous: Review | None) -> None:
    """Scores, ranks and quotes of a sentence naming critics go to the critic named last before them; a
    score before every critic to the review the sentence continues ("She gave it a B. X of Y wrote...")."""
    text, base = sent.text, sent.start_char
    owner = partial(_owner, owners, base)
    first = min(m - base for _, ms in owners for m in ms)
    for sc in find_scores(text):
        r = previous if previous is not None and sc.end <= first else owner(sc.start)
        if r.score is None:
            r.score, r.score_sentence = sc, sent
    for rk in find_ranks(text):
        r = owner(rk.start)
        if r.rank is None:
            r.rank = rk
    mentions = sorted((m - base, k) for k, (_, ms) in enumerate(owners) for m in ms)
    for a, b in find_quotes(text):
        if a >= mentions[0][0]:
            owner(a).quotes.append((sent, a, b))
        else:
            # A quote before every critic: theirs only in the quote-first style ('"...," wrote X').
            after = next((k for m, k in mentions if m >= b and _QUOTE_FIRST.match(text[b:m])), None)
            if after is not None:
                owners[after][0].quotes.append((sent, a, b))


def _continue(current: list[Review], sent: Span) -> None:
    """A sentence that refers back to the current reviews joins each of them, with its facts."""
    text = sent.text
    for r in current:
        r.sentences.append(sent)
        if r.score is None and (scores := find_scores(text)):
            r.score, r.score_sentence = scores[0], sent
        if r.rank is None and (ranks := find_ranks(text)):
            r.rank = ranks[0]
        r.quotes.extend((sent, a, b) for a, b in find_quotes(text))


def segment(
    sentences: Sequence[tuple[Span, int]], people: set[str], prev_year: int | None = None, titles: Iterable[str] = (),
    others: set[str] = frozenset(),
) -> list[Review]:
    """Reviews from reception sentences in order; `sentences` are (sentence span, paragraph_id).

    `people` (credited names) are never critics; `others` (characters, people named elsewhere) are not
    critics unless an outlet is named with them."""
    title_set = frozenset(t.casefold().rstrip(".") for t in titles)
    reviews: list[Review] = []
    current: list[Review] = []
    last_para: int | None = None
    for sent, para in sentences:
        critics = [c for c in find_critics(sent, people, title_set) if not _other(c, others, reviews)]
        if critics:
            owners: Owners = []
            fresh: list[Review] = []
            for c in critics:
                old = known_critic(reviews + fresh, c)
                k = next((i for i, (r, _) in enumerate(owners) if r is old), None) if old is not None else None
                if k is not None:
                    owners[k] = (old, owners[k][1] + c.mentions)
                    continue
                if old is None:
                    old = Review(c, [])
                    fresh.append(old)
                if not old.sentences or old.sentences[-1] is not sent:
                    old.sentences.append(sent)
                owners.append((old, c.mentions))
            _add_facts(owners, sent, current[-1] if current and para == last_para else None)
            year = find_year(sent.text, prev_year)
            for r in fresh:
                r.year = year
            if year is not None and fresh:
                prev_year = year
            reviews.extend(fresh)
            current = [r for r, _ in owners]
        elif current and (para == last_para or _BACKREF.match(sent.text)):
            _continue(current, sent)
        else:
            current = []
        last_para = para
    return reviews


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


def review_polarity(r: Review, clauses: Sequence[Clause], cfg: PolarityConfig,
                    mean_text: float | None = None) -> tuple[str, Signal | None]:
    """A review's polarity and the signal that decided it (see `epnlp.review_polarity`)."""
    signals = review_signals(r.sentences, clauses, r.score.norm if r.score else None,
                             r.score.text if r.score else "", r.rank.rank_list if r.rank else None, cfg)
    return decide(signals, mean_text, cfg)


def clause_scores_of(reviews: Sequence[Review], scorer) -> dict[int, list[Clause]]:
    """Per review index, (sentence, clause text, compound) of every clause of its sentences, scored in one batch."""
    from epnlp.aspects import clauses

    rows = [(k, sent, c.start, sent.doc.text[c.start : c.end]) for k, r in enumerate(reviews) for sent in r.sentences for c in clauses(sent)]
    out: dict[int, list[Clause]] = {}
    if rows:
        for (k, sent, start, text), sc in zip(rows, scorer.score([t for *_, t in rows]), strict=True):
            out.setdefault(k, []).append(Clause(sent, text, sc.compound, start))
    return out


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
    named: dict[str, list[tuple]] | None = None,
    titles: Iterable[str] = (),
) -> ReviewTables:
    """Reviews, quotes and judged aspects from the reception docs, plus issue rows (no review found).

    `named` gives, per article, raw spans, canonical names, kinds and section roles of the people and
    characters mentioned (`people_spans`): characters and people named outside the reception are not critics.

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
        others = not_critics((named or {}).get(aid, []))
        reviews = segment([(s, para) for s, para, _ in sents], people.get(aid, set()), titles=titles, others=others)
        clause_scores = clause_scores_of(reviews, scorer)
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
            _, agreement = polarity(text_sent, verdict, cfg)
            pol, decided = review_polarity(r, clause_scores.get(rid, []), cfg, text_sent)
            evidence = describe(decided, strongest[1][1] if strongest else "")
            ev_sid = strongest[0] if strongest else None
            if decided is not None and decided.sentence is not None:
                ev_sid = sid_of[(decided.sentence.doc.user_data["ctx"]["paragraph_id"], decided.sentence.start)]
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
                    "evidence": evidence,
                    "evidence_sentence_id": ev_sid,
                }
            )
            quote_out.extend(quotes)

            to_raw = partial(_sentence_to_raw, inputs, aid)

            clause_ids: dict[tuple[int, int], int] = {}
            critic = {raw_of(x) for x in (r.critic.outlet, r.critic.author) if x is not None}
            critic |= {n for n in critic if n} | {x.text for x in (r.critic.outlet, r.critic.author) if x is not None}
            for j in judgements(r.sentences, patterns, [n[:3] for n in (named or {}).get(aid, [])], to_raw, critic, lambda t: bool(vader_evidence(t))):
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


def people_spans(entities: pd.DataFrame) -> dict[str, list[tuple[int, int, str, str, str]]]:
    """Per article, raw (start, end, canonical, kind, role) of every person or character mention."""
    e = entities[entities["kind"].isin(["person", "character"])]
    out: dict[str, list[tuple[int, int, str, str, str]]] = {}
    for aid, s, en, c, k, r in zip(e["article_id"], e["start"], e["end"], e["canonical"], e["kind"], e["role"], strict=True):
        out.setdefault(aid, []).append((int(s), int(en), c, k, r))
    return out


def not_critics(named: Sequence[tuple]) -> set[str]:
    """Lower-cased names (and surnames) of the story's characters and of people the article names outside
    its reception (cast and crew in the lead or production): never a critic without an outlet."""
    out: set[str] = set()
    for _, _, canonical, kind, role in (n for n in named if len(n) >= 5):
        if isinstance(canonical, str) and (kind == "character" or role not in ("reception",)):
            out.add(canonical.lower())
            if kind == "person" and " " in canonical:
                out.add(canonical.split()[-1].lower())
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
        module_fingerprint("reviews", "review_critics", "review_polarity", "scores", "aspects", "sentiment", "sentiment_model", "nlp", "clean"),
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
