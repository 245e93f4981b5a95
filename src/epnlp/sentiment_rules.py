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


IDIOMS: tuple[Idiom, ...] = (
    _idiom("understatement", +1, r"\b(?:rarely|seldom|never|hardly)\b[^.;]*\bshort of\b", r"\bnothing short of\b"),
    _idiom("rescue", +1, r"\b(?:rescues?|rescued|saves?|saved|redeems?|redeemed|lifts?)\b[^.;]*\botherwise\b"),
    _idiom("not_the_disaster", +1,
           r"\bnot\b (?:\w+ ){0,2}(?:the |a )?(?:\w+ )?(?:train ?wreck|disaster|mess|failure|catastrophe|slog|dud)\b"),
    _idiom("turns_out", +1,
           r"\b(?:might|could|should) have been\b[^.;]*\b(?:turns? out|becomes?|ends? up|is)\b"),
    _idiom("faint_praise", -1, r"\bif nothing else\b", r"\bat least\b(?! one of)", r"\bthe (?:best|nicest) (?:thing|that) (?:i|one|we|you) can say\b",
           r"\bthe less said\b", r"\bi admire the (?:attempt|effort|ambition)\b"),
    _idiom("wasted_potential", -1, r"\bsquander\w*", r"\bmissed opportunit\w*", r"\b(?:all|such) (?:that|this) potential\b",
           r"\bwast(?:e|es|ed|ing)\b (?:a|an|its|the|all|so|every)\b"),
    _idiom("sarcasm", -1, r"^\s*(?:oh,? (?:great|good|joy|wonderful)|sure,? because|because what (?:this|the) \w+ (?:really )?needed)\b",
           r"\bif your idea of\b", r"^\s*what a treat\b", r"^\s*congratulations to\b"),
)


def idioms(text: str) -> tuple[int, list[str]]:
    """(sum of the signs of the idioms found in `text`, their names)."""
    low = text.lower().replace("’", "'")
    found = [i for i in IDIOMS if i.pattern.search(low)]
    return sum(i.sign for i in found), [i.name for i in found]
