"""Negation in sentence sentiment: what a negator is and how far it reaches, and the negated judgement.

A negator ("not", "never", "n't", "no", "without", ...) reaches the next few tokens up to punctuation or a
contrast word. `negated_judgement` reads the first clear judgement word (by a VADER-style lexicon) such a
negator negates: "not bad" is praise, "not good" blame. A negated negation keeps the word's sign ("not
without its charms", "hard not to grin", "never stops being funny"), and so does a superlative put as a
negation ("has never looked better", "there is no better hour"); a question asserts no judgement ("how
did it not win?"), nor does a conditional or concessive clause ("even if it isn't perfect, ..."), and
"not only" / "not to mention" negate nothing. `sentiment.rules` uses the negators
and their scope for the model's negation marks (`prepare`, which marks every negator's scope: the model
learns what a mark means) and all of the above for the critics' constructions (`idioms`).
"""

from __future__ import annotations

import re

NEGATORS = frozenset(
    "not no never nothing nobody none nor neither cannot without hardly barely scarcely seldom rarely".split()
)

CONTRAST = frozenset("but yet however though although whereas".split())

TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|[^\sa-z0-9]")
SCOPE_END = frozenset(".,;:!?()[]\"—–-")
CLAUSE_END = re.compile(r"[.;:!?]")


def ends_scope(tok: str) -> bool:
    """Whether `tok` (a `TOKEN`) ends a negator's scope and a clause: punctuation or a contrast word."""
    return tok in SCOPE_END or tok in CONTRAST


def is_negator(tok: str) -> bool:
    """Whether `tok` (lower-case) negates what follows it."""
    return tok in NEGATORS or tok.endswith("n't")


# Words of VADER's lexicon too ambiguous to carry a negated judgement ("never feels like", "not as well").
_AMBIGUOUS = frozenset("like well pretty kind please yes no".split())
NEG_WINDOW = 4  # tokens after a negator searched for the judgement it negates (and before a construction)
_FAR_FROM = re.compile(r"\b(?:far from|less than)\b")  # read as "not"
# "anything less than X" after a negator or "hard" ("hard to call it anything less than X") is a double negation
_ANYTHING_LESS = re.compile(r"\banything less than\b")
_HARD = frozenset("hard difficult impossible tough".split())  # "hard not to grin": the negation is negated
# "rarely looks this good", "never been so bored", "has never looked better": after these negators a
# superlative put as a negation keeps the word's sign (`_rhetorical`)
_RHETORICAL = frozenset("never rarely seldom".split())
_PERFECT = frozenset("been looked felt sounded seemed".split())
# "there is no better ...", "nothing finer": a comparative right after these is a superlative ("no better
# than X" is not: a "than" after "no")
_NONE_BETTER = frozenset("no nothing".split())
# "never stops being cute", "never ceases to amaze": a verb of stopping negated before "being", "to" or an
# -ing verb is a double negation ("couldn't stop the killer" is not)
_STOP = frozenset("stop stops stopped stopping cease ceases ceased".split())
# conjunctions that open a conditional or concessive clause: a negator in one supposes or concedes, the
# verdict is the main clause ("Even if it isn't perfect, it's fun"; "It's great, although it isn't deep")
SUBORDINATORS = frozenset("if unless although though whether".split())
# phrases that open with a negator and negate nothing after them ("not only X but Y", "not to mention X")
FIXED = (("not", "only"), ("not", "just"), ("not", "to", "mention"))


def _rhetorical(before: list[str], word: str, lexicon: dict[str, float]) -> bool:
    """Whether a judgement `word` after never / rarely / seldom and the tokens `before` it is a superlative
    put as a negation: "this / so" right before it ("rarely looks this good", "never been so bored"), or a
    perfect participle before "more" + it or before its comparative ("never been more gripping", "has never
    looked better"). "never gets more interesting", "never more than mildly amusing" stay negations."""
    prev = before[-1] if before else ""
    if prev in ("this", "so"):
        return True
    if prev == "more":
        return len(before) > 1 and before[-2] in _PERFECT
    return prev in _PERFECT and _comparative(word, lexicon)


def clause_head(low: str, start: int) -> list[re.Match[str]]:
    """The tokens of `low` before `start` in the same clause (since the last . ; : ! or ?)."""
    head = CLAUSE_END.split(low[:start])[-1]
    return list(TOKEN.finditer(low, start - len(head), start))


def _double_if_negated(m: re.Match[str]) -> str:
    """"anything less than" as "not not" when a negator or "hard" comes before it in its clause, else as
    itself ("less than" then reads as "not": "if it is anything less than perfect")."""
    head = [t.group(0) for t in clause_head(m.string, m.start())]
    return "not not" if any(is_negator(t) or t in _HARD for t in head) else m.group(0)


def _litotes(tokens: list[str], i: int) -> int | None:
    """Tokens after the negator at `i` that negate it again ("not without", "never less than", "not
    short of", "never stops being"): the judgement after them keeps its own sign. 0 for a negator that is
    itself negated by the word before it ("hard not to grin"), None for a plain negator."""
    if i and tokens[i - 1] in _HARD:
        return 0
    nxt = tokens[i + 1 : i + 3]
    if nxt[:1] in (["without"], ["not"]) or _stopping(nxt):  # "less than" reads as "not"
        return 1
    return 2 if nxt == ["short", "of"] else None


def _stopping(nxt: list[str]) -> bool:
    """Whether `nxt` (the two tokens after a negator) is a verb of stopping before "being", "to" or an
    -ing verb: "never stops being funny", "never ceases to amaze", "can't stop laughing"."""
    return len(nxt) == 2 and nxt[0] in _STOP and (nxt[1] == "to" or nxt[1].endswith("ing"))


def in_question(tokens: list[str], i: int) -> bool:
    """Whether the clause of the token at `i` ends in a question mark: the tokens after it up to the first
    punctuation or contrast word ("How did it not win?" yes; "It's not funny, so why bother?" no: the
    question is another clause)."""
    end = next((t for t in tokens[i + 1 :] if ends_scope(t)), "")
    return end == "?"


def in_subordinate(before: list[str]) -> bool:
    """Whether a negator after the tokens `before` it (its sentence so far) is in a conditional or
    concessive clause: a `SUBORDINATORS` word since the last punctuation or contrast word ("If I can't
    go, ...", "fun, even if it isn't deep"; "If it's good, it's not great" no: the comma ends the clause)."""
    for t in reversed(before):
        if t in SUBORDINATORS:
            return True
        if ends_scope(t):
            return False
    return False


def opens_fixed(tokens: list[str], i: int) -> bool:
    """Whether a phrase that negates nothing ("not only", "not just", "not to mention") starts at `i`."""
    return any(tuple(tokens[i : i + len(f)]) == f for f in FIXED)


def tokens_of(text: str) -> list[str]:
    """`TOKEN`s of lower-case `text`, a line break read as a full stop (a post's lines are sentences)."""
    return TOKEN.findall(text.replace("\n", " . "))


def negated_judgement(text: str, lexicon: dict[str, float]) -> int:
    """-sign of the first clear judgement word (|valence| >= 1 in `lexicon`) within a few tokens after a
    negator or "far from", or 0: "not bad", "isn't a chore"-like blame turns positive, "not good",
    "no reason to care" praise turns negative. A double negation (litotes: "not without its charms",
    "never less than gripping", "hard not to grin", "never stops being funny") and a superlative put as
    a negation ("rarely looks this good", "no better hour") keep the word's own sign. A negator in a
    question or opening "not only" / "not to mention" negates no judgement. One per text: the first
    negator that negates one decides."""
    return read_negation(text, lexicon)[0]


def read_negation(text: str, lexicon: dict[str, float]) -> tuple[int, str]:
    """`negated_judgement`'s sign and its evidence name: negated_praise, negated_blame, litotes or
    rhetorical (a superlative put as a negation: "rarely looks this good", "never been so bored")."""
    low = _ANYTHING_LESS.sub(_double_if_negated, text.lower().replace("’", "'"))
    tokens = tokens_of(_FAR_FROM.sub("not", low))
    for i, tok in enumerate(tokens):
        if not is_negator(tok) or _not_a_judgement(tokens, i):
            continue
        double = _litotes(tokens, i)
        skip = double or 0
        window = tokens[i + 1 + skip : i + 1 + skip + NEG_WINDOW]
        for k, t in enumerate(window):
            if ends_scope(t):
                break
            v = lexicon.get(t, 0.0)
            if t not in _AMBIGUOUS and abs(v) >= 1.0:
                if double is not None:
                    return (1 if v > 0 else -1), "litotes"
                if _superlative(tok, window, k, lexicon):
                    return (1 if v > 0 else -1), "rhetorical"
                return (-1, "negated_praise") if v > 0 else (1, "negated_blame")
        return 0, ""
    return 0, ""


def _not_a_judgement(tokens: list[str], i: int) -> bool:
    """Whether the negator at `i` negates no judgement: it opens a fixed phrase ("not only", "not to
    mention"), its clause is a question (`in_question`: "How did it not win?", "Who could not love it?":
    a question asserts nothing, and a rhetorical one asserts the opposite) or a supposition or concession
    (`in_subordinate`: "even if it isn't perfect")."""
    return opens_fixed(tokens, i) or in_question(tokens, i) or in_subordinate(tokens[:i])


def _superlative(negator: str, window: list[str], k: int, lexicon: dict[str, float]) -> bool:
    """Whether the judgement `window[k]` after `negator` is a superlative put as a negation: a
    rhetorical one after never / rarely / seldom (`_rhetorical`), a perfect participle + "this" before it
    after any negator ("hasn't looked this good in years"; "isn't this good" and "hasn't been so bad" stay
    negations), or a comparative right after no / nothing ("there is no better camera", "nothing better
    than a good cry"; "no better than a rerun", "no better ideas than" stay negations)."""
    if negator in _RHETORICAL:
        return _rhetorical(window[:k], window[k], lexicon)
    if k >= 2 and window[k - 2] in _PERFECT and window[k - 1] == "this":
        return True
    if negator in _NONE_BETTER and k == 0 and _comparative(window[0], lexicon):
        return negator == "nothing" or "than" not in window[1:]
    return False


def _comparative(word: str, lexicon: dict[str, float]) -> bool:
    """"better" or an -er form of a lexicon word ("finer", "funnier" is not: its stem is not "funni")."""
    return word == "better" or (word.endswith("er") and any(word[:n] in lexicon for n in (-1, -2, -3)))
