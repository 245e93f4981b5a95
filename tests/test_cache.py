"""Per-article caches: digests of an article's rows, reuse, recompute and pruning."""

from __future__ import annotations

import pandas as pd
import pytest

from epnlp.cache import ArticleCache, article_digests, fingerprint, per_article


def _frame(rows):
    return pd.DataFrame(rows, columns=["article_id", "k", "text"]).astype({"article_id": "string", "k": "Int64", "text": "string"})


A = _frame([("a", 0, "one"), ("b", 0, "two"), ("a", 1, "three"), ("c", 0, None)])
B = pd.DataFrame({"article_id": ["b", "a"], "x": [1.5, 2.5]})


def test_digests_depend_only_on_the_articles_own_rows():
    base = article_digests(A, B)
    assert set(base) == {"a", "b", "c"}
    assert len(set(base.values())) == 3
    # another article's rows change, are added or removed: this article's digest stays
    changed = _frame([("a", 0, "one"), ("b", 0, "TWO"), ("a", 1, "three"), ("d", 0, "new")])
    after = article_digests(changed, B)
    assert after["a"] == base["a"] and after["b"] != base["b"] and "c" not in after
    # the article's own rows: a value, a NA, the order of its rows, another frame
    assert article_digests(_frame([("a", 0, "one"), ("a", 1, "three!")]), B)["a"] != base["a"]
    assert article_digests(_frame([("a", 1, "three"), ("a", 0, "one")]), B)["a"] != base["a"]
    assert article_digests(A, B.assign(x=[1.5, 9.0]))["a"] != base["a"]
    assert article_digests(A)["a"] != base["a"]  # which frames it is made of counts too
    assert article_digests(A.rename(columns={"text": "body"}), B)["a"] != base["a"]


def test_per_article_computes_only_what_changed_and_prunes(tmp_path):
    calls: list[list[str]] = []

    def compute(todo):
        calls.append(list(todo))
        return {aid: f"{aid} from inputs {keys[aid][:8]}" for aid in todo}

    keys = {"a": fingerprint("a", 1), "b": fingerprint("b", 1), "c": fingerprint("c", 1)}
    cache = ArticleCache(tmp_path)
    first = per_article(cache, keys, compute)
    assert calls == [["a", "b", "c"]] and (cache.hits, cache.misses) == (0, 3)

    keys["b"] = fingerprint("b", 2)  # b's inputs changed
    del keys["c"]  # c was removed from the corpus
    again = ArticleCache(tmp_path)
    second = per_article(again, keys, compute)
    assert calls[-1] == ["b"] and (again.hits, again.misses) == (1, 1)
    assert second["a"] == first["a"] and second["b"] != first["b"] and "c" not in second
    assert sorted(p.name.split(".")[0] for p in tmp_path.glob("*.pkl")) == ["a", "b"]  # stale entries pruned

    assert per_article(None, keys, compute) == {aid: compute([aid])[aid] for aid in keys}


@pytest.mark.parametrize("bad", [[], ["x"]])
def test_per_article_needs_a_value_for_every_computed_article(tmp_path, bad):
    with pytest.raises(KeyError):
        per_article(ArticleCache(tmp_path), {"x": "k1", "y": "k2"}, lambda todo: {a: 1 for a in bad})
