"""Text rules for sentence sentiment that a bag-of-words model trained on movie snippets gets wrong.

- `prepare`: the text the trained model sees. Tokens after a negator ("not", "never", "n't", "no",
  "without", ...) up to the next punctuation or contrast word get a `neg_` prefix, so "not disappointed"
  is the feature `neg_disappointed` (its own weight), not `disappointed`; words that only describe the
  medium or report speech ("episode", "season", "character", "said") are dropped, because the movie data
  gave them weights ("episode" negative) they do not carry in reception prose.
- `main_clause`: the clause that carries the verdict of a contrast ("X, but Y" -> Y; "Although X, Y" -> Y).
- `idioms`: critics' idioms whose sign no word-level method gets (concession, understatement, faint
  praise, sarcasm, wasted potential), as regular expressions with a sign each. Written from the brief's
  categories and the development half of `data/eval/critic_idioms.tsv` only (docs/sentiment.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NEG = "neg_"  # prefix of a token in a negation's scope

NEGATORS = frozenset(
    "not no never nothing nobody none nor neither cannot without hardly barely scarcely seldom rarely".split()
)

# Words that describe the medium, its people or the reporting of a review: no sentiment of their own.
NEUTRAL_WORDS = frozenset(
    """episode episodes season seasons series show shows scene scenes character characters television tv
    pilot finale premiere installment instalment chapter hour hours film films movie movies story stories
    plot plots storyline script scripts screenplay teleplay director directors writer writers cast actor
    actors actress performance performances viewer viewers audience audiences critic critics reviewer
    reviewers review reviews said says wrote writes called calls described describes noted notes added""".split()
)

CONTRAST = frozenset("but yet however though although whereas".split())

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|[^\sa-z0-9]")
_SCOPE_END = frozenset(".,;:!?()[]\"—–-")


def _negator(tok: str) -> bool:
    return tok in NEGATORS or tok.endswith("n't")


def _base(tok: str) -> str:
    """A token without its possessive ("show's" -> "show")."""
    return tok[:-2] if tok.endswith("'s") else tok


def prepare(text: str, negation: bool = True, neutral_words: bool = True) -> str:
    """The model's view of `text`: lower-cased tokens joined by spaces, negation scopes marked and
    medium words dropped (see the module doc). Pure and cheap: one regex pass."""
    out: list[str] = []
    scope = False
    for tok in _TOKEN.findall(text.lower().replace("’", "'")):
        if tok in _SCOPE_END or tok in CONTRAST:
            scope = False
            out.append(tok)
            continue
        if neutral_words and _base(tok) in NEUTRAL_WORDS:
            continue
        if negation and _negator(tok):
            scope = True
            out.append(tok)
            continue
        out.append(NEG + tok if scope and negation else tok)
    return " ".join(out)


_LEAD = re.compile(r"^\s*(?:although|though|while|despite|even though|for all)\b[^,;]*[,;]\s*(.+)$", re.I)
_BUT = re.compile(r"[,;]?\s*\b(?:but|yet|however)\b[,]?\s*", re.I)


def main_clause(text: str) -> str | None:
    """The clause that carries the verdict, or None if the sentence has no contrast.

    "Although X, Y" and "Despite X, Y" -> Y; "X, but Y" / "X; yet Y" -> the part after the last
    contrast word. Critics put the concession first and the verdict second."""
    m = _LEAD.match(text)
    if m:
        return m.group(1)
    parts = _BUT.split(text)
    if len(parts) > 1 and parts[-1].strip(" .!?"):
        return parts[-1]
    return None


@dataclass(frozen=True)
class Idiom:
    """A critic's idiom: its name, a regular expression (lower-case text) and its sign (+1 / -1)."""

    name: str
    pattern: re.Pattern[str]
    sign: int


def _idiom(name: str, sign: int, *alternatives: str) -> Idiom:
    return Idiom(name, re.compile("|".join(f"(?:{a})" for a in alternatives)), sign)


# Sources of each pattern: the issue's own examples (understatement, rescue, not_the_disaster, turns_out,
# faint_praise "if nothing else", wasted_potential "squanders"), the dev half of the idiom set (the rest).
IDIOMS: tuple[Idiom, ...] = (
    _idiom("understatement", +1, r"\b(?:rarely|seldom|never|hardly)\b[^.;]*\bshort of\b", r"\bnothing short of\b",
           r"\bno (?:small|mean) (?:feat|achievement)\b", r"\bhard to overstate\b", r"\bhard pressed to find a better\b"),
    _idiom("rescue", +1, r"\b(?:rescues?|rescued|saves?|saved|redeems?|redeemed|lifts?)\b[^.;]*\botherwise\b"),
    _idiom("not_the_disaster", +1,
           r"\bnot\b (?:\w+ ){0,2}(?:the |a )?(?:\w+ )?(?:train ?wreck|disaster|mess|failure|catastrophe|slog|dud)\b"),
    _idiom("turns_out", +1, r"\b(?:might|could|should) have been\b[^.;]*\b(?:turns? out|becomes?|ends? up)\b"),
    _idiom("critic_praise", +1, r"\bfinds? (?:its|their) footing\b", r"\blives? up to\b", r"\bworth the price of\b"),
    _idiom("faint_praise", -1, r"\bif nothing else\b", r"\bhas been better\b|\bhave been better\b"),
    _idiom("wasted_potential", -1, r"\bsquander\w*", r"\bmissed opportunit\w*", r"\bdeliver\w* (?:little|nothing)\b",
           r"\bdoes nothing with\b", r"\bworn off\b", r"\bclean miss\b", r"\bruns? out of (?:road|steam|ideas)\b",
           r"\bfalls? flat\b", r"\bgoes nowhere\b"),
    _idiom("elided_negation", -1, r"[;,] [^;,]*\b(?:is|are|was|were|does|do|did) not\W*$"),
    _idiom("sarcasm", -1, r"^\W*(?:sure,? because|because what (?:this|the) \w+ (?:really )?needed|what a treat)\b",
           r"\bif your idea of\b"),
)

# VADER words whose sign is wrong in critics' prose: praise for drama ("quietly devastating", "a haunting
# score") or a role, not a judgement ("the villain"). Used by `blend` only; from the dev halves.
CRITIC_LEXICON = {"devastating": 1.5, "haunting": 1.5, "harrowing": 1.0, "villain": 0.0, "villains": 0.0}

# Words of VADER's lexicon too ambiguous to carry a negated judgement ("never feels like", "not as well").
_AMBIGUOUS = frozenset("like well pretty kind please yes no".split())
_NEG_WINDOW = 4  # tokens after a negator searched for the judgement it negates
_FAR_FROM = re.compile(r"\bfar from\b")


def negated_judgement(text: str, lexicon: dict[str, float]) -> int:
    """-sign of the first clear judgement word (|valence| >= 1 in `lexicon`) within a few tokens after a
    negator or "far from", or 0: "not bad", "isn't a chore"-like blame turns positive, "not good",
    "no reason to care" praise turns negative. One per sentence: the first negator decides."""
    tokens = _TOKEN.findall(_FAR_FROM.sub("not", text.lower().replace("’", "'")))
    for i, tok in enumerate(tokens):
        if not _negator(tok) or (i + 1 < len(tokens) and tokens[i + 1] in ("only", "just")):
            continue
        for t in tokens[i + 1 : i + 1 + _NEG_WINDOW]:
            if t in _SCOPE_END or t in CONTRAST:
                break
            v = lexicon.get(t, 0.0)
            if t not in _AMBIGUOUS and abs(v) >= 1.0:
                return -1 if v > 0 else 1
        return 0
    return 0


def idioms(text: str, lexicon: dict[str, float] | None = None) -> tuple[int, list[str]]:
    """(sum of the signs of the idioms found in `text`, their names). With a `lexicon`, a negated
    judgement (`negated_judgement`) counts as one more idiom."""
    low = text.lower().replace("’", "'")
    found = [(i.sign, i.name) for i in IDIOMS if i.pattern.search(low)]
    if lexicon is not None:
        neg = negated_judgement(text, lexicon)
        if neg:
            found.append((neg, "negated_praise" if neg < 0 else "negated_blame"))
    return sum(s for s, _ in found), [n for _, n in found]
