"""Stage `html_report`: the self-contained HTML report (`report.html`, one page per article) and the critics' DVC plot files.

Not called html.py: run as `python pipeline/html.py`, the script's folder comes first on sys.path and the
file would shadow the standard library's `html` module that pandas and spaCy import.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from epnlp import schema
from epnlp.cache import ArticleCache
from epnlp.html import HtmlOptions, critic_plot_files, iter_site, write_pages
from epnlp.io import load_params, read_table, sync_folder
from epnlp.schema import PLOT_ARC, PLOT_ARC_PARAGRAPHS


def read_cooccurrence(src: Path) -> pd.DataFrame | None:
    """The co-occurrence table if the stage that makes it has run; None otherwise (the page says so)."""
    table = schema.TABLES.get("cooccurrence")
    path = src / "cooccurrence.csv"
    if not path.exists():
        return None
    return read_table(table, src) if table is not None else pd.read_csv(path)


def main() -> None:
    params = load_params()
    src = Path(params["data"]["processed_dir"])
    dst = Path(params["data"]["reports_dir"])
    t = {name: read_table(schema.TABLES[name], src) for name in ("articles", "infobox", "paragraphs", "entities", "readability")}
    comp = pd.read_csv(dst / "review_sentiment.csv")
    cache = ArticleCache(Path(params["html_report"]["cache_dir"]))
    pages = iter_site(
        t["articles"], t["infobox"], t["paragraphs"], t["entities"],
        read_table(PLOT_ARC, src), read_table(PLOT_ARC_PARAGRAPHS, src),
        comp, t["readability"], read_cooccurrence(src),
        HtmlOptions.from_params(params["html_report"]),
        cache=cache,
        n_process=int(params["html_report"].get("n_process", 1)),
    )
    pages_written = write_pages(pages, dst)
    sync_folder(dst / "plots" / "critics", critic_plot_files(comp), "*.csv")
    print(f"html: {cache.misses + cache.hits + 1} page(s) -> {dst / 'report.html'} ({cache.misses} article pages computed, "
          f"{cache.hits} from cache; {pages_written} files written)")


if __name__ == "__main__":
    main()
