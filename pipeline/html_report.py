"""Stage `html_report`: the self-contained HTML report (`report.html`, one page per article) and the critics' DVC plot files.

Not called html.py: run as `python pipeline/html.py`, the script's folder comes first on sys.path and the
file would shadow the standard library's `html` module that pandas and spaCy import.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from epnlp import schema
from epnlp.cache import ArticleCache
from epnlp.html import HtmlOptions, build_site, critics_frame
from epnlp.io import load_params, read_table, write_text
from epnlp.schema import PLOT_ARC, PLOT_ARC_PARAGRAPHS

PLOT_COLUMNS = ["critic", "favourability", "sentiment", "verdict", "polarity", "favour_rank"]


def read_cooccurrence(src: Path) -> pd.DataFrame | None:
    """The co-occurrence table if the stage that makes it has run; None otherwise (the page says so)."""
    table = schema.TABLES.get("cooccurrence")
    path = src / "cooccurrence.csv"
    if not path.exists():
        return None
    return read_table(table, src) if table is not None else pd.read_csv(path)


def write_pages(pages: dict[str, str], dst: Path) -> None:
    """Write every page; remove article pages left over from articles that are gone."""
    for rel, text in pages.items():
        write_text(dst / rel, text)
    for old in (dst / "articles").glob("*.html"):
        if f"articles/{old.name}" not in pages:
            old.unlink()


def write_critic_plots(comp: pd.DataFrame, plots: Path) -> None:
    """One CSV per article for `dvc plots show` (x = favourability, y = critic)."""
    plots.mkdir(parents=True, exist_ok=True)
    keep = set()
    for aid, g in comp.groupby("article_id", sort=True):
        path = plots / f"{aid}.csv"
        write_text(path, critics_frame(g)[PLOT_COLUMNS].to_csv(index=False, lineterminator="\n", float_format="%.4g"))
        keep.add(path.name)
    for stale in plots.glob("*.csv"):
        if stale.name not in keep:
            stale.unlink()


def main() -> None:
    params = load_params()
    src = Path(params["data"]["processed_dir"])
    dst = Path(params["data"]["reports_dir"])
    t = {name: read_table(schema.TABLES[name], src) for name in ("articles", "infobox", "paragraphs", "entities", "readability")}
    comp = pd.read_csv(dst / "review_sentiment.csv")
    pages = build_site(
        t["articles"], t["infobox"], t["paragraphs"], t["entities"],
        read_table(PLOT_ARC, src), read_table(PLOT_ARC_PARAGRAPHS, src),
        comp, t["readability"], read_cooccurrence(src),
        HtmlOptions.from_params(params["html_report"]),
        cache=ArticleCache(Path(params["html_report"]["cache_dir"])),
    )
    write_pages(pages, dst)
    write_critic_plots(comp, dst / "plots" / "critics")
    print(f"html: {len(pages)} page(s) -> {dst / 'report.html'}")


if __name__ == "__main__":
    main()
