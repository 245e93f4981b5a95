"""A review's polarity from the critic's stance as well as the words.

Signals, strongest first: an explicit judgement of the review ("gave it a mixed review", "reviewed it
positively"); the critic's score (a clear one decides, a middling one is mixed) or a place in a list; the
critic's praise or blame verbs and stance adjectives ("praised", "criticised", "was critical of"),
negation flipping them; words of critical judgement ("gripping", "contrived"); contrasts ("but",
"however"); and, weakly, clearly positive clause sentiment (a negative clause is content, not judgement:
the sentence model reads "a bloodbath" as negative). A review is mixed when it holds both sides in
strength or turned by a contrast, or states so. Every signal carries the words that gave it (`evidence`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from epnlp.reviews.critics import (
    CRITIC_WORDS,
    PSYCH_POSITIVE,
    PSYCH_VERBS,
    STANCE_ADJECTIVES,
    critic_subject,
    lemma_in,
)
from epnlp.reviews.scores import sentence_quote_mask

PRAISE_VERBS = frozenset(
    """praise laud applaud commend acclaim hail admire enjoy love like appreciate recommend celebrate rave
    welcome compliment extol salute champion relish savor savour""".split()
)
BLAME_VERBS = frozenset(
    """criticize criticise pan slam fault dismiss lament complain deride lambast blast dislike hate bemoan
    decry knock berate condemn disparage ridicule""".split()
)
_REVIEW_NOUN = r"(?:reviews?|feelings|response|reaction|verdict|notices?|assessment|write-up|opinion|take)"
_EXPLICIT = [
    ("mixed", re.compile(rf"\b(?:mixed|mild|lukewarm|middling|tepid|ambivalent)\s+{_REVIEW_NOUN}\b|\bmixed\s+bag\b", re.I)),
    ("positive", re.compile(rf"\b(?:positive|favou?rable|glowing|rave|enthusiastic|warm|strong)\s+{_REVIEW_NOUN}\b", re.I)),
    ("negative", re.compile(rf"\b(?:negative|unfavou?rable|scathing|poor|harsh|damning|scornful|hostile)\s+{_REVIEW_NOUN}\b", re.I)),
    ("positive", re.compile(r"\b(?:reviewed|received|rated|regarded|viewed)\s+(?:\w+\s+){0,3}?(?:positively|favou?rably|warmly)\b", re.I)),
    ("negative", re.compile(r"\b(?:reviewed|received|rated|regarded|viewed)\s+(?:\w+\s+){0,3}?(?:negatively|unfavou?rably|harshly)\b", re.I)),
]
# Words of critical judgement (quality, not content: "violent" or "dark" judge nothing), general to TV
# criticism; lemmas, matched lower-case. The sentence model and VADER miss many ("tedious", "gripping").
QUALITY_POSITIVE = frozenset(
    """strong clever smart witty funny hilarious gripping compelling engaging entertaining enjoyable fun
    satisfying effective impressive excellent terrific superb brilliant outstanding great fantastic wonderful
    solid fresh inventive ambitious thoughtful nuanced moving poignant powerful tense thrilling riveting
    beautiful gorgeous stunning masterful memorable standout polished sharp elegant delightful charming
    engrossing captivating rewarding triumph masterpiece highlight gem earn shine excel soar succeed
    brilliance strength best finest exciting intriguing fascinating heartfelt touching remarkable amazing
    perfect stellar phenomenal incredible good favorite favourite well-written""".split()
)
QUALITY_NEGATIVE = frozenset(
    """weak dull boring tedious bloated uneven predictable rushed clumsy thin messy sloppy lazy contrived
    forced confusing convoluted disappointing underwhelming flat lifeless tired stale silly ridiculous
    pointless overlong plodding meandering exhausting frustrating cheap derivative mediocre bland forgettable
    unconvincing awkward jarring muddled incoherent shallow hollow repetitive redundant terrible awful poor
    mess disaster misfire slog letdown failure filler sag drag stumble falter lack flaw weakness worst shame
    disappointment unnecessary overwrought melodramatic cheesy nonsensical implausible tiresome wooden generic
    lackluster uninspired lacking problematic questionable misstep sluggish dreary overstuffed padded annoying
    grating squander undercut undermine waste""".split()
)
_FLIP = {"not", "n't", "never", "less", "hardly", "nowhere", "barely", "without"}
ADVERSATIVE = frozenset({"but", "however", "yet", "nevertheless", "nonetheless", "unfortunately"})
CONCESSIVE = frozenset({"though", "although", "while", "whereas", "despite", "albeit"})
_LISTED = re.compile(r"\b(?:named|listed|ranked|placed|included|featured)\s+(?:it|the\s+episode)\b[^.;]*?\b(?:in|on|among|as)\b", re.I)
_LESS = {"less", "hardly", "barely", "never", "scarcely"}
_PRONOUNS = {"he", "she", "they", "who", "i", "we"}


@dataclass(frozen=True)
class PolarityConfig:
    """How a review's signals combine into a polarity.

    `threshold`: |signal| at which text or score counts for `agreement`; `rank_signal`: verdict of a
    best/worst list place. Clause sentiment counts when compound + `clause_offset` (the sentence model reads
    plain description as slightly negative) reaches `clause_positive`; after a contrast marker when it
    reaches `contrast_min` (or -`contrast_negative`), weighing at least `contrast_weight` ('but') or
    `concession_weight` ('though'); a review without signals reads clearly negative below
    `clause_negative`. A score below `mixed_score` but not below `negative_score` is middling (mixed), from
    `positive_score` clearly positive; a word of judgement weighs `word_weight`; `mixed_ratio`: the weaker
    side's share of the stronger for a mixed review."""

    threshold: float = 0.2
    rank_signal: float = 0.5
    clause_offset: float = 0.1
    clause_positive: float = 0.25
    clause_negative: float = -0.3
    negative_score: float = 0.5
    mixed_score: float = 0.65
    positive_score: float = 0.75
    mixed_ratio: float = 0.5
    contrast_weight: float = 1.5
    word_weight: float = 0.75
    contrast_min: float = 0.15
    contrast_negative: float = 0.3
    concession_weight: float = 0.5


@dataclass(frozen=True)
class Clause:
    """A clause of a review sentence with its sentiment; `start` is its clean offset in the doc."""

    sentence: Span
    text: str
    compound: float
    start: int


@dataclass(frozen=True)
class Signal:
    """One piece of evidence: its direction (+1/-1), weight, kind and the words that gave it."""

    sign: int
    weight: float
    kind: str
    text: str
    sentence: Span | None = None
    at: int = -1  # clean offset in the sentence's doc of the word that gave it (stance, word signals)
    clause: str = ""  # the clause holding that word


def in_mask(tok: Token, mask: list[tuple[int, int]]) -> bool:
    """Whether `tok` starts inside one of the sentence-relative spans of `mask`."""
    i = tok.idx - tok.sent.start_char
    return any(a <= i < b for a, b in mask)


def _critic_said(tok: Token) -> bool:
    """Whether the critic is who does `tok`: a pronoun, a critic noun or a name as subject, or none for a
    participle or conjunct hanging on the critic's verb ('..., praising the score')."""
    subj = critic_subject(tok)
    if subj is None:
        return tok.tag_ in ("VBG", "VBD", "VBZ") and tok.dep_ in ("advcl", "conj", "xcomp", "pcomp", "ROOT")
    return subj.lower_ in _PRONOUNS or subj.lower_ in CRITIC_WORDS or subj.pos_ == "PROPN"


def _negated(tok: Token) -> bool:
    """'did not enjoy', 'was not impressed', 'was less enthusiastic', 'hardly praised'."""
    mods = list(tok.children) + (list(tok.head.children) if tok.dep_ in ("xcomp", "acomp") else [])
    return any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in _LESS) for c in mods)


def stance_signals(sent: Span) -> list[Signal]:
    """The critic's praise/blame verbs and stance adjectives ('was critical of') in one sentence, outside
    quotations; a negated verb counts the other way."""
    mask = sentence_quote_mask(sent)
    out: list[Signal] = []
    for tok in sent:
        if in_mask(tok, mask):
            continue
        sign = 0
        if tok.pos_ == "VERB" and lemma_in(tok, PRAISE_VERBS):
            sign = 1
        elif tok.pos_ == "VERB" and lemma_in(tok, BLAME_VERBS):
            sign = -1
        elif tok.tag_ == "VBN" and lemma_in(tok, PSYCH_VERBS) and any(c.dep_ == "nsubjpass" for c in tok.children):
            sign = 1 if lemma_in(tok, PSYCH_POSITIVE) else -1
        elif tok.pos_ == "ADJ" and tok.lower_ in STANCE_ADJECTIVES and tok.dep_ in ("acomp", "amod") and tok.head.lemma_ in ("be", "remain", "seem", "appear"):
            sign = STANCE_ADJECTIVES[tok.lower_]
        if sign and _critic_said(tok if tok.pos_ == "VERB" else tok.head):
            if _negated(tok):
                sign = -sign
            out.append(Signal(sign, 2.0, "stance", tok.text, sent, tok.idx))
    return out


def _quality(tok: Token) -> int:
    """+1 / -1 for a word of judgement, its opposite with 'un-' ('unsatisfying', 'unfunny'), else 0."""
    for form in (tok.lemma_.lower(), tok.lower_):
        if form in QUALITY_POSITIVE:
            return 1
        if form in QUALITY_NEGATIVE:
            return -1
        if form.startswith("un") and form[2:] in QUALITY_POSITIVE:
            return -1
    return 0


def word_signals(sent: Span, weight: float) -> list[Signal]:
    """Words of judgement (`QUALITY_POSITIVE` / `QUALITY_NEGATIVE`, quotations included: they are the
    critic's words); a negation or 'less' within three words flips one, 'too' before an adjective makes it
    a reservation ('a little too neat')."""
    out = []
    for tok in sent:
        if tok.pos_ == "PROPN" or not (tok.is_lower or tok.i == sent.start):
            continue
        sign = _quality(tok)
        before = [t.lower_ for t in sent[max(0, tok.i - sent.start - 3) : tok.i - sent.start]]
        words = tok.text
        if tok.pos_ == "ADJ" and before[-1:] == ["too"]:
            sign, words = -1, f"too {tok.text}"
        elif sign and (flip := next((w for w in before if w in _FLIP), None)):
            sign, words = -sign, f"{flip} ... {tok.text}"
        if sign:
            out.append(Signal(sign, weight, "word", words, sent, tok.idx))
    return out


def explicit_signals(sent: Span) -> list[Signal]:
    """A judgement of the review stated in so many words ("a mixed review", "reviewed it positively")."""
    out = []
    for label, pattern in _EXPLICIT:
        for m in pattern.finditer(sent.text):
            sign = {"positive": 1, "negative": -1, "mixed": 0}[label]
            out.append(Signal(sign, 4.0, "explicit", m.group(0), sent))
    return out


def listing_signals(sent: Span) -> list[Signal]:
    """Named or listed in a list ('named it #1 in their ... episodes'): favourable unless a worst list."""
    m = _LISTED.search(sent.text)
    if m is None:
        return []
    sign = -1 if re.search(r"\bworst\b", sent.text, re.I) else 1
    return [Signal(sign, 2.0, "list", m.group(0), sent)]


def score_signals(norm: float | None, text: str, rank_list: str | None, cfg: PolarityConfig) -> list[Signal]:
    """The critic's own verdict: a clear score weighs much, a middling one is mixed; a list place."""
    out = []
    if norm is not None and norm == norm:
        if norm >= cfg.positive_score:
            out.append(Signal(1, 3.0, "score", text))
        elif norm >= cfg.mixed_score:
            out.append(Signal(1, 1.5, "score", text))
        elif norm >= cfg.negative_score:
            out.append(Signal(0, 3.0, "score", text))
        else:
            out.append(Signal(-1, 3.0, "score", text))
    elif rank_list is not None:
        out.append(Signal(-1 if rank_list.startswith("worst") else 1, 2.0, "rank", rank_list))
    return out


def _marker(clause: Clause) -> str:
    """The contrast marker opening a clause ('but', 'however', 'though', ...), or '' ('yet' and 'still'
    only as conjunctions: "their darkest day yet" contrasts nothing)."""
    sent = clause.sentence
    before = [t for t in sent if t.idx < clause.start and not t.is_punct][-1:]
    first = [t for t in sent if t.idx >= clause.start][:1]
    for t in first + before:
        if (t.lower_ in ADVERSATIVE or t.lower_ in CONCESSIVE) and t.dep_ in ("cc", "mark", "advmod", "prep"):
            if t.lower_ in ("yet", "still") and t.dep_ != "cc":
                continue
            return t.lower_
    return ""


def clause_signals(clauses: Sequence[Clause], cfg: PolarityConfig) -> list[Signal]:
    """Clauses whose sentiment (shifted by `clause_offset`) is clearly positive, weighted by it. A plainly
    negative clause is not a judgement: the sentence model reads dark content ("a bloodbath", "the demon
    kills again") as negative, and critics who fault an episode say so in words (`word_signals`,
    `stance_signals`). A clause opened by 'but'/'however' (beyond `contrast_min`, or `contrast_negative`
    when negative) weighs at least `contrast_weight`: what follows the contrast is the point; one opened
    by 'though'/'while' at least `concession_weight` (a reservation)."""
    out = []
    for cl in clauses:
        c = cl.compound + cfg.clause_offset
        marker = _marker(cl)
        if marker and (c >= cfg.contrast_min or c <= -cfg.contrast_negative):
            floor = cfg.contrast_weight if marker in ADVERSATIVE else cfg.concession_weight
            out.append(Signal(1 if c > 0 else -1, max(floor, abs(c)), "contrast", cl.text, cl.sentence))
        elif c >= cfg.clause_positive:
            out.append(Signal(1, c, "clause", cl.text, cl.sentence))
    return out


def decide(signals: Sequence[Signal], mean_text: float | None, cfg: PolarityConfig, quoted: bool = False) -> tuple[str, Signal | None]:
    """(polarity, the deciding signal): an explicit judgement first; a clear score next (a middling one is
    mixed, a fair one mixed with reservations); else the weighed sides (mixed when both are present and
    turned by 'but'/'however', or the weaker holds `mixed_ratio` of the stronger). Without any signal,
    a critic quoted (`quoted`) or described favourably without criticism is positive, negative only when
    the whole review reads clearly negative; neutral when it states no opinion at all."""
    explicit = [s for s in signals if s.kind == "explicit"]
    if explicit:
        signs = {s.sign for s in explicit}
        if 0 in signs or signs == {1, -1}:
            return "mixed", next(s for s in explicit if s.sign == 0) if 0 in signs else explicit[0]
        return ("positive" if 1 in signs else "negative"), explicit[0]
    score = next((s for s in signals if s.kind == "score"), None)
    top_pos = max((s for s in signals if s.sign > 0), key=lambda s: s.weight, default=None)
    top_neg = max((s for s in signals if s.sign < 0), key=lambda s: s.weight, default=None)
    if score is not None:  # a clear score decides; a middling one is mixed, or mixed with reservations
        if score.sign == 0 or score.weight >= 3.0:
            return {1: "positive", -1: "negative", 0: "mixed"}[score.sign], score
        # a reservation is a judgement (stance, word, contrast), not a clause that only tells dark content
        reservation = max((s for s in signals if s.sign < 0 and s.kind != "clause"), key=lambda s: s.weight, default=None)
        return ("mixed", reservation) if reservation is not None else ("positive", top_pos)
    pos = sum(s.weight for s in signals if s.sign > 0)
    neg = sum(s.weight for s in signals if s.sign < 0)
    turned = any(s.kind == "contrast" and s.weight >= cfg.contrast_weight for s in signals)  # "..., but ..."
    if pos and neg and (turned or min(pos, neg) >= cfg.mixed_ratio * max(pos, neg)):
        return "mixed", top_neg if neg <= pos else top_pos
    if pos > neg:
        return "positive", top_pos
    if neg > pos:
        return "negative", top_neg
    shifted = None if mean_text is None else mean_text + cfg.clause_offset
    if quoted or (shifted is not None and shifted >= 0.05):
        return "positive", None
    if shifted is not None and shifted <= cfg.clause_negative:
        return "negative", None
    return "neutral", None


def describe(signal: Signal | None, fallback: str) -> str:
    """The evidence column: the kind of the deciding signal and its words."""
    if signal is None:
        return fallback
    if signal.clause and signal.clause != signal.text:
        return f"{signal.kind}: {signal.text} | {signal.clause}"
    return f"{signal.kind}: {signal.text}"


def review_signals(sentences: Sequence[Span], clauses: Sequence[Clause], norm: float | None,
                   score_text: str, rank_list: str | None, cfg: PolarityConfig) -> list[Signal]:
    """Every signal of one review, in text order within each kind."""
    out: list[Signal] = []
    for sent in sentences:
        out += explicit_signals(sent) + stance_signals(sent) + listing_signals(sent) + word_signals(sent, cfg.word_weight)
    out = [_in_clause(s, clauses) for s in out] + clause_signals(clauses, cfg)
    return out + judged_contrasts(clauses, out, cfg) + score_signals(norm, score_text, rank_list, cfg)


def _in_clause(signal: Signal, clauses: Sequence[Clause]) -> Signal:
    """The signal with the text of the clause holding its word (for the evidence column)."""
    if signal.at < 0:
        return signal
    cl = next((c for c in clauses if c.sentence is signal.sentence and c.start <= signal.at < c.start + len(c.text)), None)
    return replace(signal, clause=cl.text) if cl is not None else signal


def judged_contrasts(clauses: Sequence[Clause], signals: Sequence[Signal], cfg: PolarityConfig) -> list[Signal]:
    """A clause opened by a contrast marker whose judgement is in its words or verbs ('..., but felt the
    storyline was contrived'): a contrast of that judgement's sign, unless its sentiment already gave one."""
    done = {(s.sentence.start_char, s.text) for s in signals if s.kind == "contrast" and s.sentence is not None}
    out = []
    for cl in clauses:
        marker = _marker(cl)
        if not marker or (cl.sentence.start_char, cl.text) in done:
            continue
        inside = [s for s in signals if s.kind in ("word", "stance") and s.sentence is cl.sentence and cl.start <= s.at < cl.start + len(cl.text)]
        if inside and len({s.sign for s in inside}) == 1:
            floor = cfg.contrast_weight if marker in ADVERSATIVE else cfg.concession_weight
            out.append(Signal(inside[0].sign, floor, "contrast", cl.text, cl.sentence))
    return out
