"""Name spans in a parsed Doc: where a name starts and ends, how to clean a model span, and what the
name does in its sentence (acts like a person, or is a place one goes to).

Pure functions on spaCy tokens; no per-article state. Used by the entity layer (`entities.py`) and the
cast-pair finder (`cast.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from spacy.symbols import PROPN
from spacy.tokens import Doc, Span, Token

# lower-case words that may sit inside a name ("Two of Five", "Man in Grey", "Ada van Loon")
PARTICLES = {"of", "in", "van", "von", "de", "da", "del", "der", "la", "le", "du", "bin", "al"}
ROMAN = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}
# split points inside a model span: "Ada Vance/The Shade", "Tobias, Mara", "Wren and Tamsin"
_SPLIT = {"/", ",", ";", "and", "&", "or", "with", "(", ")", ":"}
_QUOTES = {'"', "\u201c", "\u201d"}
_GLUED = ('"', "\u201c", "\u201d", "\u2014", "\u2013")  # quote marks and dashes the tokenizer left inside a word
_PLACE_PREPS = {"in", "at", "to", "from", "near", "toward", "towards", "into", "across", "over", "through",
                "outside", "inside", "beyond", "around", "above", "below", "onto"}
_LOCATIVE = {"in", "at", "inside", "near", "into", "outside", "across", "around"}  # also beat a PERSON label


def is_cap(t: Token) -> bool:
    """A capitalised word that can be part of a name (not all-caps noise like 'CCPD' is excluded here)."""
    return t.text[:1].isupper() and any(c.isalpha() for c in t.text)


def is_name_word(t: Token) -> bool:
    """A capitalised word tagged as a proper noun, or a capitalised noun inside a name ('Man' in 'the
    Man in Grey'), or an initial ('L.')."""
    if not is_cap(t):
        return False
    return t.pos_ in ("PROPN", "NOUN", "ADJ", "X") or (len(t.text) == 2 and t.text.endswith("."))


def name_run(doc: Doc, start: int, end: int | None = None, particles: bool = True) -> tuple[int, int] | None:
    """The longest name starting at token `start` (capitalised words, inner particles, trailing numerals),
    stopping before `end`; None when `start` is not a name word."""
    n = len(doc) if end is None else end
    if start >= n or not is_name_word(doc[start]):
        return None
    j = start + 1
    while j < n:
        t = doc[j]
        if is_name_word(t) or t.text in ROMAN or (t.text.isdigit() and len(t.text) <= 2):
            j += 1
        elif particles and t.lower_ in PARTICLES and j + 1 < n and is_name_word(doc[j + 1]) and t.text.islower():
            j += 1
        elif t.text == "-" and not doc[j - 1].whitespace_ and not t.whitespace_ and j + 1 < n and is_name_word(doc[j + 1]):
            j += 2  # "Martin-Green"
        else:
            break
    return start, j


def name_run_ending(doc: Doc, end: int) -> tuple[int, int] | None:
    """The longest name ending right before token `end` (walking back over capitalised words)."""
    i = end - 1
    if i < 0 or not is_name_word(doc[i]):
        return None
    while i - 1 >= 0:
        if is_name_word(doc[i - 1]) or (doc[i - 1].lower_ in PARTICLES and i - 2 >= 0 and is_name_word(doc[i - 2]) and doc[i - 1].text.islower()):
            i -= 1
        elif i - 2 >= 0 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_ and is_name_word(doc[i - 2]):
            i -= 2  # "Martin-Green"
        else:
            break
    return i, end


# entity labels that name something (not numbers, dates, quantities)
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "WORK_OF_ART", "PRODUCT", "EVENT"})


def split_span(span: Span) -> list[Span]:
    """A model span cut at conjunctions, slashes, commas and lower-case words that cannot be inside a
    name ('Oliver webcams Diggle' -> Oliver, Diggle); pieces keep the label. Dates and numbers stay whole."""
    doc = span.doc
    pieces: list[Span] = []
    start = span.start
    for k in range(span.start, span.end + 1):
        t = doc[k] if k < span.end else None
        cut = t is None or t.lower_ in _SPLIT or (t.text.islower() and t.lower_ not in PARTICLES and t.lower_ not in ("the", "'s", "'"))
        cut = cut or (t is not None and len(t.text) > 1 and any(ch in t.text for ch in _GLUED))  # 'Razor"—or' (a title's end)
        if cut:
            if k > start:
                pieces.append(Span(doc, start, k, label=span.label_))
            start = k + 1
    if span.label_ in NAME_LABELS:  # "the van" read as a PERSON: a name has a capitalised word
        pieces = [p for p in pieces if any(t.text[:1].isupper() and t.lower_ not in ("the", "a", "an") for t in p)]
    return pieces


def trim(span: Span, titles: set[str], keep: set[str] = frozenset()) -> Span | None:
    """Drop leading articles and titles (an honorific in `keep` before a one-word name stays: 'Dr. Vance') and trailing
    possessives, quotes and punctuation; None when nothing is left."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end:
        w = doc[start].text.casefold().rstrip(".")
        honour = w in keep and end - start == 2  # "Dr. Vance" keeps it; "Dr. Samuel Okafor" is the name
        if doc[start].lower_ in ("the", "a", "an") or doc[start].text in _QUOTES or (w in titles and not honour and end - start > 1):
            start += 1
        else:
            break
    inner = [k for k in range(start + 1, end - 1) if doc[k].text.casefold().rstrip(".") in titles - keep]
    if inner and all(is_cap(doc[j]) for j in range(start, inner[-1])):
        start = inner[-1] + 1  # "FBI Special Agent Ray Conlin" -> Ray Conlin
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].pos_ in ("CCONJ", "ADP", "DET")):
        end -= 1
    if start >= end:
        return None
    return Span(doc, start, end, label=span.label_)


def _subject_like(t: Token) -> bool:
    """Subject of an action verb ('Maeve kills'), agent of a passive ('murdered by the Butcher')."""
    while t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
    if t.dep_ in ("nsubj", "nsubjpass", "nmod"):
        return t.head.pos_ == "VERB" and t.head.lemma_ != "be"
    return t.dep_ == "pobj" and t.head.lower_ == "by" and t.head.head.tag_ == "VBN"


def _person_noun(t: Token, nouns: frozenset[str]) -> bool:
    """A noun that names a person: in `nouns` (kin, 'friend', 'man') or described by 'who ...'."""
    if t.pos_ not in ("NOUN", "PROPN"):
        return False
    return t.lemma_.casefold() in nouns or any(c.dep_ == "relcl" and any(g.lower_ in ("who", "whom") for g in c.children) for c in t.children)


def _kin(t: Token, nouns: frozenset[str]) -> bool:
    """In apposition with a person noun ('her ex-husband Mason', 'Dylan, the reenactor who ...'),
    named after one ('a dealer named Kissy'), or owner of one ('Cisco's brother')."""
    if t.dep_ == "appos" and _person_noun(t.head, nouns):
        return True
    if t.dep_ == "oprd" and t.head.lemma_ in ("name", "call") and _person_noun(t.head.head, nouns):
        return True
    if t.dep_ == "poss" and t.head.lemma_.casefold() in nouns:
        return True
    return any(c.dep_ in ("appos", "compound", "amod") and _person_noun(c, nouns) for c in t.children)


def _patient(t: Token, verbs: frozenset[str]) -> bool:
    """Object of a verb done to people ('kidnapped Gideon', 'tells Gideon', 'kills Walter and Rebus')."""
    while t.dep_ in ("conj", "appos") and t.head.i != t.i:
        t = t.head
    return t.dep_ in ("dobj", "dative") and t.head.pos_ == "VERB" and t.head.lemma_.casefold() in verbs


def person_cue(span: Span, nouns: frozenset[str] = frozenset(), verbs: frozenset[str] = frozenset()) -> bool:
    """What the name does says 'person': it acts (subject of a verb), is the agent of a passive, is
    done to as people are (`_patient`), is followed by ', who', or stands with a person noun (`_kin`).
    A name that does nothing person-like gives no evidence either way."""
    root = span.root
    if _subject_like(root) or (nouns and _kin(root, nouns)) or (verbs and _patient(root, verbs)):
        return True
    doc = span.doc
    return span.end + 1 < len(doc) and doc[span.end].text == "," and doc[span.end + 1].lower_ == "who"


def place_cue(span: Span, locative_only: bool = False, dative: frozenset[str] = frozenset()) -> bool:
    """A name right after a preposition of place ('sail to Saltmoor', 'In Sweetwater,'); 'to' after a
    verb of saying or giving in `dative` ('reads the letter to Tamsin') marks a person instead."""
    doc = span.doc
    k = span.start - 1
    if k >= 0 and doc[k].lower_ == "the":
        k -= 1
    if k < 0 or doc[k].lower_ not in (_LOCATIVE if locative_only else _PLACE_PREPS):
        return False
    if doc[k].lower_ != "to" or not dative:
        return True
    verb = doc[k].head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:  # tokens are new objects: compare .i
        verb = verb.head  # "reads [the letter to] Tamsin": the preposition may hang on the object
    return verb.lemma_.casefold() not in dative


def proper_runs(doc: Doc, sentence_start: bool = False) -> Iterable[Span]:
    """Runs of capitalised proper-noun tokens (with trailing numerals: 'Orion II', 'Gemini 7'); a run at
    the start of a sentence only when `sentence_start` (a capital there says nothing). Only proper
    nouns are visited (found with one array read), not every token."""
    n = len(doc)
    propn = (doc.to_array("POS") == PROPN).tolist()
    after = 0  # the end of the last run: no run starts inside one
    for i in (k for k, is_propn in enumerate(propn) if is_propn):
        if i < after:
            continue
        t = doc[i]
        if t.text[:1].isupper() and (sentence_start or not t.is_sent_start):
            j = i + 1
            while j < n and ((propn[j] and doc[j].text[:1].isupper()) or doc[j].text in ROMAN or doc[j].like_num and doc[j].text.isdigit()):
                j += 1
            yield doc[i:j]
            after = j


def quoted(span: Span) -> bool:
    """A name written as a title: a quotation mark right before it and one right after it (a comma or
    full stop may sit inside the closing quote: 'in "Nightjar," the critic ...'); not a nickname
    inside a name ('Ada "Wren" Vance')."""
    doc, s = span.doc, span.start
    after = [t.text for t in doc[span.end : span.end + 2]]
    close = 0 if after and after[0] in _QUOTES else 1 if len(after) == 2 and after[0] in (",", ".") and after[1] in _QUOTES else None
    if close is None or s == 0 or doc[s - 1].text not in _QUOTES:
        return False
    nxt = span.end + close + 1
    return not (s >= 2 and is_name_word(doc[s - 2])) and not (nxt < len(doc) and is_name_word(doc[nxt]))


def as_head(t: Token) -> Token | None:
    """The word 'as X' hangs on when `t` is X ('dressed up as X', 'arrives as X', 'recognizes Y as X'),
    else None."""
    return t.head.head if t.dep_ == "pobj" and t.head.lower_ == "as" else None


@lru_cache(maxsize=65536)
def name_words(name: str) -> tuple[str, ...]:
    """The capitalised words of a name, without possessive 's or nickname quotes."""
    clean = name.replace("'s", "").replace("\u2019s", "")
    words = [w.strip('"\u201c\u201d') for w in clean.split()]
    return tuple(w for w in words if w[:1].isupper() and w.lower() not in ("the", "a", "an"))


def with_nickname(span: Span) -> Span:
    """'Alphonso "Mack" MacKenzie': a quoted nickname between two names belongs to the name."""
    doc, s, e = span.doc, span.start, span.end
    while (e + 3 < len(doc) and doc[e].text in _QUOTES and is_name_word(doc[e + 1])
           and doc[e + 2].text in _QUOTES and is_name_word(doc[e + 3])):
        e += 4
        while e < len(doc) and is_name_word(doc[e]):
            e += 1
    while s >= 4 and doc[s - 1].text in _QUOTES and is_name_word(doc[s - 2]) and doc[s - 3].text in _QUOTES and is_name_word(doc[s - 4]):
        s -= 4
        while s > 0 and is_name_word(doc[s - 1]):
            s -= 1
    return span if (s, e) == (span.start, span.end) else Span(doc, s, e, label=span.label_)


def epithet(span: Span) -> str:
    """Canonical name of a person-like span: 'the Butcher', 'the Man in Grey' when the text puts the
    article before a head name (not a modifier as in 'the Chen family'); the span itself stays without
    the article, so a vessel or place read this way still matches its bare name."""
    doc, k = span.doc, span.start - 1
    if k < 0 or doc[k].lower_ != "the" or span.root.dep_ in ("compound", "amod", "nmod"):
        return span.text
    if span.end < len(doc) and doc[span.end].pos_ in ("NOUN", "PROPN"):
        return span.text
    return doc[k].text + " " + span.text  # the article as written: "The Man in Grey" opens a sentence


def epithet_run(span: Span) -> Span:
    """'The Man' cut by the model before 'in Black': after an article, the name runs on over inner
    particles ('the Man in Grey', 'the Keeper of the Mill'); without one a particle ends it ('Emma in Paris')."""
    k = span.start - 1
    if k < 0 or span.doc[k].lower_ != "the":
        return span
    run = name_run(span.doc, span.start)
    return Span(span.doc, span.start, run[1], label=span.label_) if run and run[1] > span.end else span


def honorific(span: Span, keep: set[str]) -> Span:
    """'Dr. Vance', 'Mr Quint': an honorific right before a one-word name is part of it."""
    k = span.start - 1
    if len(span) == 1 and k >= 0 and span.doc[k].text.casefold().rstrip(".") in keep and span.doc[k].text[:1].isupper():
        return Span(span.doc, k, span.end, label=span.label_)
    return span


def _owns_part(span: Span, parts: frozenset[str]) -> bool:
    """'the Orion's engines', 'the Orions shields and engines': a name after 'the' (people's names take
    none) followed by a vessel part, or by a noun conjoined with one."""
    doc = span.doc
    if span.start == 0 or doc[span.start - 1].lower_ != "the":
        return False
    owned = span.end < len(doc) and doc[span.end].tag_ == "POS"
    if owned and span[-1].tag_ == "NNPS":
        return False  # "the Vances' engine": a family's, not a ship's
    k = span.end + owned
    if k >= len(doc) or doc[k].pos_ != "NOUN":
        return False
    return any(t.lemma_.casefold() in parts for t in (doc[k], *doc[k].conjuncts))


def vessel_cue(span: Span, prefixes: set[str], nouns: set[str], parts: frozenset[str] = frozenset()) -> bool:
    """Whether the context calls the span a vessel: a ship prefix, a vessel noun in apposition or
    right before it ("the trawler X"), 'aboard X', or a vessel's part it owns ("the Orion's engines")."""
    doc = span.doc
    if doc[span.start].text in prefixes or (span.start > 0 and doc[span.start - 1].text in prefixes):
        return True
    if parts and _owns_part(span, parts):
        return True
    root = span.root
    if root.dep_ == "appos" and root.head.lemma_.casefold() in nouns:
        return True
    if any(c.dep_ == "appos" and c.lemma_.casefold() in nouns for c in root.children):
        return True
    k = span.start - 1
    if k >= 0 and doc[k].lower_ == "the":
        k -= 1
    if k >= 0 and doc[k].lower_ in ("aboard", "onboard"):
        return True
    # Surface apposition, for when the parse is off: "X, the trawler ..." / "... launch, the X".
    after = [t for t in doc[span.end : min(len(doc), span.end + 4)]]
    if after and after[0].text == ",":
        for t in after[1:]:
            if t.text.casefold() in nouns or t.lemma_.casefold() in nouns:
                return True
            if t.is_punct or t.pos_ in ("VERB", "AUX", "PROPN"):
                break
    k = span.start - 1
    if k >= 0 and doc[k].lower_ == "the":
        k -= 1
    if k >= 1 and doc[k].text == "," and (doc[k - 1].text.casefold() in nouns or doc[k - 1].lemma_.casefold() in nouns):
        return True
    prev = span.start - 1
    return prev >= 0 and doc[prev].lemma_.casefold() in nouns and doc[prev].pos_ == "NOUN"


def strip_title(name: str, titles: set[str]) -> str:
    """'Lt. Ada Vance' -> 'Ada Vance' (leading titles removed; a lone title is kept)."""
    words = name.split()
    while len(words) > 1 and words[0].casefold().rstrip(".") in titles:
        words = words[1:]
    return " ".join(words)
