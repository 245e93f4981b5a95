"""The HTML report built from small hand-made tables: parts present, offline, deterministic."""

from __future__ import annotations

import base64
import html as html_lib
import re
import shutil
from html.parser import HTMLParser

import pandas as pd
import pytest

from epnlp import schema
from epnlp.report import site as H
from epnlp.report.article import KIND_COLOURS, cooccurrence_section, plot_docs, readability_view
from epnlp.report.charts import arc_chart, cooccurrence_matrix
from epnlp.report.index import corpus_frame
from epnlp.report.render import asset
from epnlp.report.site import HtmlOptions, build_site
from epnlp.report.tables import credits, critics_frame, readability_sentence
from epnlp.summary.arc import paragraph_summary, plot_arc

HEAD = "= The Brass Kettle =\n\n"
PLOT_1 = "Mira Holt finds the brass kettle on the Gullfoot pier. She hides it from Captain Rook & his crew <fast>."
PLOT_2 = "Rook chases Mira through Lowmarket. At dawn Mira returns the kettle and the town cheers."
RECEPTION = "Kettle Weekly gave it 8 out of 10."


def _article(aid: str, title: str, airdate: str | None) -> dict:
    raw = HEAD + PLOT_1 + "\n\n" + PLOT_2 + "\n\n" + RECEPTION
    p1, p2 = raw.index(PLOT_1), raw.index(PLOT_2)
    paragraphs = [
        {"article_id": aid, "paragraph_id": 0, "section_id": 1, "section": "Plot", "role": "plot", "is_list_item": False, "start": p1, "end": p1 + len(PLOT_1), "text": PLOT_1},
        {"article_id": aid, "paragraph_id": 1, "section_id": 1, "section": "Plot", "role": "plot", "is_list_item": False, "start": p2, "end": p2 + len(PLOT_2), "text": PLOT_2},
    ]
    sentences, sentiment = [], []
    for i, (pid, text, c) in enumerate([(0, "Mira Holt finds the brass kettle on the Gullfoot pier.", 0.3), (0, "She hides it from Captain Rook & his crew <fast>.", -0.4),
                                       (1, "Rook chases Mira through Lowmarket.", -0.6), (1, "At dawn Mira returns the kettle and the town cheers.", 0.8)]):
        s = raw.index(text)
        sentences.append({"article_id": aid, "sentence_id": i, "section": "Plot", "role": "plot", "paragraph_id": pid, "start": s, "end": s + len(text), "text": text})
        sentiment.append({"article_id": aid, "sentence_id": i, "section": "Plot", "role": "plot", "compound": c, "positive": 0.0, "neutral": 1.0,
                          "negative": 0.0, "label": "neutral", "method": "vader", "evidence": ""})

    def ent(text: str, kind: str, nth: int = 0) -> dict:
        s = raw.index(text)
        for _ in range(nth):
            s = raw.index(text, s + 1)
        return {"article_id": aid, "sentence_id": 0, "section": "Plot", "role": "plot", "start": s, "end": s + len(text), "text": text,
                "label": "X", "canonical": text, "kind": kind, "source": "test"}

    entities = [ent("Mira Holt", "character"), ent("Gullfoot", "place"), ent("Rook", "character"), ent("Captain Rook", "character"), ent("Rook", "character", 1),
                ent("Lowmarket", "place"), ent("Mira", "character", 2), ent("dawn", "date")]
    entities.append({**ent("Lowmarket", "place"), "start": ent("Lowmarket", "place")["start"] + 1, "end": ent("Lowmarket", "place")["end"] + 1})  # wrong offsets: skipped
    return {
        "articles": {"article_id": aid, "title": title, "source_file": f"{aid}.txt", "sha256": "0" * 64, "encoding": "utf-8",
                     "n_chars": len(raw), "n_words": 40, "series": "Pier Tales", "airdate": airdate},
        "infobox": [
            {"article_id": aid, "key": "Director", "position": 0, "value": "Ola Brandt", "start": 0, "end": 1, "line": 3, "role": None, "role_start": None, "role_end": None},
            {"article_id": aid, "key": "Guests", "position": 0, "value": "Ina Vale", "start": 0, "end": 1, "line": 4, "role": "Captain Rook", "role_start": 0, "role_end": 1},
        ],
        "paragraphs": paragraphs,
        "sentences": sentences,
        "sentiment": sentiment,
        "entities": entities,
        "readability": [
            {"article_id": aid, "section_id": 0, "section": "Lead", "role": "lead", "n_sentences": 2, "n_words": 30, "flesch_reading_ease": 80.0, "flesch_kincaid_grade": 5.0,
             "gunning_fog": 6.0, "smog_index": 6.0, "coleman_liau_index": 6.0, "automated_readability_index": 6.0,
             "dale_chall_readability_score": 6.0, "text_standard": "5th and 6th grade"},
            {"article_id": aid, "section_id": 1, "section": "Plot", "role": "plot", "n_sentences": 4, "n_words": 40, "flesch_reading_ease": 60.0, "flesch_kincaid_grade": 10.2,
             "gunning_fog": 11.0, "smog_index": 11.0, "coleman_liau_index": 11.0, "automated_readability_index": 11.0,
             "dale_chall_readability_score": 9.0, "text_standard": "10th and 11th grade"},
        ],
        "comparison": [
            {"article_id": aid, "title": title, "review_id": 0, "outlet": "Kettle Weekly", "author": None, "year": 2020.0,
             "score_text": "8 out of 10", "score_norm": 0.8, "rank": None,
             "rank_list": None, "sentiment": 0.4, "verdict": 0.6, "polarity": "positive", "agreement": "agree", "favourability": 0.5, "favour_rank": 1,
             "evidence": "vader: fine(+1.0)", "quote": "a fine tale", "start": 0, "end": 1},
            {"article_id": aid, "title": title, "review_id": 1, "outlet": "Dockside Review", "author": "Pat Lee", "year": None, "score_text": None, "score_norm": None, "rank": 3.0,
             "rank_list": "worst pier episodes", "sentiment": -0.5, "verdict": None, "polarity": "negative", "agreement": None, "favourability": -0.5, "favour_rank": 2,
             "evidence": "vader: dull(-1.0)", "quote": None, "start": 2, "end": 3},
        ],
    }


def tiny(*specs: tuple[str, str, str | None]) -> dict:
    parts = [_article(*s) for s in specs]
    t = {name: getattr(schema, name.upper()).frame([r for p in parts for r in p[name]]) for name in ("infobox", "paragraphs", "sentences", "sentiment", "entities", "readability")}
    t["articles"] = schema.ARTICLES.frame([p["articles"] for p in parts])
    t["comparison"] = pd.DataFrame([r for p in parts for r in p["comparison"]])
    t["arc"] = plot_arc(t["sentences"], t["sentiment"], window=3)
    t["arc_paragraphs"] = paragraph_summary(t["arc"])
    return t


COOC = pd.DataFrame({
    "article_id": ["kettle"] * 3,
    "character_a": ["Mira Holt", "Captain Rook", "Ina"],
    "character_b": ["Captain Rook", "Ina", "Mira Holt"],
    "sentences_together": [3, 1, 2],
})


def site(t: dict, cooccurrence: pd.DataFrame | None = None, opts: HtmlOptions | None = None) -> dict[str, str]:
    return build_site(t["articles"], t["infobox"], t["paragraphs"], t["entities"], t["arc"], t["arc_paragraphs"], t["comparison"], t["readability"], cooccurrence, opts)


@pytest.fixture(scope="module")
def one() -> dict:
    return tiny(("kettle", "The Brass Kettle", "2020-01-05"))


@pytest.fixture(scope="module")
def one_site(one) -> dict[str, str]:
    return site(one, COOC)


class _Collector(HTMLParser):
    """Tags with their attributes, to check the page's structure without regexes over markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> _Collector:
    c = _Collector()
    c.feed(page)
    c.close()
    return c


def svg_of(uri: str) -> str:
    """The SVG document inside a chart's data: URI."""
    assert uri.startswith("data:image/svg+xml;base64,")
    return base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")


def charts(page: str) -> dict[str, str]:
    return {a["class"].split()[1]: a["src"] for t, a in parse(page).tags if t == "img" and "chart" in a.get("class", "")}


def test_single_article_report_is_index_plus_article(one_site):
    assert sorted(one_site) == ["articles/kettle.html", "report.html"]
    page = one_site["report.html"]
    tags = parse(page).tags
    ids = {a.get("id") for _, a in tags}
    assert {"index", "article-kettle", "plot", "arc", "characters", "critics", "readability"} <= ids
    assert ("a", {"href": "#article-kettle"}) in tags
    assert set(charts(page)) == {"arc", "cooccurrence", "critics"}  # the index draws no chart image of its own


def test_highlighted_plot_has_one_colour_per_kind(one_site):
    page = one_site["articles/kettle.html"]
    marks = [a for t, a in parse(page).tags if t == "mark" and a.get("class") == "entity"]
    # Mira Holt, Gullfoot, Captain Rook (not the overlapping "Rook" inside it); Rook, Lowmarket, dawn, Mira
    assert len(marks) == 7
    assert page.count('<mark class="entity"') == 7
    styles = " ".join(a["style"] for a in marks)
    for kind in ("character", "place", "date"):
        assert KIND_COLOURS[kind] in styles
    assert len(set(KIND_COLOURS.values())) == len(KIND_COLOURS)
    assert "&amp; his crew &lt;fast&gt;." in page and "<fast>" not in page


def test_entities_are_placed_by_raw_offsets(one):
    docs = plot_docs(one["paragraphs"], one["entities"])
    assert [d["text"] for d in docs] == [PLOT_1, PLOT_2]
    got = [[(d["text"][e["start"]:e["end"]], e["label"]) for e in d["ents"]] for d in docs]
    assert got[0] == [("Mira Holt", "character"), ("Gullfoot", "place"), ("Captain Rook", "character")]
    assert got[1] == [("Rook", "character"), ("Lowmarket", "place"), ("dawn", "date"), ("Mira", "character")]


def test_charts_are_embedded_and_nothing_is_loaded_from_the_network(one_site):
    for page in one_site.values():
        for src in charts(page).values():
            assert src.startswith("data:image/svg+xml;base64,")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
        assert "<link" not in page and "@import" not in page and "url(" not in page
        scripts = [a for t, a in parse(page).tags if t == "script"]
        assert scripts == ([{}] if page is one_site["report.html"] else [])  # the index's one inline script, no src


def test_critics_chart_and_table(one_site):
    page = one_site["articles/kettle.html"]
    assert "critics" in charts(page)
    text = " ".join(parse(page).text)
    assert "Kettle Weekly (2020)" in text and "Pat Lee (Dockside Review)" in text  # years are whole numbers
    assert "8 out of 10" in text and "#3 in worst pier episodes" in text
    assert "a fine tale" in text and "+0.40" in text and "no score or rank" not in text  # that note is in the chart
    assert "Most favourable: Kettle Weekly (2020)" in text


def test_readability_table_and_sentence(one, one_site):
    view = readability_view(one["readability"])
    assert view["reading"].tolist() == ["easy: primary-school level", "fairly difficult: high-school level"]
    assert view["grade"].tolist() == [5.0, 10.2]
    assert '<td class="num">10.2</td>' in one_site["articles/kettle.html"]
    sentence = readability_sentence(one["readability"])
    assert sentence.startswith("The plot reads at grade 10.2 (fairly difficult: high-school level)") and "easiest section is Lead" in sentence
    assert sentence in " ".join(parse(one_site["report.html"]).text)


def test_credits_keep_infobox_order_and_roles(one):
    cr = credits(one["infobox"])
    assert cr.values.tolist() == [["Director", "Ola Brandt"], ["Guests", "Ina Vale as Captain Rook"]]


OPTS = HtmlOptions(max_characters=12)


@pytest.fixture(scope="module")
def no_cooc_site(one) -> dict[str, str]:
    return site(one, None, OPTS)


def test_missing_cooccurrence_shows_a_note(no_cooc_site):
    page = no_cooc_site["report.html"]
    assert "cooccurrence" not in charts(page)
    assert "No character co-occurrence data" in page
    assert "No character co-occurrence data" in cooccurrence_section(COOC.iloc[0:0], OPTS)


def test_cooccurrence_matrix_is_symmetric_and_ordered():
    m = cooccurrence_matrix(COOC, max_characters=12)
    assert list(m.index) == ["Mira Holt", "Captain Rook", "Ina"]  # 5, 4, 3 sentences with others
    assert (m.to_numpy() == m.to_numpy().T).all()
    assert m.loc["Mira Holt", "Captain Rook"] == 3 and m.loc["Ina", "Mira Holt"] == 2
    assert list(cooccurrence_matrix(COOC, max_characters=2).index) == ["Mira Holt", "Captain Rook"]


def test_two_builds_are_byte_identical(one, one_site, no_cooc_site):
    assert site(one, COOC) == one_site
    assert site(one, None, OPTS) == no_cooc_site
    assert all(src.startswith("data:image/svg+xml;base64,") for src in charts(no_cooc_site["report.html"]).values())


def test_several_articles_get_an_index_and_one_page_each():
    t = tiny(("late", "Late Tide", "2021-06-01"), ("early", "Early Fog", "2019-02-03"), ("undated", "No Date", None))
    pages = site(t, None, OPTS)
    assert sorted(pages) == ["articles/early.html", "articles/late.html", "articles/undated.html", "report.html"]
    index = pages["report.html"]
    table = index[index.index('id="episodes-table"'):index.index("</table>", index.index('id="episodes-table"'))]
    links = [a["href"] for tag, a in parse(table).tags if tag == "a"]
    assert links == ["articles/early.html", "articles/late.html", "articles/undated.html"]  # airdate order, undated last
    assert charts(index) == {} and index.count("<figure>") == 3  # the arcs as small multiples, one per episode
    assert 'id="article-' not in index
    for aid in ("early", "late", "undated"):
        page = pages[f"articles/{aid}.html"]
        assert ("a", {"href": "../report.html"}) in parse(page).tags
        assert {"arc", "critics"} <= set(charts(page))
    assert corpus_frame(t["articles"], t["comparison"])["article_id"].tolist() == ["early", "late", "undated"]
    as_written = {"late": "June 1, 2021", "early": "Spring 2019", "undated": None}  # 'Spring 2019' does not read as a date
    written = t["articles"].assign(airdate=t["articles"]["article_id"].map(as_written))
    assert corpus_frame(written, t["comparison"])["article_id"].tolist() == ["late", "early", "undated"]


def test_corpus_frame_with_no_articles_or_no_reviews():
    """A data/raw with no articles (or articles without reviews) still gives an index frame, not a
    merge error between the ids' string dtype and an empty integer index."""
    comp = pd.DataFrame(columns=["article_id", "review_id", "sentiment", "verdict", "favourability"])
    none = corpus_frame(schema.ARTICLES.frame([]), comp)
    assert none.empty and {"article_id", "reviews", "mean_sentiment"} <= set(none.columns)
    row = {"article_id": "a", "title": "T", "source_file": "a.txt", "sha256": "0", "encoding": "utf-8", "n_chars": 1,
           "n_words": 1, "series": None, "airdate": None}
    one = corpus_frame(schema.ARTICLES.frame([row]), comp)
    assert one["article_id"].tolist() == ["a"] and one["reviews"].tolist() == [0]


def test_critics_frame_labels_are_unique():
    comp = pd.DataFrame({"article_id": ["a", "a"], "review_id": [0, 1], "outlet": ["Same", "Same"], "author": [None, None], "year": [2020, 2020], "favour_rank": [2, 1]})
    assert critics_frame(comp)["critic"].tolist() == ["Same (2020)", "Same (2020) #2"]


def test_options_come_from_params():
    assert HtmlOptions.from_params({"max_characters": "3", "cache_dir": "x"}) == HtmlOptions(max_characters=3)
    assert HtmlOptions.from_params({}) == HtmlOptions()


def test_dollar_signs_and_markup_in_a_sentence_are_text(one):
    arc = one["arc"].assign(text="It costs $5 \\bad{ & <b>6</b> to fix.")
    assert "It costs $5 \\bad{ &amp; &lt;b&gt;6&lt;/b&gt; to fix." in svg_of(arc_chart(arc))


def test_unchanged_article_pages_come_from_the_cache(tmp_path):
    from epnlp.cache import ArticleCache

    t = tiny(("kettle", "The Brass Kettle", "2020-01-05"), ("lamp", "The Lamp", "2020-01-12"))
    args = (t["articles"], t["infobox"], t["paragraphs"], t["entities"], t["arc"], t["arc_paragraphs"], t["comparison"], t["readability"], None, None)
    first_cache = ArticleCache(tmp_path / "c")
    first = build_site(*args, cache=first_cache)
    assert (first_cache.hits, first_cache.misses) == (0, 2)
    again = ArticleCache(tmp_path / "c")
    assert build_site(*args, cache=again) == first == build_site(*args)
    assert (again.hits, again.misses) == (2, 0)
    changed = t["readability"].assign(n_words=t["readability"]["n_words"] + (t["readability"]["article_id"] == "lamp").astype(int))
    third = ArticleCache(tmp_path / "c")
    build_site(*args[:7], changed, None, None, cache=third)
    assert (third.hits, third.misses) == (1, 1)


def test_pages_drawn_in_worker_processes_are_the_same_and_written_only_when_changed(tmp_path):
    from epnlp.cache import ArticleCache
    from epnlp.report.site import iter_site, write_pages

    t = tiny(("kettle", "The Brass Kettle", "2020-01-05"), ("lamp", "The Lamp", "2020-01-12"), ("rope", "Rope", "2020-01-19"))
    args = (t["articles"], t["infobox"], t["paragraphs"], t["entities"], t["arc"], t["arc_paragraphs"], t["comparison"], t["readability"], None, None)
    one = build_site(*args)
    cache = ArticleCache(tmp_path / "c")
    assert build_site(*args, cache=cache, n_process=2) == one
    assert (cache.hits, cache.misses) == (0, 3)
    # streamed in article order, the index last
    assert [rel for rel, _ in iter_site(*args)] == ["articles/kettle.html", "articles/lamp.html", "articles/rope.html", "report.html"]
    out = tmp_path / "site"
    assert write_pages(iter_site(*args), out) == 4
    (out / "articles" / "gone.html").write_text("an article removed from the corpus")
    stamp = (out / "articles" / "lamp.html").stat().st_mtime_ns
    assert write_pages(iter_site(*args), out) == 0  # nothing changed: nothing rewritten
    assert (out / "articles" / "lamp.html").stat().st_mtime_ns == stamp
    assert sorted(p.name for p in (out / "articles").iterdir()) == ["kettle.html", "lamp.html", "rope.html"]
    assert {f"articles/{p.name}": p.read_text(encoding="utf-8") for p in (out / "articles").iterdir()} == {k: v for k, v in one.items() if k.startswith("articles/")}


def many(n: int, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(articles, review comparison, plot arc) for `n` made-up episodes: some undated, some unreviewed."""
    import numpy as np

    rng = np.random.default_rng(seed)
    ids = [f"ep{k:04d}" for k in range(n)]
    arts = pd.DataFrame({"article_id": ids, "title": [f"Episode {k}" for k in range(n)], "series": "Pier Tales",
                         "airdate": [None if k % 17 == 0 else f"20{10 + k % 12}-0{1 + k % 9}-1{k % 10}" for k in range(n)],
                         "n_words": rng.integers(300, 3000, n)})
    rev = [(aid, r) for k, aid in enumerate(ids) if k % 11 for r in range(1 + k % 4)]
    sent = rng.uniform(-1, 1, len(rev)).round(4)
    comp = pd.DataFrame({"article_id": [a for a, _ in rev], "review_id": [r for _, r in rev], "outlet": "Dock Weekly", "author": None,
                         "year": 2020, "sentiment": sent, "verdict": np.nan, "favourability": sent, "favour_rank": [r + 1 for _, r in rev]})
    arc = pd.DataFrame([{"article_id": aid, "position": i / 9, "smoothed": round(float(np.sin(k + i / 3)) * 0.5, 4)} for k, aid in enumerate(ids) for i in range(10)])
    return arts, comp, arc


def test_index_of_many_articles_is_one_sortable_row_each_without_a_legend():
    from epnlp.report.index import MAX_MULTIPLES, index_body

    arts, comp, arc = many(300)
    links = {aid: f"articles/{aid}.html" for aid in arts["article_id"]}
    page = index_body(arts, comp, arc, links)
    tags = parse(page).tags
    rows = [a for t, a in tags if t == "tr" and "data-search" in a]
    assert len(rows) == 300 and sorted(int(a["data-i"]) for a in rows) == list(range(300))
    assert ("input", {"type": "search", "id": "episode-filter", "placeholder": "title, series, date or critic", "autocomplete": "off"}) in tags
    assert sum(1 for t, a in tags if t == "th" and a.get("data-type") in ("num", "text")) == 8  # every column sortable
    assert sum(1 for t, a in tags if t == "svg" and a.get("class") == "spark") == 300  # one sparkline per row
    # no chart with a line or legend entry per episode: one spread chart, no small multiples, no images
    assert 300 > MAX_MULTIPLES and "<figure>" not in page and "<img" not in page
    band = page[page.index('<svg class="band"'):]
    band = band[:band.index("</svg>")]
    assert band.count("<polyline") == 1 and "Episode " not in band
    # top and bottom 10 by mean favourability, best first / worst first
    tops = re.findall(r'<table class="top"><tbody>(.*?)</tbody>', page, re.S)
    vals = [[float(v) for v in re.findall(r'<span class="val">([+-][\d.]+)</span>', t)] for t in tops]
    assert [len(v) for v in vals] == [10, 10] and vals[0] == sorted(vals[0], reverse=True) and vals[1] == sorted(vals[1])
    means = comp.groupby("article_id")["favourability"].agg(["mean", "size"])
    assert "at least 2 reviews" in page and vals[0][0] == means.loc[means["size"] >= 2, "mean"].round(2).max()
    assert vals[1][0] == means.loc[means["size"] >= 2, "mean"].round(2).min() > means["mean"].round(2).min()  # one review: not listed
    # deterministic, whatever the order of the input rows
    shuffled = index_body(arts.sample(frac=1, random_state=1), comp.sample(frac=1, random_state=2), arc.sample(frac=1, random_state=3), links)
    assert shuffled == page == index_body(arts, comp, arc, links)


def test_few_articles_get_small_multiples_and_no_top_lists():
    from epnlp.report.index import index_body

    arts, comp, arc = many(13)
    arts.loc[5, "title"] = 'Say "Hi" <b>now</b> & go'  # escaped everywhere, attributes and SVG labels included
    page = index_body(arts, comp, arc, {aid: f"articles/{aid}.html" for aid in arts["article_id"]})
    assert "<b>" not in page and 'Say "Hi"' not in page
    assert [a for t, a in parse(page).tags if t == "svg" and a.get("aria-label", "").startswith("plot arc of Say")][0]["aria-label"] == 'plot arc of Say "Hi" <b>now</b> & go'
    assert page.count("<figure>") == 13 and 'class="band"' not in page
    assert page.count('<table class="top">') == 2  # 11 reviewed episodes of 13: the lists show 5 and 5
    assert 'class="top"' not in index_body(arts.head(12), comp, arc, {aid: "x" for aid in arts["article_id"]})  # 10 reviewed: table only
    small = index_body(arts.head(3), comp, arc, {aid: f"a/{aid}.html" for aid in arts["article_id"]})
    assert 'class="top"' not in small and small.count("<figure>") == 3
    assert 'id="episode-filter"' not in small and 'id="episode-filter"' in page  # a filter only where rows need one


def test_series_and_airdate_fall_back_to_other_infobox_keys_and_no_empty_parentheses():
    t = tiny(("kettle", "The Brass Kettle", None), ("lamp", "A Lamp", None))
    t["articles"] = t["articles"].assign(series=None)
    ib = t["infobox"]
    extra = ib[ib["article_id"] == "kettle"].head(2).assign(key=["Show", "Date"], value=["Harbour Lights", "2019-03-04"], line=[1, 2], role=None)
    t["infobox"] = pd.concat([extra, ib], ignore_index=True)
    pages = site(t, None, OPTS)
    index, kettle = pages["report.html"], pages["articles/kettle.html"]
    row = re.search(r'<tr data-i="\d+" data-search="the brass kettle[^"]*">(.*?)</tr>', index).group(1)
    assert "<td data-v=\"Harbour Lights\">Harbour Lights</td>" in row and ">2019-03-04</td>" in row
    assert '<p class="sub">Harbour Lights · 2019-03-04 · 40 words</p>' in kettle
    lamp = re.search(r'<tr data-i="\d+" data-search="a lamp[^"]*">(.*?)</tr>', index).group(1)
    assert "<td data-v=\"\"></td>" in lamp  # neither series nor date: empty cells, nothing made up
    assert "()" not in " ".join(parse(index.split("<script>")[0]).text) and "( )" not in index
    assert '<p class="sub">40 words</p>' in pages["articles/lamp.html"]
    assert re.findall(r'<tr data-i="\d+" data-search="[^"]*"><td data-v="([^"]+)"', index) == ["The Brass Kettle", "A Lamp"]  # dated (from Date:) first


def test_one_readability_reading_in_summary_and_html(one, one_site):
    from epnlp.report.tables import article_markdown, reading_words

    secs = pd.DataFrame({"section_id": [0, 1], "title": ["Lead", "Plot"], "level": [1, 2], "role": ["lead", "plot"]})
    md = article_markdown(one["articles"], one["infobox"], secs, one["entities"], one["comparison"], one["readability"])
    html_text = " ".join(parse(one_site["articles/kettle.html"]).text)
    for grade in one["readability"]["flesch_kincaid_grade"]:
        words = reading_words(float(grade))
        assert f"| {grade:.1f} | {words} |" in md and words in html_text
    sentence = "The plot reads at grade 10.2 (fairly difficult: high-school level)"
    assert sentence in md and sentence in html_text
    for other in [*one["readability"]["text_standard"], "year-olds"]:  # no second or third reading
        assert other not in md and other not in html_text
    assert "flesch_reading_ease" not in md and "<th>reading ease</th>" not in one_site["articles/kettle.html"]
    assert reading_words(7.5) == "plain English: middle-school level" and reading_words(5.99) != reading_words(6.0)


def test_arc_extremes_give_text_offsets_not_characters(one, one_site):
    page = one_site["articles/kettle.html"]
    low = one["arc"].loc[one["arc"]["is_low"].astype(bool)].iloc[0]
    assert f"text offsets {int(low['start'])}–{int(low['end'])}" in page
    assert not re.search(r"characters \d+–\d+", page)


def test_index_graphics_stay_one_screen_wide():
    from epnlp.report.index import index_body

    for n in (2, 40):
        arts, comp, arc = many(n)
        page = index_body(arts, comp, arc, {aid: f"a/{aid}.html" for aid in arts["article_id"]})
        widths = [int(w) for w in re.findall(r'<svg class="[a-z]+" width="(\d+)"', page)]
        assert widths and max(widths) <= 720


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# Added to a copy of a page for the test only: after load, report the layout and try the index's controls.
_PROBE = """<script>window.addEventListener("load", function () {
  var root = document.documentElement, out = ["page " + root.scrollWidth + " " + root.clientWidth];
  Array.prototype.forEach.call(document.querySelectorAll("table.critics, table.episodes"), function (t) {
    var head = t.tHead.rows[0], last = head.cells[head.cells.length - 1], box = t.parentElement;
    out.push(["table", t.className, Math.round(last.getBoundingClientRect().right), Math.round(box.getBoundingClientRect().right),
              Math.round(root.clientWidth)].join(" "));
  });
  var table = document.getElementById("episodes-table");
  if (table) {
    var reviews = table.tHead.rows[0].cells[4].querySelector("button");
    reviews.click();  // a number column: largest first
    var first = table.tBodies[0].rows[0].cells[4].getAttribute("data-v");
    reviews.click();  // then smallest first
    first += " " + table.tBodies[0].rows[0].cells[4].getAttribute("data-v");
    var box = document.getElementById("episode-filter");  // from 8 articles on
    if (box) {
      box.value = "episode 7";
      box.dispatchEvent(new Event("input"));
      var shown = Array.prototype.filter.call(table.tBodies[0].rows, function (r) { return !r.hidden; }).length;
      out.push("sorted " + first + " filtered " + shown + " " + document.getElementById("episode-count").textContent);
    }
  }
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = out.join("\\n");
  document.body.appendChild(pre);
});</script>"""


def _probe(page: str, tmp_path, name: str, width: int = 800) -> list[str]:
    """The page's layout lines at a `width` px wide viewport in headless Chromium (`--dump-dom`)."""
    import subprocess

    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},1000"]
    res = subprocess.run([CHROMIUM, *flags, "--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    found = re.search(r'<pre id="probe">(.*?)</pre>', res.stdout, re.S)
    assert found, res.stdout[-2000:]
    return html_lib.unescape(found.group(1)).splitlines()


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (.ci/run installs it when it can)")
def test_at_800px_tables_keep_their_last_column_and_the_index_sorts_and_filters(tmp_path):
    from epnlp.report.index import index_body

    t = tiny(("kettle", "The Brass Kettle", "2020-01-05"), ("lamp", "The Lamp", "2020-01-12"))
    long_evidence = "model: " + " ".join(f"unremarkably(+0.{k}1)" for k in range(9)) + "; vader: " + " ".join(f"word{k}(+1.{k})" for k in range(9))
    t["comparison"] = t["comparison"].assign(evidence=long_evidence, quote="a patient, beautifully acted hour " * 6,
                                             outlet="The Extraordinarily Long-Named Television Review Quarterly")
    page = site(t, None, OPTS)["articles/kettle.html"]
    lines = _probe(page, tmp_path, "kettle.html")
    page_w, view_w = map(int, lines[0].split()[1:])
    assert page_w <= view_w  # nothing sticks out of the page
    critics = [ln.split() for ln in lines if ln.startswith("table critics")]
    assert len(critics) == 1
    last_right, box_right, view = map(int, critics[0][2:])
    assert last_right <= box_right + 1 and box_right <= view  # the last column is inside the box, on screen
    arts, comp, arc = many(40)
    shows = ["Agents of S.H.I.E.L.D.", "Supernatural", "American Horror Story", "Pretty Little Liars"]
    arts = arts.assign(series=[shows[k % 4] for k in range(40)], title=[f"Episode {k} ({shows[k % 4]})" for k in range(40)])
    comp = comp.assign(author="Samantha Highfill", outlet="Entertainment Weekly")
    index = H.page("Episode reports", index_body(arts, comp, arc, {a: f"a/{a}.html" for a in arts["article_id"]}), asset("index.js"))
    lines = _probe(index, tmp_path, "index.html")
    assert int(lines[0].split()[1]) <= int(lines[0].split()[2])
    last_right, box_right, view = map(int, next(ln for ln in lines if ln.startswith("table episodes")).split()[2:])
    assert last_right <= box_right + 1 and box_right <= view
    sorted_line = next(ln for ln in lines if ln.startswith("sorted")).split()
    assert int(sorted_line[1]) == comp.groupby("article_id").size().max() and int(sorted_line[2]) == 0  # unreviewed episodes exist
    expected = sum(1 for title in arts["title"] if "episode 7" in title.lower())  # Episode 7, 70-79 would match; 40 rows: 7 only
    assert int(sorted_line[4]) == expected == 1 and sorted_line[5:] == [str(expected), "of", "40", "episodes", "shown"]


def test_summary_and_pages_give_the_credits_in_article_order(one):
    from epnlp.report.tables import article_markdown

    ib = one["infobox"].assign(key=["Writer", "Director"], line=[1, 2])  # alphabetical order is not the article's
    assert credits(ib)["credit"].tolist() == ["Writer", "Director"]
    secs = pd.DataFrame({"section_id": [0], "title": ["Lead"], "level": [1], "role": ["lead"]})
    md = article_markdown(one["articles"], ib, secs, one["entities"], one["comparison"], one["readability"])
    assert md.index("| Writer |") < md.index("| Director |")
    page = site({**one, "infobox": ib}, None, OPTS)["articles/kettle.html"]
    assert page.index("<dt>Writer</dt>") < page.index("<dt>Director</dt>")


def test_page_cache_keys_cover_the_templates(one, monkeypatch):
    frames = (one["infobox"], one["paragraphs"])
    before = H._page_keys(one["articles"], frames, OPTS)
    monkeypatch.setattr(H, "templates_fingerprint", lambda: "another template")
    assert H._page_keys(one["articles"], frames, OPTS) != before


def test_a_worker_is_handed_all_it_draws_from(one):
    import pickle

    from epnlp.report.tables import by_article

    frames = (one["infobox"], one["paragraphs"], one["entities"], one["arc"], one["arc_paragraphs"], one["comparison"], one["readability"], None)
    from epnlp.report.article import ArticleRows

    job = (one["articles"].iloc[0], ArticleRows(*(None if df is None else by_article(df)("kettle") for df in frames)), OPTS)
    body = H._draw(pickle.loads(pickle.dumps(job)))  # a job survives pickling: no state read from the parent
    assert body.startswith('<article id="article-kettle">') and "No character co-occurrence data" in body


def test_tables_escape_their_cells_and_show_missing_values_as_nothing():
    from epnlp.report.article import table_html

    df = pd.DataFrame({"text": ["it's <b>", None], "n": [1.5, float("nan")], "signed": [0.25, None]})
    got = table_html(df, {"signed": lambda v: "" if pd.isna(v) else f"{v:+.2f} & up"})
    assert "<td>it&#x27;s &lt;b&gt;</td>" in got and '<td class="num">1.5</td>' in got and '<td class="num">+0.25 &amp; up</td>' in got
    assert "<tr><td></td><td></td><td></td></tr>" in got
