"""Stage `report`: everything in `reports/` from the tables: the critics' comparison CSV, the Markdown
summary, DVC metrics, the self-contained HTML report (`report.html`, one page per article) and the
critics' DVC plot files.

One stage for the CSV, Markdown and HTML reports: they read the same tables, and a stage costs a Python
start-up, imports and DVC's bookkeeping whatever it computes (docs/scaling.md).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from epnlp import schema
from epnlp.cache import ArticleCache
from epnlp.io import load_params, read_table, sync_folder, write_json, write_metrics, write_text
from epnlp.report.site import HtmlOptions, iter_site, write_pages
from epnlp.report.tables import critic_plot_files, headline, metrics, review_comparison, summary_markdown


def main() -> None:
    params = load_params()
    src = Path(params["data"]["processed_dir"])
    dst = Path(params["data"]["reports_dir"])
    used = ("articles", "infobox", "sections", "paragraphs", "entities", "sentences", "sentiment", "reviews", "rejects",
            "review_issues", "readability", "cooccurrence", "plot_arc", "plot_arc_paragraphs")
    t = {name: read_table(schema.TABLES[name], src) for name in used}

    cache = ArticleCache(Path(params["report"]["cache_dir"]))
    comp = review_comparison(t["reviews"], t["articles"])
    comp_csv = comp.to_csv(index=False, lineterminator="\n", float_format="%.4g")
    write_text(dst / "review_sentiment.csv", comp_csv)
    write_text(
        dst / "summary.md",
        summary_markdown(t["articles"], t["infobox"], t["sections"], t["entities"], comp, t["readability"], params["report"]["top_entities"],
                         cache=cache),
    )
    counts = metrics(t["articles"], t["sentences"], t["entities"], t["sentiment"], t["reviews"], pd.concat([t["rejects"], t["review_issues"]]))
    write_json(dst / "metrics.json", counts)
    write_metrics(dst / "metrics" / "pipeline", headline(counts))
    print(f"report: {len(comp)} reviews compared -> {dst} ({cache.misses} computed, {cache.hits} from cache)")

    # the HTML shows the comparison as the CSV has it (rounded), so the two never disagree
    shown = pd.read_csv(io.StringIO(comp_csv))
    pages_cache = ArticleCache(Path(params["report"]["html"]["cache_dir"]))
    pages = iter_site(
        t["articles"], t["infobox"], t["paragraphs"], t["entities"], t["plot_arc"], t["plot_arc_paragraphs"],
        shown, t["readability"], t["cooccurrence"],
        HtmlOptions.from_params(params["report"]["html"]),
        cache=pages_cache,
        n_process=int(params["report"]["html"].get("n_process", 1)),
        corpus={name: read_table(schema.TABLES[name], src) for name in ("episode_consensus", "season_trends", "outlet_stats")},
    )
    pages_written = write_pages(pages, dst)
    sync_folder(dst / "plots" / "critics", critic_plot_files(shown), "*.csv")
    print(f"html: {pages_cache.misses + pages_cache.hits + 1} page(s) -> {dst / 'report.html'} ({pages_cache.misses} article pages "
          f"computed, {pages_cache.hits} from cache; {pages_written} files written)")


if __name__ == "__main__":
    main()
