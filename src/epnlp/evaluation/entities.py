"""Entity accuracy against hand-annotated gold mentions (character, vessel, place) of plot sections."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

EVAL_KINDS = ("character", "vessel", "place")


def load_gold(path: Path) -> pd.DataFrame:
    """A gold TSV: start, end, text, canonical, kind (offsets into the raw article)."""
    return pd.read_csv(path, sep="\t", keep_default_na=False, dtype={"text": str, "canonical": str, "kind": str})


def evaluate(pred: pd.DataFrame, gold: pd.DataFrame, kinds: tuple[str, ...] = EVAL_KINDS, role: str = "plot") -> dict:
    """Mention precision/recall/F1 (exact span), canonical-name and kind accuracy on matched mentions."""
    p = pred[(pred["role"] == role) & pred["kind"].isin(kinds)]
    p_spans = {(int(s), int(e)): (c, k) for s, e, c, k in zip(p["start"], p["end"], p["canonical"], p["kind"], strict=True)}
    g_spans = {(int(s), int(e)): (c, k) for s, e, c, k in zip(gold["start"], gold["end"], gold["canonical"], gold["kind"], strict=True)}
    matched = set(p_spans) & set(g_spans)
    precision = len(matched) / len(p_spans) if p_spans else 0.0
    recall = len(matched) / len(g_spans) if g_spans else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    canon = sum(p_spans[m][0] == g_spans[m][0] for m in matched)
    kind = sum(p_spans[m][1] == g_spans[m][1] for m in matched)
    return {
        "n_gold": len(g_spans),
        "n_pred": len(p_spans),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "canonical_accuracy": round(canon / len(matched), 4) if matched else 0.0,
        "kind_accuracy": round(kind / len(matched), 4) if matched else 0.0,
    }


def errors(pred: pd.DataFrame, gold: pd.DataFrame, kinds: tuple[str, ...] = EVAL_KINDS, role: str = "plot") -> pd.DataFrame:
    """False positives, misses and wrong canonicals, for reading (one row per problem)."""
    p = pred[(pred["role"] == role) & pred["kind"].isin(kinds)][["start", "end", "text", "canonical", "kind"]]
    m = p.merge(gold[["start", "end", "text", "canonical", "kind"]], on=["start", "end"], how="outer", suffixes=("_pred", "_gold"), indicator=True)
    bad = m[(m["_merge"] != "both") | (m["canonical_pred"] != m["canonical_gold"]) | (m["kind_pred"] != m["kind_gold"])]
    return bad.sort_values("start").reset_index(drop=True)


def micro(results: list[dict]) -> dict:
    """Pool per-article results into one (micro-averaged) result."""
    n_gold = sum(r["n_gold"] for r in results)
    n_pred = sum(r["n_pred"] for r in results)
    tp = sum(round(r["recall"] * r["n_gold"]) for r in results)
    canon = sum(round(r["canonical_accuracy"] * round(r["recall"] * r["n_gold"])) for r in results)
    kind = sum(round(r["kind_accuracy"] * round(r["recall"] * r["n_gold"])) for r in results)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {
        "n_gold": n_gold, "n_pred": n_pred, "precision": round(p, 4), "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "canonical_accuracy": round(canon / tp, 4) if tp else 0.0,
        "kind_accuracy": round(kind / tp, 4) if tp else 0.0,
    }
