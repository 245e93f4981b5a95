"""spaCy's `attribute_ruler`, run as table lookups: the same annotations, without the Matcher.

Why (measured, docs/scaling.md "The attribute ruler"): in the English pipelines the attribute ruler is the
tag map and morph rules written as ~180 Matcher patterns, and running them through spaCy's generic
Matcher costs about 15% of the whole model's time (3.5 s of 22.9 s on 200 generated articles: more than
the tagger, parser and lemmatizer together), for what is, for almost every pattern, a lookup on one
token's tag, lower-case form or dependency.

`AttributeTable` reads the loaded ruler's own patterns (nothing model-specific is written here). A
one-token pattern whose conditions are equality or `IN` on TAG, LOWER, DEP, POS, ORTH or IS_SPACE is
compiled into a predicate; every other pattern (several tokens, REGEX, quantifiers, other attributes)
stays in a small Matcher of just those patterns. Each token's key (the attributes the predicates read)
is resolved once per distinct key, so a batch costs one `to_array`, dictionary lookups and one
`from_array` per doc. The ruler's semantics are kept exactly: every pattern is matched against the
attributes as the ruler receives them, then the matches are applied in pattern order (a later pattern
overrides an earlier one, attribute by attribute), as `AttributeRuler.match` sorts them.
`tests/test_attribute_table.py` checks every annotation equal to the stock ruler's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc

# Token attributes a compiled pattern may test (read with one `to_array`), in key order.
KEY_ATTRS = (TAG, LOWER, DEP, IS_SPACE, POS, ORTH)
_KEY_NAMES = ("TAG", "LOWER", "DEP", "IS_SPACE", "POS", "ORTH")
_WIDE = (_KEY_NAMES.index("LOWER"), _KEY_NAMES.index("ORTH"))  # one value per word: keyed by class, not value
OTHER = -1  # the class of every word no rule names: all such words behave alike
_MEMO_MAX = 500_000  # entries per memo before it is cleared (memory stays flat on any corpus)
# Attributes a pattern may set through the table (what `from_array` writes as the ruler would).
SET_ATTRS = (POS, MORPH, LEMMA, TAG, DEP)


@dataclass(frozen=True)
class _Test:
    """One condition of a pattern token on one key column: value in `values` (or not, `negate`), or
    the attribute's string matching `regex`."""

    col: int
    values: frozenset[int] = frozenset()
    negate: bool = False
    regex: re.Pattern | None = None

    def ok(self, key: tuple[int, ...], strings: Any) -> bool:
        """Whether a token with this key meets the condition (`strings` reads a hash for a regex)."""
        if self.regex is not None:  # OTHER: a word no test names and no regex matches
            return key[self.col] != OTHER and bool(self.regex.search(strings[key[self.col]]))
        return (key[self.col] in self.values) != self.negate


@dataclass(frozen=True)
class _Rule:
    """A compiled one-token pattern: its tests, and what it sets."""

    index: int  # the pattern's position in the ruler (later wins)
    tests: tuple[_Test, ...]
    attrs: tuple[tuple[int, int], ...]  # (SET_ATTRS column, value)


def _value(strings: Any, name: str, v: Any) -> int:
    """The array value of a pattern's value for attribute `name`, as `to_array` gives it: 0/1 for a
    flag, the part-of-speech id for POS, a string's hash otherwise (an int is taken as given, as the
    Matcher takes it). An unknown part of speech is a KeyError (the pattern stays in the Matcher)."""
    if name == "IS_SPACE":
        return int(bool(v))
    if isinstance(v, int):
        return v
    return int(POS_IDS[v]) if name == "POS" else int(strings.add(str(v)))


def _token_tests(strings: Any, token: dict) -> tuple[_Test, ...] | None:
    """The tests of one pattern token, if every condition is one the table decides, else None."""
    try:
        return _tests(strings, token)
    except KeyError:  # a value the table cannot read as the Matcher does
        return None


def _tests(strings: Any, token: dict) -> tuple[_Test, ...] | None:
    tests = []
    for name, cond in token.items():
        if name not in _KEY_NAMES:
            return None
        col = _KEY_NAMES.index(name)
        if not isinstance(cond, dict):
            tests.append(_Test(col, frozenset({_value(strings, name, cond)})))
        elif len(cond) == 1 and next(iter(cond)) in ("IN", "NOT_IN"):
            values = frozenset(_value(strings, name, v) for v in next(iter(cond.values())))
            tests.append(_Test(col, values, negate="NOT_IN" in cond))
        elif set(cond) == {"REGEX"} and name != "IS_SPACE":
            tests.append(_Test(col, regex=re.compile(cond["REGEX"])))
        else:
            return None
    return tuple(tests)


class AttributeTable:
    """A drop-in for a loaded `AttributeRuler` (see the module doc): `__call__` and `pipe`."""

    def __init__(self, ruler: Any):
        self.strings = ruler.vocab.strings
        self.rules: list[_Rule] = []
        self.matcher = Matcher(ruler.vocab)
        self.rest: dict[int, tuple[int, dict[int, int], int]] = {}  # matcher key -> (pattern index, attrs, target)
        self.anchors: list[tuple[_Test, ...]] | None = []  # first-token tests of the Matcher's patterns
        for i, (attrs, index) in enumerate(zip(ruler.attrs, ruler.indices, strict=True)):
            if "_" in attrs or any(a not in SET_ATTRS for a in attrs):
                raise ValueError(f"attribute ruler pattern {i} sets attributes this table cannot: {sorted(attrs)}")
            key = self.strings.add(str(i))
            patterns = ruler.matcher.get(key)[1]
            sets = tuple((SET_ATTRS.index(a), int(v)) for a, v in attrs.items())
            tests = [_token_tests(self.strings, p[0]) if len(p) == 1 and index in (0, -1) else None for p in patterns]
            if all(t is not None for t in tests):
                self.rules.extend(_Rule(i, t, sets) for t in tests if t is not None)
                continue
            self.matcher.add(key, patterns)
            self.rest[key] = (i, dict(sets), index)
            firsts = [_token_tests(self.strings, p[0]) for p in patterns]
            if self.anchors is not None:
                self.anchors = None if any(f is None for f in firsts) else self.anchors + [f for f in firsts if f is not None]
        tests = [t for r in self.rules for t in r.tests] + [t for a in self.anchors or () for t in a]
        self.used = sorted({t.col for t in tests}) if self.anchors is not None else list(range(len(KEY_ATTRS)))
        self.named = {c: frozenset().union(*(t.values for t in tests if t.col == c)) for c in _WIDE}
        self.regexes = {c: [t.regex for t in tests if t.col == c and t.regex is not None] for c in _WIDE}
        self._memo: dict[tuple[int, ...], tuple[tuple[tuple[int, int, int], ...], bool]] = {}
        self._class: dict[tuple[int, int], int] = {}

    def _key(self, row: list[int]) -> tuple[int, ...]:
        """A token's key: the tested columns only, a word no rule names or matches read as OTHER (so the
        memo grows with the tag set, not with the vocabulary)."""
        key = [0] * len(KEY_ATTRS)
        for c in self.used:
            key[c] = self._word_class(c, row[c]) if c in _WIDE else row[c]
        return tuple(key)

    def _word_class(self, col: int, value: int) -> int:
        """A word's value if some rule names it or a rule's regex matches it, else OTHER (memoised)."""
        cls = self._class.get((col, value))
        if cls is None:
            keep = value in self.named[col] or any(rx.search(self.strings[value]) for rx in self.regexes[col])
            if len(self._class) >= _MEMO_MAX:
                self._class.clear()
            cls = self._class[col, value] = value if keep else OTHER
        return cls

    def _resolve(self, key: tuple[int, ...]) -> tuple[tuple[tuple[int, int, int], ...], bool]:
        """(pattern index, SET_ATTRS column, value) of every compiled rule the key matches, in pattern
        order, and whether the key could start a match of the Matcher's patterns."""
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= _MEMO_MAX:
                self._memo.clear()
            sets = tuple((r.index, col, v) for r in self.rules if all(t.ok(key, self.strings) for t in r.tests) for col, v in r.attrs)
            anchor = self.anchors is None or any(all(t.ok(key, self.strings) for t in a) for a in self.anchors)
            found = self._memo[key] = (sets, anchor)
        return found

    def __call__(self, doc: Doc) -> Doc:
        """Set the ruler's attributes on `doc`, as the stock ruler would."""
        if not len(doc):
            return doc
        resolved = [self._resolve(self._key(k)) for k in doc.to_array(list(KEY_ATTRS)).tolist()]
        extra = self._matched(doc) if any(anchor for _, anchor in resolved) else {}
        out = doc.to_array(list(SET_ATTRS))
        used = [False] * len(SET_ATTRS)
        for i, (found, _) in enumerate(resolved):
            for _, col, v in (found if i not in extra else sorted(found + tuple(extra[i]))):
                out[i, col] = v
                used[col] = True
        cols = [c for c in range(len(SET_ATTRS)) if used[c]]
        if cols:
            doc.from_array([SET_ATTRS[c] for c in cols], np.ascontiguousarray(out[:, cols]))
        return doc

    def _matched(self, doc: Doc) -> dict[int, list[tuple[int, int, int]]]:
        """The Matcher's patterns: token -> (pattern index, column, value) of each match on it."""
        extra: dict[int, list[tuple[int, int, int]]] = {}
        for m_id, s, e in self.matcher(doc, allow_missing=True):
            index, attrs, at = self.rest[m_id]
            target = range(s, e)[at]
            extra.setdefault(target, []).extend((index, col, v) for col, v in attrs.items())
        return extra

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """`__call__` on each doc (what `nlp.pipe` calls)."""
        for doc in docs:
            yield self(doc)


@Language.factory("epnlp_attribute_table")
def _make_table(nlp: Language, name: str) -> AttributeTable:
    """The factory `use_attribute_table` adds: a table of the pipeline's own `attribute_ruler`."""
    return AttributeTable(nlp.get_pipe("attribute_ruler"))


def use_attribute_table(nlp: Language) -> bool:
    """Run the pipeline's `attribute_ruler` as an `AttributeTable`, under the same name and in the same
    place; True if swapped. A ruler that sets what the table cannot (extension attributes) is kept."""
    if "attribute_ruler" not in nlp.component_names or isinstance(nlp.get_pipe("attribute_ruler"), AttributeTable):
        return False
    try:
        nlp.add_pipe("epnlp_attribute_table", name="epnlp_attribute_table", before="attribute_ruler")
    except ValueError:
        return False
    disabled = "attribute_ruler" in nlp.disabled
    nlp.remove_pipe("attribute_ruler")
    nlp.rename_pipe("epnlp_attribute_table", "attribute_ruler")
    if disabled:
        nlp.disable_pipe("attribute_ruler")
    return True
