"""Accuracy on the development corpus (`data/corpus/`): critics' reviews and story characters scored
against hand-checked gold, per half of the corpus.

The matching rules are those of the corpus's reference scorer (`data/corpus/score.py`), so the numbers
agree with it: names compared after `norm` (case, punctuation and a leading "the" ignored); a gold review
is found by the first unused extracted review of its article with the same author (or an outlet equal to
the gold author), or the same outlet when either side has no author; extracted reviews left over are
spurious. A gold character is found when one of its forms is a `characters.csv` canonical name or alias.

The corpus is split into two halves by series (`split_halves`), so rules developed while looking at one
half are measured on the other; both are reported, with the whole corpus.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

HALVES = ("dev", "held_out")
POLARITIES = ("positive", "negative", "mixed")


def norm(name: object) -> str:
    """A name as compared: lower case, straight apostrophes, no leading "the", letters and digits only."""
    s = str(name).lower().replace("\u2019", "'") if isinstance(name, str) else ""
    s = re.sub(r"^the\s+", "", s)
    return re.sub(r"[^a-z0-9]+", "", s)


@dataclass(frozen=True)
class GoldArticle:
    """One corpus article's gold (the JSON file of the same stem) and the half it belongs to."""

    stem: str
    half: str
    gold: dict


def split_halves(series_of: Mapping[str, str]) -> dict[str, str]:
    """Article stem -> "dev" or "held_out", whole series together.

    Series are taken in the order of the SHA-256 of their name (fixed, unrelated to their content) and each
    goes to the half with fewer articles so far (ties: dev). No series is in both halves.
    """
    sizes = Counter(series_of.values())
    count = dict.fromkeys(HALVES, 0)
    half_of_series: dict[str, str] = {}
    for series in sorted(sizes, key=lambda s: hashlib.sha256(s.encode("utf-8")).hexdigest()):
        half = min(HALVES, key=lambda h: (count[h], HALVES.index(h)))
        half_of_series[series] = half
        count[half] += sizes[series]
    return {stem: half_of_series[s] for stem, s in sorted(series_of.items())}


def load_gold(gold_dir: Path) -> list[GoldArticle]:
    """Every `<stem>.json` in `gold_dir`, with its half."""
    gold = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(gold_dir).glob("*.json"))}
    halves = split_halves({stem: g["series"] for stem, g in gold.items()})
    return [GoldArticle(stem, halves[stem], g) for stem, g in gold.items()]


def article_ids(articles: pd.DataFrame) -> dict[str, str]:
    """Source file stem -> article_id, from `articles.csv`."""
    return {Path(f).stem: a for f, a in zip(articles["source_file"], articles["article_id"], strict=True)}


def _match(gold_review: dict, mine: list[dict], used: set[int]) -> int | None:
    go, ga = norm(gold_review.get("outlet")), norm(gold_review.get("author"))
    for i, r in enumerate(mine):
        if i in used:
            continue
        ro, ra = norm(r.get("outlet")), norm(r.get("author"))
        if (ga and ga in (ra, ro)) or (go and go == ro and (not ga or not ra)):
            return i
    return None


def _score_ok(extracted: object, gold: float) -> bool:
    try:
        return abs(float(extracted) - float(gold)) <= 0.01
    except (TypeError, ValueError):
        return False


def _text(x: object) -> str:
    return "" if x is None or (isinstance(x, float) and pd.isna(x)) else str(x)


def review_errors_for(g: GoldArticle, aid: str | None, reviews: pd.DataFrame) -> tuple[list[dict], dict]:
    """One article: the error rows and the counts that `review_metrics` adds up."""
    mine = reviews[reviews["article_id"] == aid].to_dict("records") if aid else []
    used: set[int] = set()
    c: Counter = Counter(n_extracted=len(mine))
    errors: list[dict] = []

    def err(kind: str, gold: object, got: object, r: dict | None, gr: dict | None) -> None:
        errors.append({
            "article_id": aid or g.stem, "half": g.half, "error": kind,
            "gold_outlet": _text((gr or {}).get("outlet")), "gold_author": _text((gr or {}).get("author")),
            "gold": _text(gold), "extracted": _text(got),
            "review_id": None if r is None else int(r["review_id"]),
            "evidence": _text((r or {}).get("evidence")) or _text((gr or {}).get("evidence")),
        })

    for gr in g.gold.get("reviews", []):
        c["gold"] += 1
        c[f"gold_{gr['polarity']}"] += 1
        hit = _match(gr, mine, used)
        if hit is None:
            err("missed", gr["polarity"], "", None, gr)
            c[f"confusion:{gr['polarity']}:(missed)"] += 1
            continue
        used.add(hit)
        r = mine[hit]
        c["found"] += 1
        for field in ("outlet", "author"):
            if norm(r.get(field)) == norm(gr.get(field)):
                c[f"{field}_exact"] += 1
            else:
                err(field, gr.get(field), r.get(field), r, gr)
        pol = _text(r.get("polarity")).lower()
        c[f"confusion:{gr['polarity']}:{pol}"] += 1
        if pol == gr["polarity"]:
            c["polarity"] += 1
        else:
            err("polarity", gr["polarity"], pol, r, gr)
        if gr.get("score_norm") is not None:
            c["gold_scores"] += 1
            if _score_ok(r.get("score_norm"), gr["score_norm"]):
                c["score"] += 1
            else:
                err("score", f"{gr.get('score_text')} = {gr['score_norm']}", f"{_text(r.get('score_text'))} = {_text(r.get('score_norm'))}", r, gr)
    for i, r in enumerate(mine):
        if i not in used:
            c["spurious"] += 1
            err("spurious", "", f"{_text(r.get('author'))} / {_text(r.get('outlet'))}", r, None)
    return errors, dict(c)


def ratio(a: int, b: int) -> float | None:
    """a / b to 4 places; None when there is nothing to divide by (no gold of that kind in a half)."""
    return round(a / b, 4) if b else None


def summed(counts: Iterable[dict]) -> Counter:
    """Per-article counts added up."""
    c: Counter = Counter()
    for x in counts:
        c.update(x)
    return c


def review_metrics(counts: Iterable[dict]) -> dict:
    """Headline review metrics from per-article counts."""
    c = summed(counts)
    return {
        "gold_reviews": c["gold"],
        "found": ratio(c["found"], c["gold"]),
        "spurious": ratio(c["spurious"], c["n_extracted"]),
        "outlet_exact": ratio(c["outlet_exact"], c["gold"]),
        "author_exact": ratio(c["author_exact"], c["gold"]),
        "score": ratio(c["score"], c["gold_scores"]),
        "polarity": ratio(c["polarity"], c["gold"]),
    }


def confusion(counts: Iterable[dict]) -> dict[str, dict[str, int]]:
    """Gold polarity -> extracted polarity (or "(missed)") -> count."""
    out: dict[str, dict[str, int]] = {}
    for x in counts:
        for key, n in x.items():
            if key.startswith("confusion:"):
                _, gold, got = key.split(":", 2)
                out.setdefault(gold, {}).setdefault(got, 0)
                out[gold][got] += n
    return {g: dict(sorted(v.items())) for g, v in sorted(out.items())}


def by_half(gold: list[GoldArticle], per_article: dict[str, dict], summarise) -> dict[str, dict]:
    """`summarise` over each half's per-article counts and over the whole corpus."""
    out = {h: summarise([per_article[g.stem] for g in gold if g.half == h]) for h in HALVES}
    out["all"] = summarise([per_article[g.stem] for g in gold])
    return out


def evaluate_reviews(gold: list[GoldArticle], articles: pd.DataFrame, reviews: pd.DataFrame) -> tuple[dict, dict, list[dict]]:
    """Headline metrics per half, the detail (confusion tables, per article) and every error row."""
    ids = article_ids(articles)
    per: dict[str, dict] = {}
    errors: list[dict] = []
    for g in gold:
        e, per[g.stem] = review_errors_for(g, ids.get(g.stem), reviews)
        errors += e
    headline = by_half(gold, per, review_metrics)
    detail = {
        "halves": {g.stem: g.half for g in gold},
        "confusion_gold_by_extracted": by_half(gold, per, confusion),
        "by_article": {g.stem: review_metrics([per[g.stem]]) for g in gold},
    }
    return headline, detail, errors
