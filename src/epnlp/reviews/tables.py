"""Critics' reviews as table rows: reviews, quotes and judged aspects of each article's reception.

Critics are found by `epnlp.reviews.critics`, reviews segmented by `epnlp.reviews.segment`, their polarity
decided by `epnlp.reviews.polarity`; this module turns them into rows with raw offsets and runs the stage
per article (with a cache).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

if TYPE_CHECKING:
    import pandas as pd

    from epnlp.nlp.pipeline import KeptDocsFile

from epnlp.reviews.aspects import doc_text
from epnlp.reviews.critics import Critic, find_critics, name_span  # noqa: F401 - re-exported
from epnlp.reviews.polarity import Clause, PolarityConfig, Signal, decide, describe, review_signals
from epnlp.reviews.segment import Review, known_critic, segment  # noqa: F401 - re-exported


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
    """A review's polarity and the signal that decided it (see `epnlp.reviews.polarity`)."""
    signals = review_signals(r.sentences, clauses, r.score.norm if r.score else None,
                             r.score.text if r.score else "", r.rank.rank_list if r.rank else None, cfg)
    return decide(signals, mean_text, cfg, quoted=bool(r.quotes))


def clause_scores_of(reviews: Sequence[Review], scorer) -> dict[int, list[Clause]]:
    """Per review index, (sentence, clause text, compound) of every clause of its sentences, scored in one batch."""
    from epnlp.reviews.aspects import clauses

    rows = [(k, sent, c.start, doc_text(sent.doc)[c.start : c.end]) for k, r in enumerate(reviews) for sent in r.sentences for c in clauses(sent)]
    out: dict[int, list[Clause]] = {}
    if rows:
        for (k, sent, start, text), sc in zip(rows, scorer.score([t for *_, t in rows]), strict=True):
            out.setdefault(k, []).append(Clause(sent, text, sc.compound, start))
    return out


def _raw(p, a: int, b: int) -> tuple[int, int, str]:
    """Raw (start, end, text) of clean offsets [a, b) of a paragraph."""
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


@dataclass
class _Article:
    """One article's reception sentences and the lookups that turn a review into rows."""

    aid: str
    inputs: dict
    sid_of: dict[tuple[int, int], int]
    sentiment: dict[tuple[str, int], tuple[float, str]]

    def sid(self, sent: Span) -> int:
        """The sentence id of a sentence span."""
        return self.sid_of[(sent.doc.user_data["ctx"]["paragraph_id"], sent.start)]

    def para(self, sent: Span):
        """The ParagraphInput (offset map) of a sentence span."""
        return self.inputs[(self.aid, sent.doc.user_data["ctx"]["paragraph_id"])]


def _by_article(docs: Sequence[Doc]) -> dict[str, list[tuple[Span, int, int]]]:
    """(sentence, paragraph_id, sentence_id) of the reception docs, per article."""
    from epnlp.nlp.pipeline import sentences_of

    out: dict[str, list[tuple[Span, int, int]]] = {}
    for doc in docs:
        ctx = doc.user_data["ctx"]
        for k, sent in enumerate(sentences_of(doc)):
            out.setdefault(ctx["article_id"], []).append((sent, ctx["paragraph_id"], ctx["first_sentence_id"] + k))
    return out


def _quote_rows(a: _Article, rid: int, r: Review) -> list[tuple[dict, str]]:
    """The review's quotes as rows (raw offsets), with the clean text to score."""
    out = []
    for q, (sent, s, e) in enumerate(r.quotes):
        qs, qe, qt = _raw(a.para(sent), sent.start_char + s, sent.start_char + e)
        out.append(({"article_id": a.aid, "review_id": rid, "quote_id": q, "start": qs, "end": qe, "text": qt}, sent.text[s:e]))
    return out


def _review_row(a: _Article, rid: int, r: Review, clauses: Sequence[Clause], cfg: PolarityConfig, quote: str | None) -> dict:
    """One reviews.csv row: critic, facts, raw span of its sentences, sentiment, verdict, polarity, evidence."""
    first, last = r.sentences[0], r.sentences[-1]
    sids = [a.sid(s) for s in r.sentences]
    scored = [a.sentiment[(a.aid, sid)] for sid in sids if (a.aid, sid) in a.sentiment]
    text_sent = round(sum(c for c, _ in scored) / len(scored), 4) if scored else None
    strongest = max(zip(sids, scored, strict=True), key=lambda x: (abs(x[1][0]), -x[0]), default=None)
    raw_of = partial(_raw_text, a.inputs, a.aid)
    score_text = None
    if r.score is not None and r.score_sentence is not None:
        base = r.score_sentence.start_char
        score_text = _raw(a.para(r.score_sentence), base + r.score.start, base + r.score.end)[2]
    verdict = score_signal(r, cfg)
    _, agreement = polarity(text_sent, verdict, cfg)
    pol, decided = review_polarity(r, clauses, cfg, text_sent)
    ev_sid = strongest[0] if strongest else None
    if decided is not None and decided.sentence is not None:
        ev_sid = a.sid(decided.sentence)
    return {
        "article_id": a.aid, "review_id": rid, "outlet": raw_of(r.critic.outlet), "author": raw_of(r.critic.author),
        "year": r.year, "score_text": score_text, "score": r.score.score if r.score else None,
        "score_max": r.score.score_max if r.score else None, "score_norm": r.score.norm if r.score else None,
        "rank": r.rank.rank if r.rank else None, "rank_list": r.rank.rank_list if r.rank else None, "quote": quote,
        "start": _raw(a.para(first), first.start_char, first.end_char)[0],
        "end": _raw(a.para(last), last.start_char, last.end_char)[1],
        "sentence_ids": " ".join(map(str, sids)), "n_sentences": len(sids), "sentiment": text_sent, "verdict": verdict,
        "polarity": pol, "agreement": agreement, "evidence": describe(decided, strongest[1][1] if strongest else ""),
        "evidence_sentence_id": ev_sid,
    }


def _aspect_rows(a: _Article, rid: int, r: Review, patterns, named: Sequence[tuple]) -> list[tuple[dict, str]]:
    """What the review's clauses judge (people, aspects, the episode), with the clause text to score."""
    from epnlp.reviews.aspects import judgements
    from epnlp.sentiment.scorer import vader_evidence

    raw_of = partial(_raw_text, a.inputs, a.aid)
    critic = {raw_of(x) for x in (r.critic.outlet, r.critic.author) if x is not None}
    critic |= {n for n in critic if n} | {x.text for x in (r.critic.outlet, r.critic.author) if x is not None}
    clause_ids: dict[tuple[int, int], int] = {}
    out = []
    to_raw = partial(_sentence_to_raw, a.inputs, a.aid)
    for j in judgements(r.sentences, patterns, [n[:3] for n in named], to_raw, critic, lambda t: bool(vader_evidence(t))):
        sid = a.sid(j.sentence)
        cid = clause_ids.setdefault((sid, j.clause.start), sum(1 for k in clause_ids if k[0] == sid))
        cs, ce, ct = _raw(a.para(j.sentence), j.clause.start, j.clause.end)
        row = {"article_id": a.aid, "review_id": rid, "sentence_id": sid, "clause_id": cid, "target": j.target,
               "target_type": j.target_type, "start": cs, "end": ce, "text": ct}
        out.append((row, doc_text(j.sentence.doc)[j.clause.start : j.clause.end]))
    return out


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

    `docs` are the reception paragraph docs (context in `doc.user_data['ctx']`), in article order;
    `inputs` maps (article_id, paragraph_id) to the ParagraphInput holding the offset map; `named` gives,
    per article, raw spans, canonical names, kinds and section roles of the people and characters
    mentioned (`people_spans`): characters and people named outside the reception are not critics.
    """
    from epnlp.reviews.aspects import aspect_matcher

    by_article = _by_article(docs)
    patterns = aspect_matcher(aspect_lexicon or {})
    review_out: list[dict] = []
    quotes: list[tuple[dict, str]] = []
    aspects: list[tuple[dict, str]] = []
    for aid in sorted(by_article):
        sents = by_article[aid]
        a = _Article(aid, inputs, {(s.doc.user_data["ctx"]["paragraph_id"], s.start): sid for s, _, sid in sents}, sentence_sentiment)
        mentioned = (named or {}).get(aid, [])
        reviews = segment([(s, para) for s, para, _ in sents], people.get(aid, set()), titles=titles, others=not_critics(mentioned))
        clause_scores = clause_scores_of(reviews, scorer)
        for rid, r in enumerate(reviews):
            q = _quote_rows(a, rid, r)
            review_out.append(_review_row(a, rid, r, clause_scores.get(rid, []), cfg, q[0][0]["text"] if q else None))
            quotes += q
            aspects += _aspect_rows(a, rid, r, patterns, mentioned)
    for pending, key in ((quotes, "sentiment"), (aspects, "compound")):
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
    return ReviewTables(review_out, [row for row, _ in quotes], [row for row, _ in aspects], issues)


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
    kept_docs: KeptDocsFile, paragraphs: pd.DataFrame, edits: pd.DataFrame, infobox: pd.DataFrame,
    sentiment: pd.DataFrame, entities: pd.DataFrame, scorer, cfg: PolarityConfig,
    aspect_lexicon: dict[str, Sequence[str]] | None = None, titles: Iterable[str] = (), model: str = "", cache=None,
) -> ReviewTables:
    """`review_rows` from the stage's tables and the kept reception docs, article by article.

    `kept_docs`: the NLP stage's kept docs (Doc objects built only for the articles computed). With a
    `cache` (epnlp.cache.ArticleCache), an article's rows are reused while its rows of the input tables,
    the options, the scorer, the spaCy model name/version and the code are unchanged (the docs are a
    function of the paragraphs' clean text and the model)."""
    import pandas as pd
    import spacy

    from epnlp.cache import article_digests, fingerprint, module_fingerprint, per_article
    from epnlp.nlp.pipeline import paragraph_inputs

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
        module_fingerprint("reviews.tables", "sentiment.scorer"),
    )
    keys = {aid: fingerprint(common, digests.get(aid, "")) for aid in by_article}

    def compute(todo: list[str]) -> dict[str, ReviewTables]:
        want = set(todo)
        docs = kept_docs.docs(want)
        docs.sort(key=lambda d: d.user_data["ctx"]["article_id"])  # stable: file order within an article
        clean = pd.DataFrame(  # a kept doc's text is its paragraph's clean text: no need to read the table
            [(d.user_data["ctx"]["article_id"], d.user_data["ctx"]["paragraph_id"], d.text) for d in docs],
            columns=["article_id", "paragraph_id", "clean_text"],
        )
        part = [df[df["article_id"].isin(want)] for df in (kept, edits)]
        inputs = {(p.article_id, p.paragraph_id): p for p in paragraph_inputs(part[0], clean, part[1])}
        s = sentiment[sentiment["article_id"].isin(want)]
        sent = {(a, i): (c, e) for a, i, c, e in zip(s["article_id"], s["sentence_id"], s["compound"], s["evidence"], strict=True)}
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
