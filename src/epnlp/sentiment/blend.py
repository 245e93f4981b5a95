"""`blend`: the negation-aware model and VADER combined by one fixed rule, critics' idioms on top and a
neutral band chosen on development data (docs/sentiment.md says how each number was chosen).

For a sentence with VADER compound V and model compound M: VADER's lexicon corrected for critics' usage
(params `critic_lexicon`) and extended with any words the model induced at training (`lexicon_size`;
`sentiment.lexicon`: content words VADER lacks); the model trained with negation marks and without medium
words (`sentiment.rules.prepare`):

1. contrast: if the sentence has a verdict clause ("X, but Y", "Although X, Y", "X and then Y"), the
   model's compound is (1 - clause_weight) * M(sentence) + clause_weight * M(clause), and VADER's the
   same mix of V(sentence) and V(clause).
2. bare: if VADER finds no lexicon word in the sentence, M is multiplied by `bare_damp`: a sentence
   without a single opinion word is usually description, and the model's score of it is noise.
3. combine: c = blend_vader_weight * V + (1 - blend_vader_weight) * M.
4. stated score: if the sentence states a score with its scale (`sentiment.rules.stated_verdict`: 7 out
   of 10 -> +0.4, one star of five -> -0.6), c = (1 - score_weight) * c + score_weight * that verdict.
5. idioms: if the critics' constructions found (`sentiment.rules.idioms`, classes from the model's params
   `constructions`) have a net sign s, the idiom's sentence would become f = s * max(s * c, idiom_floor):
   an idiom decides the sign, the blend keeps its strength when it agrees. It speaks for its own sentence,
   not for a text of n sentences (a post, a paragraph): c becomes c + (f - c) / n. The pipeline's texts
   are its parser's sentences (`one_sentence`: n = 1, f); others are counted by spaCy's sentencizer.
6. label: neutral when |c| < neutral_band.

Profiles: the settings above are chosen for prose in general (news, product reviews, posts: VADER's home
ground, where the model trained on reviews adds noise). Critics' prose is the model's home ground and
VADER's words mislead there ("lovely to look at, impossible to care about"), so the `critic` profile
(params `critic_profile`, chosen on critics' dev sets only) has its own settings: method `critic`
(`epnlp sentiment --method critic`; the reviews stage when params `sentiment.review_method` is critic).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import spacy
from spacy.language import Language
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from epnlp.sentiment.model import BLEND_SETTINGS, Model
from epnlp.sentiment.rules import compile_constructions, default_critic_lexicon, idioms, main_clause, stated_verdict
from epnlp.sentiment.score import Score, compound_score, join_evidence, label_for
from epnlp.sentiment.vader import VaderScorer, vader_evidence

SETTINGS = BLEND_SETTINGS
PROFILES = ("general", "critic")  # "critic": the model's `critic_profile` over its settings (critics' prose)


@dataclass
class Parts:
    """What the blend rule combines, per text: VADER's compound, the model's compound of the sentence
    and of its verdict clause (nan: no contrast), whether VADER found no lexicon word, the idioms' net
    sign, and the evidence strings. Computed once; `combine` is then cheap (tuning tries many settings)."""

    vader: np.ndarray
    model: np.ndarray
    clause: np.ndarray
    bare: np.ndarray
    idiom: np.ndarray
    evidence: list[str]
    vader_clause: np.ndarray | None = None  # VADER's compound of the verdict clause (nan: no contrast; None: not used)
    stated: np.ndarray | None = None  # the verdict of a score the text states (nan: none; None: not used)
    sentences: np.ndarray | None = None  # sentences in each text with an idiom (1 elsewhere; None: all 1)


def concat_parts(items: Sequence[Parts]) -> Parts:
    """The `Parts` of several batches as one, in order (the optional arrays: None if any batch lacks them)."""
    def cat(name: str) -> np.ndarray | None:
        arrays = [getattr(p, name) for p in items]
        return None if any(a is None for a in arrays) else np.concatenate(arrays)

    fields = ("vader", "model", "clause", "bare", "idiom")
    optional = ("vader_clause", "stated", "sentences")
    return Parts(*(cat(f) for f in fields), [e for p in items for e in p.evidence], *(cat(f) for f in optional))


_ANALYZERS: dict[str, SentimentIntensityAnalyzer] = {}


def critic_vader(lexicon: Mapping[str, float] | None = None, critic: Mapping[str, float] | None = None) -> SentimentIntensityAnalyzer:
    """VADER with the model's induced `lexicon` (words VADER lacks) and the critics' valences `critic`
    (params `critic_lexicon`; None: the packaged ones), built once per pair of lexicons."""
    extra = dict(lexicon or {})
    fixes = default_critic_lexicon() if critic is None else dict(critic)
    key = json.dumps([extra, fixes], sort_keys=True)
    sia = _ANALYZERS.get(key)
    if sia is None:
        sia = SentimentIntensityAnalyzer()
        sia.lexicon = {**sia.lexicon, **extra, **fixes}
        _ANALYZERS.clear()  # one model in use at a time: keep one analyser
        _ANALYZERS[key] = sia
    return sia


@dataclass(frozen=True)
class _Vader:
    """VADER's compound of one text and its evidence words."""

    compound: float
    evidence: str


def _vader(texts: list[str], sia: SentimentIntensityAnalyzer) -> list[_Vader]:
    """VADER (`sia`, with the extended lexicon) on each text."""
    return [_Vader(sia.polarity_scores(t)["compound"], vader_evidence(t, lexicon=sia.lexicon)) for t in texts]


def parts(model: Model, texts: Sequence[str], one_sentence: bool = False, contrast: bool = True) -> Parts:
    """The `Parts` of `texts`: one VADER pass, one model pass, one more model and VADER pass over verdict
    clauses unless not `contrast` (settings whose `clause_weight` is 0 do not use them: left nan); the
    sentences of texts with an idiom counted unless `one_sentence` (each text is known to be one)."""
    texts = [str(t) for t in texts]
    sia = critic_vader(model.lexicon, model.params["critic_lexicon"])
    vader = _vader(texts, sia)
    lexicon = sia.lexicon
    compound, model_ev = model.explain(texts)
    clauses = [main_clause(t) if contrast else None for t in texts]
    idx = [i for i, c in enumerate(clauses) if c]
    clause = np.full(len(texts), np.nan)
    if idx:
        clause[idx] = model.compound([clauses[i] for i in idx])  # the clause's evidence is not kept
    vader_clause = np.full(len(texts), np.nan)
    if idx:
        vader_clause[idx] = [sia.polarity_scores(clauses[i])["compound"] for i in idx]
    compiled = compile_constructions(model.params["constructions"])
    found = [idioms(t, lexicon, compiled) for t in texts]
    stated = [stated_verdict(t) for t in texts]
    sentences = None if one_sentence else sentence_counts(texts, [i for i, (s, _) in enumerate(found) if s])
    evidence = []
    for v, mev, (_, names), cl, (_, sev) in zip(vader, model_ev, found, clauses, stated, strict=True):
        notes = (("model", mev), ("vader", v.evidence), ("idiom", " ".join(names)), ("clause", "contrast" if cl else ""), ("score", sev))
        evidence.append(join_evidence(notes))
    return Parts(
        np.array([v.compound for v in vader]), np.asarray(compound, dtype=float), clause,
        np.array([not v.evidence for v in vader], dtype=bool), np.sign([s for s, _ in found]).astype(float), evidence,
        vader_clause, np.array([v for v, _ in stated], dtype=float), sentences,
    )


@functools.cache
def _sentencizer() -> Language:
    """spaCy's rule-based sentence splitter on its English tokenizer (abbreviations such as "Mr." or
    "U.S." end no sentence), loaded once."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentence_counts(texts: Sequence[str], which: Sequence[int]) -> np.ndarray:
    """The number of sentences of each text in `which` (the others: 1). Only texts with an idiom need it,
    a few in a hundred, so the split costs little."""
    out = np.ones(len(texts))
    docs = _sentencizer().pipe(texts[i] for i in which)
    for i, doc in zip(which, docs, strict=True):
        out[i] = max(1, sum(1 for _ in doc.sents))
    return out


def combine(p: Parts, settings: Mapping[str, float]) -> np.ndarray:
    """The blend compound of each text (steps 1-5 of the module doc), vectorised."""
    cw, floor = float(settings["clause_weight"]), float(settings["idiom_floor"])
    m = np.where(np.isnan(p.clause), p.model, (1 - cw) * p.model + cw * np.nan_to_num(p.clause))
    m = np.where(p.bare, m * float(settings["bare_damp"]), m)
    v = p.vader
    if p.vader_clause is not None:
        v = np.where(np.isnan(p.vader_clause), v, (1 - cw) * v + cw * np.nan_to_num(p.vader_clause))
    w = float(settings["blend_vader_weight"])
    c = w * v + (1 - w) * m
    sw = float(settings.get("score_weight", 0.0))
    if p.stated is not None and sw:
        c = np.where(np.isnan(p.stated), c, (1 - sw) * c + sw * np.nan_to_num(p.stated))
    s = p.idiom
    forced = np.where(s != 0, s * np.maximum(s * c, floor), c)
    return c + (forced - c) / (1.0 if p.sentences is None else p.sentences)


def labels(compound: np.ndarray, band: float) -> list[str]:
    """positive / neutral / negative of each compound for a neutral band."""
    return [label_for(c, band) for c in compound.tolist()]


def profile_settings(params: Mapping[str, object], profile: str = "general") -> dict[str, float]:
    """The blend settings of `profile`: the model's own, with `critic_profile` over them for "critic"."""
    if profile not in PROFILES:
        raise ValueError(f"unknown blend profile {profile!r} (known: {', '.join(PROFILES)})")
    out = {k: float(params[k]) for k in SETTINGS}  # type: ignore[arg-type]
    if profile == "critic":
        out.update(params.get("critic_profile") or {})  # type: ignore[call-overload]
    return out


@dataclass
class BlendScorer:
    """The `blend` method (module doc) with the settings of `profile`. `threshold` None takes the band of
    the profile stored with the model. `one_sentence`: each text is one sentence (the pipeline's), so an
    idiom decides the whole text without counting its sentences (a splitter would cut "Ep. 3 is ...")."""

    model: Model
    threshold: float | None = None
    name: str = "blend"
    profile: str = "general"
    one_sentence: bool = False

    @property
    def settings(self) -> dict[str, float]:
        """The blend settings this scorer combines with (`profile_settings`)."""
        return profile_settings(self.model.params, self.profile)

    @property
    def band(self) -> float:
        """|compound| below which a sentence is neutral."""
        return self.settings["neutral_band"] if self.threshold is None else float(self.threshold)

    @property
    def fingerprint(self) -> str:
        """Identifies what this scorer computes (part of cache keys): the band, VADER's version, the model
        (weights, settings, induced lexicon) and the source of the rule modules, which the pipeline's own
        code fingerprints do not cover."""
        from epnlp.cache import module_fingerprint

        code = module_fingerprint("sentiment.negation", "sentiment.rules", "sentiment.blend", "sentiment.lexicon")
        return f"blend:{self.profile}:{self.band!r}:{self.one_sentence}:{VaderScorer().fingerprint}:{self.model.fingerprint}:{code}"

    def score(self, texts: Sequence[str]) -> list[Score]:
        """One `Score` per text: the blend compound, proportions from it, the label at the band, evidence."""
        if not len(texts):
            return []
        settings = self.settings
        p = parts(self.model, texts, self.one_sentence, contrast=settings["clause_weight"] > 0)
        compound = combine(p, settings)
        return [compound_score(c, self.band, ev) for c, ev in zip(compound.tolist(), p.evidence, strict=True)]
