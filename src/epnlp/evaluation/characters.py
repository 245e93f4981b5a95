"""Story characters on the development corpus: found, linked, precise, and real people kept apart.

Rules (those of `data/corpus/score.py` for found and linked):
- found: one of a gold character's forms (or its key) is a `characters.csv` canonical name or alias;
- linked: a surface form counts when every entity mention with exactly that text has a canonical name
  among the character's forms, and all of the character's forms map to one canonical name;
- precision: a `characters.csv` row is a story character when its canonical name or an alias is a form
  of a gold character (possessive "'s" ignored);
- people: a real person named in the reception (gold `real_people_in_reception`) counts when the entity
  mentions of that exact name are all of kind `person` (a name the model never marks counts as missed).
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from epnlp.evaluation.corpus import GoldArticle, article_ids, by_half, ratio, summed

_ALIAS_SEP = ";"


def _base(form: str) -> str:
    return form[:-2] if form.endswith(("'s", "\u2019s")) else form


def _rows_names(row: dict) -> set[str]:
    names = {row["canonical"]} | {a.strip() for a in str(row.get("aliases") or "").split(_ALIAS_SEP) if a.strip()}
    return {_base(n) for n in names}


def character_errors_for(g: GoldArticle, aid: str | None, characters: pd.DataFrame, entities: pd.DataFrame) -> tuple[list[dict], dict]:
    """One article: error rows and counts for `character_metrics`."""
    mine = characters[characters["article_id"] == aid].to_dict("records") if aid else []
    ents = entities[entities["article_id"] == aid] if aid else entities.iloc[0:0]
    have: set[str] = set()
    for r in mine:
        have |= _rows_names(r)
    canon_of: dict[str, set[str]] = {}
    for text, canonical in zip(ents["text"], ents["canonical"], strict=True):
        canon_of.setdefault(text, set()).add(canonical)
    c: Counter = Counter()
    errors: list[dict] = []

    def err(kind: str, name: str, detail: str) -> None:
        errors.append({"article_id": aid or g.stem, "half": g.half, "error": kind, "name": name, "detail": detail})

    gold_forms: set[str] = set()
    for key, forms in g.gold.get("characters", {}).items():
        names = set(forms) | {key}
        gold_forms |= names
        c["gold"] += 1
        if names & have:
            c["found"] += 1
        else:
            err("missed", key, "no characters.csv row names any of: " + "; ".join(sorted(names)))
        one = {x for f in forms for x in canon_of.get(f, set())}
        for f in forms:
            c["forms"] += 1
            ok = bool(canon_of.get(f)) and canon_of[f] <= names and len(one) == 1
            c["linked"] += ok
            if not ok:
                got = "; ".join(sorted(canon_of.get(f, set()))) or "(no mention with this text)"
                err("not_linked", f, f"{key}: mentions map to {got}; the character's forms map to {len(one)} name(s)")
    for r in mine:
        c["rows"] += 1
        if _rows_names(r) & gold_forms:
            c["precise"] += 1
        else:
            err("not_a_story_character", r["canonical"], f"aliases: {r.get('aliases')}")
    people_errors(g, ents, c, err)
    return errors, dict(c)


def people_errors(g: GoldArticle, ents: pd.DataFrame, c: Counter, err) -> None:
    """Real people of the reception: every mention of the exact name should be of kind `person`."""
    for name in g.gold.get("real_people_in_reception", []):
        c["people"] += 1
        kinds = set(ents.loc[ents["text"] == name, "kind"])
        if kinds == {"person"}:
            c["people_ok"] += 1
        else:
            err("person_kind", name, "kinds: " + ("; ".join(sorted(kinds)) or "(no mention with this text)"))


def character_metrics(counts) -> dict:
    """Headline character metrics from per-article counts."""
    c = summed(counts)
    return {
        "gold_characters": c["gold"],
        "found": ratio(c["found"], c["gold"]),
        "linked": ratio(c["linked"], c["forms"]),
        "precision": ratio(c["precise"], c["rows"]),
        "people_as_people": ratio(c["people_ok"], c["people"]),
    }


def evaluate_characters(gold: list[GoldArticle], articles: pd.DataFrame, characters: pd.DataFrame, entities: pd.DataFrame) -> tuple[dict, dict, list[dict]]:
    """Headline metrics per half, per-article detail and every error row."""
    ids = article_ids(articles)
    per: dict[str, dict] = {}
    errors: list[dict] = []
    for g in gold:
        e, per[g.stem] = character_errors_for(g, ids.get(g.stem), characters, entities)
        errors += e
    headline = by_half(gold, per, character_metrics)
    detail = {"by_article": {g.stem: character_metrics([per[g.stem]]) for g in gold}}
    return headline, detail, errors
