"""Critics compared across articles: names as keys, consensus, leniency, trends, SQL over Parquet.
Every number is recomputed here from the review rows by a plain loop."""

from __future__ import annotations

import statistics

import pandas as pd
import pytest

from epnlp import schema
from epnlp.sql import parquet_bytes, query, write_parquet
from epnlp.summary.compare import CompareConfig, compare_tables, leave_one_out
from epnlp.summary.source_names import canonical_names, load_aliases, name_key


def review(aid, rid, outlet, author, score, sentiment, polarity, verdict=None, agreement=""):
    return {"article_id": aid, "review_id": rid, "outlet": outlet, "author": author, "score_norm": score,
            "sentiment": sentiment, "verdict": verdict if verdict is not None else (None if score is None else 2 * score - 1),
            "polarity": polarity, "agreement": agreement}


REVIEWS = pd.DataFrame([
    review("e1", 0, "The A.V. Club", "Ann Lee", 0.9, 0.6, "positive", agreement="agree"),
    review("e1", 1, "Pixel Weekly", "Sam Roy", 0.5, -0.2, "mixed", agreement="disagree"),
    review("e1", 2, "Night Owl", None, None, 0.4, "positive"),
    review("e2", 0, "AV Club", "Ann Lee", 0.7, 0.1, "positive", agreement="agree"),
    review("e2", 1, "PW", "Sam Roy", 0.3, -0.5, "negative", agreement="agree"),
    review("e3", 0, "the A.V. Club", "ann lee", 1.0, 0.8, "positive", agreement="agree"),
    review("e3", 1, "Pixel Weekly", "Sam Roy", 0.6, 0.3, "positive", agreement="agree"),
    review("e3", 2, "Pixel Weeklies", None, 0.2, -0.7, "negative", agreement="agree"),
])
ARTICLES = pd.DataFrame({"article_id": ["e1", "e2", "e3"], "series": ["Show", "Show", "Show"],
                         "airdate": ["2020-01-08", "2020-01-01", "2020-01-15"]})
INFOBOX = pd.DataFrame({"article_id": ["e1", "e1", "e2", "e2", "e3"], "key": ["Season", "Episode", "Season", "Episode", "Episode"],
                        "position": [0, 1, 0, 1, 0], "value": ["2", "Episode 5", "2", "4", "6"]})
ALIASES = {"pixelweekly": "Pixel Weekly", "pw": "Pixel Weekly"}
CFG = CompareConfig(min_reviews=2, n_boot=500, seed=3, window=2)


@pytest.fixture(scope="module")
def tables():
    return compare_tables(REVIEWS, ARTICLES, INFOBOX, CFG, ALIASES)


def test_name_key_joins_spellings_not_different_names():
    assert name_key("The A.V. Club") == name_key("AV Club") == name_key("the a.v. club") == name_key("A.V. Club")
    assert name_key("Vulture.com") == name_key("Vulture")
    assert len({name_key(n) for n in ("TV Fanatic", "TV Fantic", "IGN", "IGN Benelux", "Den of Geek")}) == 5


def test_canonical_names_use_the_alias_file_and_the_commonest_spelling():
    merges = canonical_names(REVIEWS["outlet"].dropna(), ALIASES)
    assert {merges[n].canonical for n in ("The A.V. Club", "AV Club", "the A.V. Club")} == {"The A.V. Club"}
    assert merges["PW"].canonical == "Pixel Weekly" and merges["PW"].rule == "alias file"
    assert merges["AV Club"].rule == "same key" and merges["The A.V. Club"].rule == "as written"
    assert merges["Pixel Weeklies"].canonical == "Pixel Weeklies"  # no fuzzy matching: no false merge


def test_alias_file_rejects_a_name_under_two_outlets(tmp_path):
    path = tmp_path / "outlets.yaml"
    path.write_text("Alpha: [AB]\nBeta: [A.B.]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="both"):
        load_aliases(path)
    assert load_aliases(tmp_path / "missing.yaml") == {}


def test_leave_one_out_is_the_difference_to_the_other_critics():
    d = leave_one_out(REVIEWS, "score_norm")
    for i, r in REVIEWS.iterrows():
        others = [x for j, x in REVIEWS.iterrows() if j != i and x.article_id == r.article_id and pd.notna(x.score_norm)]
        if pd.isna(r.score_norm) or not others:
            assert pd.isna(d[i])
        else:
            assert d[i] == pytest.approx(r.score_norm - statistics.mean(o.score_norm for o in others))


def test_episode_consensus_equals_a_recomputation(tables):
    c = tables["episode_consensus"].set_index("article_id")
    for aid, g in REVIEWS.groupby("article_id"):
        scores = g["score_norm"].dropna().tolist()
        row = c.loc[aid]
        assert row.n_reviews == len(g) and row.n_scored == len(scores)
        assert row.score_mean == pytest.approx(statistics.mean(scores))
        assert row.score_median == pytest.approx(statistics.median(scores))
        assert row.score_range == pytest.approx(max(scores) - min(scores))
        assert row.score_sd == pytest.approx(statistics.pstdev(scores))
        assert row.sentiment_mean == pytest.approx(statistics.mean(g["sentiment"]))
        counts = g["polarity"].value_counts()
        assert row.agreement == pytest.approx(counts.max() / len(g))
        fav = {r.review_id: statistics.mean([x for x in (r.sentiment, r.verdict) if pd.notna(x)]) for r in g.itertuples()}
        assert row.most_favourable_review_id == max(fav, key=fav.get)
        assert row.least_favourable_review_id == min(fav, key=fav.get)
    assert c.loc["e1", "season"] == 2 and c.loc["e1", "episode"] == 5 and pd.isna(c.loc["e3", "season"])


def test_outlet_leniency_is_against_the_other_critics(tables):
    o = tables["outlet_stats"].set_index("outlet")
    assert "AV Club" not in o.index and o.loc["The A.V. Club", "n_reviews"] == 3
    d = leave_one_out(REVIEWS, "score_norm")
    av = REVIEWS["outlet"].map(name_key) == "avclub"
    assert o.loc["The A.V. Club", "leniency"] == pytest.approx(d[av].mean())
    assert o.loc["The A.V. Club", "leniency_low"] <= o.loc["The A.V. Club", "leniency"] <= o.loc["The A.V. Club", "leniency_high"]
    assert o.loc["The A.V. Club", "leniency"] > 0 > o.loc["Pixel Weekly", "leniency"]
    assert pd.isna(o.loc["Night Owl", "leniency"]) and o.loc["Night Owl", "n_leniency"] == 0  # under min_reviews
    assert o.loc["Pixel Weekly", "words_score_agreement"] == pytest.approx(2 / 3)


def test_bootstrap_interval_is_reproducible_and_independent_of_other_outlets():
    a = compare_tables(REVIEWS, ARTICLES, INFOBOX, CFG, ALIASES)["outlet_stats"].set_index("outlet")
    more = pd.concat([REVIEWS, pd.DataFrame([review("e2", 2, "Zed Review", None, 0.5, 0.0, "mixed")])], ignore_index=True)
    b = compare_tables(more, ARTICLES, INFOBOX, CFG, ALIASES)["outlet_stats"].set_index("outlet")
    again = compare_tables(REVIEWS, ARTICLES, INFOBOX, CFG, ALIASES)["outlet_stats"].set_index("outlet")
    assert a.loc["The A.V. Club", "leniency_low"] == again.loc["The A.V. Club", "leniency_low"]
    # the new critic changes e2's consensus, so the means move; the resampling draws do not depend on it
    assert b.loc["Pixel Weekly", "n_leniency"] == a.loc["Pixel Weekly", "n_leniency"]


def test_season_trends_order_episodes_and_roll(tables):
    t = tables["season_trends"]
    s2 = t[t["season"] == 2].sort_values("episode_order")
    assert s2["article_id"].tolist() == ["e2", "e1"]  # episode 4 before episode 5
    first, second = s2["score_consensus"].tolist()
    assert s2["score_rolling"].tolist() == pytest.approx([first, (first + second) / 2])


def test_parquet_is_typed_deterministic_and_queryable(tables, tmp_path):
    df = tables["episode_consensus"]
    assert parquet_bytes(df, schema.EPISODE_CONSENSUS) == parquet_bytes(df.copy(), schema.EPISODE_CONSENSUS)
    write_parquet({"episode_consensus": (df, schema.EPISODE_CONSENSUS),
                   "outlet_stats": (tables["outlet_stats"], schema.OUTLET_STATS)}, tmp_path)
    import pyarrow as pa
    import pyarrow.parquet as pq

    back = pq.read_table(tmp_path / "episode_consensus.parquet")
    assert back.schema.field("season").type == pa.int64() and back.column("season").null_count == 1
    out = query("SELECT article_id, n_reviews FROM episode_consensus WHERE n_reviews >= 3 ORDER BY article_id", tmp_path)
    assert out["article_id"].tolist() == ["e1", "e3"]
