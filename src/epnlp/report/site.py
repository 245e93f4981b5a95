"""The self-contained HTML report as pages: `articles/<article_id>.html` for every article and
`report.html`, the index (one row per article linking its page, the critics per episode in airdate
order and the plot arcs compared). With a single article, `report.html` is the index followed by that
article's full page (the link becomes an anchor), so the one file shows everything.

This module puts the pages together and is the only one of the report's modules that reads or writes
report files: it reuses unchanged article pages from the page cache (`iter_site`) and writes the pages
(`write_pages`); the others only read the package's own templates. The parts: `report.article` (an article's sections), `report.charts` (its SVG
charts), `report.index` (the index), `report.series` (critics across the corpus), `report.render` (the
Jinja2 templates, the CSS and the index's script). No network and no clock: the same tables always give
byte-identical pages.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from epnlp.report.article import ArticleRows, article_body, with_episode_meta
from epnlp.report.charts import HtmlOptions
from epnlp.report.index import index_body
from epnlp.report.render import asset, page_template, templates_fingerprint
from epnlp.report.series import series_section
from epnlp.report.tables import by_article, typed_comparison

__all__ = ["HtmlOptions", "build_site", "iter_site", "page", "write_pages"]

_Job = tuple[pd.Series, ArticleRows, HtmlOptions]  # what drawing one article's page takes: its row, its rows of every table, the options


def page(title: str, body: str, script: str = "", back: bool = False) -> str:
    """A whole HTML document (`page.html.j2`): inline CSS, the body (HTML), an optional inline script and,
    for an article page, a link back to the index. Nothing is fetched."""
    return page_template("page.html.j2").render(
        title=title, body=Markup(body), css=Markup(asset("report.css")), script=Markup(script), back=back)


def build_site(*args, **kwargs) -> dict[str, str]:
    """Every page as {relative path: HTML}: `report.html` and `articles/<article_id>.html`, all in memory
    (same arguments as `iter_site`; for a corpus, stream the pages with `iter_site`)."""
    return dict(sorted(iter_site(*args, **kwargs)))


def _draw(job: _Job) -> str:
    """One article's page body from its job (everything it needs is in the job: a worker reads no global)."""
    return article_body(*job)


def _drawn(jobs: Iterator[_Job], n_jobs: int, n_process: int) -> Iterator[str]:
    """The page bodies of `jobs`, in order: drawn in `n_process` forked processes when more than one is
    asked for, there are several pages and the platform forks; else in this process.

    Measured on the 60-article benchmark corpus, the whole report stage from empty caches, alternating:
    4.7 and 4.5 s in this process, 3.7 and 3.5 s with two workers (load ~1.9 on 2 cores): the pool pays
    for its forking and pickling (~0.7 s) even with the pages' charts now cheap SVG; on a machine with
    no spare core it does not. The sample's single article never forks. Hence `report.html.n_process: 2`;
    1 where no core is spare."""
    if n_process > 1 and n_jobs > 1 and "fork" in mp.get_all_start_methods():
        with mp.get_context("fork").Pool(n_process) as pool:
            yield from pool.imap(_draw, jobs, chunksize=2)
    else:
        yield from map(_draw, jobs)


def _page_keys(arts: pd.DataFrame, frames: tuple, opts: HtmlOptions) -> dict[str, str]:
    """Each article page's cache key: its rows of every frame, the options, the code that draws it (this
    module's import closure) and the templates."""
    from epnlp.cache import article_digests, fingerprint, module_fingerprint

    code = fingerprint(module_fingerprint("report.site"), templates_fingerprint())
    # an article's rows of every frame, hashed vectorised (no per-article frame operations)
    digests = article_digests(arts, *(df if df is not None else pd.DataFrame({"article_id": []}) for df in frames))
    common = fingerprint(code, repr(opts), [df is None for df in frames])
    return {aid: fingerprint(common, digests.get(aid, "")) for aid in map(str, arts["article_id"])}


def _article_bodies(arts: pd.DataFrame, frames: tuple, opts: HtmlOptions, cache, n_process: int) -> Iterator[tuple[str, str]]:
    """(article_id, page body) in article order: from the cache where the key is unchanged, else drawn
    (and cached); stale cache entries are pruned at the end."""
    # Split every frame by article once (not a filter per article: that is quadratic in the corpus).
    lookups = [None if df is None else by_article(df) for df in frames]
    ids = [str(a) for a in arts["article_id"]]
    keys = _page_keys(arts, frames, opts) if cache is not None else {}
    todo = [aid for aid in ids if cache is None or not cache.has(aid, keys[aid])]
    rows = arts.set_index(arts["article_id"].astype(str), drop=False)
    jobs = ((rows.loc[aid], ArticleRows(*(None if f is None else f(aid) for f in lookups)), opts) for aid in todo)
    drawn = _drawn(jobs, len(todo), n_process)
    try:
        todo_set = set(todo)
        for aid in ids:
            if aid not in todo_set:
                yield aid, cache.get(aid, keys[aid])
                continue
            body = next(drawn)
            if cache is not None:
                cache.put(aid, keys[aid], body)
                cache.misses += 1
            yield aid, body
    finally:
        drawn.close()  # ends the worker processes, if any
    if cache is not None:
        cache.prune({(aid, k) for aid, k in keys.items()})


def _index_page(arts: pd.DataFrame, comparison: pd.DataFrame, arc: pd.DataFrame, bodies: dict[str, str],
                corpus: dict[str, pd.DataFrame] | None = None) -> str:
    """`report.html`: the index linking every page, or with a single article the index and then its page
    (`bodies` holds that one article's body); `corpus` (the compare tables) adds the critics across series."""
    ids = [str(a) for a in arts["article_id"]]
    single = len(ids) == 1
    links = {aid: (f"#article-{aid}" if single else f"articles/{aid}.html") for aid in ids}
    titles = dict(zip(ids, map(str, arts["title"]), strict=True))
    c = corpus or {}
    index = index_body(arts, comparison, arc, links) + series_section(
        c.get("episode_consensus"), c.get("season_trends"), c.get("outlet_stats"), titles, links)
    if single:
        return page(str(arts["title"].iloc[0]), index + bodies[ids[0]], asset("index.js"))
    return page("Episode reports", index, asset("index.js"))


def iter_site(
    articles: pd.DataFrame,
    infobox: pd.DataFrame,
    paragraphs: pd.DataFrame,
    entities: pd.DataFrame,
    arc: pd.DataFrame,
    arc_paragraphs: pd.DataFrame,
    comparison: pd.DataFrame,
    readability: pd.DataFrame,
    cooccurrence: pd.DataFrame | None,
    opts: HtmlOptions | None = None,
    cache=None,
    n_process: int = 1,
    corpus: dict[str, pd.DataFrame] | None = None,
) -> Iterator[tuple[str, str]]:
    """Yield (relative path, HTML) for every article page in article order, then `report.html`.

    With a `cache` (epnlp.cache.ArticleCache), an article page whose rows, options and code are unchanged
    is reused instead of re-rendered; pages to render are drawn in `n_process` forked worker processes
    when more than one is asked for (and the platform forks).

    `comparison` is the report stage's `review_sentiment` frame; `cooccurrence` (article_id,
    character_a, character_b, sentences_together) may be None when that table does not exist yet;
    `corpus` holds the compare stage's tables (episode_consensus, season_trends, outlet_stats) when they exist.
    """
    opts = opts or HtmlOptions()
    comparison = typed_comparison(comparison)
    arts = with_episode_meta(articles, infobox).sort_values("article_id", kind="mergesort").reset_index(drop=True)
    frames = (infobox, paragraphs, entities, arc, arc_paragraphs, comparison, readability, cooccurrence)  # ArticleRows' fields, in order
    titles = dict(zip(map(str, arts["article_id"]), map(str, arts["title"]), strict=True))
    bodies: dict[str, str] = {}
    for aid, body in _article_bodies(arts, frames, opts, cache, n_process):
        if len(arts) == 1:
            bodies[aid] = body
        yield f"articles/{aid}.html", page(titles[aid], body, back=True)
    yield "report.html", _index_page(arts, comparison, arc, bodies, corpus)


def write_pages(pages: Iterable[tuple[str, str]], dst: Path) -> int:
    """Write (relative path, HTML) pages as they come under `dst`, leaving unchanged files untouched,
    then remove article pages of articles that are gone. Returns how many files were written."""
    from epnlp.io import write_if_changed

    dst = Path(dst)
    (dst / "articles").mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    written = 0
    for rel, text in pages:
        written += write_if_changed(dst / rel, text)
        seen.add(rel)
    for old in (dst / "articles").glob("*.html"):
        if f"articles/{old.name}" not in seen:
            old.unlink()
    return written
