"""Words written before a name that say what someone is, not who: not part of the name.

Two kinds, both read from the article itself (no word lists):
- group words: a kind of being the model reads as a group in the plural ('registered Velaris') and
  whose singular the article writes before a name ('the parasitic Velari Orm' is Orm);
- opening nouns: a common noun that opens a sentence and so is capitalised ('Host Ada visits the
  town' where the article writes 'the hosts' and 'Ada' alone): capitals at a sentence's start say
  nothing, the lower-case uses say it is a noun.
Linking (`epnlp.nlp.link`) takes such a word off the name and off the mention's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from epnlp.nlp.link import Row

_PERSONLIKE = {"person?", "person", "character"}
# a word opens a sentence when only a sentence end (and closing quotes or brackets) or a line break precedes it
_OPENING = re.compile(r"(?:^|[.!?][\"'\u201d\u2019)]*\s+|\n\s*)$")
_COUNTERS = r"(?:a|an|the|another|every|each|other|some|many|all|these|those)"


def group_words(rows: Sequence[Row]) -> frozenset[str]:
    """One-word names the model reads as a group of people in the plural somewhere in the article (NORP:
    'registered Velaris') whose singular the article also writes as a name or a name's first word
    ('a Velari', 'Velari Orm'), both forms: a kind of being, not anyone's name. Only such pairs
    count: the small model reads lone given names as NORP too ('Hanna', and a 'Marcus' has no 'Marcu')."""
    plurals = {r.surface for r in rows if r.label == "NORP" and " " not in r.surface and r.surface[:1].isupper() and r.surface.endswith("s")}
    firsts = {r.surface.split(" ", 1)[0] for r in rows}
    return frozenset(w for p in plurals if p[:-1] in firsts for w in (p, p[:-1]))


def _only_at_openings(name: str, text: str) -> bool:
    """True if `name` occurs in `text` and every occurrence opens a sentence."""
    hits = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
    return bool(hits) and all(_OPENING.search(text[max(0, k - 8) : k]) for k in hits)


def _written_as_noun(word: str, text: str) -> bool:
    """The article writes `word` in lower case as a counted noun: 'the hosts', 'a host', 'hosts'."""
    low = re.escape(word.lower())
    return re.search(rf"(?<!\w)(?:{low}e?s|{_COUNTERS} {low})(?!\w)", text) is not None


def opening_nouns(rows: Sequence[Row], text: str, skip: Iterable[str] = ()) -> frozenset[str]:
    """First words of two-word person names that are common nouns capitalised by a sentence's start:
    the name is written only where it opens a sentence, the article writes the word in lower case as a
    counted noun elsewhere, and the rest of the name stands alone as a person's name in the article
    (while the first word never does: 'Rose Tyler' with 'Rose' alone and 'the roses' keeps its name).
    `skip`: titles and honorifics (casefolded, without '.'), which have rules of their own ('King David')."""
    skipped = set(skip)
    people = {r.surface for r in rows if r.kind in _PERSONLIKE}
    alone = {name for name in people if " " not in name}
    out = set()
    for name in people - alone:
        words = name.split()
        if len(words) != 2 or words[1] not in alone or words[0] in alone or not words[0][:1].isupper() \
                or words[0].casefold().rstrip(".") in skipped:
            continue  # a first word that is itself someone's name ('Rose' alone) is a given name
        # a plain substring test first: most names' words never occur in lower case
        if words[0].lower() in text and _written_as_noun(words[0], text) and _only_at_openings(name, text):
            out.add(words[0])
    return frozenset(out)
