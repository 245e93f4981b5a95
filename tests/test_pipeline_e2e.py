"""End to end: `dvc repro` on the sample and two other shows' articles, checked against the text."""

from __future__ import annotations

import hashlib
import json
import shutil

import pandas as pd
import pytest

from epnlp import schema
from epnlp.io import raw_text, read_table

from .conftest import OTHER_ARTICLES, SAMPLE, dvc

pytestmark = pytest.mark.slow

OFFSET_TABLES = ["sections", "paragraphs", "sentences", "entities", "reviews", "review_quotes", "review_aspects", "clean_edits", "plot_arc"]


def tables(project) -> dict[str, pd.DataFrame]:
    out = project / "data" / "processed"
    return {name: read_table(t, out) for name, t in schema.TABLES.items()}


def test_every_table_has_its_columns(pipeline_run):
    for name, t in schema.TABLES.items():
        df = pd.read_csv(pipeline_run / "data" / "processed" / t.file, keep_default_na=False)
        assert list(df.columns) == list(t.columns), name


def test_offsets_point_into_the_raw_text(pipeline_run):
    t = tables(pipeline_run)
    raws = {a: raw_text(pipeline_run / "data" / "raw" / f) for a, f in zip(t["articles"]["article_id"], t["articles"]["source_file"], strict=True)}
    checked = 0
    for name in OFFSET_TABLES:
        df = t[name]
        col = "text" if "text" in df.columns else None
        for row in df.itertuples(index=False):
            span = raws[row.article_id][row.start : row.end]
            assert row.end > row.start, (name, row)
            if col:
                assert span == getattr(row, col), (name, row)
                checked += 1
    ib = t["infobox"]
    for row in ib.itertuples(index=False):
        assert raws[row.article_id][row.start : row.end] == row.value
        if row.role is not pd.NA:
            assert raws[row.article_id][row.role_start : row.role_end] == row.role
    q = t["reviews"].dropna(subset=["quote"])
    for row in q.itertuples(index=False):
        assert row.quote in raws[row.article_id][row.start : row.end]
    assert checked > 300


def test_sample_facts(pipeline_run):
    t = tables(pipeline_run)
    ib = t["infobox"][t["infobox"]["article_id"] == "one_small_step"]
    assert ib.loc[ib.key == "Director", "value"].tolist() == ["Robert Picardo"]
    assert ib.loc[ib.key == "Teleplay", "value"].tolist() == ["Mike Wollaeger", "Jessica Scott", "Bryan Fuller", "Michael Taylor"]
    guest = ib[ib.key == "Guests"].iloc[0]
    assert (guest.value, guest.role) == ("Phil Morris", "Lt. John Kelly")
    titles = set(t["sections"].loc[t["sections"].article_id == "one_small_step", "title"])
    assert {"Plot", "Reception", "Releases", "See also"} <= titles

    rv = t["reviews"][t["reviews"].article_id == "one_small_step"].set_index("review_id")
    assert len(rv) == 4
    got = [(r.outlet, int(r.year)) for r in rv.itertuples()]
    assert got == [("Tor.com", 2021), ("The Digital Fix", 2020), ("Den of Geek", 2016), ("SyFy", 2016)]
    assert (rv.loc[0, "score"], rv.loc[0, "score_max"], rv.loc[0, "score_norm"]) == (9, 10, 0.9)
    assert rv.loc[2, "author"] == "John Andrews"
    assert (rv.loc[2, "rank"], rv.loc[3, "rank"]) == (4, 16)
    assert rv.loc[0, "n_sentences"] == 3  # "They were also pleased...", "They were very happy..."
    assert rv.loc[0, "polarity"] == "positive" and rv.loc[2, "polarity"] == "positive"
    assert rv.loc[1, "polarity"] in ("negative", "mixed")
    assert rv.loc[3, "polarity"] in ("positive", "mixed")

    plot = t["entities"][(t["entities"].article_id == "one_small_step") & (t["entities"].role == "plot")]
    found = set(plot["text"])
    for name in ("Chakotay", "Tom Paris", "Kathryn Janeway", "John Kelly"):
        assert name in found, name


def test_other_shows_run_without_code_changes(pipeline_run):
    t = tables(pipeline_run)
    others = {p.stem for p in OTHER_ARTICLES}
    assert others <= set(t["articles"]["article_id"])
    for aid in others:
        assert (t["sections"].loc[t["sections"].article_id == aid, "role"] == "plot").any(), aid
        assert (t["reviews"]["article_id"] == aid).sum() >= 2, aid
        assert (t["entities"]["article_id"] == aid).sum() > 10, aid


def test_reports_and_metrics(pipeline_run):
    comp = pd.read_csv(pipeline_run / "reports" / "review_sentiment.csv")
    assert len(comp) == len(read_table(schema.REVIEWS, pipeline_run / "data" / "processed"))
    assert {"outlet", "author", "year", "score_norm", "rank", "sentiment", "polarity", "agreement", "evidence"} <= set(comp.columns)
    md = (pipeline_run / "reports" / "summary.md").read_text(encoding="utf-8")
    assert "## One Small Step (Star Trek: Voyager)" in md and "Robert Picardo" in md and "Most favourable" in md
    m = json.loads((pipeline_run / "reports" / "metrics.json").read_text())
    assert m["counts"]["reviews"] == len(comp)
    shown = dvc(pipeline_run, "metrics", "show")
    assert shown.returncode == 0 and "reports/metrics/pipeline/reviews.json" in shown.stdout
    assert json.loads((pipeline_run / "reports" / "metrics" / "pipeline" / "reviews.json").read_text()) == {"value": len(comp)}
    assert max(map(len, shown.stdout.splitlines())) <= 180  # one narrow table (was ~5,000 characters wide)


def _digest(project) -> dict[str, str]:
    files = sorted((project / "data" / "processed").glob("*.csv")) + sorted((project / "reports").glob("*"))
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.is_file() and f.name != ".gitignore"}


def _from_scratch(project) -> dict[str, str]:
    for cache in (project / "data" / "interim").glob("*_cache"):  # every per-article cache
        shutil.rmtree(cache)
    res = dvc(project, "repro", "--force")
    assert res.returncode == 0, res.stdout + res.stderr
    return _digest(project)


def test_repro_is_a_noop_then_byte_identical_from_scratch(pipeline_run):
    before = _digest(pipeline_run)
    status = dvc(pipeline_run, "status")
    assert status.returncode == 0 and "changed" not in status.stdout, status.stdout
    assert _from_scratch(pipeline_run) == before


def test_editing_one_article_recomputes_only_it_and_matches_a_fresh_run(pipeline_run):
    article = pipeline_run / "data" / "raw" / OTHER_ARTICLES[0].name
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("\n\n", "\n\nAn added lead sentence about the episode.\n\n", 1), encoding="utf-8")
    try:
        res = dvc(pipeline_run, "repro")
        assert res.returncode == 0, res.stdout + res.stderr
        for stage in ("nlp", "reviews", "readability", "report"):
            line = next(ln for ln in res.stdout.splitlines() if ln.startswith(f"{stage}:"))
            assert "(1 computed, 2 from cache)" in line, res.stdout
        assert "(1 article pages computed, 2 from cache;" in res.stdout, res.stdout
        incremental = _digest(pipeline_run)
        assert _from_scratch(pipeline_run) == incremental
    finally:
        article.write_text(text, encoding="utf-8")
        assert dvc(pipeline_run, "repro").returncode == 0


def test_sample_raw_is_the_shared_article():
    assert SAMPLE.exists() and "= One Small Step" in SAMPLE.read_text(encoding="utf-8")


def test_sample_characters_vessels_and_kinds(pipeline_run):
    t = tables(pipeline_run)
    e = t["entities"][(t["entities"].article_id == "one_small_step") & (t["entities"].role == "plot")]
    forms = {k: set(g) for k, g in e.groupby("canonical")["text"]}  # (agg(set) gives lists on string columns in pandas 3.1)
    for name in ("Seven of Nine", "Chakotay", "Tom Paris", "Kathryn Janeway", "B'Elanna Torres", "John Kelly"):
        assert name in forms, name
    assert {"Seven", "Seven of Nine"} <= forms["Seven of Nine"] and "Paris" in forms["Tom Paris"] and "Kelly" in forms["John Kelly"]
    kinds = {k: set(g) for k, g in e.groupby("canonical")["kind"]}
    for vessel in ("USS Voyager", "Delta Flyer", "Ares IV"):
        assert kinds[vessel] == {"vessel"}, vessel
    chars = set(t["characters"].loc[t["characters"].article_id == "one_small_step", "canonical"])
    assert {"Seven of Nine", "Chakotay", "Tom Paris", "John Kelly"} <= chars
    every = t["entities"].groupby(["article_id", "canonical"])["kind"].nunique()
    assert (every == 1).all(), every[every > 1]
    pairs = t["cooccurrence"]
    assert (pairs["character_a"] < pairs["character_b"]).all() and (pairs["sentences_together"] >= 1).all()


def test_entity_metrics_meet_the_targets(pipeline_run):
    m = json.loads((pipeline_run / "reports" / "entity_eval.json").read_text())["with_gazetteer"]
    assert m["sample"]["precision"] >= 0.95 and m["sample"]["recall"] >= 0.95
    assert m["other_shows"]["precision"] >= 0.85 and m["other_shows"]["recall"] >= 0.85
    shown = dvc(pipeline_run, "metrics", "show")
    assert "reports/metrics/entities/recall.json" in shown.stdout and "no_gazetteer" in shown.stdout


def test_html_report_and_dvc_plots(pipeline_run, tmp_path):
    index = (pipeline_run / "reports" / "report.html").read_text(encoding="utf-8")
    pages = sorted((pipeline_run / "reports" / "articles").glob("*.html"))
    assert {p.stem for p in pages} == set(tables(pipeline_run)["articles"]["article_id"])
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<mark class="entity"' in html and 'class="chart arc"' in html and 'class="chart critics"' in html
        assert "src=\"http" not in html and "href=\"http" not in html
    assert "articles/one_small_step.html" in index
    shown = dvc(pipeline_run, "plots", "show", "-o", str(tmp_path / "plots"))
    assert shown.returncode == 0, shown.stderr
    assert (tmp_path / "plots" / "index.html").exists()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (.ci/run installs it when it can)")
def test_report_opens_in_headless_chromium(pipeline_run, tmp_path):
    import subprocess

    page = pipeline_run / "reports" / "articles" / "one_small_step.html"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0"]
    res = subprocess.run([CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    assert '<mark class="entity"' in res.stdout and 'class="chart arc"' in res.stdout and 'class="chart critics"' in res.stdout
    assert "Uncaught" not in res.stderr and "CONSOLE" not in res.stderr.upper().replace("CONSOLE_", "")
    shot = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, *flags, "--window-size=1200,1600", f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000
    # at 800 px the real critics' table and the index keep their last column inside their box, on screen
    from .test_html import _probe

    for name, text in (("page.html", page.read_text(encoding="utf-8")), ("index.html", (pipeline_run / "reports" / "report.html").read_text(encoding="utf-8"))):
        lines = _probe(text, tmp_path / "probe", name)
        page_w, view_w = map(int, lines[0].split()[1:])
        tables = [ln.split() for ln in lines if ln.startswith("table ")]
        assert page_w <= view_w and tables, lines
        for t in tables:
            last_right, box_right, view = map(int, t[2:])
            assert last_right <= box_right + 1 and box_right <= view, (name, t)


def test_bad_inputs_do_not_change_the_good_articles_rows(pipeline_run, tmp_path_factory):
    from .conftest import FIXTURES, new_project

    bad = sorted((FIXTURES / "bad").glob("*.txt"))
    project = new_project(tmp_path_factory, [SAMPLE, *bad])
    res = dvc(project, "repro")
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    mixed, alone = tables(project), tables(pipeline_run)
    for name in schema.TABLES:
        if "article_id" not in mixed[name].columns or name in ("rejects", "review_issues"):
            continue
        a = mixed[name][mixed[name]["article_id"] == "one_small_step"].reset_index(drop=True)
        b = alone[name][alone[name]["article_id"] == "one_small_step"].reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, obj=name)
    rejects = mixed["rejects"]
    assert set(rejects.loc[rejects.severity == "reject", "source_file"]) == {"empty.txt", "whitespace_only.txt", "binary.txt", "not_article_readme.txt", "not_article_table.txt"}
    assert "one_small_step" not in set(rejects["article_id"])
    # every table of the run covers the same set of (non-rejected) articles
    ids = set(mixed["articles"]["article_id"])
    for name in ("sections", "paragraphs", "sentences", "sentiment"):
        assert set(mixed[name]["article_id"]) <= ids, name


def test_compare_tables_and_sql_over_parquet(pipeline_run, capsys):
    """The corpus comparison equals a recomputation from reviews.csv; every table is also Parquet,
    and `epnlp query` joins them by name."""
    from epnlp.cli import main

    processed = pipeline_run / "data" / "processed"
    reviews = pd.read_csv(processed / "reviews.csv")
    cons = pd.read_csv(processed / "episode_consensus.csv").set_index("article_id")
    articles = pd.read_csv(processed / "articles.csv")
    assert set(cons.index) == set(articles["article_id"])
    for aid, g in reviews.groupby("article_id"):
        assert cons.loc[aid, "n_reviews"] == len(g) and cons.loc[aid, "n_scored"] == g["score_norm"].notna().sum()
        if g["score_norm"].notna().any():
            assert cons.loc[aid, "score_mean"] == pytest.approx(g["score_norm"].mean(), abs=1e-6)
        assert cons.loc[aid, "sentiment_mean"] == pytest.approx(g["sentiment"].mean(), abs=1e-6)
    merges = pd.read_csv(processed / "name_merges.csv")
    assert set(merges.loc[merges["kind"] == "outlet", "raw"]) == set(reviews["outlet"].dropna())
    csvs = {p.stem for p in processed.glob("*.csv")}
    assert {p.stem for p in (processed / "parquet").glob("*.parquet")} == csvs
    sql = "SELECT r.article_id, count(*) AS n, max(c.n_reviews) AS m FROM reviews r JOIN episode_consensus c USING (article_id) GROUP BY 1"
    out = pipeline_run / "joined.csv"
    assert main(["query", sql, "--tables", str(processed / "parquet"), "--out", str(out)]) == 0
    joined = pd.read_csv(out)
    assert (joined["n"] == joined["m"]).all() and len(joined) == reviews["article_id"].nunique()
