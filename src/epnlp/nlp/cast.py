"""Cast pairs stated in the article's own sentences: who plays whom.

Wikipedia writes the cast in a few fixed shapes; each gives an actor (a real person) and a role (a
character of the story):

- "Ada Vance (Jane Doe) arrives" — the actor in parentheses after the character (also "(played by X)",
  and after a possessive: "Ada's (Jane Doe) plan");
- "Jane Doe as Ada Vance", "Starring: Jane Doe as Ada Vance" — outside the plot (in a plot "as" is a
  disguise or a comparison);
- "Jane Doe was cast as Ada Vance", "Jane Doe plays/portrays/voices Ada Vance", "Jane Doe, who voices
  Ada Vance", "Ada Vance, played by Jane Doe" — outside the plot (a character may play a role inside the story).

An actor must be a full name (two or more capitalised words); the role may be a single name.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from epnlp.nlp.names import is_name_word, name_run, name_run_ending

_CAST_VERBS = {"play", "portray", "voice", "cast"}
_BY_VERBS = {"played", "portrayed", "voiced"}


@dataclass(frozen=True)
class CastPair:
    """An actor span and the role span they play (same Doc)."""

    actor: Span
    role: Span
    sure: bool = True  # False: 'A (B)' outside the plot, where either side may be the actor


def _actor(doc: Doc, start: int, end: int, sure: bool = False) -> Span | None:
    """A full personal name filling exactly tokens start..end (not a place or an organisation; `sure`:
    the sentence says it is someone, so the model's reading of a word as a date does not count)."""
    run = name_run(doc, start, end)
    if run is None or run[1] != end or end - start < 2:
        return None
    not_names = ("GPE", "LOC", "FAC", "ORG", "NORP") if sure else ("GPE", "LOC", "FAC", "ORG", "NORP", "DATE")
    if any(doc[k].ent_type_ in not_names for k in range(start, end)):
        return None
    return Span(doc, start, end, label="PERSON")


def _subject_of(verb: Token) -> Span | None:
    """The actor who is the subject of a cast verb: 'Jane Doe plays ...' or, through a relative
    pronoun, 'Jane Doe, who voices ...' (the name the clause hangs on)."""
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subj:
        return None
    if subj[0].tag_ == "WP" and verb.dep_ == "relcl":
        return _actor(verb.doc, verb.head.left_edge.i, verb.head.i + 1, sure=True)
    return _actor(verb.doc, subj[0].left_edge.i, subj[0].right_edge.i + 1)


def _role_before(doc: Doc, end: int) -> Span | None:
    run = name_run_ending(doc, end)
    return Span(doc, run[0], run[1], label="PERSON") if run else None


def _role_after(doc: Doc, start: int) -> Span | None:
    k = start + 1 if start < len(doc) and doc[start].lower_ == "the" else start
    run = name_run(doc, k)
    return Span(doc, run[0], run[1], label="PERSON") if run else None


def _parenthesised(doc: Doc, in_plot: bool) -> list[CastPair]:
    """'Ada Vance (Jane Doe)' and 'Ada Vance (played by Jane Doe)'; outside the plot the order is not
    fixed ('the last appearance of Jane Doe (Ada Vance)'), so those pairs are unsure."""
    out = []
    for t in doc:
        if t.text != "(" or t.i == 0:
            continue
        close = next((k for k in range(t.i + 1, min(len(doc), t.i + 8)) if doc[k].text == ")"), None)
        if close is None:
            continue
        start, sure = t.i + 1, in_plot
        if start + 1 < close and doc[start].lower_ in _BY_VERBS and doc[start + 1].lower_ == "by":
            start, sure = start + 2, True
        end = t.i - 1 if t.i > 0 and (doc[t.i - 1].tag_ == "POS" or doc[t.i - 1].lower_ in ("'s", "\u2019s")) else t.i  # "Ada's (Jane Doe)"
        actor, role = _actor(doc, start, close), _role_before(doc, end) if end > 0 else None
        if actor is not None and role is not None:
            out.append(CastPair(actor, role, sure))
    return out


_MATCHERS: dict[int, Matcher] = {}


def _cue_tokens(doc: Doc) -> list[Token]:
    """Tokens that can start a stated cast pair ('as', a cast verb, 'played by'), found by a spaCy
    Matcher (one pass in compiled code instead of a Python loop over every token)."""
    matcher = _MATCHERS.get(id(doc.vocab))
    if matcher is None:
        matcher = Matcher(doc.vocab)
        matcher.add("cue", [[{"LOWER": "as"}], [{"LEMMA": {"IN": sorted(_CAST_VERBS)}, "POS": "VERB"}], [{"LOWER": {"IN": sorted(_BY_VERBS)}}]])
        _MATCHERS[id(doc.vocab)] = matcher
    return [doc[start] for _, start, _ in matcher(doc)]


def _stated(doc: Doc) -> list[CastPair]:
    """'X as Y', 'X was cast as Y', 'X plays Y', 'Y, played by X' (outside the plot)."""
    out = []
    for t in _cue_tokens(doc):
        k = t.i
        if t.lower_ == "as" and k > 0:
            before = name_run_ending(doc, k)
            if before is None and doc[k - 1].lemma_ == "cast":  # "X was cast as Y"
                verb = doc[k - 1]
                subj = [c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj")]
                before = (subj[0].left_edge.i, subj[0].right_edge.i + 1) if subj else None
            actor = _actor(doc, *before) if before else None
            role = _role_after(doc, k + 1)
            if actor is not None and role is not None:
                out.append(CastPair(actor, role))
        elif t.lemma_ in _CAST_VERBS and t.pos_ == "VERB" and k + 1 < len(doc) and is_name_word(doc[k + 1]):
            actor = _subject_of(t)
            role = _role_after(doc, k + 1)
            if actor is not None and role is not None:
                out.append(CastPair(actor, role))
        elif t.lower_ in _BY_VERBS and k + 1 < len(doc) and doc[k + 1].lower_ == "by" and k >= 2 and doc[k - 1].text == ",":
            run = name_run(doc, k + 2)
            actor = _actor(doc, *run) if run else None
            role = _role_before(doc, k - 1)
            if actor is not None and role is not None:
                out.append(CastPair(actor, role))
    return out


def cast_pairs(doc: Doc, in_plot: bool) -> list[CastPair]:
    """Every cast pair of a paragraph doc; in the plot only the parenthesised form counts."""
    pairs = _parenthesised(doc, in_plot) if "(" in doc.text else []
    if not in_plot:
        pairs += _stated(doc)
    seen, out = set(), []
    for p in pairs:
        key = (p.actor.start, p.role.start)
        if key in seen or not (p.actor.end <= p.role.start or p.role.end <= p.actor.start):
            continue
        seen.add(key)
        out.append(p)
    return out
