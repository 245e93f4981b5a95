"""Text rules for sentence sentiment that a bag-of-words model trained on movie snippets gets wrong.

- `prepare`: the text the trained model sees. Tokens after a negator ("not", "never", "n't", "no",
  "without", ...) up to the next punctuation or contrast word get a `neg_` prefix, so "not disappointed"
  is the feature `neg_disappointed` (its own weight), not `disappointed`; words that only describe the
  medium or report speech ("episode", "season", "character", "said") are dropped, because the movie data
  gave them weights ("episode" negative) they do not carry in reception prose.
- `main_clause`: the clause that carries the verdict of a contrast ("X, but Y" -> Y; "Although X, Y" -> Y).
- `idioms`: critics' constructions whose sign no word-level method gets (understatement and litotes,
  rescue and turnaround, faint praise, wasted potential, comparison, sarcasm, elided negation): classes
  of short phrase patterns with a sign each, kept in params.yaml (`sentiment.model.constructions`, see
  `phrase_regex`), not in code; a construction a negator negates counts with its sign reversed ("not a
  single wasted scene"); plus a negated judgement found with a lexicon (`sentiment.negation`, read
  without the negators of negated constructions).
- `stated_verdict`: a score the sentence states ("gave it 7 out of 10", "a B+", "two stars") is a verdict
  that no word carries: mapped from its scale to [-1, 1].
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from epnlp.sentiment.negation import (
    NEG_WINDOW,
    TOKEN,
    clause_head,
    ends_scope,
    in_question,
    in_subordinate,
    is_negator,
    opens_fixed,
    read_negation,
    tokens_of,
)
from epnlp.text.scores import find_scores

NEG = "neg_"  # prefix of a token in a negation's scope

# Words that describe the medium, its people or the reporting of a review: no sentiment of their own.
NEUTRAL_WORDS = frozenset(
    """episode episodes season seasons series show shows scene scenes character characters television tv
    pilot finale premiere installment instalment chapter hour hours film films movie movies story stories
    plot plots storyline script scripts screenplay teleplay director directors writer writers cast actor
    actors actress performance performances viewer viewers audience audiences critic critics reviewer
    reviewers review reviews said says wrote writes called calls described describes noted notes added""".split()
)


def _base(tok: str) -> str:
    """A token without its possessive ("show's" -> "show")."""
    return tok[:-2] if tok.endswith("'s") else tok


def prepare(text: str, negation: bool = True, neutral_words: bool = True) -> str:
    """The model's view of `text`: lower-cased tokens joined by spaces, negation scopes marked and
    medium words dropped (see the module doc). Pure and cheap: one regex pass."""
    out: list[str] = []
    scope = False
    for tok in TOKEN.findall(text.lower().replace("’", "'")):
        if ends_scope(tok):
            scope = False
            out.append(tok)
            continue
        if neutral_words and _base(tok) in NEUTRAL_WORDS:
            continue
        if negation and is_negator(tok):
            scope = True
            out.append(tok)
            continue
        out.append(NEG + tok if scope and negation else tok)
    return " ".join(out)


_LEAD = re.compile(
    r"^\s*(?:(?:although|though|while|whereas|where|despite|even though|for all)\b[^,;]*"
    r"|[\w-]+ (?:as|though) [^,;]{1,60}? (?:is|are|was|were|may be|might be|can be))[,;]\s*(.+)$", re.I
)
_BUT = re.compile(
    r"(?:[,;]?\s*\b(?:but|yet|however|and then|only to|even so|that said|nevertheless|nonetheless|unfortunately"
    r"|turns out(?: to be)?|turned out(?: to be)?|ends up|ended up|gives way to|gave way to|becomes|became)\b|[.;:]\s*still\b)[,]?\s*",
    re.I,
)


def main_clause(text: str) -> str | None:
    """The clause that carries the verdict, or None if the sentence has no contrast.

    "Although X, Y", "Despite X, Y", "Admirable as X is, Y" -> Y; "X, but Y" / "X; yet Y" / "X; even so,
    Y" / "X. Still, Y" / "X and then Y" / "X only to Y" / "X turns out to be Y" / "X gives way to Y" ->
    the part after the last contrast word. Critics put the concession (or the expectation) first and the
    verdict second."""
    split = contrast_split(text)
    return None if split is None else text[split[1] :]


@functools.lru_cache(maxsize=4096)  # blend asks for each sentence's clause, then for its idioms
def contrast_split(text: str) -> tuple[int, int] | None:
    """(where the conceded part ends, where `main_clause` starts) in `text`, or None: the two differ by
    the contrast words ("X, but Y": the offsets of ", but " and of "Y")."""
    m = _LEAD.match(text)
    if m:
        return m.start(1), m.start(1)
    matches = list(_BUT.finditer(text))
    last = matches[-1] if matches else None
    if last is not None and text[last.end() :].strip(" .!?"):
        return last.start(), last.end()
    return None


@dataclass(frozen=True)
class Idiom:
    """A critic's construction: its class name, a regular expression (lower-case text), its sign (+1 / -1)."""

    name: str
    pattern: re.Pattern[str]
    sign: int
    anchors: tuple[str, ...]  # literal strings one of which occurs wherever the pattern matches (`phrase_anchors`)


def phrase_anchors(phrase: str) -> tuple[str, ...]:
    """Literal strings of which one occurs in any text `phrase` matches: the alternatives (without
    their `*`) of its most selective word. A substring test of these rules most texts out before the
    regex, which is the costly part of scoring a batch."""
    words = [t for t in phrase.lower().split() if re.search(r"\w", t) and t not in ("...", "^", "$")]
    if not words:
        return ("",)
    best = max(words, key=lambda t: min(len(a.rstrip("*")) for a in t.strip(",").split("|")))
    return tuple(a.rstrip("*") for a in best.strip(",").split("|"))


_GAP = r"(?:[\s,'\"-]+[\w'-]+){0,6}?"  # "...": up to six more words, within the clause
_SEP = r"[\s,'\"-]+"


def _token(tok: str) -> str:
    """One phrase token as a regex: `a|b` alternatives, `word*` any ending, `^` / `$` the sentence's ends."""
    if tok == "^":
        return r"^\W*"
    if tok == "$":
        return r"\W*$"
    if not re.search(r"\w", tok):  # punctuation: ";|,"
        return "(?:" + "|".join(re.escape(a) for a in tok.split("|")) + ")"
    alts = [re.escape(a[:-1]) + r"[\w'-]*" if a.endswith("*") else re.escape(a) for a in tok.strip(",").split("|")]
    return r"\b(?:" + "|".join(alts) + r")\b"


def phrase_regex(phrase: str) -> str:
    """A construction phrase of params.yaml as a regex: whole words in order, separated by spaces or
    commas, `...` a gap of up to six words in the same clause, `a|b` alternatives, `word*` any ending,
    `^` / `$` the start / end of the sentence. E.g. "rescue*|save* ... otherwise"."""
    out: list[str] = []
    gap = False
    for tok in phrase.lower().split():
        if tok == "...":
            gap = True
            continue
        if out and out[-1] != _token("^") and tok != "$":
            out.append(_GAP + _SEP if gap else _SEP)
        out.append(_token(tok))
        gap = False
    return "".join(out)


def compile_constructions(spec: Mapping[str, Mapping[str, Any]]) -> tuple[Idiom, ...]:
    """The construction classes of params `sentiment.model.constructions` ({name: {sign, phrases}}) as
    `Idiom`s, one per class (its phrases as alternatives). Memoised per spec."""
    key = json.dumps(spec, sort_keys=True)
    if key not in _COMPILED:
        out = []
        for name, c in spec.items():
            sign = int(c["sign"])
            if sign not in (-1, 1) or not c.get("phrases"):
                raise ValueError(f"construction {name!r}: sign must be +1 or -1 and phrases non-empty")
            anchors = tuple(sorted({a for ph in c["phrases"] for a in phrase_anchors(ph)}))
            out.append(Idiom(name, re.compile("|".join(f"(?:{phrase_regex(ph)})" for ph in c["phrases"])), sign, anchors))
        _COMPILED[key] = tuple(out)
    return _COMPILED[key]


_COMPILED: dict[str, tuple[Idiom, ...]] = {}


@functools.cache
def _packaged_model_params() -> dict[str, Any]:
    from importlib import resources

    import yaml

    text = resources.files("epnlp").joinpath("defaults.yaml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text)["sentiment"]["model"])


def default_constructions() -> dict[str, Any]:
    """The construction classes shipped with the package (`epnlp/defaults.yaml`, a copy of params.yaml)."""
    return dict(_packaged_model_params()["constructions"])


def default_critic_lexicon() -> dict[str, float]:
    """The critics' VADER valences shipped with the package (params `sentiment.model.critic_lexicon`):
    words whose sign in VADER is wrong in critics' prose ("devastating" praises a drama), or that VADER
    lacks and critics use to blame ("chore", "overstay"), so that negating them ("isn't a chore") is praise."""
    return {str(k): float(v) for k, v in _packaged_model_params()["critic_lexicon"].items()}


def _negator_before(low: str, start: int) -> tuple[int, int] | None:
    """The span of the negator among the few tokens before `start` in `low` that are still in its scope
    (no punctuation or contrast word between: "not perfect, but it finds its footing" negates nothing
    after the comma), or None; a negator opening "not only", "not just" or "not to mention" negates nothing."""
    tokens = clause_head(low, start)
    cut = max((k + 1 for k, t in enumerate(tokens) if ends_scope(t.group(0))), default=0)
    scope = tokens[cut:][-NEG_WINDOW - 1 :]
    words = [t.group(0) for t in scope]
    for k, t in enumerate(scope):
        if is_negator(words[k]) and not opens_fixed(words, k):
            return t.span()
    return None


def _supposed(low: str, negator: int) -> bool:
    """Whether the negator at offset `negator` of `low` is in a conditional or concessive clause
    (`in_subordinate`: "even if it isn't a disaster, ...")."""
    return in_subordinate([t.group(0) for t in clause_head(low, negator)])


def _polarity(pattern: re.Pattern[str], low: str, conceded: int = 0) -> tuple[int, tuple[int, int] | None]:
    """(1, None) if `pattern` occurs in `low` without a negator in scope before it; else (-1, the
    negator's span) if it occurs only negated ("not a single wasted scene", "never fails to", "doesn't
    live up to": the construction's sign reversed); else (0, None). A match that opens with a negator ("no
    mean feat") is never negated by an earlier one. A match that ends by `conceded` (the end of a
    contrast's conceded part) does not count; one that reaches into the contrast words does ("might have
    been silly turns out ..."). A negated match in a question or in a conditional or concessive clause
    counts neither way ("How is this not a disaster?", "Even if it is not a disaster, ...": neither
    asserts it, `in_question`, `in_subordinate`)."""
    negator = None
    for m in pattern.finditer(low):
        if m.end() <= conceded:
            continue
        after = tokens_of(low[m.start() :])
        if opens_fixed(after, 0):
            continue  # "Not to mention a train wreck of a finale": no negation
        opens = bool(after) and is_negator(after[0])
        found = None if opens else _negator_before(low, m.start())
        at = m.start() if opens else (found[0] if found else None)  # where the match's negator is, if any
        if at is not None and (in_question(after, 0) or _supposed(low, at)):
            continue
        if found is None:
            return 1, None
        negator = negator or found
    return (-1, negator) if negator else (0, None)


def idioms(
    text: str, lexicon: dict[str, float] | None = None,
    constructions: Mapping[str, Mapping[str, Any]] | tuple[Idiom, ...] | None = None,
) -> tuple[int, list[str]]:
    """(sum of the signs of the construction classes found in `text`, their names). `constructions`:
    params' classes, or them compiled (`compile_constructions`, for batches); None: the packaged defaults.
    A negated construction counts with its sign reversed ("not a single joke falls flat"). With a
    `lexicon`, a negated judgement (`negated_judgement`, read without the negators that negate a
    construction: "not good, and it never falls flat" counts both) counts as one more. In a sentence with a
    contrast only the verdict clause (`main_clause`) is read for both: "Although the subplot goes nowhere,
    the finale soars", "It won't win awards, but it is a likeable hour" concede the first part."""
    low = text.lower().replace("’", "'")
    if not isinstance(constructions, tuple):
        constructions = compile_constructions(default_constructions() if constructions is None else constructions)
    # the offsets the patterns see (`low`); the same as the text's unless lower-casing changed a length
    conceded, verdict = contrast_split(text if len(low) == len(text) else low) or (0, 0)
    found, used = [], []
    for c in constructions:
        pol, negator = _polarity(c.pattern, low, conceded) if any(a in low for a in c.anchors) else (0, None)
        if pol:
            found.append((pol * c.sign, c.name if pol > 0 else f"negated_{c.name}"))
        if negator:
            used.append(negator)
    if lexicon is not None:
        # a negator that negates a construction negates nothing else: the judgement is read without it
        for a, b in used:
            low = low[:a] + " " * (b - a) + low[b:]
        neg, name = read_negation(low[verdict:], lexicon)
        if neg:
            found.append((neg, name))
    return sum(s for s, _ in found), [n for _, n in found]


# a viewership "rating of 2.1" is no critic's score: only scores written with their scale count
_VERDICT_KINDS = frozenset({"out_of", "slash", "grade", "stars", "glyphs", "perfect"})


def stated_verdict(text: str) -> tuple[float, str]:
    """(the mean over the scores `text` states of 2 * score / maximum - 1, evidence) or (nan, ""): half
    marks are neutral, full marks +1, none -1. Scores without a written scale ("a rating of 8.3",
    also how viewership is reported) do not count."""
    facts = [f for f in find_scores(text) if f.kind in _VERDICT_KINDS]
    if not facts:
        return float("nan"), ""
    values = [2.0 * f.score / f.score_max - 1.0 for f in facts]
    return sum(values) / len(values), " ".join(f"{f.text}({v:+.2f})" for f, v in zip(facts, values, strict=True))
