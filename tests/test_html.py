"""The HTML report built from small hand-made tables: parts present, offline, deterministic."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from epnlp import html as H
from epnlp import schema
from epnlp.arc import paragraph_summary, plot_arc
from epnlp.html import (
    KIND_COLOURS,
    HtmlOptions,
    build_site,
    cooccurrence_matrix,
    cooccurrence_section,
    corpus_frame,
    credits,
    critics_frame,
    plot_docs,
    readability_sentence,
    readability_view,
)

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
        "articles": {"article_id": aid, "title": title, "source_file": f"{aid}.txt", "sha256": "0" * 64, "encoding": "utf-8", "n_chars": len(raw), "n_words": 40, "series": "Pier Tales", "airdate": airdate},
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
             "gunning_fog": 6.0, "smog_index": 6.0, "coleman_liau_index": 6.0, "automated_readability_index": 6.0, "dale_chall_readability_score": 6.0, "text_standard": "5th and 6th grade"},
            {"article_id": aid, "section_id": 1, "section": "Plot", "role": "plot", "n_sentences": 4, "n_words": 40, "flesch_reading_ease": 60.0, "flesch_kincaid_grade": 10.2,
             "gunning_fog": 11.0, "smog_index": 11.0, "coleman_liau_index": 11.0, "automated_readability_index": 11.0, "dale_chall_readability_score": 9.0, "text_standard": "10th and 11th grade"},
        ],
        "comparison": [
            {"article_id": aid, "title": title, "review_id": 0, "outlet": "Kettle Weekly", "author": None, "year": 2020.0, "score_text": "8 out of 10", "score_norm": 0.8, "rank": None,
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


def charts(page: str) -> dict[str, str]:
    return {a["class"].split()[1]: a["src"] for t, a in parse(page).tags if t == "img" and "chart" in a.get("class", "")}


def test_single_article_report_is_index_plus_article(one_site):
    assert sorted(one_site) == ["articles/kettle.html", "report.html"]
    page = one_site["report.html"]
    tags = parse(page).tags
    ids = {a.get("id") for _, a in tags}
    assert {"index", "article-kettle", "plot", "arc", "characters", "critics", "readability"} <= ids
    assert ("a", {"href": "#article-kettle"}) in tags
    assert set(charts(page)) == {"corpus", "arc", "cooccurrence", "critics"}  # no "arcs compared" for one arc


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
        assert "<script" not in page and "<link" not in page
        assert "@import" not in page and "url(" not in page


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
    assert view["what it means"].tolist() == ["easy: readable by most children of primary-school age", "fairly difficult: high-school level"]
    sentence = readability_sentence(one["readability"])
    assert sentence.startswith("The plot reads at grade 10.2 (fairly difficult") and "easiest section is Lead" in sentence
    assert sentence in " ".join(parse(one_site["report.html"]).text)


def test_credits_keep_infobox_order_and_roles(one):
    cr = credits(one["infobox"])
    assert cr.values.tolist() == [["Director", "Ola Brandt"], ["Guests", "Ina Vale as Captain Rook"]]


PNG = HtmlOptions(image_format="png", dpi=30)


@pytest.fixture(scope="module")
def no_cooc_site(one) -> dict[str, str]:
    return site(one, None, PNG)


def test_missing_cooccurrence_shows_a_note(no_cooc_site):
    page = no_cooc_site["report.html"]
    assert "cooccurrence" not in charts(page)
    assert "No character co-occurrence data" in page
    assert "No character co-occurrence data" in cooccurrence_section(COOC.iloc[0:0], PNG)


def test_cooccurrence_matrix_is_symmetric_and_ordered():
    m = cooccurrence_matrix(COOC, max_characters=12)
    assert list(m.index) == ["Mira Holt", "Captain Rook", "Ina"]  # 5, 4, 3 sentences with others
    assert (m.to_numpy() == m.to_numpy().T).all()
    assert m.loc["Mira Holt", "Captain Rook"] == 3 and m.loc["Ina", "Mira Holt"] == 2
    assert list(cooccurrence_matrix(COOC, max_characters=2).index) == ["Mira Holt", "Captain Rook"]


def test_two_builds_are_byte_identical(one, one_site, no_cooc_site):
    assert site(one, COOC) == one_site
    assert site(one, None, PNG) == no_cooc_site
    assert all(src.startswith("data:image/png;base64,") for src in charts(no_cooc_site["report.html"]).values())


def test_several_articles_get_an_index_and_one_page_each():
    t = tiny(("late", "Late Tide", "2021-06-01"), ("early", "Early Fog", "2019-02-03"), ("undated", "No Date", None))
    pages = site(t, None, PNG)
    assert sorted(pages) == ["articles/early.html", "articles/late.html", "articles/undated.html", "report.html"]
    index = pages["report.html"]
    links = [a["href"] for tag, a in parse(index).tags if tag == "a"]
    assert links == ["articles/early.html", "articles/late.html", "articles/undated.html"]  # airdate order, undated last
    assert set(charts(index)) == {"corpus", "arcs"}
    assert 'id="article-' not in index
    for aid in ("early", "late", "undated"):
        page = pages[f"articles/{aid}.html"]
        assert ("a", {"href": "../report.html"}) in parse(page).tags
        assert {"arc", "critics"} <= set(charts(page))
    assert corpus_frame(t["articles"], t["comparison"])["article_id"].tolist() == ["early", "late", "undated"]


def test_critics_frame_labels_are_unique():
    comp = pd.DataFrame({"article_id": ["a", "a"], "review_id": [0, 1], "outlet": ["Same", "Same"], "author": [None, None], "year": [2020, 2020], "favour_rank": [2, 1]})
    assert critics_frame(comp)["critic"].tolist() == ["Same (2020)", "Same (2020) #2"]


def test_bad_image_format_is_refused():
    with pytest.raises(ValueError, match="image_format"):
        HtmlOptions(image_format="gif")


def test_dollar_signs_are_text_not_mathtext(one):
    arc = one["arc"].assign(text="It costs $5 \\bad{ and $6 to fix.")  # invalid as mathtext
    assert H.arc_chart(arc, PNG).startswith("data:image/png;base64,")


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
    changed = t["readability"].assign(n_words=t["readability"]["n_words"] + (t["readability"]["article_id"] == "lamp"))
    third = ArticleCache(tmp_path / "c")
    build_site(*args[:7], changed, None, None, cache=third)
    assert (third.hits, third.misses) == (1, 1)


def test_pages_drawn_in_worker_processes_are_the_same_and_written_only_when_changed(tmp_path):
    from epnlp.cache import ArticleCache
    from epnlp.html import iter_site, write_pages

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


def test_corpus_charts_stay_one_screen_wide_for_many_episodes():
    import base64
    import re

    from epnlp.html import corpus_chart, corpus_frame

    def width_pt(uri: str) -> float:
        svg = base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")
        return float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg).group(1))

    specs = [(f"ep{k:02d}", f"Episode {k}", f"2020-01-{k % 28 + 1:02d}") for k in range(40)]
    t = tiny(*specs)
    corpus = corpus_frame(t["articles"], H.typed_comparison(t["comparison"]))
    assert width_pt(corpus_chart(corpus, HtmlOptions())) == 720  # 10 inches, not one bar width per episode
    few = corpus_frame(t["articles"].head(3), H.typed_comparison(t["comparison"]))
    assert width_pt(corpus_chart(few, HtmlOptions())) < 720
    many = H.arcs_chart(t["arc"], corpus, HtmlOptions())
    assert many.startswith("data:image/svg+xml;base64,") and width_pt(many) == 576  # 8 inches whatever the count
